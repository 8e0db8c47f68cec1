"""What every channel and every staff action shares: registering a case (its number,
its deadline, its route), writing a step of its history, telling the applicant.

Every write here runs inside the caller's transaction or its own, with its ledger entry.
Ledger payloads name cases by public id and never carry personal data (the log is
public): no names, addresses, contacts or texts."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.errors import DomainError
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send
from hromada.tenancy.selectors import module_settings

from .. import rules
from ..models import (
    Case,
    CaseCounter,
    CaseEvent,
    CaseKind,
    CaseStatus,
    Department,
    DepartmentMember,
    EventKind,
)
from . import deadlines

if TYPE_CHECKING:
    from hromada.places.models import Area

logger = logging.getLogger("hromada.appeals")

FIELD_MESSAGES = {
    "applicant_name": gettext_lazy("Вкажіть прізвище, ім'я та по батькові (закон вимагає їх у зверненні)."),
    "applicant_address": gettext_lazy("Вкажіть місце проживання (закон вимагає його у зверненні)."),
    "contact": gettext_lazy("Вкажіть e-mail або телефон, щоб ми могли надіслати відповідь."),
    "appeal_type": gettext_lazy("Оберіть вид звернення: пропозиція, заява чи скарга."),
    "category": gettext_lazy("Оберіть категорію проблеми."),
    "location": gettext_lazy("Позначте місце на карті або вкажіть адресу."),
    "text": gettext_lazy("Опишіть суть звернення."),
}


def settings_of(hromada):
    return module_settings(hromada=hromada, label="appeals")


def case_url(case: Case) -> str:
    """The case's public page (reports) or the applicant's cabinet page (the others)."""
    return reverse("appeals:case", args=[case.public_id])


def event_add(
    *,
    case: Case,
    kind: str,
    actor=None,
    public: bool = False,
    text: str = "",
    status: str = "",
    data: dict | None = None,
) -> CaseEvent:
    """One step of the case's history (the caller writes the ledger entry)."""
    return CaseEvent.objects.create(
        hromada_id=case.hromada_id,
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        public=public,
        text=text,
        status=status or case.status,
        data=data or {},
    )


def ledger_case(case: Case, kind: str, **extra) -> None:
    """The ledger entry of a step of `case` (kind "appeals.<event>"): its public id,
    number, kind and status, and `extra` (no personal data)."""
    ledger_append(
        hromada=case.hromada,
        kind=kind,
        payload={
            "case": str(case.public_id),
            "number": case.number,
            "kind": case.kind,
            "status": case.status,
            **extra,
        },
    )


def route_of(case: Case) -> tuple[Department | None, Area | None]:
    """(department, area) for a case: the category's department; the okrug or district
    its point (or address) falls in, through places' one question; a starosta's office
    for the okrug when the category names no department."""
    from hromada.places import selectors as places

    area = None
    if case.lat is not None and case.lon is not None:
        try:
            found = places.where(hromada=case.hromada, lat=case.lat, lon=case.lon)
        except DomainError:
            found = None
        if found is not None:
            area = found.district or found.okrug
            if case.building_id is None and found.building is not None:
                case.building = found.building
    department = case.category.department if case.category_id and case.category else None
    if department is None and area is not None:
        department = Department.objects.for_hromada(case.hromada).filter(area=area, active=True).first()
    return department, area


def _next_number(hromada) -> int:
    counter, _created = CaseCounter.objects.get_or_create(hromada=hromada)
    CaseCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return CaseCounter.objects.filter(pk=counter.pk).values_list("last", flat=True).get()


def incomplete_error(missing: list[str]) -> DomainError:
    error = DomainError(
        "case_incomplete",
        _("Не вистачає обов'язкових відомостей: %(n)s.") % {"n": len(missing)},
        field=missing[0] if missing else None,
        status=422,
    )
    error.details = [  # type: ignore[attr-defined]  # read by the API's error handler
        {"field": f, "code": f"{f}_required", "message": str(FIELD_MESSAGES[f])} for f in missing
    ]
    return error


