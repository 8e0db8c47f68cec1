"""Reads for voting."""

from __future__ import annotations

from hromada.core.modules import ReceiptSubject  # noqa: F401


def describe_ballot(*, hromada, payload):
    return None


def cache_clear() -> None:
    return None
