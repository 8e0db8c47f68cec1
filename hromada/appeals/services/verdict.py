"""The applicant's verdict on a closed case: confirm that a report is fixed (or accept
an answer), reopen it within the hromada's term, rate the answer once.

FixMyStreet asks the reporter "has this been fixed?" and lets them reopen; the
Ukrainian e-reception sites ask for a rating of the answer. Each step is the
applicant's own (not a co-signer's), written with its history event and ledger entry
(payloads: the case's public id and figures only, never the texts)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format

from .. import rules
from ..models import REASON_MAX, Case, CaseStatus, EventKind
from . import deadlines
from .cases import department_tell, event_add, ledger_case, settings_of

CONFIRMABLE = frozenset({CaseStatus.RESOLVED, CaseStatus.ANSWERED})
# "Closed, not fixed" may be reopened too: the resident disagrees, within the same term.
REOPENABLE = frozenset({CaseStatus.RESOLVED, CaseStatus.ANSWERED, CaseStatus.NOT_FIXED})
RATABLE = frozenset({CaseStatus.RESOLVED, CaseStatus.ANSWERED, CaseStatus.NOT_FIXED})
RATING_COMMENT_MAX = 1_000


def _locked(case: Case) -> Case:
    """The case's row, locked, so two verdicts at once do not both pass the checks."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    for field in (
        "status",
        "confirmed_at",
        "reopened_count",
        "rating",
        "rating_comment",
        "answered_at",
        "due_at",
    ):
        setattr(case, field, getattr(fresh, field))
    return case


def _require_applicant(user, case: Case) -> None:
    if not rules.is_applicant(user, case):
        raise PermissionDenied(
            "not_applicant", _("Підтвердити, відкрити знову чи оцінити може лише заявник.")
        )


def reopen_until(case: Case) -> dt.datetime | None:
    """The last moment the applicant may reopen `case` (None: it was never answered)."""
    if case.answered_at is None:
        return None
    return case.answered_at + dt.timedelta(days=settings_of(case.hromada).confirm_days)


def verdict_state(case: Case, user, now=None) -> dict:
    """What the cabinet and the case page offer the applicant right now."""
    now = now or timezone.now()
    if not rules.is_applicant(user, case):
        return {"confirm": False, "reopen": False, "rate": False, "reopen_until": None}
    until = reopen_until(case)
    return {
        "confirm": case.status in CONFIRMABLE and case.confirmed_at is None,
        "reopen": case.status in REOPENABLE
        and case.confirmed_at is None
        and until is not None
        and now <= until,
        "rate": case.status in RATABLE and case.answered_at is not None and case.rating is None,
        "reopen_until": until,
    }


def case_confirm(case: Case, user, *, now=None) -> Case:
    """The applicant confirms the report is fixed (or accepts the answer)."""
    _require_applicant(user, case)
    now = now or timezone.now()
    with transaction.atomic():
        _locked(case)
        if case.status not in CONFIRMABLE:
            raise DomainError(
                "not_confirmable",
                _("Підтвердити можна лише вирішене повідомлення чи звернення з відповіддю (зараз: %(s)s).")
                % {"s": case.get_status_display()},
                status=409,
            )
        if case.confirmed_at is not None:
            raise DomainError("already_confirmed", _("Ви вже підтвердили це звернення."), status=409)
        case.confirmed_at = now
        case.save(update_fields=["confirmed_at", "updated_at"])
        event_add(case=case, kind=EventKind.CONFIRMED, actor=user, public=True)
        ledger_case(case, "appeals.case_confirmed")
    return case


