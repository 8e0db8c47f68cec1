"""Shared reads of consultations (each part has its own selectors file beside it)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core import phases
from hromada.core.errors import NotFound
from hromada.core.models import Phase
from hromada.core.modules import ReceiptSubject

from .models import (
    PHASE_OPEN,
    PHASE_REPORT,
    Consultation,
    Document,
    Follow,
    Kind,
    Proposal,
    ProposalStatus,
    Report,
    Response,
    ResponseStatus,
    Status,
    Support,
)

STATES = ("upcoming", "open", "closed")
SEARCH_MAX = 100


def consultations_public(*, hromada) -> QuerySet[Consultation]:
    """Published and cancelled consultations (never drafts), newest first."""
    return (
        Consultation.objects.for_hromada(hromada)
        .exclude(status=Status.DRAFT)
        .select_related("plan", "area")
        .order_by("-opens_at", "-number")
    )


def consultations_open(*, hromada, now=None) -> list[Consultation]:
    now = now or timezone.now()
    return list(
        consultations_public(hromada=hromada).filter(
            status=Status.PUBLISHED,
            opens_at__lte=now,
            plan__phases__code="open",
            plan__phases__ends_at__gt=now,
        )
    )


def consultation_get(*, hromada, number: int) -> Consultation:
    """A public consultation by its number (404 for drafts and other hromadas)."""
    found = consultations_public(hromada=hromada).filter(number=number).first()
    if found is None:
        raise NotFound("consultation_not_found")
    return found


def consultation_for_staff(*, hromada, public_id) -> Consultation:
    """Any consultation of the hromada, drafts included (staff pages)."""
    found = (
        Consultation.objects.for_hromada(hromada)
        .select_related("plan", "area")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound("consultation_not_found")
    return found


def _open_phase(now: dt.datetime, **lookups):
    return Exists(Phase.objects.filter(plan=OuterRef("plan"), code=PHASE_OPEN, **lookups))


def _title_matches(q: str) -> Q:
    """Words in the title, any case. PostgreSQL's ILIKE folds Cyrillic; SQLite's LIKE
    folds ASCII only, so there the usual spellings (lower, Capitalised, UPPER) are tried."""
    if connection.vendor == "postgresql":
        return Q(title__icontains=q)
    condition = Q()
    for variant in {q, q.lower(), q.capitalize(), q.upper(), q.title()}:
        condition |= Q(title__contains=variant)
    return condition


def consultation_list(
    *, hromada, kind: str = "", state: str = "", q: str = "", now: dt.datetime | None = None
) -> QuerySet[Consultation]:
    """The public list with its filters: `kind` (Kind value), `state` (upcoming, open,
    closed — cancelled ones count as closed), `q` (in the title). Unknown values are
    ignored. Each row is annotated with `proposal_total` (public proposals)."""
    now = now or timezone.now()
    rows = consultations_public(hromada=hromada)
    if kind in Kind.values:
        rows = rows.filter(kind=kind)
    if state == "upcoming":
        rows = rows.filter(_open_phase(now, starts_at__gt=now), status=Status.PUBLISHED)
    elif state == "open":
        rows = rows.filter(_open_phase(now, starts_at__lte=now, ends_at__gt=now), status=Status.PUBLISHED)
    elif state == "closed":
        rows = rows.filter(Q(_open_phase(now, ends_at__lte=now)) | Q(status=Status.CANCELLED))
    q = (q or "").strip()[:SEARCH_MAX]
    if q:
        rows = rows.filter(_title_matches(q))
    return rows.annotate(
        proposal_total=Count(
            "proposals",
            filter=~Q(proposals__status__in=[ProposalStatus.HIDDEN, ProposalStatus.WITHDRAWN]),
            distinct=True,
        )
    )


def consultation_settings(*, hromada):
    from hromada.tenancy.selectors import module_settings

    return module_settings(hromada=hromada, label="consultations")


def documents_of(consultation: Consultation) -> list[Document]:
    return list(
        Document.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .order_by("order", "id")
    )


def report_of(consultation: Consultation, *, published: bool = True) -> Report | None:
    rows = Report.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation)
    if published:
        rows = rows.filter(published_at__isnull=False)
    return rows.first()


# --- whom to tell ------------------------------------------------------------------------


def participants_of(consultation: Consultation, *, drafts: bool = False) -> QuerySet:
    """The users to tell of the report or an extension: people who submitted a response
    (with `drafts`, also those with a draft), proposal authors, supporters, followers —
    distinct, active, in one query."""
    hromada = consultation.hromada_id
    responses = Response.objects.for_hromada(hromada).filter(consultation=consultation, user__isnull=False)
    if not drafts:
        responses = responses.filter(status=ResponseStatus.SUBMITTED)
    authors = Proposal.objects.for_hromada(hromada).filter(consultation=consultation, author__isnull=False)
    supporters = Support.objects.for_hromada(hromada).filter(
        proposal__consultation=consultation, user__isnull=False
    )
    followers = Follow.objects.for_hromada(hromada).filter(consultation=consultation)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(pk__in=responses.values("user_id"))
            | Q(pk__in=authors.values("author_id"))
            | Q(pk__in=supporters.values("user_id"))
            | Q(pk__in=followers.values("user_id"))
        )
        .distinct()
    )


def subscribers_of(consultation: Consultation) -> list[int]:
    """Ids of the hromada's subscribers to new consultations (Follows with no consultation)."""
    return list(
        Follow.objects.for_hromada(consultation.hromada_id)
        .filter(consultation__isnull=True)
        .values_list("user_id", flat=True)
    )


