"""Reads for the staff console: the consultations by where they are in their life, and
the figures on the staff home (module.py `staff_summary`)."""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.modules import StaffCounter

from . import rules
from .models import Consultation, Report

# The staff list's groups, in their order.
GROUPS = ("draft", "upcoming", "open", "report", "done")


def group_names() -> dict[str, str]:
    return {
        "draft": _("Чернетки"),
        "upcoming": _("Оприлюднені, ще не почалися"),
        "open": _("Тривають"),
        "report": _("Завершені, чекають звіту"),
        "done": _("Зі звітом, прострочені чи скасовані"),
    }


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def staff_groups(*, hromada, now: dt.datetime | None = None) -> dict[str, list[dict]]:
    """{group: [{"consultation", "phase", "report_published", "overdue"}]} for every
    consultation of the hromada (drafts included)."""
    now = now or timezone.now()
    reported = set(
        Report.objects.for_hromada(hromada)
        .filter(published_at__isnull=False)
        .values_list("consultation_id", flat=True)
    )
    out: dict[str, list[dict]] = {g: [] for g in GROUPS}
    rows = (
        Consultation.objects.for_hromada(hromada)
        .select_related("plan")
        .prefetch_related("plan__phases")
        .order_by("-opens_at", "-id")
    )
    for c in rows:
        code = rules.phase_code(c, now)
        has_report = c.pk in reported
        overdue = code == "closed" and not has_report
        if code in ("draft", "upcoming", "open"):
            group = code
        elif code == "report" and not has_report:
            group = "report"
        else:
            group = "done"
        out[group].append(
            {"consultation": c, "phase": code, "report_published": has_report, "overdue": overdue}
        )
    return out


def staff_summary(*, hromada, user) -> list[StaffCounter]:
    """Open now, drafts, reports due, reports overdue — for those who manage consultations."""
    if not rules.can_manage(user, hromada):
        return []
    groups = staff_groups(hromada=hromada)
    base = _url("staff_consultations:list")
    overdue = [row for row in groups["done"] if row["overdue"]]

    def items(rows):
        return tuple(
            (
                f"№{r['consultation'].number} {r['consultation'].title}"[:80],
                _url("staff_consultations:edit", cid=r["consultation"].public_id),
            )
            for r in rows[:5]
        )

    return [
        StaffCounter(_("Консультації, що тривають"), len(groups["open"]), base + "#open" if base else ""),
        StaffCounter(_("Чернетки консультацій"), len(groups["draft"]), base + "#draft" if base else ""),
        StaffCounter(
            _("Консультації чекають звіту"),
            len(groups["report"]),
            base + "#report" if base else "",
            items=items(groups["report"]),
        ),
        StaffCounter(
            _("Прострочені звіти консультацій"),
            len(overdue),
            base + "#done" if base else "",
            overdue=True,
            items=items(overdue),
        ),
    ]
