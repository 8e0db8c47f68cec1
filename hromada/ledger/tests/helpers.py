"""Shared by the ledger tests: a naive RFC 9162 reference and a small log."""

from __future__ import annotations

import hashlib

from hromada.ledger.services import ledger_append, ledger_seal


def naive_mth(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1 written as literally as possible (recursive, O(n log n))."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(leaves[:k]) + naive_mth(leaves[k:])).digest()


def sign_some(hromada, count: int, *, start: int = 0):
    return [
        ledger_append(
            hromada=hromada,
            kind="sample.signed",
            payload={"thing": "2f1c6a55-6d8e-4bd8-9b43-3f2b7f0d9a11", "signer": f"{start + i:032x}"},
        )
        for i in range(count)
    ]


def build_log(hromada):
    """Ten sealed entries under three tree heads (sizes 4, 8, 10) and one pending."""
    ledger_append(
        hromada=hromada,
        kind="sample.opened",
        payload={"thing": "t-1", "number": 1, "title": "Сквер на Шевченка"},
    )
    sign_some(hromada, 3)
    ledger_seal(hromada=hromada)
    sign_some(hromada, 4, start=3)
    ledger_seal(hromada=hromada)
    sign_some(hromada, 1, start=7)
    ledger_append(hromada=hromada, kind="sample.reached", payload={"thing": "t-1", "signatures": 8})
    ledger_seal(hromada=hromada)
    sign_some(hromada, 1, start=8)  # pending