def staff_holders(*, hromada, codename: str) -> list[int]:
    """Ids of the hromada's staff holding permission `codename` (their roles grant it)."""
    from hromada.accounts.selectors import perm_holder_ids

    return perm_holder_ids(hromada=hromada, codenames=[codename])


# --- the consultation's page ----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineStep:
    code: str  # open, report, report_published
    name: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    state: str  # past, current, future
    note: str = ""


def timeline(consultation: Consultation, now: dt.datetime | None = None) -> list[TimelineStep]:
    """Taking part (its dates), the report's term (its due date), and the report's
    publication once done. A draft shows its intended dates."""
    now = now or timezone.now()

    def state(starts, ends) -> str:
        if ends is not None and ends <= now:
            return "past"
        if starts is not None and starts <= now:
            return "current"
        return "future"

    if consultation.plan is None:
        return [
            TimelineStep(
                PHASE_OPEN,
                _("Участь"),
                consultation.opens_at,
                consultation.closes_at,
                state(consultation.opens_at, consultation.closes_at),
            )
        ]
    report = report_of(consultation)
    steps = []
    for phase in phases.plan_phases(consultation.plan):
        if phase.code == PHASE_OPEN:
            steps.append(
                TimelineStep(
                    PHASE_OPEN,
                    _("Участь"),
                    phase.starts_at,
                    phase.ends_at,
                    state(phase.starts_at, phase.ends_at),
                )
            )
        elif phase.code == PHASE_REPORT:
            current = state(phase.starts_at, phase.ends_at)
            if report is not None:
                current = "past"
            steps.append(
                TimelineStep(
                    PHASE_REPORT,
                    _("Звіт про результати"),
                    phase.starts_at,
                    phase.ends_at,
                    current,
                    note=_("оприлюднюють до %(due)s")
                    % {"due": timezone.localtime(phase.ends_at).strftime("%d.%m.%Y")},
                )
            )
    if report is not None and report.published_at is not None:
        steps.append(
            TimelineStep("report_published", _("Звіт оприлюднено"), report.published_at, None, "past")
        )
    if consultation.status == Status.CANCELLED:
        steps = [
            s if s.state == "past" else TimelineStep(s.code, s.name, s.starts_at, s.ends_at, "cancelled")
            for s in steps
        ]
    return steps


def open_phase_of(consultation: Consultation):
    if consultation.plan is None:
        return None
    return next((p for p in phases.plan_phases(consultation.plan) if p.code == PHASE_OPEN), None)


def extensions_of(consultation: Consultation) -> list:
    """The open phase's moved ends (extended or closed early), with their reasons."""
    phase = open_phase_of(consultation)
    return list(phase.extensions.order_by("at")) if phase is not None else []


def home_summary(*, hromada) -> dict:
    """The home page's block: the consultations open now and the latest published report."""
    latest = (
        Report.objects.for_hromada(hromada)
        .filter(published_at__isnull=False, consultation__status=Status.PUBLISHED)
        .select_related("consultation")
        .order_by("-published_at")
        .first()
    )
    return {
        "open": consultations_open(hromada=hromada)[:3],
        "latest_report": latest.consultation if latest is not None else None,
    }


@dataclass
class MyRow:
    consultation: Consultation
    answered: bool = False
    draft: bool = False
    proposals: int = 0
    following: bool = False


def my(*, hromada, user) -> list[MyRow]:
    """Where `user` answered, proposed or follows, and the drafts they have not submitted
    (public consultations only), newest first."""
    if user is None or not user.is_authenticated:
        return []
    rows: dict[int, MyRow] = {}
    public = consultations_public(hromada=hromada)

    def row(c: Consultation) -> MyRow:
        return rows.setdefault(c.pk, MyRow(c))

    for r in (
        Response.objects.for_hromada(hromada)
        .filter(user=user, consultation__in=public)
        .select_related("consultation", "consultation__plan")
    ):
        item = row(r.consultation)
        item.answered = item.answered or r.status == ResponseStatus.SUBMITTED
        item.draft = item.draft or r.status == ResponseStatus.DRAFT
    for p in (
        Proposal.objects.for_hromada(hromada)
        .filter(author=user, consultation__in=public)
        .select_related("consultation", "consultation__plan")
    ):
        row(p.consultation).proposals += 1
    for f in (
        Follow.objects.for_hromada(hromada)
        .filter(user=user, consultation__in=public)
        .select_related("consultation", "consultation__plan")
    ):
        row(f.consultation).following = True
    return sorted(rows.values(), key=lambda r: (r.consultation.opens_at, r.consultation.pk), reverse=True)


def describe_response(*, hromada, payload) -> ReceiptSubject | None:
    """The receipt's words: "Your answers in poll №3 «…»" (module.py ledger_receipts)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    consultation = (
        Consultation.objects.for_hromada(hromada).filter(public_id=payload.get("consultation")).first()
    )
    if consultation is None or consultation.number is None:
        return None
    return ReceiptSubject(
        _("Ваші відповіді в консультації №%(number)d «%(title)s»")
        % {"number": consultation.number, "title": consultation.title},
        reverse("consultations:detail", args=[consultation.number]),
    )
