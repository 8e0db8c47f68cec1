"""Shared steps of the public part's tests: reports in a known state without the work
part's services (a closed case is set as those services leave it)."""

from __future__ import annotations

import datetime as dt

from hromada.appeals.models import Case, CaseEvent, CaseKind, CaseStatus, EventKind, Moderation
from hromada.appeals.tests.factories import make_case


def shown_report(hromada, **fields) -> Case:
    """A registered report the moderators have shown."""
    case = make_case(hromada, **fields)
    Case.objects.filter(pk=case.pk).update(moderation=Moderation.SHOWN)
    case.refresh_from_db()
    return case


def close(
    case: Case, *, status=CaseStatus.RESOLVED, at: dt.datetime | None = None, answer="Замінили лампу."
) -> Case:
    """Close `case` as case_resolve / case_answer do: status, answered_at, the answer and
    a public step."""
    at = at or (case.registered_at + dt.timedelta(hours=5))
    Case.objects.filter(pk=case.pk).update(status=status, answered_at=at, answer=answer)
    kind = {
        CaseStatus.RESOLVED: EventKind.RESOLVED,
        CaseStatus.ANSWERED: EventKind.ANSWERED,
        CaseStatus.NOT_FIXED: EventKind.NOT_FIXED,
    }.get(status, EventKind.UPDATE)
    CaseEvent.objects.create(
        hromada_id=case.hromada_id, case=case, kind=kind, public=True, text=answer, status=status
    )
    case.refresh_from_db()
    return case


def appeal(hromada, applicant, **fields) -> Case:
    return make_case(hromada, kind=CaseKind.APPEAL, applicant=applicant, **fields)
