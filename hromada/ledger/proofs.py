"""Finding an entry by its receipt and proving it is in the signed log (RFC 9162 §2.1.3).

Reads only: one index probe to find the entry (LedgerLookup, written by the seal), and
for the proof O(log n) stored subtree hashes (LedgerNode) plus at most a few hundred
leaf hashes, whatever the size of the log. Nothing found here is trusted: the entry's
bytes are hashed again, the audit path is checked against the signed root and the
root's signature against the key, before a page says "перевірка пройшла"."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hromada.core.modules import ReceiptSubject, registry, resolve
from hromada.tenancy.models import Hromada

from . import merkle
from .canonical import TREE_HEAD_CONTEXT, format_time, tree_head_message
from .keys import public_pem
from .kinds import kind_label
from .models import LedgerEntry, LedgerLeaf, LedgerLookup, LedgerNode, SignedTreeHead
from .receipts import UUID_RE
from .services import NODE_MIN_LEVEL

PROOF_FORMAT = "hromada-ledger-inclusion-proof/1"
MAX_FOUND = 20  # a receipt names one entry; a uuid-shaped key at most a few
log = logging.getLogger(__name__)


@dataclass
class FoundEntry:
    entry: LedgerEntry
    label: str
    subject: ReceiptSubject | None
    index: int | None = None  # None: not sealed yet
    proof: list[bytes] = field(default_factory=list)
    leaf_ok: bool = False  # the stored bytes hash to the stored leaf hash
    path_ok: bool = False  # the audit path leads to the signed root

    @property
    def pending(self) -> bool:
        return self.index is None

    @property
    def seal_expected_by(self) -> dt.datetime:
        return self.entry.created_at + dt.timedelta(
            seconds=float(getattr(settings, "LEDGER_SEAL_INTERVAL", 10))
        )

    @property
    def seal_overdue(self) -> bool:
        """The seal is late (the worker is down or catching up): say so, not a time past."""
        return timezone.now() > self.seal_expected_by + dt.timedelta(seconds=30)


@dataclass
class ReceiptCheck:
    receipt: str
    head: SignedTreeHead | None
    found: list[FoundEntry]
    signature_ok: bool = False

    @property
    def verified(self) -> bool:
        sealed = [f for f in self.found if not f.pending]
        return bool(sealed) and self.signature_ok and all(f.leaf_ok and f.path_ok for f in sealed)

    @property
    def sealed(self) -> list[FoundEntry]:
        return [f for f in self.found if not f.pending]

    @property
    def pending(self) -> list[FoundEntry]:
        return [f for f in self.found if f.pending]


def ledger_receipt_check(*, hromada: Hromada, receipt: str, keys: list[str]) -> ReceiptCheck:
    """The entries that `keys` (from receipts.lookup_keys) name in `hromada`'s log, each
    with its inclusion proof in the latest signed tree head, all checked."""
    entry_ids = list(
        LedgerLookup.objects.filter(hromada=hromada, key__in=keys).values_list("entry_id", flat=True)[
            :MAX_FOUND
        ]
    )
    # The head is read after the lookup: a seal writes leaves, lookups and its head in
    # one transaction, so this head covers every leaf found above.
    head = SignedTreeHead.objects.filter(hromada=hromada).select_related("key").order_by("-tree_size").first()
    entries = list(
        LedgerEntry.objects.filter(hromada=hromada, id__in=entry_ids).select_related("leaf").order_by("id")
    )
    if not entries:
        entries = _pending_matches(hromada=hromada, head=head, keys=keys)
    found = [_found(hromada, entry, head) for entry in entries]
    check = ReceiptCheck(receipt=receipt, head=head, found=found)
    if head is not None and check.sealed:
        check.signature_ok = _signature_ok(hromada, head)
        root = bytes.fromhex(head.root_hash)
        for item in check.sealed:
            index = item.index
            assert index is not None  # sealed
            item.proof = ledger_inclusion_proof(hromada=hromada, index=index, size=head.tree_size)
            item.path_ok = merkle.verify_inclusion(
                bytes.fromhex(item.entry.leaf_hash), index, head.tree_size, item.proof, root
            )
    return check


def _found(hromada: Hromada, entry: LedgerEntry, head: SignedTreeHead | None) -> FoundEntry:
    leaf = getattr(entry, "leaf", None)  # RelatedObjectDoesNotExist is an AttributeError
    index = leaf.index if leaf is not None and head is not None and leaf.index < head.tree_size else None
    return FoundEntry(
        entry=entry,
        label=kind_label(entry.kind),
        subject=_describe(hromada, entry),
        index=index,
        leaf_ok=merkle.leaf_hash(entry.entry_bytes).hex() == entry.leaf_hash,
    )


def _describe(hromada: Hromada, entry: LedgerEntry) -> ReceiptSubject | None:
    receipt = registry.ledger_receipts().get(entry.kind)
    if receipt is None or receipt.describe is None:
        return None
    try:
        return resolve(receipt.describe)(hromada=hromada, payload=entry.payload)
    except Exception:  # a module's wording must never break the proof page
        log.exception("describing ledger entry %s failed", entry.uuid)
        return None


def _pending_matches(*, hromada: Hromada, head: SignedTreeHead | None, keys: list[str]) -> list[LedgerEntry]:
    """Entries not sealed yet are not indexed: look among those above the last seal's
    scan cursor (normally the last few seconds' appends, by the (hromada, id) index)."""
    match = Q()
    uuids = [k for k in keys if UUID_RE.match(k)]
    if uuids:
        match |= Q(uuid__in=uuids)
    for kind, receipt in registry.ledger_receipts().items():
        for key in keys:
            if not UUID_RE.match(key):
                match |= Q(kind=kind, **{f"payload__{receipt.key}": key})
    if not match:
        return []
    floor = (head.max_entry_id or 0) if head is not None else 0
    return list(
        LedgerEntry.objects.filter(hromada=hromada, id__gt=floor, leaf__isnull=True)
        .filter(match)
        .order_by("id")[:MAX_FOUND]
    )


def _signature_ok(hromada: Hromada, head: SignedTreeHead) -> bool:
    message = tree_head_message(
        slug=hromada.slug, tree_size=head.tree_size, root_hash=head.root_hash, timestamp_ms=head.timestamp_ms
    )
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(head.key.public_key)).verify(
            base64.b64decode(head.signature, validate=True), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def ledger_inclusion_proof(*, hromada: Hromada, index: int, size: int) -> list[bytes]:
    """The audit path of leaf `index` in the hromada's tree of `size` leaves, from the
    stored subtree hashes and at most 2 * 2**NODE_MIN_LEVEL leaf hashes: three queries
    whatever the size. A subtree whose node is missing (a log sealed before nodes were
    stored) is computed from its leaves instead: slower, equally correct."""
    ranges = merkle.path_ranges(index, size)
    pieces = [merkle.perfect_pieces(start, end) for start, end in ranges]
    wanted = {(level, at) for group in pieces for level, at in group if level >= NODE_MIN_LEVEL}
    nodes: dict[tuple[int, int], bytes] = {}
    if wanted:
        # IN lists on both columns: each database probes the (hromada, level, start)
        # index per pair (an OR of pairs would use only its hromada prefix and scan
        # every node); the few extra pairs of the cross product are dropped here.
        levels = sorted({level for level, _at in wanted})
        starts = sorted({at for _level, at in wanted})
        rows = LedgerNode.objects.filter(hromada=hromada, level__in=levels, start__in=starts).values_list(
            "level", "start", "hash"
        )
        for level, at, hex_hash in rows:
            if (level, at) in wanted:
                nodes[(level, at)] = bytes.fromhex(hex_hash)
    spans = sorted(
        (at, at + (1 << level)) for group in pieces for level, at in group if (level, at) not in nodes
    )
    leaves = _leaf_hashes(hromada, _merge(spans))
    path = []
    for group in pieces:
        roots = []
        for level, at in group:
            node = nodes.get((level, at))
            if node is None:
                node = merkle.merkle_root(leaves[i] for i in range(at, at + (1 << level)))
            roots.append(node)
        path.append(merkle.frontier_root(roots))
    return path


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _leaf_hashes(hromada: Hromada, spans: list[tuple[int, int]]) -> dict[int, bytes]:
    """The leaf hashes of `spans`. Normally at most 2 * 2**NODE_MIN_LEVEL leaves, named
    one by one so that the (hromada, index) index is probed for each; a long span (a
    missing node) is read as a range."""
    leaves = LedgerLeaf.objects.filter(hromada=hromada)
    short = [index for start, end in spans if end - start <= 256 for index in range(start, end)]
    queries = [leaves.filter(index__in=short[at : at + 1000]) for at in range(0, len(short), 1000)]
    queries += [leaves.filter(index__gte=start, index__lt=end) for start, end in spans if end - start > 256]
    found: dict[int, bytes] = {}
    for query in queries:
        rows = query.values_list("index", "entry__leaf_hash")
        found.update((index, bytes.fromhex(leaf_hex)) for index, leaf_hex in rows.iterator(2000))
    return found


def proof_document(*, hromada: Hromada, check: ReceiptCheck) -> dict:
    """The proof as JSON that tools/ledger_verify.py --proof checks offline."""
    head = check.head
    document: dict = {
        "format": PROOF_FORMAT,
        "hromada": {"slug": hromada.slug, "name": hromada.name},
        "generated_at": format_time(timezone.now()),
        "receipt": check.receipt,
        "hashing": "RFC 9162: leaf = SHA-256(0x00 || UTF-8 bytes of entry), node = SHA-256(0x01 || left || right)",
        "inclusion_proof": "RFC 9162 §2.1.3.2: audit_path of leaf index in the tree of tree_head.tree_size leaves",
        "tree_head_signature": (
            "Ed25519 over the UTF-8 bytes of "
            + json.dumps(TREE_HEAD_CONTEXT)
            + ' followed by canonical JSON {"hromada","root_hash","timestamp","tree_size"}'
        ),
        "verified_by_server": check.verified,
        "tree_head": None,
        "public_key": None,
        "entries": [
            {
                "index": item.index,
                "entry": item.entry.canonical,
                "leaf_hash": item.entry.leaf_hash,
                "audit_path": [node.hex() for node in item.proof],
            }
            for item in check.sealed
        ],
        "pending": [
            {
                "entry": item.entry.canonical,
                "leaf_hash": item.entry.leaf_hash,
                "seal_expected_by": format_time(item.seal_expected_by),
            }
            for item in check.pending
        ],
    }
    if head is not None:
        raw = base64.b64decode(head.key.public_key)
        document["tree_head"] = {
            "tree_size": head.tree_size,
            "root_hash": head.root_hash,
            "timestamp": head.timestamp_ms,
            "timestamp_iso": format_time(head.timestamp),
            "key_id": head.key.key_id,
            "signature": head.signature,
        }
        document["public_key"] = {
            "key_id": head.key.key_id,
            "algorithm": "Ed25519",
            "public_key": head.key.public_key,
            "pem": public_pem(raw),
        }
    return document
