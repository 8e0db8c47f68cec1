"""Reads of proposals and the draft act's paragraphs: the public lists, one proposal,
the counts for the report and the text page, staff's queues (answers due, moderation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hromada.core import phases
from hromada.core.errors import NotFound

from . import rules
from .models import (
    ANSWERED,
    PHASE_REPORT,
    Answer,
    Consultation,
    Paragraph,
    Proposal,
    ProposalStatus,
    Status,
    TextState,
)

ORDERS = {"new": ("-number",), "supported": ("-support_count", "-number"), "old": ("number",)}


def paragraphs_of(consultation: Consultation) -> list[Paragraph]:
    return list(
        Paragraph.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .order_by("order")
    )


def paragraph_get(consultation: Consultation, public_id) -> Paragraph:
    found = (
        Paragraph.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound("paragraph_not_found")
    return found


def paragraph_counts(consultation: Consultation) -> dict[int, int]:
    """{paragraph id: public proposals on it} (the draft text page)."""
    rows = (
        Proposal.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, paragraph__isnull=False)
        .exclude(status=ProposalStatus.HIDDEN)
        .values("paragraph_id")
        .annotate(n=Count("id"))
    )
    return {r["paragraph_id"]: r["n"] for r in rows}


def proposals_of(
    consultation: Consultation,
    *,
    public: bool = True,
    paragraph: Paragraph | None = None,
    status: str | None = None,
    order: str = "new",
) -> QuerySet[Proposal]:
    """A consultation's proposals: public ones (hidden ones left out) or all (staff).
    `status`: a ProposalStatus value, or "answered" (any of the three answers)."""
    rows = (
        Proposal.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .select_related("paragraph")
    )
    if public:
        rows = rows.exclude(status=ProposalStatus.HIDDEN)
    if paragraph is not None:
        rows = rows.filter(paragraph=paragraph)
    if status == "answered":
        rows = rows.filter(status__in=ANSWERED)
    elif status:
        rows = rows.filter(status=status)
    return rows.order_by(*ORDERS.get(order, ORDERS["new"]))


def proposal_get(consultation: Consultation, number: int, *, user=None) -> Proposal:
    """One proposal by its number; a hidden one only for its author and moderators."""
    found = (
        Proposal.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, number=number)
        .select_related("paragraph", "consultation")
        .first()
    )
    if found is None:
        raise NotFound("proposal_not_found")
    if found.status == ProposalStatus.HIDDEN:
        from .services.proposals import is_author

        if not (is_author(found, user) or rules.can_moderate(user, consultation.hromada)):
            raise NotFound("proposal_not_found")
    return found


def proposal_summary(consultation: Consultation) -> dict:
    """For the report: {"counts": {status: n, …, "total": n}, "answered": [proposals
    with their reasons, in number order], "pending": n}. Hidden ones are counted apart."""
    rows = Proposal.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation)
    counts = {s: 0 for s in ProposalStatus.values}
    for row in rows.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(n for s, n in counts.items() if s != ProposalStatus.HIDDEN)
    answered = list(rows.filter(status__in=ANSWERED).select_related("paragraph").order_by("number"))
    return {"counts": counts, "answered": answered, "pending": counts[ProposalStatus.PENDING]}


def report_deadline(consultation: Consultation) -> dt.datetime | None:
    """When the report is due: the end of the plan's `report` phase."""
    if consultation.plan is None:
        return None
    for phase in phases.plan_phases(consultation.plan):
        if phase.code == PHASE_REPORT:
            return phase.ends_at
    return None


@dataclass
class QueueItem:
    proposal: Proposal
    deadline: dt.datetime | None
    days_left: int | None

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def proposals_queue(*, hromada, now: dt.datetime | None = None) -> list[QueueItem]:
    """Pending proposals across the hromada's published consultations, oldest first,
    with the days left to each consultation's report deadline."""
    now = now or timezone.now()
    rows = (
        Proposal.objects.for_hromada(hromada)
        .filter(status=ProposalStatus.PENDING, consultation__status=Status.PUBLISHED)
        .select_related("consultation", "consultation__plan", "paragraph")
        .order_by("created_at", "id")[:500]
    )
    deadlines: dict[int, dt.datetime | None] = {}
    items = []
    for p in rows:
        if p.consultation_id not in deadlines:
            deadlines[p.consultation_id] = report_deadline(p.consultation)
        deadline = deadlines[p.consultation_id]
        days = (timezone.localdate(deadline) - timezone.localdate(now)).days if deadline else None
        items.append(QueueItem(p, deadline, days))
    return items


def staff_proposals(consultation: Consultation, *, state: str = "", paragraph: Paragraph | None = None):
    """Staff's list of one consultation: state "" (all), "pending", "answered", "hidden"."""
    status = {"pending": ProposalStatus.PENDING, "answered": "answered", "hidden": ProposalStatus.HIDDEN}.get(
        state
    )
    return proposals_of(consultation, public=False, paragraph=paragraph, status=status, order="old")


def moderation_queue(*, hromada, consultation: Consultation | None = None, limit: int = 200) -> list[Answer]:
    """Free-text answers waiting for a moderator, oldest first (submitted responses only)."""
    rows = (
        Answer.objects.for_hromada(hromada)
        .filter(text_state=TextState.PENDING, response__status="submitted")
        .select_related("question", "response__consultation")
        .order_by("id")
    )
    if consultation is not None:
        rows = rows.filter(response__consultation=consultation)
    return list(rows[:limit])


def moderation_counts(*, hromada) -> list[tuple[Consultation, int]]:
    """(consultation, pending free-text answers) for the moderation page's filter."""
    rows = (
        Answer.objects.for_hromada(hromada)
        .filter(text_state=TextState.PENDING, response__status="submitted")
        .values("response__consultation_id")
        .annotate(n=Count("id"))
    )
    counts = {r["response__consultation_id"]: r["n"] for r in rows}
    consultations = Consultation.objects.for_hromada(hromada).filter(pk__in=counts).order_by("-number")
    return [(c, counts[c.pk]) for c in consultations]


def proposals_to_moderate(*, hromada, limit: int = 100) -> QuerySet[Proposal]:
    """Pending proposals of open or recent consultations, newest first (to hide what
    should not be public), and hidden ones (to show again)."""
    return (
        Proposal.objects.for_hromada(hromada)
        .filter(Q(status=ProposalStatus.PENDING) | Q(status=ProposalStatus.HIDDEN))
        .select_related("consultation", "paragraph")
        .order_by("-created_at")[:limit]
    )
