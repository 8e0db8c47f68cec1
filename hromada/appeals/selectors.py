"""Reads shared by every part, always with hromada=. Each part adds its own selectors
module (public_selectors.py, staff_selectors.py, …)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import OPEN_STATUSES, Case, CaseKind, CaseStatus, Category, Moderation


def case_get(*, hromada, public_id) -> Case:
    """A case of `hromada` by its public id (NotFound otherwise)."""
    from hromada.core.errors import NotFound

    case = (
        Case.objects.for_hromada(hromada)
        .filter(public_id=public_id)
        .select_related("category", "department", "area", "assignee", "applicant", "duplicate_of")
        .first()
    )
    if case is None:
        raise NotFound("case_not_found", "case not found")
    return case


def categories(*, hromada, kind: str = CaseKind.REPORT) -> QuerySet[Category]:
    return Category.objects.for_hromada(hromada).filter(kind=kind, active=True).select_related("department")


def public_reports(*, hromada) -> QuerySet[Case]:
    """Problem reports anyone may see: registered, not drafts, moderated to be shown."""
    return (
        Case.objects.for_hromada(hromada)
        .filter(kind=CaseKind.REPORT, moderation=Moderation.SHOWN)
        .exclude(status=CaseStatus.DRAFT)
    )


def home_summary(*, hromada) -> dict:
    """The home page's block: the latest public reports and how many are open."""
    reports = public_reports(hromada=hromada)
    return {
        "latest": list(reports.select_related("category").order_by("-registered_at")[:3]),
        "open_count": reports.filter(status__in=OPEN_STATUSES).count(),
    }
