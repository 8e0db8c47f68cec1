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
