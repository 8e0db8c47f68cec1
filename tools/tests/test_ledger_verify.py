"""The standalone verifier's own parts: its Ed25519 against a reference library, its
Merkle tree against a naive reading of RFC 9162, and its promise to need nothing
but the standard library."""

from __future__ import annotations

import ast
import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from hypothesis import given, settings
from hypothesis import strategies as st

from tools import ledger_verify as tool

TOOL = Path(tool.__file__)


def naive_mth(leaves: list[bytes]) -> bytes:
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:])).digest()


# --- standard library only ---------------------------------------------------------------------------


def test_imports_only_the_standard_library():
    tree = ast.parse(TOOL.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports: the file must work on its own"
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names), imported - set(sys.stdlib_module_names)


def test_runs_in_an_isolated_python_without_site_packages(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            f"import runpy, sys; sys.argv=['v', '--help']; runpy.run_path({str(TOOL)!r}, run_name='__main__')",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--expect" in result.stdout
    probe = subprocess.run(
        [
            sys.executable,
            "-I",
            "-S",
            "-c",
            f"import sys; sys.path.insert(0, {str(TOOL.parent)!r}); import ledger_verify; "
            "print(sorted(m for m in sys.modules if m != '__main__' and m.split('.')[0] not in sys.stdlib_module_names))",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "['ledger_verify']"


# --- Ed25519 ----------------------------------------------------------------------------------------------


RFC8032_TEST_1 = (
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
    b"",
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
)


def test_rfc8032_test_vector():
    public, message, signature = RFC8032_TEST_1
    assert tool.ed25519_verify(bytes.fromhex(public), message, bytes.fromhex(signature))
    assert not tool.ed25519_verify(bytes.fromhex(public), b"\x00", bytes.fromhex(signature))


def _keypair():
    private = Ed25519PrivateKey.generate()
    return private, private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


@given(message=st.binary(max_size=200), flip=st.integers(min_value=0, max_value=64 * 8 - 1))
@settings(max_examples=60, deadline=None)
def test_agrees_with_the_cryptography_library(message, flip):
    private, public = _keypair()
    signature = private.sign(message)
    assert tool.ed25519_verify(public, message, signature)
    forged = bytearray(signature)
    forged[flip // 8] ^= 1 << (flip % 8)
    assert not tool.ed25519_verify(public, message, bytes(forged))
    assert not tool.ed25519_verify(public, message + b"!", signature)


def test_refuses_a_malleated_s_and_malformed_input():
    private, public = _keypair()
    signature = private.sign(b"tree head")
    s = int.from_bytes(signature[32:], "little")
    malleated = signature[:32] + (s + tool.L).to_bytes(32, "little")
    assert not tool.ed25519_verify(public, b"tree head", malleated)  # S must be below L
    assert not tool.ed25519_verify(public[:31], b"tree head", signature)
    assert not tool.ed25519_verify(public, b"tree head", signature[:63])
    assert not tool.ed25519_verify(b"\xff" * 32, b"tree head", signature)  # y >= p: not a point
    other_private, other_public = _keypair()
    assert not tool.ed25519_verify(other_public, b"tree head", signature)


# --- Merkle tree --------------------------------------------------------------------------------------------


@given(st.lists(st.binary(max_size=6), max_size=200))
@settings(max_examples=200, deadline=None)
def test_tree_root_matches_the_naive_reference_at_every_size(items):
    tree = tool.Tree()
    leaves = []
    for item in items:
        leaf = tool.leaf_hash(item)
        leaves.append(leaf)
        tree.append(leaf)
        assert tree.root() == naive_mth(leaves)
    assert tree.root() == naive_mth(leaves)


def test_the_tool_and_the_platform_compute_the_same_roots():
    from hromada.ledger import merkle

    leaves = [merkle.leaf_hash(str(i).encode()) for i in range(1000)]
    tree = tool.Tree()
    for leaf in leaves:
        tree.append(leaf)
    assert tree.root() == merkle.merkle_root(leaves) == naive_mth(leaves)


@pytest.mark.parametrize("value", ["1:" + "0" * 63, "x:" + "0" * 64, "12"])
def test_pins_must_be_size_and_root(value):
    with pytest.raises(Exception, match="TREE_SIZE:ROOT_HASH_HEX"):
        tool._pin(value)