def case_reopen(case: Case, user, reason: str, *, now=None) -> Case:
    """The applicant reopens a resolved, answered or "closed, not fixed" case within
    `AppealSettings.confirm_days` of its answer: it goes back in progress with a new
    term from now (the category's target for a report, the law's for the others), its
    reminders rearmed, and the department is told."""
    _require_applicant(user, case)
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "reason_required", _("Напишіть, що не так: чому ви відкриваєте звернення знову."), field="reason"
        )
    if len(reason) > REASON_MAX:
        raise DomainError(
            "reason_too_long", _("Не більше %(n)s символів.") % {"n": REASON_MAX}, field="reason"
        )
    with transaction.atomic():
        _locked(case)
        if case.status not in REOPENABLE:
            raise DomainError(
                "not_reopenable",
                _("Відкрити знову можна лише закрите звернення з відповіддю (зараз: %(s)s).")
                % {"s": case.get_status_display()},
                status=409,
            )
        if case.confirmed_at is not None:
            raise DomainError(
                "already_confirmed",
                _("Ви вже підтвердили вирішення, тож відкрити звернення знову не можна. Подайте нове."),
                status=409,
            )
        until = reopen_until(case)
        if until is None or now > until:
            days = settings_of(case.hromada).confirm_days
            raise DomainError(
                "reopen_too_late",
                _(
                    "Строк, щоб відкрити звернення знову, минув %(date)s (%(days)s дн. після відповіді). "
                    "Подайте нове звернення чи повідомлення."
                )
                % {
                    "date": date_format(timezone.localtime(until), "DATETIME_FORMAT") if until else "—",
                    "days": days,
                },
                status=409,
            )
        previous = case.status
        hours = (case.category.target_hours if case.category_id and case.category else None) or settings_of(
            case.hromada
        ).report_default_hours
        case.status = CaseStatus.IN_PROGRESS
        case.reopened_count += 1
        case.answered_at = None
        case.confirmed_at = None
        case.due_at = max(
            deadlines.first_due(
                kind=case.kind, received=now, extra_study=case.extra_study, urgent=case.urgent, hours=hours
            ),
            case.registered_at or now,
        )
        case.reminded_at = case.escalated_at = case.overdue_notified_at = None
        case.save(
            update_fields=[
                "status",
                "reopened_count",
                "answered_at",
                "confirmed_at",
                "due_at",
                "reminded_at",
                "escalated_at",
                "overdue_notified_at",
                "updated_at",
            ]
        )
        event_add(
            case=case,
            kind=EventKind.REOPENED,
            actor=user,
            public=True,
            text=reason,
            data={"previous": previous, "reopened_count": case.reopened_count},
        )
        ledger_case(case, "appeals.case_reopened", previous=previous, reopened_count=case.reopened_count)
        department_tell(
            case=case,
            kind="appeals.case_new",
            title=lazy_format(gettext_lazy("Заявник відкрив знову звернення №%(n)s"), n=case.number),
        )
    return case


def case_rate(case: Case, user, rating, comment: str = "", *, now=None) -> Case:
    """The applicant rates the answer, once, 1–5, with an optional comment (kept
    internal: staff read it, the public page shows only the average in statistics)."""
    _require_applicant(user, case)
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        raise DomainError("rating_invalid", _("Оцініть відповідь від 1 до 5."), field="rating")
    comment = (comment or "").strip()
    if len(comment) > RATING_COMMENT_MAX:
        raise DomainError(
            "comment_too_long",
            _("Коментар — не більше %(n)s символів.") % {"n": RATING_COMMENT_MAX},
            field="comment",
        )
    with transaction.atomic():
        _locked(case)
        if case.status not in RATABLE or case.answered_at is None:
            raise DomainError(
                "not_answered_yet", _("Оцінити можна після відповіді чи закриття звернення."), status=409
            )
        if case.rating is not None:
            raise DomainError("already_rated", _("Ви вже оцінили цю відповідь."), status=409)
        case.rating = value
        case.rating_comment = comment
        case.save(update_fields=["rating", "rating_comment", "updated_at"])
        event_add(
            case=case, kind=EventKind.RATED, actor=user, public=False, text=comment, data={"rating": value}
        )
        ledger_case(case, "appeals.case_rated", rating=value)
    return case
