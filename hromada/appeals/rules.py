"""Who may do what with cases: predicates over permissions and department membership,
and what the law requires of an appeal (one predicate each, used by pages and services)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError

from .models import CLOSED_STATUSES, OPEN_STATUSES, AppealType, Case, CaseKind, CaseStatus, Department

PERM_REGISTER = "appeals.register"  # hotline operators: register calls and paper appeals
PERM_WORK = "appeals.work"  # work on the cases of one's departments
PERM_ROUTE = "appeals.route"  # every queue: assign, forward, merge, extend, reject
PERM_MODERATE = "appeals.moderate"  # public text and photos of reports
PERM_MANAGE = "appeals.manage"  # categories, departments, templates, Open311 keys


def is_staff_of(user, hromada) -> bool:
    return any(
        has_perm(user, hromada, p) for p in (PERM_REGISTER, PERM_WORK, PERM_ROUTE, PERM_MODERATE, PERM_MANAGE)
    )


def department_ids_of(user, hromada) -> set[int]:
    """The departments whose queue `user` works (member or head)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    from django.db.models import Q

    return set(
        Department.objects.for_hromada(hromada)
        .filter(Q(memberships__user=user) | Q(head=user))
        .values_list("pk", flat=True)
    )


def can_route(user, hromada) -> bool:
    return has_perm(user, hromada, PERM_ROUTE)


def can_work(user, case: Case) -> bool:
    """Work on the case (start, comment, answer, resolve): routers on any case; workers
    on their department's cases and on cases assigned to them."""
    hromada = case.hromada
    if can_route(user, hromada):
        return True
    if not has_perm(user, hromada, PERM_WORK):
        return False
    if case.assignee_id is not None and case.assignee_id == user.pk:
        return True
    return case.department_id is not None and case.department_id in department_ids_of(user, hromada)


def can_see_staff(user, case: Case) -> bool:
    """The staff page of a case (with the applicant's details and internal comments)."""
    return (
        can_work(user, case)
        or has_perm(user, case.hromada, PERM_REGISTER)
        or has_perm(user, case.hromada, PERM_MODERATE)
    )


def is_applicant(user, case: Case) -> bool:
    return getattr(user, "is_authenticated", False) and case.applicant_id == user.pk


def missing_required(case: Case) -> list[str]:
    """The fields art. 5 of the Law on citizens' appeals requires that `case` lacks (an
    appeal: full name, address of residence, the substance; a contact to answer to; an
    information request: the name, a contact and what is requested; a report: the
    category, the point and the description)."""
    missing = []
    if case.kind in (CaseKind.APPEAL, CaseKind.INFO):
        if len(case.applicant_name.split()) < 2:
            missing.append("applicant_name")
        if case.kind == CaseKind.APPEAL and not case.applicant_address.strip():
            missing.append("applicant_address")
        if not (case.applicant_email or case.applicant_phone or case.applicant_id):
            missing.append("contact")
        if case.kind == CaseKind.APPEAL and case.appeal_type == AppealType.NONE:
            missing.append("appeal_type")
    if case.kind == CaseKind.REPORT:
        if case.category_id is None:
            missing.append("category")
        if case.lat is None or case.lon is None:
            missing.append("location")
    if not case.text.strip():
        missing.append("text")
    return missing


def require_open(case: Case) -> None:
    if case.status not in OPEN_STATUSES:
        raise DomainError(
            "case_not_open",
            _("Звернення №%(n)s уже не в роботі (%(status)s).")
            % {"n": case.number, "status": case.get_status_display()},
            status=409,
        )


def can_confirm_or_reopen(case: Case) -> bool:
    """The applicant's verdict is asked on a resolved report or an answered case that is
    closed but not yet confirmed (the time limit is the services')."""
    return (
        case.status in (CaseStatus.RESOLVED, CaseStatus.ANSWERED, CaseStatus.NOT_FIXED)
        and case.confirmed_at is None
    )


__all__ = ["CLOSED_STATUSES", "OPEN_STATUSES"]
