"""A day's opening hours from plain values: no database, no clock (ADR 0010 decision 3).

Part (b)'s free-slot grid is cut from these intervals, so the rules live in one pure
function with property tests (tests/test_schedule.py) against a minute-by-minute model:

1. An exception of the office that covers the date decides first, even on a holiday (a
   centre may open on a day off): a closure closes it; otherwise the hours of the latest
   exception (the last in the list) are the day's only interval.
2. A day off by the legal calendar that is not an ordinary weekend (a holiday, a
   transfer day, an operator's added day off) closes the office. Under martial law the
   calendar makes holidays working days, so they follow the weekly hours.
3. Otherwise the office's weekly row for the weekday, split by its break. Saturdays and
   Sundays follow their rows too (a centre works at least six days a week); a weekend
   date the calendar makes a working day (an operator's "working Saturday") without a
   row of its own takes Monday's row.
4. A workplace works within its office's day; its own exception closes it or narrows
   it to the exception's hours (never beyond the office's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Interval = tuple[dt.time, dt.time]

WORKING, WEEKEND, HOLIDAY = "working", "weekend", "holiday"
# Why a day is closed, for the pages.
OPEN, CLOSED_EXCEPTION, CLOSED_HOLIDAY, CLOSED_NO_HOURS = "open", "exception", "holiday", "no_hours"


@dataclass(frozen=True)
class Hours:
    opens: dt.time
    closes: dt.time
    break_starts: dt.time | None = None
    break_ends: dt.time | None = None

    def intervals(self) -> tuple[Interval, ...]:
        if self.break_starts and self.break_ends:
            return ((self.opens, self.break_starts), (self.break_ends, self.closes))
        return ((self.opens, self.closes),)


@dataclass(frozen=True)
class Closure:
    """An exception: `hours` None means closed."""

    starts_on: dt.date
    ends_on: dt.date
    hours: Hours | None = None
    reason: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class DayHours:
    date: dt.date
    intervals: tuple[Interval, ...] = ()
    status: str = OPEN  # OPEN or why it is closed
    note: str = ""  # the holiday's name or the exception's reason
    changed: bool = False  # an exception applies

    @property
    def is_open(self) -> bool:
        return bool(self.intervals)


def day_hours(
    day: dt.date,
    *,
    weekly: Mapping[int, Hours],
    exceptions: Iterable[Closure] = (),
    day_kind: str = WORKING,
    holiday_name: str = "",
) -> DayHours:
    """The office's opening intervals on `day` (rules 1–3 above)."""
    covering = [e for e in exceptions if e.covers(day)]
    if covering:
        closure = next((e for e in covering if e.hours is None), None)
        if closure is not None:
            return DayHours(day, (), CLOSED_EXCEPTION, closure.reason, True)
        last = covering[-1]
        return DayHours(day, last.hours.intervals(), OPEN, last.reason, True)
    if day_kind == HOLIDAY:
        return DayHours(day, (), CLOSED_HOLIDAY, holiday_name)
    row = weekly.get(day.weekday())
    if row is None and day_kind == WORKING and day.weekday() >= 5:
        row = weekly.get(0)
    if row is None:
        return DayHours(day, (), CLOSED_NO_HOURS)
    return DayHours(day, row.intervals(), OPEN)


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> tuple[Interval, ...]:
    """The common parts of two sorted lists of disjoint intervals."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


def workplace_day(office_day: DayHours, exceptions: Iterable[Closure] = ()) -> DayHours:
    """A workplace's day: its office's, closed or narrowed by its own exceptions (rule 4)."""
    covering = [e for e in exceptions if e.covers(office_day.date)]
    if not covering or not office_day.is_open:
        return office_day
    closure = next((e for e in covering if e.hours is None), None)
    if closure is not None:
        return DayHours(office_day.date, (), CLOSED_EXCEPTION, closure.reason, True)
    last = covering[-1]
    intervals = intersect(office_day.intervals, last.hours.intervals())
    return DayHours(office_day.date, intervals, OPEN if intervals else CLOSED_EXCEPTION, last.reason, True)
