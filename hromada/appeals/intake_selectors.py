"""Reads of the intake part: a resident's drafts, the categories a form offers, and the
hotline's search for a caller among earlier cases' applicants and accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Case, CaseKind, CaseStatus, Category, CategoryAttribute

CALLER_CASES = 10  # earlier cases shown per caller
CALLERS_MAX = 20


def drafts_of(*, hromada, user) -> QuerySet[Case]:
    """`user`'s drafts in `hromada`, latest first."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return (
        Case.objects.for_hromada(hromada)
        .filter(applicant=user, status=CaseStatus.DRAFT)
        .select_related("category")
        .annotate(cosigner_count=Count("cosigners"))
        .order_by("-updated_at")
    )


def draft_get(*, hromada, public_id) -> Case | None:
    return (
        Case.objects.for_hromada(hromada)
        .filter(public_id=public_id)
        .select_related("category", "applicant")
        .first()
    )


def form_categories(*, hromada, kind: str) -> list[Category]:
    """Active categories of `kind`, grouped (by `group`, then order), with their
    attributes (reports)."""
    rows = (
        Category.objects.for_hromada(hromada)
        .filter(kind=kind, active=True)
        .prefetch_related(Prefetch("attributes", queryset=CategoryAttribute.objects.order_by("order", "id")))
        .order_by("group", "order", "name")
    )
    return list(rows)


def grouped(categories: list[Category]) -> list[tuple[str, list[Category]]]:
    return [(g, list(items)) for g, items in groupby(categories, key=lambda c: c.group)]


def category_by_code(*, hromada, code: str, kind: str = CaseKind.REPORT) -> Category | None:
    return (
        Category.objects.for_hromada(hromada)
        .filter(code=code, kind=kind, active=True)
        .prefetch_related("attributes")
        .first()
    )


# --- the hotline ----------------------------------------------------------------------------


def digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


@dataclass
class Caller:
    """One person the operator may be talking to: their details as last given, their
    account (when they have one here) and their earlier cases."""

    key: str
    name: str
    phone: str
    email: str
    address: str
    user_id: int | None = None
    user_public_id: str = ""
    cases: list[Case] = field(default_factory=list)
    total: int = 0


def _caller_key(case: Case) -> str:
    if case.applicant_id:
        return f"u{case.applicant_id}"
    return "d" + (digits(case.applicant_phone)[-9:] or case.applicant_email or case.applicant_name.lower())


def callers_find(*, hromada, q: str) -> list[Caller]:
    """Callers matching `q`: a phone number (by its last 9 digits, so +380… and 0…
    match), an e-mail (exact) or a name (a part of it), among this hromada's earlier
    cases' applicants, and accounts with that e-mail. Drafts are not shown."""
    from hromada.accounts.models import User

    q = (q or "").strip()[:100]
    if len(q) < 3:
        return []
    number = digits(q)
    cases = Case.objects.for_hromada(hromada).exclude(status=CaseStatus.DRAFT)
    if "@" in q:
        condition = Q(applicant_email__iexact=q) | Q(applicant__email__iexact=q)
    elif len(number) >= 5 and not re.search(r"[^\d\s+()\-]", q):
        # Phones are stored normalised (services.intake.phone_normalise): +380XXXXXXXXX.
        condition = Q(applicant_phone__contains=number[-9:])
    else:
        condition = Q(applicant_name__icontains=q)
    rows = list(
        cases.filter(condition)
        .select_related("applicant", "category")
        .order_by("-registered_at", "-id")[: CALLERS_MAX * CALLER_CASES]
    )
    found: dict[str, Caller] = {}
    for case in rows:
        key = _caller_key(case)
        caller = found.get(key)
        if caller is None:
            caller = found[key] = Caller(
                key=key,
                name=case.applicant_name,
                phone=case.applicant_phone,
                email=case.applicant_email or (case.applicant.email if case.applicant else ""),
                address=case.applicant_address,
                user_id=case.applicant_id,
                user_public_id=str(case.applicant.public_id) if case.applicant else "",
            )
        caller.total += 1
        if len(caller.cases) < CALLER_CASES:
            caller.cases.append(case)
        caller.phone = caller.phone or case.applicant_phone
        caller.address = caller.address or case.applicant_address
    if "@" in q:
        user = User.objects.filter(email__iexact=q, is_active=True).first()
        if user is not None and f"u{user.pk}" not in found:
            found[f"u{user.pk}"] = Caller(
                key=f"u{user.pk}",
                name=user.display_name,
                phone="",
                email=user.email,
                address="",
                user_id=user.pk,
                user_public_id=str(user.public_id),
            )
    return list(found.values())[:CALLERS_MAX]


def caller_details(*, hromada, user_public_id: str = "", case_public_id: str = "") -> dict:
    """The details to start the form with for a caller chosen from the search: their
    account (by public id) or an earlier case of theirs."""
    from hromada.accounts.models import User

    from .services.intake import full_name_of

    if user_public_id:
        user = User.objects.filter(public_id=user_public_id, is_active=True).first()
        if user is None:
            return {}
        last = (
            Case.objects.for_hromada(hromada).filter(applicant=user).exclude(status=CaseStatus.DRAFT).first()
        )
        return {
            "caller": user,
            "applicant_name": (last.applicant_name if last else "") or full_name_of(user, hromada),
            "applicant_email": (last.applicant_email if last else "") or user.email,
            "applicant_phone": last.applicant_phone if last else "",
            "applicant_address": last.applicant_address if last else "",
        }
    if case_public_id:
        case = (
            Case.objects.for_hromada(hromada)
            .filter(public_id=case_public_id)
            .exclude(status=CaseStatus.DRAFT)
            .select_related("applicant")
            .first()
        )
        if case is None:
            return {}
        return {
            "caller": case.applicant,
            "applicant_name": case.applicant_name,
            "applicant_email": case.applicant_email,
            "applicant_phone": case.applicant_phone,
            "applicant_address": case.applicant_address,
        }
    return {}
