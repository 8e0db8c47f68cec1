"""Service centre test data: rows straight to the database (fast) or through the
services where a test is about them."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from hromada.cnap.models import (
    LifeSituation,
    Office,
    OfficeKind,
    Service,
    ServiceCategory,
    ServiceStatus,
    WeeklyHours,
    Workplace,
)
from hromada.cnap.selectors import search_text_of

_seq = itertools.count(1)
T = dt.time


def make_category(hromada, *, code=None, name=None, **fields):
    n = next(_seq)
    return ServiceCategory.objects.create(
        hromada=hromada, code=code or f"cat-{n}", name=name or f"Категорія {n}", **fields
    )


def make_situation(hromada, *, code=None, name=None, **fields):
    n = next(_seq)
    return LifeSituation.objects.create(
        hromada=hromada, code=code or f"sit-{n}", name=name or f"Ситуація {n}", **fields
    )


def make_service(hromada, *, code=None, title=None, published=True, situations=(), **fields):
    n = next(_seq)
    values = {
        "provider": "Виконавчий комітет ради",
        "applicants": "Громадяни України",
        "term": "у день звернення",
        "result": "Довідка",
        **fields,
    }
    service = Service.objects.create(
        hromada=hromada,
        code=code or f"{n:05d}",
        title=title or f"Послуга {n}",
        status=ServiceStatus.PUBLISHED if published else ServiceStatus.DRAFT,
        published_at=timezone.now() if published else None,
        **values,
    )
    if situations:
        service.life_situations.set(situations)
    service.search_text = search_text_of(service)
    service.save(update_fields=["search_text"])
    return service


# Monday–Friday 08:00–17:00, Wednesday until 20:00, Saturday 08:00–15:00; no Sunday.
STANDARD_WEEK = {
    0: (T(8), T(17), None, None),
    1: (T(8), T(17), None, None),
    2: (T(8), T(20), None, None),
    3: (T(8), T(17), None, None),
    4: (T(8), T(16), T(12), T(12, 45)),
    5: (T(8), T(15), None, None),
}


def make_office(
    hromada, *, code=None, name=None, kind=OfficeKind.CENTRE, week=STANDARD_WEEK, services=(), **fields
):
    n = next(_seq)
    office = Office.objects.create(
        hromada=hromada,
        code=code or f"office-{n}",
        name=name or f"ЦНАП {n}",
        kind=kind,
        address=fields.pop("address", f"вул. Соборна, {n}"),
        **fields,
    )
    for weekday, (opens, closes, bs, be) in (week or {}).items():
        WeeklyHours.objects.create(
            hromada=hromada,
            office=office,
            weekday=weekday,
            opens=opens,
            closes=closes,
            break_starts=bs,
            break_ends=be,
        )
    if services:
        make_workplace(office, services=services)
    return office


def make_workplace(office, *, number=None, services=(), **fields):
    number = number or (office.workplaces.count() + 1)
    workplace = Workplace.objects.create(hromada=office.hromada, office=office, number=number, **fields)
    workplace.services.set(services)
    return workplace
