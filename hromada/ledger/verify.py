"""Verification of a hromada's log, from the database or from an export.

Both sources are turned into the same stream — tree heads, then leaves in index
order, then pending entries — and checked here. The first problem found stops the
check with a LedgerProblem that says exactly where it is. tools/ledger_verify.py does
the same checks independently, with the standard library only."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import merkle
from .canonical import ENTRY_VERSION, KIND_RE, canonical_json, tree_head_message
from .keys import key_id_for

_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


class LedgerProblem(Exception):
    """The log does not verify; the message says where and how."""


@dataclass
class TreeHead:
    tree_size: int
    root_hash: str
    timestamp_ms: int
    key_id: str
    signature: str

    def describe(self) -> str:
        moment = dt.datetime.fromtimestamp(self.timestamp_ms / 1000, tz=dt.UTC)
        return f"tree head of size {self.tree_size} signed at {moment:%Y-%m-%d %H:%M:%S} UTC"


@dataclass
class Report:
    slug: str
    tree_size: int = 0
    root_hash: str = merkle.EMPTY_ROOT.hex()
    tree_heads: int = 0
    pending: int = 0
    key_ids: list[str] = field(default_factory=list)
    pinned: list[tuple[int, str]] = field(default_factory=list)


class LogVerifier:
    """Feed it tree heads, then leaves in order, then pending entries; call finish()."""

    def __init__(
        self,
        *,
        slug: str,
        keys: dict[str, bytes],
        heads: list[TreeHead],
        pinned: Iterable[tuple[int, str]] = (),
        trusted_key_ids: Iterable[str] = (),
    ) -> None:
        self.slug = slug
        self.keys = keys
        self.heads = heads
        self.pinned = sorted(pinned)
        self.trusted = set(trusted_key_ids)
        self.frontier: list[bytes] = []
        self.size = 0
        self.uuids: set[str] = set()
        self.next_head = 0
        self.next_pin = 0
        self.last_verified = 0
        self.report = Report(slug=slug, key_ids=sorted(keys))
        self._check_keys()
        self._check_heads()

    # --- tree heads -----------------------------------------------------------------------------

    def _check_keys(self) -> None:
        for key_id, raw in self.keys.items():
            if len(raw) != 32:
                raise LedgerProblem(f"public key {key_id}: not a 32-byte Ed25519 key")
            if key_id_for(raw) != key_id:
                raise LedgerProblem(f"public key {key_id}: its id is not the SHA-256 of the key")
        signers = {head.key_id for head in self.heads}
        if self.trusted and signers and not self.trusted & signers:
            raise LedgerProblem(
                "none of the keys you trust signed this log: it was signed by " + ", ".join(sorted(signers))
            )

    def _check_heads(self) -> None:
        previous: TreeHead | None = None
        for number, head in enumerate(self.heads, 1):
            where = f"tree head #{number} ({head.describe()})"
            if head.tree_size < 1:
                raise LedgerProblem(f"{where}: a tree head must cover at least one entry")
            if not _HEX64.match(head.root_hash or ""):
                raise LedgerProblem(f"{where}: root hash is not 64 hex digits")
            raw = self.keys.get(head.key_id)
            if raw is None:
                raise LedgerProblem(f"{where}: signed with unknown key {head.key_id}")
            if self.trusted and head.key_id not in self.trusted:
                raise LedgerProblem(f"{where}: signed with key {head.key_id}, which you do not trust")
            message = tree_head_message(
                slug=self.slug,
                tree_size=head.tree_size,
                root_hash=head.root_hash,
                timestamp_ms=head.timestamp_ms,
            )
            try:
                Ed25519PublicKey.from_public_bytes(raw).verify(
                    base64.b64decode(head.signature, validate=True), message
                )
            except (InvalidSignature, ValueError):
                raise LedgerProblem(
                    f"{where}: the signature does not verify — the size, root or time was altered "
                    "or the signature forged"
                )
            if previous is not None:
                if head.tree_size <= previous.tree_size:
                    raise LedgerProblem(
                        f"{where}: tree heads must grow, but the previous one already had "
                        f"{previous.tree_size} entries"
                    )
                if head.timestamp_ms < previous.timestamp_ms:
                    raise LedgerProblem(f"{where}: signed earlier than the previous tree head")
            previous = head
        self.report.tree_heads = len(self.heads)

    # --- entries --------------------------------------------------------------------------------

    def check_entry(self, text: str, leaf_hex: str, where: str) -> dict:
        computed = merkle.leaf_hash(text.encode("utf-8")).hex()
        if computed != leaf_hex:
            raise LedgerProblem(
                f"{where}: the leaf hash does not match the entry's bytes (stored {leaf_hex}, "
                f"computed {computed}) — the entry was altered after it was written"
            )
        try:
            doc = json.loads(text)
        except ValueError:
            raise LedgerProblem(f"{where}: the entry is not JSON")
        if not isinstance(doc, dict) or canonical_json(doc) != text:
            raise LedgerProblem(f"{where}: the entry is not in canonical form")
        if set(doc) != {"v", "hromada", "kind", "payload", "created_at", "uuid"} or doc["v"] != ENTRY_VERSION:
            raise LedgerProblem(f"{where}: the entry does not have the fields of version {ENTRY_VERSION}")
        if doc["hromada"] != self.slug:
            raise LedgerProblem(
                f"{where}: the entry belongs to hromada {doc['hromada']!r}, not {self.slug!r}"
            )
        if not isinstance(doc["kind"], str) or not KIND_RE.match(doc["kind"]):
            raise LedgerProblem(f"{where}: invalid kind {doc['kind']!r}")
        if not isinstance(doc["payload"], dict):
            raise LedgerProblem(f"{where}: the payload is not an object")
        if not isinstance(doc["created_at"], str) or not _TIME.match(doc["created_at"]):
            raise LedgerProblem(f"{where}: invalid time {doc['created_at']!r}")
        if not isinstance(doc["uuid"], str) or not _UUID.match(doc["uuid"]):
            raise LedgerProblem(f"{where}: invalid uuid {doc['uuid']!r}")
        if doc["uuid"] in self.uuids:
            raise LedgerProblem(f"{where}: entry {doc['uuid']} appears twice in the log")
        self.uuids.add(doc["uuid"])
        return doc

    def add_leaf(self, index: int, text: str, leaf_hex: str) -> dict:
        where = f"entry at index {index}"
        if index != self.size:
            if index > self.size:
                raise LedgerProblem(
                    f"entry at index {self.size} is missing (the next one has index {index}) — deleted"
                )
            raise LedgerProblem(f"{where}: index repeated or out of order (expected {self.size})")
        if self.next_head >= len(self.heads):
            raise LedgerProblem(f"{where}: not covered by any signed tree head")
        doc = self.check_entry(text, leaf_hex, where)
        self.size = merkle.frontier_append(self.frontier, self.size, bytes.fromhex(leaf_hex))
        self._check_roots()
        return doc

    def _check_roots(self) -> None:
        while self.next_pin < len(self.pinned) and self.pinned[self.next_pin][0] == self.size:
            size, root = self.pinned[self.next_pin]
            computed = merkle.frontier_root(self.frontier).hex()
            if computed != root:
                raise LedgerProblem(
                    f"the tree of the first {size} entries has root {computed}, but you pinned {root}: "
                    "the log was rewritten since that tree head was published"
                )
            self.next_pin += 1
        head = self.heads[self.next_head]
        if head.tree_size != self.size:
            return
        computed = merkle.frontier_root(self.frontier).hex()
        if computed != head.root_hash:
            raise LedgerProblem(
                f"tree head #{self.next_head + 1} ({head.describe()}): the signed root {head.root_hash} "
                f"differs from the root computed from the entries, {computed}. Entries {self.last_verified}–"
                f"{self.size - 1} (those after the previous verified tree head) were altered, deleted, "
                "reordered or inserted"
            )
        self.last_verified = self.size
        self.next_head += 1

    def add_pending(self, text: str, leaf_hex: str, label: str) -> dict:
        doc = self.check_entry(text, leaf_hex, f"pending entry {label}")
        self.report.pending += 1
        return doc

    def finish(self) -> Report:
        if self.next_head < len(self.heads):
            head = self.heads[self.next_head]
            raise LedgerProblem(
                f"tree head #{self.next_head + 1} ({head.describe()}) covers {head.tree_size} entries, "
                f"but the log has only {self.size} — entries were deleted"
            )
        if self.next_pin < len(self.pinned):
            size = self.pinned[self.next_pin][0]
            raise LedgerProblem(
                f"you pinned a tree of {size} entries, but the log has only {self.size} — entries were deleted"
            )
        self.report.tree_size = self.size
        self.report.root_hash = merkle.frontier_root(self.frontier).hex()
        self.report.pinned = list(self.pinned)
        return self.report


# --- the export file ------------------------------------------------------------------------------


def verify_export(
    document: dict, *, pinned: Iterable[tuple[int, str]] = (), trusted_key_ids: Iterable[str] = ()
) -> Report:
    """Verify a parsed /ledger/export.json document."""
    try:
        if document.get("format") != "hromada-ledger-export/1":
            raise LedgerProblem(f"unknown export format {document.get('format')!r}")
        slug = document["hromada"]["slug"]
        keys = {
            k["key_id"]: base64.b64decode(k["public_key"], validate=True) for k in document["public_keys"]
        }
        heads = [
            TreeHead(
                tree_size=int(h["tree_size"]),
                root_hash=h["root_hash"],
                timestamp_ms=int(h["timestamp"]),
                key_id=h["key_id"],
                signature=h["signature"],
            )
            for h in document["tree_heads"]
        ]
        verifier = LogVerifier(
            slug=slug, keys=keys, heads=heads, pinned=pinned, trusted_key_ids=trusted_key_ids
        )
        for item in document["entries"]:
            verifier.add_leaf(int(item["index"]), item["entry"], item["leaf_hash"])
        for item in document.get("pending", []):
            verifier.add_pending(item["entry"], item["leaf_hash"], item.get("leaf_hash", "?")[:16])
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise LedgerProblem(f"the export is malformed: {exc.__class__.__name__}: {exc}")
    return verifier.finish()


# --- the database ---------------------------------------------------------------------------------


def verify_database(
    *, hromada, pinned: Iterable[tuple[int, str]] = (), trusted_key_ids: Iterable[str] = ()
) -> Report:
    """Verify a hromada's log as stored, including that every column agrees with the
    canonical bytes it repeats."""
    from .canonical import format_time
    from .models import LedgerEntry, LedgerKey, LedgerLeaf, SignedTreeHead

    # Tree heads first: leaves sealed after this read are left for the next run.
    head_rows = list(
        SignedTreeHead.objects.filter(hromada=hromada).select_related("key").order_by("tree_size")
    )
    key_ids = {row.key.key_id for row in head_rows}
    keys = {k.key_id: base64.b64decode(k.public_key) for k in LedgerKey.objects.filter(key_id__in=key_ids)}
    heads = [
        TreeHead(
            tree_size=row.tree_size,
            root_hash=row.root_hash,
            timestamp_ms=row.timestamp_ms,
            key_id=row.key.key_id,
            signature=row.signature,
        )
        for row in head_rows
    ]
    verifier = LogVerifier(
        slug=hromada.slug, keys=keys, heads=heads, pinned=pinned, trusted_key_ids=trusted_key_ids
    )
    sealed_size = heads[-1].tree_size if heads else 0

    def check_columns(doc: dict, kind, payload, created_at, entry_uuid, where: str) -> None:
        for name, column, said in (
            ("kind", kind, doc["kind"]),
            ("payload", payload, doc["payload"]),
            ("created_at", format_time(created_at), doc["created_at"]),
            ("uuid", str(entry_uuid), doc["uuid"]),
        ):
            if column != said:
                raise LedgerProblem(
                    f"{where}: column {name} ({column!r}) differs from the signed entry ({said!r}) — "
                    "the row was altered"
                )

    leaves = (
        LedgerLeaf.objects.filter(hromada=hromada, index__lt=sealed_size)
        .order_by("index")
        .values_list(
            "index",
            "entry__canonical",
            "entry__leaf_hash",
            "entry__kind",
            "entry__payload",
            "entry__created_at",
            "entry__uuid",
            "entry__hromada_id",
        )
    )
    for index, text, leaf_hex, kind, payload, created_at, entry_uuid, owner in leaves.iterator(2000):
        where = f"entry at index {index}"
        if owner != hromada.pk:
            raise LedgerProblem(f"{where}: the entry row belongs to another hromada")
        doc = verifier.add_leaf(index, text, leaf_hex)
        check_columns(doc, kind, payload, created_at, entry_uuid, where)

    pending = (
        LedgerEntry.objects.filter(hromada=hromada)
        .exclude(leaf__index__lt=sealed_size)
        .order_by("id")
        .values_list("id", "canonical", "leaf_hash", "kind", "payload", "created_at", "uuid")
    )
    for entry_id, text, leaf_hex, kind, payload, created_at, entry_uuid in pending.iterator(2000):
        doc = verifier.add_pending(text, leaf_hex, f"id {entry_id}")
        check_columns(doc, kind, payload, created_at, entry_uuid, f"pending entry id {entry_id}")
    return verifier.finish()
