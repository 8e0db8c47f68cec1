"""The demo's appeals (owned by the demo part)."""

from __future__ import annotations


def seed(*, hromada, people, start):
    return []
