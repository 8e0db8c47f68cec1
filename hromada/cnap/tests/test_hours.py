"""office_hours / workplace_hours: weekly rows, the kernel's legal calendar (holidays,
transfers, martial law, overrides) and exceptions, read from the database."""

import datetime as dt

import pytest

from hromada.cnap import schedule as s
from hromada.cnap.models import ScheduleException
from hromada.cnap.selectors import office_days, office_hours, workplace_hours
from hromada.core.calendar import calendar_override_add, martial_law_period_set

from .factories import make_office, make_workplace

pytestmark = pytest.mark.django_db
D, T = dt.date, dt.time


def _exception(office, starts_on, ends_on=None, *, workplace=None, hours=None, reason="причина"):
    return ScheduleException.objects.create(
        hromada=office.hromada,
        office=office,
        workplace=workplace,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        closed=hours is None,
        opens=hours[0] if hours else None,
        closes=hours[1] if hours else None,
        reason=reason,
    )


def test_weekly_rows_with_the_evening_day_and_a_break(hromada):
    office = make_office(hromada)
    assert office_hours(office, D(2026, 12, 7)).intervals == ((T(8), T(17)),)  # Monday
    assert office_hours(office, D(2026, 12, 9)).intervals == ((T(8), T(20)),)  # Wednesday, the evening day
    assert office_hours(office, D(2026, 12, 11)).intervals == ((T(8), T(12)), (T(12, 45), T(16)))  # Friday
    assert office_hours(office, D(2026, 12, 12)).intervals == ((T(8), T(15)),)  # Saturday
    sunday = office_hours(office, D(2026, 12, 13))
    assert not sunday.is_open and sunday.status == s.CLOSED_NO_HOURS


def test_under_martial_law_holidays_are_ordinary_days(hromada):
    # Seeded: martial law from 24 February 2022, open-ended (Law 2136-IX art. 6).
    office = make_office(hromada)
    assert office_hours(office, D(2026, 8, 24)).intervals == ((T(8), T(17)),)  # Independence Day, Monday
    assert office_hours(office, D(2026, 12, 25)).intervals == ((T(8), T(12)), (T(12, 45), T(16)))  # Friday


def test_after_martial_law_holidays_close_the_office(hromada):
    martial_law_period_set(starts_on=D(2022, 2, 24), ends_on=D(2026, 6, 30))
    office = make_office(hromada)
    day = office_hours(office, D(2026, 8, 24))
    assert not day.is_open and day.status == s.CLOSED_HOLIDAY
    assert day.note == "День Незалежності України"
    # Constitution Day, Sunday 28 June 2026, was still under martial law: no transfer.
    assert office_hours(office, D(2026, 6, 29)).intervals == ((T(8), T(17)),)


def test_peacetime_weekend_holiday_and_its_transfer_day(hromada):
    office = make_office(hromada)
    # 2021 (before martial law): 1 May was a Saturday, Easter 2 May a Sunday; 3 and 4 May off.
    saturday = office_hours(office, D(2021, 5, 1))
    assert saturday.status == s.CLOSED_HOLIDAY and saturday.note == "День праці"
    assert office_hours(office, D(2021, 5, 3)).status == s.CLOSED_HOLIDAY
    assert office_hours(office, D(2021, 5, 4)).status == s.CLOSED_HOLIDAY
    assert office_hours(office, D(2021, 5, 5)).intervals == ((T(8), T(20)),)  # Wednesday
    assert office_hours(office, D(2021, 5, 8)).intervals == ((T(8), T(15)),)  # an ordinary Saturday


def test_operator_overrides(hromada):
    office = make_office(hromada, week={0: (T(9), T(18), None, None)})
    calendar_override_add(date=D(2026, 12, 8), kind="add", name="Вихідний за постановою")
    day = office_hours(office, D(2026, 12, 8))
    assert day.status == s.CLOSED_HOLIDAY and day.note == "Вихідний за постановою"
    # A working Saturday the office has no row for works Monday's hours.
    calendar_override_add(date=D(2026, 12, 12), kind="remove", name="Робоча субота")
    assert office_hours(office, D(2026, 12, 12)).intervals == ((T(9), T(18)),)
    assert not office_hours(office, D(2026, 12, 19)).is_open


def test_exceptions_of_the_office(hromada):
    office = make_office(hromada)
    _exception(office, D(2026, 12, 7), D(2026, 12, 8), reason="Ремонт приміщення")
    _exception(office, D(2026, 12, 9), hours=(T(10), T(14)), reason="Навчання працівників")
    _exception(office, D(2026, 12, 13), hours=(T(9), T(13)), reason="Прийом у неділю")
    days = office_days(office, D(2026, 12, 7), 7)
    assert [d.is_open for d in days] == [False, False, True, True, True, True, True]
    assert days[0].status == s.CLOSED_EXCEPTION and days[0].note == "Ремонт приміщення"
    assert days[2].intervals == ((T(10), T(14)),) and days[2].changed
    assert days[6].intervals == ((T(9), T(13)),)  # a Sunday opened by an exception
    assert not days[3].changed


def test_an_exception_opens_a_holiday(hromada):
    martial_law_period_set(starts_on=D(2022, 2, 24), ends_on=D(2026, 6, 30))
    office = make_office(hromada)
    _exception(office, D(2026, 8, 24), hours=(T(9), T(13)), reason="Чергова зміна")
    assert office_hours(office, D(2026, 8, 24)).intervals == ((T(9), T(13)),)


def test_a_workplace_follows_its_office_and_its_own_exceptions(hromada):
    office = make_office(hromada)
    window = make_workplace(office)
    other = make_workplace(office)
    _exception(office, D(2026, 12, 7), workplace=window, reason="Адміністратор у відпустці")
    _exception(office, D(2026, 12, 9), workplace=window, hours=(T(7), T(12)), reason="Лише зранку")
    assert workplace_hours(window, D(2026, 12, 7)).status == s.CLOSED_EXCEPTION
    assert office_hours(office, D(2026, 12, 7)).is_open  # the office itself works
    assert workplace_hours(other, D(2026, 12, 7)).intervals == ((T(8), T(17)),)
    assert workplace_hours(window, D(2026, 12, 9)).intervals == (
        (T(8), T(12)),
    )  # never before the office opens
    other.active = False
    other.save()
    assert not workplace_hours(other, D(2026, 12, 8)).is_open


def test_exceptions_of_another_office_do_not_apply(hromada, other_hromada):
    office = make_office(hromada)
    elsewhere = make_office(other_hromada)
    _exception(elsewhere, D(2026, 12, 7))
    assert office_hours(office, D(2026, 12, 7)).is_open
