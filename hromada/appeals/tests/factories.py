"""Appeals test data, built through the services where they exist (so registered cases
have their number, deadline, history and ledger entry)."""

from __future__ import annotations

import itertools

from hromada.appeals.models import (
    AppealType,
    Case,
    CaseKind,
    Category,
    Channel,
    Department,
    DepartmentKind,
    DepartmentMember,
)
from hromada.appeals.services.cases import case_register

_seq = itertools.count(1)

# A point inside the test hromada's territory is the caller's business: without a drawn
# boundary every point is accepted (places.where says inside_hromada=None).
LAT, LON = 48.5079, 32.2623


def make_department(hromada, *, name=None, kind=DepartmentKind.ENTERPRISE, head=None, members=(), **fields):
    n = next(_seq)
    department = Department.objects.create(
        hromada=hromada, kind=kind, name=name or f"КП «Служба {n}»", slug=f"dep-{n}", head=head, **fields
    )
    for user in members:
        DepartmentMember.objects.create(hromada=hromada, department=department, user=user)
    return department


def make_category(hromada, *, code=None, name=None, kind=CaseKind.REPORT, department=None, **fields):
    n = next(_seq)
    return Category.objects.create(
        hromada=hromada,
        kind=kind,
        code=code or f"cat-{n}",
        name=name or f"Категорія {n}",
        department=department,
        **fields,
    )


def make_case(hromada, *, kind=CaseKind.REPORT, register=True, applicant=None, now=None, **fields) -> Case:
    """A case of `kind`, registered through case_register unless register=False (a draft).
    Reports get a category and a point, appeals a type and the law's fields."""
    defaults: dict = {"channel": Channel.WEB, "text": "Не світить ліхтар біля зупинки вже тиждень."}
    if kind == CaseKind.REPORT:
        if "category" not in fields:
            fields["category"] = make_category(hromada)
        defaults.update(lat=LAT, lon=LON, title="Не світить ліхтар")
    else:
        defaults.update(
            applicant_name="Коваленко Ірина Петрівна",
            applicant_address="вул. Шевченка, 12, кв. 3",
            applicant_email="iryna@example.com",
            title="Прошу відремонтувати дорогу",
        )
        if kind == CaseKind.APPEAL:
            defaults["appeal_type"] = AppealType.STATEMENT
    defaults.update(fields)
    case = Case.objects.create(hromada=hromada, kind=kind, applicant=applicant, **defaults)
    if register:
        case_register(case=case, actor=applicant, now=now)
    return case
