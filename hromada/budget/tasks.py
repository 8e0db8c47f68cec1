"""The module's periodic job (module.py `jobs`)."""

from __future__ import annotations

import datetime as dt


def budget_tick(now: dt.datetime | None = None) -> int:
    """Tell departments of their overdue reviews (each review once). Returns how many
    reviews were reported."""
    from .services.review import review_overdue_notify

    return review_overdue_notify(now=now)
