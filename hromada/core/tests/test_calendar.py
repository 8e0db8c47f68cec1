import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from hromada.core import calendar
from hromada.core.calendar import (
    add_calendar_days,
    add_working_days,
    calendar_override_add,
    calendar_override_remove,
    deadline_for,
    is_working_day,
    martial_law_period_set,
    next_working_day,
    orthodox_easter,
    working_days_between,
)
from hromada.core.errors import DomainError
from hromada.core.models import HolidayOverride, MartialLawPeriod

D = dt.date
pytestmark = pytest.mark.django_db


def end_martial_law(last_day: D) -> None:
    martial_law_period_set(starts_on=D(2022, 2, 24), ends_on=last_day)


@pytest.mark.parametrize(
    "year, easter",
    [
        (2010, D(2010, 4, 4)),
        (2019, D(2019, 4, 28)),
        (2021, D(2021, 5, 2)),
        (2022, D(2022, 4, 24)),
        (2023, D(2023, 4, 16)),
        (2024, D(2024, 5, 5)),
        (2025, D(2025, 4, 20)),
        (2026, D(2026, 4, 12)),
    ],
)
def test_orthodox_easter(year, easter):
    assert orthodox_easter(year) == easter


def test_martial_law_is_seeded_by_migration():
    assert list(MartialLawPeriod.objects.values_list("starts_on", "ends_on")) == [(D(2022, 2, 24), None)]


@pytest.mark.parametrize(
    "day, working, why",
    [
        # Under martial law: holidays are working days, nothing carried over.
        (D(2024, 8, 26), True, "24 Aug 2024 was a Saturday; no transfer under martial law"),
        (D(2024, 8, 24), False, "a Saturday is still off"),
        (D(2022, 5, 2), True, "1 May 2022 was a Sunday; no transfer"),
        (D(2022, 5, 9), True, "Victory Day on a Monday, suspended"),
        (D(2023, 12, 25), True, "Christmas on a Monday, suspended"),
        (D(2024, 5, 6), True, "Easter 5 May 2024 not carried over"),
        # Before martial law: art. 73 and the transfer rule apply.
        (D(2022, 1, 3), False, "1 Jan 2022 Saturday -> Monday 3 Jan"),
        (D(2022, 1, 7), False, "Christmas (Julian) on a Friday, pre-2023 list"),
        (D(2021, 1, 7), False, "Christmas (Julian) on a Thursday"),
        (D(2021, 1, 8), True, "a Cabinet 'recommended' bridge day is not a legal day off"),
        (D(2021, 5, 3), False, "1 May 2021 Saturday -> Monday 3 May"),
        (D(2021, 5, 4), False, "Easter 2 May 2021 Sunday -> Tuesday 4 May"),
        (D(2021, 5, 5), True, "an ordinary Wednesday"),
        (D(2021, 5, 10), False, "9 May 2021 Sunday -> Monday 10 May"),
        (D(2021, 6, 21), False, "Trinity 20 June 2021 -> Monday 21 June"),
        (D(2021, 6, 28), False, "Constitution Day on a Monday"),
        (D(2021, 10, 14), False, "Defender of Ukraine Day on a Thursday (2015-2022 list)"),
        (D(2021, 12, 27), False, "Christmas 25 Dec 2021 Saturday -> Monday 27 Dec"),
        (D(2017, 5, 2), False, "2 May was still a holiday in 2017"),
        (D(2018, 5, 2), True, "2 May stopped being a holiday from 2018"),
        (D(2017, 12, 25), False, "25 Dec a holiday from 2017"),
        (D(2016, 12, 26), True, "25 Dec 2016 was not yet a holiday: no transfer"),
        (D(2014, 10, 14), True, "14 Oct became a holiday only in 2015"),
    ],
)
def test_working_days_across_holidays(day, working, why):
    assert is_working_day(day) is working, why


def test_after_martial_law_the_2023_list_applies():
    end_martial_law(D(2024, 12, 31))
    assert is_working_day(D(2024, 8, 26))  # still inside the period
    for off in [
        D(2025, 1, 1),
        D(2025, 3, 10),
        D(2025, 4, 21),
        D(2025, 5, 1),
        D(2025, 5, 8),
        D(2025, 6, 9),
        D(2025, 6, 30),
        D(2025, 7, 15),
        D(2025, 8, 25),
        D(2025, 10, 1),
        D(2025, 12, 25),
    ]:
        assert not is_working_day(off), off
    # 8 March 2025 Saturday -> Monday 10 March; Trinity 8 June -> Monday 9 June;
    # 28 June Saturday -> Monday 30 June; 24 August Sunday -> Monday 25 August.
    for working in [D(2025, 1, 7), D(2025, 5, 9), D(2025, 10, 14), D(2025, 5, 2)]:
        assert is_working_day(working), working


def test_holiday_on_the_day_martial_law_ends_counts_again():
    end_martial_law(D(2025, 12, 24))
    assert not is_working_day(D(2025, 12, 25))


def test_add_working_days_counts_from_the_next_day():
    # Thursday 29 April 2021 + 2: Fri 30 April, then 1-4 May off, Wednesday 5 May.
    assert add_working_days(D(2021, 4, 29), 2) == D(2021, 5, 5)
    # Across Christmas, New Year and Julian Christmas (pre-martial law).
    assert add_working_days(D(2021, 12, 23), 10) == D(2022, 1, 11)
    # Martial law: Friday 23 Aug 2024 + 1 is Monday 26 Aug.
    assert add_working_days(D(2024, 8, 23), 1) == D(2024, 8, 26)
    # From a weekend: Saturday + 1 is Monday.
    assert add_working_days(D(2024, 8, 24), 1) == D(2024, 8, 26)
    assert add_working_days(D(2024, 8, 24), 0) == D(2024, 8, 24)
    assert add_working_days(D(2024, 8, 26), -1) == D(2024, 8, 23)


