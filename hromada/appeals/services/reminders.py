"""Reminders before a deadline, escalation to the department's head, overdue marking
(owned by the work part)."""

from __future__ import annotations


def reminders_tick(*, now=None) -> dict:
    return {"reminded": 0, "escalated": 0, "overdue": 0}
