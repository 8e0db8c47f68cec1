#!/usr/bin/env python3
"""Verify a Hromada public ledger export without the platform.

    python3 ledger_verify.py https://hromada.example/ledger/export.json
    python3 ledger_verify.py export.json --key-id 3f2a… --expect 1200:9be1…
    python3 ledger_verify.py --proof receipt-….json [--receipt R] [--key-id 3f2a…]

Needs Python 3.11+ and nothing else: this file uses the standard library only,
including its own Ed25519 signature check (RFC 8032, verification only). It is an
independent implementation of what `manage.py ledger_verify` checks, so that an
auditor trusts neither the platform's server nor its code:

  * every entry's leaf hash is SHA-256(0x00 || entry bytes) and the entry is the
    canonical JSON it claims to be, for this hromada, appearing once;
  * entries are numbered 0, 1, 2 … without gaps;
  * every signed tree head's root is the RFC 9162 Merkle tree hash of the first
    tree_size entries, so each head is consistent with every earlier one;
  * every tree head's Ed25519 signature verifies with a published key, sizes grow
    and times do not go back;
  * --expect SIZE:ROOT: a head you saved earlier is still the prefix of the log;
  * --key-id ID: only heads signed by keys you trust are accepted.

With --proof FILE it checks one receipt's inclusion proof instead (downloaded from
/ledger/receipt.json): the entry's leaf hash, that the entry carries the receipt, the
RFC 9162 audit path up to the tree head's root, and the head's Ed25519 signature.

Exit status: 0 verified, 1 the ledger does not verify (the first problem is
printed), 2 the export could not be read.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import re
import sys
import urllib.request

EXPORT_FORMAT = "hromada-ledger-export/1"
ENTRY_FIELDS = {"v", "hromada", "kind", "payload", "created_at", "uuid"}
TREE_HEAD_CONTEXT = "hromada-ledger-tree-head:v1\n"
KIND_RE = re.compile(r"^[a-z_]+\.[a-z_]+$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


class Problem(Exception):
    """The ledger does not verify."""


# --- RFC 9162 Merkle tree hash -------------------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class Tree:
    """Grows one leaf at a time, keeping only the roots of its perfect subtrees."""

    def __init__(self) -> None:
        self.size = 0
        self.stack: list[bytes] = []

    def append(self, leaf: bytes) -> None:
        node, n = leaf, self.size
        while n & 1:
            node = node_hash(self.stack.pop(), node)
            n >>= 1
        self.stack.append(node)
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return hashlib.sha256(b"").digest()
        node = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            node = node_hash(left, node)
        return node


# --- Ed25519 verification (RFC 8032 §5.1) --------------------------------------------------------

P = 2**255 - 19
L = 2**252 + 27742317777372353535851937790883648493
D = -121665 * pow(121666, P - 2, P) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _add(p1, p2):
    """Point addition in extended coordinates (RFC 8032 §5.1.4)."""
    x1, y1, z1, t1 = p1
    x2, y2, z2, t2 = p2
    a = (y1 - x1) * (y2 - x2) % P
    b = (y1 + x1) * (y2 + x2) % P
    c = t1 * 2 * D * t2 % P
    d = z1 * 2 * z2 % P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _double(p1):
    x1, y1, z1, _t1 = p1
    a = x1 * x1 % P
    b = y1 * y1 % P
    c = 2 * z1 * z1 % P
    h = a + b
    e = h - (x1 + y1) * (x1 + y1)
    g = a - b
    f = c + g
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _recover_x(y: int, sign: int) -> int | None:
    if y >= P:
        return None
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    vxx = v * x * x % P
    if vxx == (-u) % P:
        x = x * SQRT_M1 % P
    elif vxx != u:
        return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return x


def _decode_point(raw: bytes):
    if len(raw) != 32:
        return None
    number = int.from_bytes(raw, "little")
    y = number & ((1 << 255) - 1)
    x = _recover_x(y, number >> 255)
    if x is None:
        return None
    return (x, y, 1, x * y % P)


_BY = 4 * pow(5, P - 2, P) % P
BASE = (_recover_x(_BY, 0), _BY, 1, _recover_x(_BY, 0) * _BY % P)


def _equal(p1, p2) -> bool:
    return (p1[0] * p2[2] - p2[0] * p1[2]) % P == 0 and (p1[1] * p2[2] - p2[1] * p1[2]) % P == 0


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when `signature` is a valid Ed25519 signature of `message` by `public_key`
    (cofactorless check [S]B = R + [k]A, as RFC 8032 §5.1.7 allows)."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a = _decode_point(public_key)
    r = _decode_point(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % L
    # [S]B + [k](-A) with one shared doubling chain (Straus–Shamir).
    minus_a = ((P - a[0]) % P, a[1], a[2], (P - a[3]) % P)
    both = _add(BASE, minus_a)
    acc = (0, 1, 1, 0)
    for bit in range(max(s.bit_length(), k.bit_length()) - 1, -1, -1):
        acc = _double(acc)
        sb, kb = (s >> bit) & 1, (k >> bit) & 1
        if sb and kb:
            acc = _add(acc, both)
        elif sb:
            acc = _add(acc, BASE)
        elif kb:
            acc = _add(acc, minus_a)
    return _equal(acc, r)


# --- the export ------------------------------------------------------------------------------------


def canonical_json(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def tree_head_message(slug: str, tree_size: int, root_hash: str, timestamp_ms: int) -> bytes:
    body = canonical_json(
        {"hromada": slug, "root_hash": root_hash, "timestamp": timestamp_ms, "tree_size": tree_size}
    )
    return (TREE_HEAD_CONTEXT + body).encode("utf-8")


def describe_head(head: dict) -> str:
    moment = dt.datetime.fromtimestamp(head["timestamp"] / 1000, tz=dt.UTC)
    return f"tree head of size {head['tree_size']} signed at {moment:%Y-%m-%d %H:%M:%S} UTC"


class Verifier:
    def __init__(self, document: dict, pinned: list[tuple[int, str]], trusted: set[str]) -> None:
        if document.get("format") != EXPORT_FORMAT:
            raise Problem(f"unknown export format {document.get('format')!r}")
        self.slug = document["hromada"]["slug"]
        self.keys: dict[str, bytes] = {}
        for key in document["public_keys"]:
            raw = base64.b64decode(key["public_key"], validate=True)
            if len(raw) != 32 or hashlib.sha256(raw).hexdigest() != key["key_id"]:
                raise Problem(f"public key {key['key_id']}: its id is not the SHA-256 of a 32-byte key")
            self.keys[key["key_id"]] = raw
        self.trusted = trusted
        self.heads = [
            {
                "tree_size": int(h["tree_size"]),
                "root_hash": h["root_hash"],
                "timestamp": int(h["timestamp"]),
                "key_id": h["key_id"],
                "signature": h["signature"],
            }
            for h in document["tree_heads"]
        ]
        self.pinned = sorted(pinned)
        self.tree = Tree()
        self.uuids: set[str] = set()
        self.next_head = 0
        self.next_pin = 0
        self.last_verified = 0
        self.pending = 0

    def check_heads(self) -> None:
        signers = {head["key_id"] for head in self.heads}
        if self.trusted and self.heads and not self.trusted & signers:
            raise Problem(
                "none of the keys you trust signed this log: it was signed by " + ", ".join(sorted(signers))
            )
        previous = None
        for number, head in enumerate(self.heads, 1):
            where = f"tree head #{number} ({describe_head(head)})"
            if head["tree_size"] < 1:
                raise Problem(f"{where}: a tree head must cover at least one entry")
            if not isinstance(head["root_hash"], str) or not HEX64.match(head["root_hash"]):
                raise Problem(f"{where}: root hash is not 64 hex digits")
            public_key = self.keys.get(head["key_id"])
            if public_key is None:
                raise Problem(f"{where}: signed with unknown key {head['key_id']}")
            if self.trusted and head["key_id"] not in self.trusted:
                raise Problem(f"{where}: signed with key {head['key_id']}, which you do not trust")
            message = tree_head_message(self.slug, head["tree_size"], head["root_hash"], head["timestamp"])
            try:
                signature = base64.b64decode(head["signature"], validate=True)
            except ValueError:
                signature = b""
            if not ed25519_verify(public_key, message, signature):
                raise Problem(
                    f"{where}: the signature does not verify — the size, root or time was altered "
                    "or the signature forged"
                )
            if previous is not None:
                if head["tree_size"] <= previous["tree_size"]:
                    raise Problem(
                        f"{where}: tree heads must grow, but the previous one already had "
                        f"{previous['tree_size']} entries"
                    )
                if head["timestamp"] < previous["timestamp"]:
                    raise Problem(f"{where}: signed earlier than the previous tree head")
            previous = head

    def check_entry(self, text: str, leaf_hex: str, where: str) -> None:
        if not isinstance(text, str) or not isinstance(leaf_hex, str):
            raise Problem(f"{where}: entry and leaf hash must be strings")
        computed = leaf_hash(text.encode("utf-8")).hex()
        if computed != leaf_hex:
            raise Problem(
                f"{where}: the leaf hash does not match the entry's bytes (stored {leaf_hex}, "
                f"computed {computed}) — the entry was altered after it was written"
            )
        try:
            doc = json.loads(text)
        except ValueError:
            raise Problem(f"{where}: the entry is not JSON") from None
        if not isinstance(doc, dict) or canonical_json(doc) != text:
            raise Problem(f"{where}: the entry is not in canonical form")
        if set(doc) != ENTRY_FIELDS or doc["v"] != 1:
            raise Problem(f"{where}: the entry does not have the fields of version 1")
        if doc["hromada"] != self.slug:
            raise Problem(f"{where}: the entry belongs to hromada {doc['hromada']!r}, not {self.slug!r}")
        if not isinstance(doc["kind"], str) or not KIND_RE.match(doc["kind"]):
            raise Problem(f"{where}: invalid kind {doc['kind']!r}")
        if not isinstance(doc["payload"], dict):
            raise Problem(f"{where}: the payload is not an object")
        if not isinstance(doc["created_at"], str) or not TIME_RE.match(doc["created_at"]):
            raise Problem(f"{where}: invalid time {doc['created_at']!r}")
        if not isinstance(doc["uuid"], str) or not UUID_RE.match(doc["uuid"]):
            raise Problem(f"{where}: invalid uuid {doc['uuid']!r}")
        if doc["uuid"] in self.uuids:
            raise Problem(f"{where}: entry {doc['uuid']} appears twice in the log")
        self.uuids.add(doc["uuid"])

    def add_leaf(self, index: int, text: str, leaf_hex: str) -> None:
        size = self.tree.size
        if index != size:
            if index > size:
                raise Problem(f"entry at index {size} is missing (the next one has index {index}) — deleted")
            raise Problem(f"entry at index {index}: index repeated or out of order (expected {size})")
        where = f"entry at index {index}"
        if self.next_head >= len(self.heads):
            raise Problem(f"{where}: not covered by any signed tree head")
        self.check_entry(text, leaf_hex, where)
        self.tree.append(bytes.fromhex(leaf_hex))
        size = self.tree.size
        while self.next_pin < len(self.pinned) and self.pinned[self.next_pin][0] == size:
            root = self.tree.root().hex()
            if root != self.pinned[self.next_pin][1]:
                raise Problem(
                    f"the tree of the first {size} entries has root {root}, but you pinned "
                    f"{self.pinned[self.next_pin][1]}: the log was rewritten since that tree head was published"
                )
            self.next_pin += 1
        head = self.heads[self.next_head]
        if head["tree_size"] == size:
            root = self.tree.root().hex()
            if root != head["root_hash"]:
                raise Problem(
                    f"tree head #{self.next_head + 1} ({describe_head(head)}): the signed root "
                    f"{head['root_hash']} differs from the root computed from the entries, {root}. Entries "
                    f"{self.last_verified}–{size - 1} (those after the previous verified tree head) were "
                    "altered, deleted, reordered or inserted"
                )
            self.last_verified = size
            self.next_head += 1

    def finish(self) -> None:
        if self.next_head < len(self.heads):
            head = self.heads[self.next_head]
            raise Problem(
                f"tree head #{self.next_head + 1} ({describe_head(head)}) covers {head['tree_size']} entries, "
                f"but the log has only {self.tree.size} — entries were deleted"
            )
        if self.next_pin < len(self.pinned):
            raise Problem(
                f"you pinned a tree of {self.pinned[self.next_pin][0]} entries, but the log has only "
                f"{self.tree.size} — entries were deleted"
            )


def verify(document: dict, pinned: list[tuple[int, str]] = (), trusted: set[str] = frozenset()) -> dict:
    """Verify a parsed export; return a summary or raise Problem."""
    try:
        verifier = Verifier(document, list(pinned), set(trusted))
        verifier.check_heads()
        for item in document["entries"]:
            verifier.add_leaf(int(item["index"]), item["entry"], item["leaf_hash"])
        for number, item in enumerate(document.get("pending", []), 1):
            verifier.check_entry(item["entry"], item["leaf_hash"], f"pending entry #{number}")
            verifier.pending += 1
        verifier.finish()
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise Problem(f"the export is malformed: {exc.__class__.__name__}: {exc}") from None
    return {
        "hromada": verifier.slug,
        "tree_size": verifier.tree.size,
        "root_hash": verifier.tree.root().hex(),
        "tree_heads": len(verifier.heads),
        "pending": verifier.pending,
        "key_ids": sorted(verifier.keys),
        "pinned": len(verifier.pinned),
    }


# --- one receipt's inclusion proof (RFC 9162 §2.1.3.2) --------------------------------------------

PROOF_FORMAT = "hromada-ledger-inclusion-proof/1"


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0 or len(p) != 32:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def _carries(doc: dict, receipt: str) -> bool:
    """The receipt is the entry's uuid or one of its payload's top-level strings."""
    if doc["uuid"] == receipt or doc["uuid"].replace("-", "") == receipt:
        return True
    return any(isinstance(v, str) and v.lower() == receipt for v in doc["payload"].values())


def verify_proof(document: dict, receipt: str | None = None, trusted: set[str] = frozenset()) -> dict:
    """Verify a parsed receipt proof; return a summary or raise Problem."""
    try:
        if document.get("format") != PROOF_FORMAT:
            raise Problem(f"unknown proof format {document.get('format')!r}")
        slug = document["hromada"]["slug"]
        wanted = (receipt or document["receipt"]).strip().lower()
        if receipt and document["receipt"].strip().lower() != wanted:
            raise Problem(f"the proof is for receipt {document['receipt']}, not {wanted}")
        if not document["entries"]:
            if document.get("pending"):
                raise Problem(
                    "the entry is not sealed yet: no proof exists until it is; download it again later"
                )
            raise Problem("the proof lists no entry")
        head, key = document["tree_head"], document["public_key"]
        raw_key = base64.b64decode(key["public_key"], validate=True)
        if len(raw_key) != 32 or hashlib.sha256(raw_key).hexdigest() != key["key_id"]:
            raise Problem(f"public key {key['key_id']}: its id is not the SHA-256 of a 32-byte key")
        if head["key_id"] != key["key_id"]:
            raise Problem("the tree head names another key than the one in the proof")
        if trusted and key["key_id"] not in trusted:
            raise Problem(f"the tree head is signed with key {key['key_id']}, which you do not trust")
        size, root_hex = int(head["tree_size"]), head["root_hash"]
        if not isinstance(root_hex, str) or not HEX64.match(root_hex):
            raise Problem("the tree head's root hash is not 64 hex digits")
        where = describe_head(head)
        message = tree_head_message(slug, size, root_hex, int(head["timestamp"]))
        try:
            signature = base64.b64decode(head["signature"], validate=True)
        except ValueError:
            signature = b""
        if not ed25519_verify(raw_key, message, signature):
            raise Problem(
                f"{where}: the signature does not verify — the size, root or time was altered or forged"
            )
        checker = Verifier(
            {"format": EXPORT_FORMAT, "hromada": {"slug": slug}, "public_keys": [], "tree_heads": []},
            [],
            set(),
        )
        proven = []
        for item in document["entries"]:
            index = int(item["index"])
            where = f"entry at index {index}"
            checker.check_entry(item["entry"], item["leaf_hash"], where)
            doc = json.loads(item["entry"])
            if not _carries(doc, wanted):
                raise Problem(f"{where}: the entry does not carry receipt {wanted}")
            path = []
            for node in item["audit_path"]:
                if not isinstance(node, str) or not HEX64.match(node):
                    raise Problem(f"{where}: the audit path holds {node!r}, not a 64-hex-digit hash")
                path.append(bytes.fromhex(node))
            if not verify_inclusion(
                bytes.fromhex(item["leaf_hash"]), index, size, path, bytes.fromhex(root_hex)
            ):
                raise Problem(
                    f"{where}: the audit path does not lead to the signed root {root_hex} of {size} entries — "
                    "the entry, its position or the path was altered"
                )
            proven.append({"index": index, "kind": doc["kind"], "created_at": doc["created_at"]})
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise Problem(f"the proof is malformed: {exc.__class__.__name__}: {exc}") from None
    return {
        "hromada": slug,
        "receipt": wanted,
        "tree_size": size,
        "root_hash": root_hex,
        "key_id": key["key_id"],
        "timestamp": int(head["timestamp"]),
        "entries": proven,
    }


def main_proof(path: str, receipt: str | None, trusted: set[str]) -> int:
    try:
        document = load(path)
    except (OSError, ValueError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    try:
        summary = verify_proof(document, receipt, trusted)
    except Problem as problem:
        slug = document.get("hromada", {}).get("slug", "?") if isinstance(document, dict) else "?"
        print(f"{slug}: PROOF DOES NOT VERIFY: {problem}", file=sys.stderr)
        return 1
    moment = dt.datetime.fromtimestamp(summary["timestamp"] / 1000, tz=dt.UTC)
    for entry in summary["entries"]:
        print(
            f"{summary['hromada']}: OK — receipt {summary['receipt']}: {entry['kind']} written {entry['created_at']} "
            f"is entry {entry['index']} of the {summary['tree_size']} in the tree head signed "
            f"{moment:%Y-%m-%d %H:%M:%S} UTC, root {summary['root_hash']}"
        )
    print(f"  signed by key {summary['key_id']} (compare it with the key the hromada publishes elsewhere)")
    return 0


def load(source: str) -> dict:
    if source == "-":
        return json.load(sys.stdin)
    if source.startswith(("http://", "https://")):
        request = urllib.request.Request(source, headers={"Accept": "application/json"})  # noqa: S310
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - the user's URL
            return json.load(response)
    with open(source, encoding="utf-8") as handle:
        return json.load(handle)


def _pin(value: str) -> tuple[int, str]:
    match = re.match(r"^(\d+):([0-9a-f]{64})$", value.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError("write it as TREE_SIZE:ROOT_HASH_HEX")
    return int(match.group(1)), match.group(2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source", nargs="?", help="export file, URL of /ledger/export.json, or - for standard input"
    )
    parser.add_argument(
        "--proof", metavar="FILE", help="check a receipt's inclusion proof (/ledger/receipt.json)"
    )
    parser.add_argument(
        "--receipt", help="with --proof: the receipt you were given, which the entry must carry"
    )
    parser.add_argument(
        "--expect",
        type=_pin,
        action="append",
        default=[],
        metavar="SIZE:ROOT",
        help="a tree head you saved earlier that the log must still contain (repeatable)",
    )
    parser.add_argument(
        "--key-id",
        action="append",
        default=[],
        help="accept only tree heads signed by this key id (repeatable)",
    )
    args = parser.parse_args(argv)
    trusted = {k.strip().lower() for k in args.key_id}
    if args.proof:
        return main_proof(args.proof, args.receipt, trusted)
    if not args.source:
        parser.error("give an export (file, URL or -), or --proof FILE")
    try:
        document = load(args.source)
    except (OSError, ValueError) as exc:
        print(f"cannot read {args.source}: {exc}", file=sys.stderr)
        return 2
    try:
        summary = verify(document, args.expect, trusted)
    except Problem as problem:
        slug = document.get("hromada", {}).get("slug", "?") if isinstance(document, dict) else "?"
        print(f"{slug}: LEDGER DOES NOT VERIFY: {problem}", file=sys.stderr)
        return 1
    print(
        f"{summary['hromada']}: OK — {summary['tree_size']} entries in {summary['tree_heads']} signed tree "
        f"heads, {summary['pending']} pending, root {summary['root_hash']}"
    )
    for key_id in summary["key_ids"]:
        print(f"  signed by key {key_id} (compare it with the key the hromada publishes elsewhere)")
    if summary["pinned"]:
        print(f"  {summary['pinned']} pinned tree head(s) still contained in the log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