def test_working_days_between():
    assert working_days_between(D(2021, 4, 29), D(2021, 5, 5)) == 2
    assert working_days_between(D(2021, 5, 5), D(2021, 4, 29)) == -2
    assert working_days_between(D(2024, 8, 26), D(2024, 8, 26)) == 0
    assert working_days_between(D(2024, 8, 23), D(2024, 8, 30)) == 5


def test_calendar_days():
    assert add_calendar_days(D(2024, 1, 31), 30) == D(2024, 3, 1)
    assert add_calendar_days(D(2024, 8, 23), 1) == D(2024, 8, 24)
    assert add_calendar_days(D(2024, 8, 23), 1, roll_to_working_day=True) == D(2024, 8, 26)
    assert next_working_day(D(2021, 5, 1)) == D(2021, 5, 5)


def test_deadline_for_uses_the_date_in_kyiv():
    # 21:30 UTC on Thursday 22 Aug 2024 is already Friday 00:30 in Kyiv.
    start = dt.datetime(2024, 8, 22, 21, 30, tzinfo=dt.UTC)
    assert deadline_for(start=start, working_days=1) == D(2024, 8, 26)
    assert deadline_for(start=dt.datetime(2024, 8, 22, 20, 30, tzinfo=dt.UTC), working_days=1) == D(
        2024, 8, 23
    )
    with pytest.raises(ValueError):
        deadline_for(start=dt.datetime(2024, 8, 22, 12, 0), working_days=1)


def test_override_adds_a_day_off_and_can_be_removed():
    day = D(2024, 12, 31)
    assert is_working_day(day)
    calendar_override_add(date=day, kind="add", name="Вихідний за постановою")
    assert not is_working_day(day)
    assert add_working_days(D(2024, 12, 30), 1) == D(2025, 1, 1)  # 1 Jan: martial law, working
    assert calendar_override_remove(date=day) is True
    assert is_working_day(day)
    assert calendar_override_remove(date=day) is False


def test_override_makes_a_working_day_even_on_a_weekend_or_holiday():
    calendar_override_add(date=D(2021, 5, 3), kind="remove", name="Скасування перенесення")
    calendar_override_add(date=D(2021, 5, 8), kind="remove", name="Робоча субота")
    assert is_working_day(D(2021, 5, 3))
    assert is_working_day(D(2021, 5, 8))
    assert not is_working_day(D(2021, 5, 4))
    # Re-adding the same date replaces the override.
    calendar_override_add(date=D(2021, 5, 8), kind="add", name="Знову вихідний")
    assert HolidayOverride.objects.filter(date=D(2021, 5, 8)).count() == 1
    assert not is_working_day(D(2021, 5, 8))


def test_override_refuses_bad_input_and_changes_nothing():
    with pytest.raises(DomainError) as err:
        calendar_override_add(date=D(2024, 1, 2), kind="maybe", name="x")
    assert err.value.field == "kind"
    with pytest.raises(DomainError) as err:
        calendar_override_add(date=D(2024, 1, 2), kind="add", name="   ")
    assert err.value.code == "override_name_required"
    assert not HolidayOverride.objects.exists()


def test_martial_law_periods_may_not_overlap():
    with pytest.raises(DomainError) as err:
        martial_law_period_set(starts_on=D(2023, 1, 1), ends_on=D(2023, 2, 1))
    assert err.value.code == "period_overlaps"
    with pytest.raises(DomainError) as err:
        martial_law_period_set(starts_on=D(2022, 2, 24), ends_on=D(2022, 2, 1))
    assert err.value.code == "period_ends_before_start"
    assert list(MartialLawPeriod.objects.values_list("starts_on", "ends_on")) == [(D(2022, 2, 24), None)]
    # A period in the past that does not overlap is fine.
    martial_law_period_set(starts_on=D(2014, 11, 1), ends_on=D(2014, 11, 30), note="test")
    assert is_working_day(D(2014, 11, 3))
    martial_law_period_set(starts_on=D(2021, 5, 1), ends_on=D(2021, 5, 31))
    assert is_working_day(D(2021, 5, 3))  # holidays in May 2021 now suspended


def test_cache_is_per_year_and_cleared_by_the_services(django_assert_num_queries):
    is_working_day(D(2024, 3, 1))
    with django_assert_num_queries(0):
        for day in range(1, 29):
            is_working_day(D(2024, 2, day))
    calendar_override_add(date=D(2024, 2, 28), kind="add", name="Тест")
    assert not is_working_day(D(2024, 2, 28))


def test_holidays_in_describes_a_year():
    rows = {r["date"]: r for r in calendar.holidays_in(2021)}
    assert rows[D(2021, 5, 1)]["effect"] == "transferred"
    assert rows[D(2021, 5, 3)]["effect"] == "transfer_day"
    assert rows[D(2021, 1, 7)]["effect"] == "day_off"
    assert {r["effect"] for r in calendar.holidays_in(2024)} == {"martial_law"}


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=D(2015, 1, 1), max_value=D(2035, 12, 31)),
    days=st.integers(min_value=1, max_value=60),
)
def test_add_working_days_properties(start, days):
    result = add_working_days(start, days)
    assert result > start
    assert is_working_day(result)
    assert working_days_between(start, result) == days
    assert add_working_days(start, -days) < start
    assert working_days_between(start, add_working_days(start, -days)) == -days
