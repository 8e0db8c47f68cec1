"""Announcements to residents about a cycle (after commit)."""

from __future__ import annotations


def phase_extended(*, cycle, code, new_ends_at, reason) -> None:
    return None


def voting_open(*, cycle) -> None:
    return None
