import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from hromada.ledger import merkle

from .helpers import naive_mth

leaf_lists = st.lists(st.binary(min_size=0, max_size=8), max_size=300).map(
    lambda items: [merkle.leaf_hash(item) for item in items]
)


def test_known_small_trees():
    a, b, c = (merkle.leaf_hash(x) for x in (b"a", b"b", b"c"))
    h = hashlib.sha256
    assert merkle.merkle_root([]) == h(b"").digest()
    assert merkle.merkle_root([a]) == a
    assert merkle.merkle_root([a, b]) == h(b"\x01" + a + b).digest()
    # Three leaves: the left subtree is the largest power of two below 3 (RFC 9162 §2.1.1).
    assert merkle.merkle_root([a, b, c]) == h(b"\x01" + h(b"\x01" + a + b).digest() + c).digest()
    assert merkle.leaf_hash(b"a") == h(b"\x00a").digest()


@given(leaf_lists)
@settings(max_examples=300, deadline=None)
def test_merkle_root_matches_the_naive_reference(leaves):
    assert merkle.merkle_root(leaves) == naive_mth(leaves)


@given(leaf_lists, st.data())
@settings(max_examples=200, deadline=None)
def test_growing_the_frontier_in_any_split_gives_every_prefix_root(leaves, data):
    """Sealing in batches of any sizes gives the same roots as one computation."""
    frontier: list[bytes] = []
    size = 0
    position = 0
    while position < len(leaves):
        step = data.draw(st.integers(min_value=1, max_value=len(leaves) - position))
        for leaf in leaves[position : position + step]:
            size = merkle.frontier_append(frontier, size, leaf)
        position += step
        assert merkle.frontier_is_valid(frontier, size)
        assert merkle.frontier_root(frontier) == naive_mth(leaves[:position])
    assert size == len(leaves)
