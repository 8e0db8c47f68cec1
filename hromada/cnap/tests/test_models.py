"""The database holds the invariants, whatever code writes the rows."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from hromada.cnap.models import Office, ScheduleException, Service, WeeklyHours, Workplace

from .factories import make_category, make_office, make_service, make_workplace

pytestmark = pytest.mark.django_db
T = dt.time


def _fails(call):
    with transaction.atomic(), pytest.raises(IntegrityError):
        call()


def test_service_constraints(hromada, other_hromada):
    service = make_service(hromada, code="00050")
    make_service(other_hromada, code="00050")  # codes are per hromada
    _fails(lambda: make_service(hromada, code="00050"))
    q = Service.objects.filter(pk=service.pk)
    _fails(lambda: q.update(visit_units=0))
    _fails(lambda: q.update(status="deleted"))
    _fails(lambda: q.update(fee_kind="fixed", fee_amount=None))
    _fails(lambda: q.update(fee_kind="fixed", fee_amount=0))
    _fails(lambda: q.update(fee_kind="free", fee_amount=10))
    _fails(lambda: q.update(fee_kind="tariff", fee_amount=-1))
    _fails(lambda: q.update(status="published", published_at=None))
    q.update(fee_kind="fixed", fee_amount="85.00")
    q.update(fee_kind="tariff", fee_amount=None)


def test_taxonomy_codes_are_unique_per_hromada(hromada, other_hromada):
    make_category(hromada, code="dokumenty")
    make_category(other_hromada, code="dokumenty")
    _fails(lambda: make_category(hromada, code="dokumenty"))


def test_office_constraints(hromada):
    office = make_office(hromada, code="tsentr")
    _fails(lambda: make_office(hromada, code="tsentr"))
    q = Office.objects.filter(pk=office.pk)
    _fails(lambda: q.update(lat=48.5, lon=None))
    _fails(lambda: q.update(lat=91, lon=30))
    _fails(lambda: q.update(kind="bus"))
    q.update(lat=48.5, lon=32.2)


def test_workplace_constraints(hromada):
    office = make_office(hromada)
    window = make_workplace(office, number=1)
    _fails(lambda: make_workplace(office, number=1))
    q = Workplace.objects.filter(pk=window.pk)
    _fails(lambda: q.update(unit_minutes=4))
    _fails(lambda: q.update(unit_minutes=121))
    _fails(lambda: q.update(number=0))
    q.update(unit_minutes=5)
    q.update(unit_minutes=120)


def test_weekly_hours_constraints(hromada):
    office = make_office(hromada, week={})

    def row(**kw):
        values = {"weekday": 0, "opens": T(8), "closes": T(17), **kw}
        return WeeklyHours.objects.create(hromada=hromada, office=office, **values)

    _fails(lambda: row(opens=T(17), closes=T(8)))
    _fails(lambda: row(opens=T(8), closes=T(8)))
    _fails(lambda: row(weekday=7))
    _fails(lambda: row(break_starts=T(12)))  # half a break
    _fails(lambda: row(break_starts=T(13), break_ends=T(12)))
    _fails(lambda: row(break_starts=T(7), break_ends=T(9)))  # outside the hours
    _fails(lambda: row(break_starts=T(16), break_ends=T(18)))
    row(break_starts=T(12), break_ends=T(13))
    _fails(lambda: row())  # one row per weekday


def test_exception_constraints(hromada):
    office = make_office(hromada)

    def exc(**kw):
        values = {
            "starts_on": dt.date(2026, 12, 7),
            "ends_on": dt.date(2026, 12, 7),
            "closed": True,
            "reason": "x",
            **kw,
        }
        return ScheduleException.objects.create(hromada=hromada, office=office, **values)

    _fails(lambda: exc(ends_on=dt.date(2026, 12, 6)))
    _fails(lambda: exc(closed=False))  # other hours without the hours
    _fails(lambda: exc(closed=False, opens=T(10)))
    _fails(lambda: exc(closed=False, opens=T(14), closes=T(10)))
    _fails(lambda: exc(closed=True, opens=T(10), closes=T(14)))
    exc(closed=False, opens=T(10), closes=T(14))
    exc()