def case_register(*, case: Case, actor=None, now=None, strict: bool = True) -> Case:
    """A draft becomes a registered case: its number, its moment of receipt, its legal
    deadline, its department and area; the history's first public step, the ledger
    entry, the applicant told and the department's people told.

    `strict` refuses a case lacking what the law requires (DomainError case_incomplete
    with every missing field in `details`); an operator registering a paper appeal as
    received passes strict=False and then returns it with the reason (case_return)."""
    if case.status != CaseStatus.DRAFT:
        raise DomainError("case_not_draft", _("Це звернення вже зареєстровано."), status=409)
    missing = rules.missing_required(case)
    if strict and missing:
        raise incomplete_error(missing)
    now = now or timezone.now()
    with transaction.atomic():
        register_prepare(case, now=now)
        case.number = _next_number(case.hromada)  # the counter's lock is taken last
        case.save()
        event_add(case=case, kind=EventKind.REGISTERED, actor=actor, public=True, status=case.status)
        ledger_case(case, "appeals.case_registered", **registered_ledger_extra(case))
        title, body = registered_texts(case)
        applicant_tell(case=case, kind="appeals.registered", title=title, body=body)
        if case.department_id:
            department_tell(case=case, kind="appeals.case_new", title=department_new_title(case))
    return case


# The parts of case_register the report edge (edge_report.py) shares: it writes the same
# rows in one statement.


def register_prepare(case: Case, *, now) -> None:
    """What registration decides before anything is written: the route (department,
    area, building), the moment of receipt, the deadline and the status."""
    department, area = route_of(case)
    case.department = case.department or department
    case.area = area
    case.registered_at = now
    hours = (case.category.target_hours if case.category_id and case.category else None) or settings_of(
        case.hromada
    ).report_default_hours
    case.due_at = case.first_due_at = deadlines.first_due(
        kind=case.kind, received=now, extra_study=case.extra_study, urgent=case.urgent, hours=hours
    )
    case.status = CaseStatus.ASSIGNED if case.department_id else CaseStatus.REGISTERED


def registered_ledger_extra(case: Case) -> dict:
    """The `appeals.case_registered` entry's fields beyond ledger_case's own."""
    assert case.due_at is not None
    return {
        "channel": case.channel,
        "category": case.category.code if case.category_id and case.category else None,
        "department": str(case.department.public_id) if case.department_id and case.department else None,
        "due_at": case.due_at.isoformat(),
    }


def registered_texts(case: Case) -> tuple:
    """The applicant's `appeals.registered` notification: (title, body), lazy."""
    return (
        lazy_format(gettext_lazy("Ваше звернення зареєстровано за №%(n)s"), n=case.number),
        lazy_format(gettext_lazy("Строк відповіді: до %(due)s."), due=_due_text(case)),
    )


def department_new_title(case: Case):
    """The department's `appeals.case_new` notification's title, lazy."""
    return lazy_format(gettext_lazy("Нове звернення №%(n)s у черзі підрозділу"), n=case.number)


def _due_text(case: Case) -> str:
    from django.utils.formats import date_format

    moment = timezone.localtime(case.due_at) if case.due_at else None
    if moment is None:
        return ""
    if case.kind == CaseKind.REPORT or case.urgent:
        return date_format(moment, "DATETIME_FORMAT")
    return date_format(moment.date(), "DATE_FORMAT")


def applicant_tell(*, case: Case, kind: str, title, body="", url: str = "") -> None:
    """Tell the applicant (and co-signers with accounts) of a step: in the platform when
    they have an account, else by e-mail to the address they gave (after commit)."""
    url = url or case_url(case)
    users = [case.applicant_id] if case.applicant_id else []
    users += list(case.cosigners.exclude(user=None).values_list("user_id", flat=True)) if case.pk else []
    if users:
        notify_send(hromada=case.hromada, users=users, kind=kind, title=title, body=body, url=url)
    elif case.applicant_email:
        from ..tasks import applicant_email

        transaction.on_commit(
            partial(applicant_email.enqueue, case.pk, str(title), str(body), url), robust=True
        )


def department_tell(*, case: Case, kind: str, title, body="", head_only: bool = False) -> int:
    """Tell the case's department (its members, or only its head) of a step."""
    department = case.department
    if department is None:
        return 0
    users: set[int] = {department.head_id} if department.head_id else set()
    if not head_only:
        users |= set(DepartmentMember.objects.filter(department=department).values_list("user_id", flat=True))
        if case.assignee_id:
            users.add(case.assignee_id)
    if not users:
        return 0
    staff_url = reverse("staff_appeals:case", args=[case.public_id])
    return notify_send(
        hromada=case.hromada, users=sorted(users), kind=kind, title=title, body=body, url=staff_url
    )
