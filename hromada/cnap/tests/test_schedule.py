"""The pure day's-hours rules (schedule.py) against a naive minute-by-minute model."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hromada.cnap import schedule as s

T = dt.time
MONDAY = dt.date(2026, 12, 7)


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _minutes(intervals) -> set[int]:
    return {m for a, b in intervals for m in range(_minute(a), _minute(b))}


def _time(m: int) -> dt.time:
    return T(m // 60, m % 60)


# --- the naive model: which minutes of the day is the office open? --------------------------


def naive_minutes(day, weekly, exceptions, kind) -> set[int]:
    covering = [e for e in exceptions if e.starts_on <= day <= e.ends_on]
    if any(e.hours is None for e in covering):
        return set()
    if covering:
        h = covering[-1].hours
        return set(range(_minute(h.opens), _minute(h.closes)))
    if kind == s.HOLIDAY:
        return set()
    row = weekly.get(day.weekday())
    if row is None and kind == s.WORKING and day.weekday() >= 5:
        row = weekly.get(0)
    if row is None:
        return set()
    minutes = set(range(_minute(row.opens), _minute(row.closes)))
    if row.break_starts:
        minutes -= set(range(_minute(row.break_starts), _minute(row.break_ends)))
    return minutes


@st.composite
def hours(draw, with_break=True):
    points = sorted(draw(st.sets(st.integers(0, 24 * 60 - 1), min_size=4, max_size=4)))
    if with_break and draw(st.booleans()):
        opens, break_starts, break_ends, closes = (_time(p) for p in points)
        return s.Hours(opens, closes, break_starts, break_ends)
    return s.Hours(_time(points[0]), _time(points[3]))


@st.composite
def closures(draw):
    start = MONDAY + dt.timedelta(days=draw(st.integers(0, 13)))
    end = start + dt.timedelta(days=draw(st.integers(0, 6)))
    closed = draw(st.booleans())
    return s.Closure(start, end, None if closed else draw(hours(with_break=False)), "причина")


weeks = st.dictionaries(st.integers(0, 6), hours(), max_size=7)


@settings(max_examples=300, deadline=None)
@given(
    weekly=weeks,
    exceptions=st.lists(closures(), max_size=4),
    offset=st.integers(0, 13),
    kind=st.sampled_from([s.WORKING, s.WEEKEND, s.HOLIDAY]),
)
def test_day_hours_agree_with_the_minute_model(weekly, exceptions, offset, kind):
    day = MONDAY + dt.timedelta(days=offset)
    got = s.day_hours(day, weekly=weekly, exceptions=exceptions, day_kind=kind, holiday_name="Свято")
    assert _minutes(got.intervals) == naive_minutes(day, weekly, exceptions, kind)
    # Intervals are sorted, disjoint and non-empty: part (b) cuts its grid from them.
    for a, b in got.intervals:
        assert a < b
    for (_a, b), (c, _d) in zip(got.intervals, got.intervals[1:], strict=False):
        assert b < c
    assert got.is_open == bool(got.intervals)
    assert got.changed == any(e.starts_on <= day <= e.ends_on for e in exceptions)


@settings(max_examples=300, deadline=None)
@given(office=weeks, own=st.lists(closures(), max_size=3), offset=st.integers(0, 13))
def test_a_workplace_never_works_outside_its_office(office, own, offset):
    day = MONDAY + dt.timedelta(days=offset)
    office_day = s.day_hours(day, weekly=office)
    got = s.workplace_day(office_day, own)
    expected = _minutes(office_day.intervals)
    covering = [e for e in own if e.starts_on <= day <= e.ends_on]
    if any(e.hours is None for e in covering):
        expected = set()
    elif covering:
        expected &= _minutes(covering[-1].hours.intervals())
    assert _minutes(got.intervals) == expected


def test_a_break_splits_the_day():
    weekly = {0: s.Hours(T(8), T(17), T(12), T(12, 45))}
    got = s.day_hours(MONDAY, weekly=weekly)
    assert got.intervals == ((T(8), T(12)), (T(12, 45), T(17)))
    assert got.status == s.OPEN and not got.changed


def test_a_holiday_closes_and_says_which():
    got = s.day_hours(
        MONDAY, weekly={0: s.Hours(T(8), T(17))}, day_kind=s.HOLIDAY, holiday_name="Різдво Христове"
    )
    assert got.intervals == () and got.status == s.CLOSED_HOLIDAY and got.note == "Різдво Христове"


def test_an_exception_opens_a_holiday_and_a_closure_wins_over_other_hours():
    other = s.Closure(MONDAY, MONDAY, s.Hours(T(10), T(14)), "чергування")
    got = s.day_hours(MONDAY, weekly={}, exceptions=[other], day_kind=s.HOLIDAY)
    assert got.intervals == ((T(10), T(14)),) and got.changed and got.note == "чергування"
    closed = s.Closure(MONDAY, MONDAY + dt.timedelta(days=2), None, "ремонт")
    got = s.day_hours(MONDAY, weekly={0: s.Hours(T(8), T(17))}, exceptions=[closed, other])
    assert got.intervals == () and got.status == s.CLOSED_EXCEPTION and got.note == "ремонт"


def test_a_working_saturday_without_its_row_takes_mondays_hours():
    saturday = MONDAY + dt.timedelta(days=5)
    weekly = {0: s.Hours(T(9), T(18))}
    assert s.day_hours(saturday, weekly=weekly, day_kind=s.WORKING).intervals == ((T(9), T(18)),)
    assert s.day_hours(saturday, weekly=weekly, day_kind=s.WEEKEND).status == s.CLOSED_NO_HOURS


def test_intersect():
    a = ((T(8), T(12)), (T(13), T(17)))
    b = ((T(11), T(14)),)
    assert s.intersect(a, b) == ((T(11), T(12)), (T(13), T(14)))
    assert s.intersect(a, ()) == ()
