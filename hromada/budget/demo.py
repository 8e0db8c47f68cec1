"""The demo cycle, built through the services."""

from __future__ import annotations


def seed(*, hromada, people: dict, start) -> None:
    return None
