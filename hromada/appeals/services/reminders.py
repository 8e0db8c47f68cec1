"""Reminders before a deadline, escalation to the department's head, the overdue notice.

Run by the worker's tick (tasks.appeals_tick). For each hromada, three queries on the
(hromada, due_at) index find the open cases whose deadline is within `remind_days`
working days (the assignee, else the department, is reminded), within `escalate_days`
(the head is told; the routers when the department has none) and passed (everyone
concerned is told, once). Each case is claimed with a conditional UPDATE of its
bookkeeping column, so a tick run twice, or two workers at once, send each notice once
per deadline; an extension clears the columns (services.work.case_extend)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hromada.core import calendar
from hromada.core.i18n import lazy_format
from hromada.notify.services import notify_send
from hromada.tenancy.models import Hromada
from hromada.tenancy.selectors import module_enabled

from ..models import OPEN_STATUSES, Case, EventKind
from . import deadlines
from .cases import department_tell, event_add, settings_of

logger = logging.getLogger("hromada.appeals")

BATCH = 500  # cases per rule per tick; the rest wait for the next tick


def horizon(*, now: dt.datetime, working_days: int) -> dt.datetime:
    """The latest deadline that counts as "within `working_days` working days" of `now`
    (the same rule as deadlines.urgency: and always the next 24 hours)."""
    day = calendar.add_working_days(calendar.local_date(now), working_days)
    return max(deadlines.end_of_day(day), now + dt.timedelta(hours=24))


def _claim(case: Case, column: str, now: dt.datetime) -> bool:
    return (
        Case.objects.filter(pk=case.pk, **{f"{column}__isnull": True}, due_at=case.due_at).update(
            **{column: now}
        )
        == 1
    )


def _staff_url(case: Case) -> str:
    return reverse("staff_appeals:case", args=[case.public_id])


def _open(hromada):
    return (
        Case.objects.for_hromada(hromada)
        .filter(status__in=OPEN_STATUSES, due_at__isnull=False)
        .select_related("hromada", "department")
        .order_by("due_at")
    )


def _remind(case: Case, now: dt.datetime) -> None:
    title = lazy_format(gettext_lazy("Наближається строк відповіді на звернення №%(n)s"), n=case.number)
    if case.assignee_id:
        notify_send(
            hromada=case.hromada,
            users=[case.assignee_id],
            kind="appeals.deadline_near",
            title=title,
            url=_staff_url(case),
        )
    else:
        department_tell(case=case, kind="appeals.deadline_near", title=title)
    event_add(
        case=case,
        kind=EventKind.REMINDED,
        public=False,
        data={"due_at": case.due_at.isoformat() if case.due_at else None},
    )


def _head_or_routers(case: Case) -> list[int]:
    from .work import routers_of

    department = case.department if case.department_id else None
    if department is not None and department.head_id:
        return [department.head_id]
    return routers_of(case.hromada)


def _escalate(case: Case, now: dt.datetime) -> None:
    title = lazy_format(
        gettext_lazy("Звернення №%(n)s під загрозою прострочення: строк спливає незабаром"), n=case.number
    )
    notify_send(
        hromada=case.hromada,
        users=_head_or_routers(case),
        kind="appeals.escalated",
        title=title,
        url=_staff_url(case),
    )
    event_add(
        case=case,
        kind=EventKind.ESCALATED,
        public=False,
        data={"due_at": case.due_at.isoformat() if case.due_at else None},
    )


def _overdue(case: Case, now: dt.datetime) -> None:
    title = lazy_format(gettext_lazy("Прострочено строк відповіді на звернення №%(n)s"), n=case.number)
    users = set(_head_or_routers(case))
    if case.assignee_id:
        users.add(case.assignee_id)
    if case.department_id:
        from ..models import DepartmentMember

        users |= set(
            DepartmentMember.objects.filter(department_id=case.department_id).values_list(
                "user_id", flat=True
            )
        )
    notify_send(
        hromada=case.hromada, users=sorted(users), kind="appeals.overdue", title=title, url=_staff_url(case)
    )
    event_add(
        case=case,
        kind=EventKind.OVERDUE,
        public=False,
        data={"due_at": case.due_at.isoformat() if case.due_at else None},
    )


def hromada_tick(hromada, *, now: dt.datetime) -> dict:
    rules_row = settings_of(hromada)
    done = {"reminded": 0, "escalated": 0, "overdue": 0}
    steps = (
        (
            "reminded",
            "reminded_at",
            _open(hromada).filter(
                reminded_at__isnull=True,
                due_at__gt=now,
                due_at__lte=horizon(now=now, working_days=rules_row.remind_days),
            ),
            _remind,
        ),
        (
            "escalated",
            "escalated_at",
            _open(hromada).filter(
                escalated_at__isnull=True,
                due_at__gt=now,
                due_at__lte=horizon(now=now, working_days=rules_row.escalate_days),
            ),
            _escalate,
        ),
        (
            "overdue",
            "overdue_notified_at",
            _open(hromada).filter(overdue_notified_at__isnull=True, due_at__lte=now),
            _overdue,
        ),
    )
    for key, column, query, act in steps:
        for case in list(query[:BATCH]):
            with transaction.atomic():
                if not _claim(case, column, now):
                    continue  # another tick sent it, or the term changed meanwhile
                act(case, now)
                done[key] += 1
    return done


def reminders_tick(*, now=None) -> dict:
    """One pass over every active hromada with the module on; returns the counts sent."""
    now = now or timezone.now()
    total = {"reminded": 0, "escalated": 0, "overdue": 0}
    for hromada in Hromada.objects.filter(is_active=True).order_by("pk"):
        if not module_enabled(hromada, "appeals"):
            continue
        try:
            done = hromada_tick(hromada, now=now)
        except Exception:  # one hromada's failure must not stop the others' reminders
            logger.exception("appeals reminders failed for hromada %s", hromada.pk)
            continue
        for key, value in done.items():
            total[key] += value
    return total
