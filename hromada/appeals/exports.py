"""Open datasets (module.py `datasets`): the public problem reports and the statistics.
Rows carry exactly the declared fields; never an applicant's data (the reports' `address`
is the problem's place as moderated, not where the reporter lives)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse

from . import stats_selectors
from .selectors import public_reports


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def report_rows(*, hromada) -> Iterator[dict[str, Any]]:
    rows = public_reports(hromada=hromada).select_related("category", "area", "department").order_by("number")
    for c in rows.iterator(chunk_size=1000):
        hours = None
        if c.answered_at and c.registered_at:
            hours = round((c.answered_at - c.registered_at).total_seconds() / 3600, 1)
        yield {
            "id": str(c.public_id),
            "number": c.number,
            "category": c.category.code if c.category else None,
            "category_name": c.category.name if c.category else None,
            "status": c.status,
            "lat": c.lat,
            "lon": c.lon,
            "address": c.address,
            "area": c.area.name if c.area else None,
            "department": c.department.name if c.department else None,
            "registered_at": _iso(c.registered_at),
            "due_at": _iso(c.due_at),
            "answered_at": _iso(c.answered_at),
            "hours_to_answer": hours,
            "channel": c.channel,
            "url": reverse("appeals:case", args=[c.public_id]),
        }


def statistics_rows(*, hromada) -> Iterator[dict[str, Any]]:
    """Per month and kind ("all" for every kind): the total and each dimension's rows."""
    for month, kind, figures in stats_selectors.monthly(hromada=hromada):
        for dimension, rows in figures.items():
            if dimension == "kind":
                continue  # the kind is a column of its own
            for r in rows:
                yield {
                    "month": month,
                    "kind": kind,
                    "dimension": dimension,
                    "key": r["key"],
                    "received": r["received"],
                    "answered": r["answered"],
                    "mean_days": r["mean_days"],
                    "p90_days": r["p90_days"],
                    "overdue_share": r["overdue_share"],
                    "electronic_share": r["electronic_share"],
                    "rating": r["rating"],
                }
