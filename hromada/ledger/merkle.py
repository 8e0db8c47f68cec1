"""RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, standard library only.

    leaf hash      = SHA-256(0x00 || entry bytes)
    interior node  = SHA-256(0x01 || left || right)
    MTH({})        = SHA-256("")
    MTH(D[n])      = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k = largest power of two < n

Sealing keeps a *compact range* (the "frontier"): the roots of the perfect subtrees
that make up a tree of size n, largest first — one per set bit of n, so at most 64.
Appending a leaf is amortised O(1) and the root of the whole tree is a fold over
the frontier, so a seal costs O(new leaves), not O(all leaves).

tools/ledger_verify.py holds an independent copy of these few lines on purpose: the
auditor's tool must not trust the platform's code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def frontier_append(frontier: list[bytes], size: int, leaf: bytes) -> int:
    """Add one leaf hash to the compact range of a tree of `size` leaves (in place).

    Returns the new size. Every trailing 1-bit of `size` is a perfect subtree that the
    new leaf completes, so it merges with it — like carrying in binary addition."""
    node = leaf
    carry = size
    while carry & 1:
        node = node_hash(frontier.pop(), node)
        carry >>= 1
    frontier.append(node)
    return size + 1


def frontier_root(frontier: list[bytes]) -> bytes:
    """MTH of the tree whose compact range is `frontier` (largest subtree first)."""
    if not frontier:
        return EMPTY_ROOT
    root = frontier[-1]
    for node in reversed(frontier[:-1]):
        root = node_hash(node, root)
    return root


def frontier_is_valid(frontier: list[bytes], size: int) -> bool:
    return len(frontier) == size.bit_count() and all(len(n) == 32 for n in frontier)


def merkle_root(leaves: Iterable[bytes]) -> bytes:
    """MTH of a sequence of leaf hashes, in one pass and O(log n) memory."""
    frontier: list[bytes] = []
    size = 0
    for leaf in leaves:
        size = frontier_append(frontier, size, leaf)
    return frontier_root(frontier)


# --- inclusion proofs (RFC 9162 §2.1.3) ---------------------------------------------------


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): where MTH splits D[n]."""
    return 1 << ((n - 1).bit_length() - 1)


def path_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges [start, end) whose tree hashes make up PATH(index, D[size]),
    in the proof's order (the sibling nearest the leaf first).

    Every range starts at a multiple of the power of two at least its length, so its
    hash is the fold of the perfect subtrees named by perfect_pieces."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    ranges: list[tuple[int, int]] = []
    start, end = 0, size
    while end - start > 1:
        k = _split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start = start + k
    ranges.reverse()
    return ranges


def perfect_pieces(start: int, end: int) -> list[tuple[int, int]]:
    """(level, start) of the perfect subtrees covering [start, end), largest first: the
    compact range whose frontier_root is MTH(D[start:end]) for an aligned start."""
    pieces = []
    at = start
    for level in range((end - start).bit_length() - 1, -1, -1):
        if (end - start) >> level & 1:
            pieces.append((level, at))
            at += 1 << level
    return pieces


def inclusion_proof(leaves: list[bytes], index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 audit path of leaf `index` in the tree of the first `size`
    leaf hashes. Pure and O(size): the database version reads stored subtrees instead
    (selectors.ledger_inclusion_proof)."""
    if size > len(leaves):
        raise ValueError(f"a tree of {size} needs {size} leaves, got {len(leaves)}")
    return [merkle_root(leaves[a:b]) for a, b in path_ranges(index, size)]


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: whether `proof` shows that `leaf` is leaf `index` of the tree
    of `size` leaves whose hash is `root`."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
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


def frontier_append_nodes(
    frontier: list[bytes], size: int, leaf: bytes, min_level: int, out: list[tuple[int, int, bytes]]
) -> int:
    """frontier_append that also records every perfect subtree it completes at
    `min_level` or above, as (level, first leaf, hash), for the proof reader."""
    node = leaf
    carry = size
    level = 0
    while carry & 1:
        node = node_hash(frontier.pop(), node)
        carry >>= 1
        level += 1
        if level >= min_level:
            out.append((level, size + 1 - (1 << level), node))
    frontier.append(node)
    return size + 1
