"""Where a point is: reverse geocoding and point-in-area (owned by the lookup work)."""

from __future__ import annotations


def areas_changed(hromada_id: int) -> None:
    """Called after a commit that changed a hromada's areas (services.registers)."""
