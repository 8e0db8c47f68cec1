"""Reads for the project pages."""

from __future__ import annotations


def home_summary(*, hromada) -> dict:
    return {"cycles": []}
