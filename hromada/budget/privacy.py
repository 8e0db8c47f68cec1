"""A person's budget data: the export and the erasure (module.py personal_*)."""

from __future__ import annotations


def personal_data(*, user) -> dict:
    return {}


def personal_data_erase(*, user) -> None:
    return None
