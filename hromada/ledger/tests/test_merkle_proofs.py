"""Inclusion proofs (RFC 9162 §2.1.3): the reference vectors of Google's Certificate
Transparency tests, a literal reading of PATH for every (i, n) with n ≤ 64, and the
pieces the database version reads."""

import hashlib

import pytest

from hromada.ledger import merkle

from .helpers import naive_mth

# The eight reference inputs of certificate-transparency's merkle_tree_test.cc.
INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
LEAVES = [merkle.leaf_hash(bytes.fromhex(x)) for x in INPUTS]
ROOT_8 = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"
VECTORS = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]


def naive_path(m: int, leaves: list[bytes]) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(m, D[n]), written as literally as possible."""
    n = len(leaves)
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    if m < k:
        return naive_path(m, leaves[:k]) + [naive_mth(leaves[k:])]
    return naive_path(m - k, leaves[k:]) + [naive_mth(leaves[:k])]


def test_root_of_the_reference_tree():
    assert merkle.merkle_root(LEAVES).hex() == ROOT_8


@pytest.mark.parametrize(("index", "size", "expected"), VECTORS)
def test_reference_vectors(index, size, expected):
    proof = merkle.inclusion_proof(LEAVES, index, size)
    assert [p.hex() for p in proof] == expected
    root = merkle.merkle_root(LEAVES[:size])
    assert merkle.verify_inclusion(LEAVES[index], index, size, proof, root)


def test_every_leaf_of_every_tree_up_to_64():
    leaves = [hashlib.sha256(bytes([i])).digest() for i in range(64)]
    for size in range(1, 65):
        root = naive_mth(leaves[:size])
        for index in range(size):
            proof = merkle.inclusion_proof(leaves, index, size)
            assert proof == naive_path(index, leaves[:size]), (index, size)
            assert merkle.verify_inclusion(leaves[index], index, size, proof, root), (index, size)
            # Each range of the path is the fold of its perfect pieces (what the database reads).
            for (start, end), node in zip(merkle.path_ranges(index, size), proof, strict=True):
                pieces = [
                    merkle.merkle_root(leaves[at : at + (1 << level)])
                    for level, at in merkle.perfect_pieces(start, end)
                ]
                assert all(at % (1 << level) == 0 for level, at in merkle.perfect_pieces(start, end))
                assert merkle.frontier_root(pieces) == node


def test_a_wrong_leaf_index_size_path_or_root_fails():
    leaves = [hashlib.sha256(bytes([i])).digest() for i in range(13)]
    root = merkle.merkle_root(leaves)
    for index in range(13):
        proof = merkle.inclusion_proof(leaves, index, 13)
        assert not merkle.verify_inclusion(leaves[(index + 1) % 13], index, 13, proof, root)
        assert not merkle.verify_inclusion(leaves[index], (index + 1) % 13, 13, proof, root) or (
            merkle.inclusion_proof(leaves, (index + 1) % 13, 13) == proof
        )
        # (The size itself is bound by the signed tree head, not by the path.)
        assert not merkle.verify_inclusion(leaves[index], index, 4, proof, root)
        assert not merkle.verify_inclusion(leaves[index], index, 13, proof, hashlib.sha256(b"x").digest())
        assert not merkle.verify_inclusion(leaves[index], index, 13, proof + [root], root)
        assert not merkle.verify_inclusion(leaves[index], index, 13, proof[:-1], root)
        for at in range(len(proof)):
            tampered = list(proof)
            tampered[at] = bytes([tampered[at][0] ^ 1]) + tampered[at][1:]
            assert not merkle.verify_inclusion(leaves[index], index, 13, tampered, root)
    assert not merkle.verify_inclusion(leaves[0], 13, 13, [], root)
    assert not merkle.verify_inclusion(leaves[0], -1, 13, [], root)


def test_path_ranges_refuse_a_leaf_outside_the_tree():
    with pytest.raises(ValueError):
        merkle.path_ranges(5, 5)


def test_frontier_append_nodes_records_completed_subtrees():
    leaves = [hashlib.sha256(bytes([i])).digest() for i in range(50)]
    frontier: list[bytes] = []
    nodes: list[tuple[int, int, bytes]] = []
    size = 0
    for leaf in leaves:
        size = merkle.frontier_append_nodes(frontier, size, leaf, 2, nodes)
    assert merkle.frontier_root(frontier) == naive_mth(leaves)
    expected = [
        (level, start, naive_mth(leaves[start : start + (1 << level)]))
        for level in range(2, 6)
        for start in range(0, 50 - (1 << level) + 1, 1 << level)
    ]
    assert sorted(nodes) == sorted(expected)
