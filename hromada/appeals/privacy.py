"""A person's data in appeals: export and erasure (owned by the demo/privacy part)."""

from __future__ import annotations

from typing import Any


def personal_data(*, user) -> dict[str, Any]:
    return {}


def personal_data_erase(*, user) -> None:
    return None
