"""The legal calendar: calendar days and Ukrainian working days.

Every legal deadline on the platform comes from here (e-petitions: 2 working days to
moderate, 10 to consider; public-information requests: 5, up to 20). The rules, from
docs `ukrainian-working-days.md`:

1. **Weekends.** Saturday and Sunday are days off (five-day week, Labour Code art. 67).

2. **Holidays** (Labour Code art. 73). The list depends on the year:

   ============================  ==========================================
   every year                    1 Jan, 8 Mar, 1 May, 28 Jun, 24 Aug,
                                 Easter, Trinity
   until 2017                    2 May
   from 2015 until 2022          14 Oct (Defender of Ukraine)
   from 2017                     25 Dec (Christmas)
   until 2022                    7 Jan (Christmas), 9 May (Victory Day)
   from 2023 (2023 amendment)    8 May, 15 Jul, 1 Oct
   ============================  ==========================================

   Easter and Trinity (Easter + 49 days, "the fiftieth day") are computed with the
   **Orthodox computus** (the Julian Paschalion, converted to a Gregorian date) for
   *every* year, including 2023 and later. The 2023 reform moved the Orthodox Church of
   Ukraine and the Greek Catholic Church to the New Julian calendar for the *fixed*
   feasts only (hence Christmas on 25 December and 7 January dropped from art. 73);
   both churches kept the Julian Paschalion, so Easter in Ukraine is still Orthodox
   Easter (e.g. 16 April 2023, 5 May 2024, 20 April 2025). A Gregorian Easter would
   give wrong days off. Both are Sundays, so they matter only through rule 3.

   The exact day in 2023 when the new list took effect does not matter: all of 2023 is
   under martial law (rule 4), where art. 73 is suspended.

3. **Transfer** (art. 67): a holiday that falls on Saturday or Sunday makes the next
   working day a day off. Each holiday gets its own transfer, in date order, to the
   first weekday that is neither a holiday nor already a transfer day (1 May 2021 was
   a Saturday and Easter 2 May 2021 a Sunday: 3 and 4 May 2021 were days off).

4. **Martial law** (Law No. 2136-IX, art. 6 part 6): while it lasts, holidays are
   ordinary working days and nothing is carried over; only weekends are off. Periods
   are rows of `MartialLawPeriod` (seeded: from 24 February 2022, open-ended). Whether a
   holiday counts is decided by the holiday's own date.

5. **Overrides** (`HolidayOverride`): an operator's correction for one date, applied
   last and always, even under martial law: `add` makes the date a day off, `remove`
   makes it a working day (also a weekend date, e.g. a working Saturday). To cancel a
   transfer, put a `remove` on the transfer day.

The calendar is national, so these rows are install-wide, not per hromada. Years are
computed once per process and cached; the service functions below clear the cache of
the process that calls them, and every process re-reads the database at least every
`CACHE_SECONDS`, so an operator's change reaches every server worker within that time.

Counting follows the Civil Code (art. 253): a term starts on the day *after* the event,
so the day of the event itself never counts.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

KYIV = ZoneInfo("Europe/Kyiv")
CACHE_SECONDS = 300
ONE_DAY = dt.timedelta(days=1)

# Names are for people reading `manage.py calendar show`; the law's own wording.
_FIXED_HOLIDAYS: list[tuple[int, int, str, int | None, int | None]] = [
    # (month, day, name, first year, last year)
    (1, 1, "Новий рік", None, None),
    (1, 7, "Різдво Христове (за юліанським календарем)", None, 2022),
    (3, 8, "Міжнародний жіночий день", None, None),
    (5, 1, "День праці", None, None),
    (5, 2, "День праці (другий день)", None, 2017),
    (5, 8, "День пам'яті та перемоги над нацизмом у Другій світовій війні 1939–1945 років", 2023, None),
    (5, 9, "День перемоги над нацизмом у Другій світовій війні", None, 2022),
    (6, 28, "День Конституції України", None, None),
    (7, 15, "День Української Державності", 2023, None),
    (8, 24, "День Незалежності України", None, None),
    (10, 1, "День захисників і захисниць України", 2023, None),
    (10, 14, "День захисника України", 2015, 2022),
    (12, 25, "Різдво Христове", 2017, None),
]


@dataclass(frozen=True)
class Holiday:
    date: dt.date
    name: str


def orthodox_easter(year: int) -> dt.date:
    """Easter by the Julian Paschalion (Meeus' Julian algorithm), as a Gregorian date."""
    a, b, c = year % 4, year % 7, year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month, day = divmod(d + e + 114, 31)
    julian = dt.date(year, month, day + 1)  # a Julian date written as if it were Gregorian
    # Julian -> Gregorian offset for dates from March on (13 days in 1900-2099).
    return julian + dt.timedelta(days=year // 100 - year // 400 - 2)


def statutory_holidays(year: int) -> list[Holiday]:
    """The art. 73 holidays of `year` as the law lists them (no transfer, no martial law)."""
    days = [
        Holiday(dt.date(year, month, day), name)
        for month, day, name, first, last in _FIXED_HOLIDAYS
        if (first is None or year >= first) and (last is None or year <= last)
    ]
    easter = orthodox_easter(year)
    days.append(Holiday(easter, "Великдень (Пасха)"))
    days.append(Holiday(easter + dt.timedelta(days=49), "Трійця"))
    return sorted(days, key=lambda h: h.date)


def _is_weekend(d: dt.date) -> bool:
    return d.weekday() >= 5


def _in_periods(d: dt.date, periods: list[tuple[dt.date, dt.date | None]]) -> bool:
    return any(start <= d and (end is None or d <= end) for start, end in periods)


def _compute_days_off(
    year: int,
    *,
    periods: list[tuple[dt.date, dt.date | None]],
    overrides: dict[dt.date, str],
) -> frozenset[dt.date]:
    """Every non-working date of `year`: weekends, effective holidays, transfers, overrides."""
    off: set[dt.date] = set()
    d = dt.date(year, 1, 1)
    while d.year == year:
        if _is_weekend(d):
            off.add(d)
        d += ONE_DAY
    # Holidays of the previous year too, in case a transfer crosses New Year.
    holidays = [
        h for h in statutory_holidays(year - 1) + statutory_holidays(year) if not _in_periods(h.date, periods)
    ]
    holiday_dates = {h.date for h in holidays}
    taken: set[dt.date] = set()
    for h in holidays:
        if not _is_weekend(h.date):
            if h.date.year == year:
                off.add(h.date)
            continue
        target = h.date + ONE_DAY
        while _is_weekend(target) or target in holiday_dates or target in taken:
            target += ONE_DAY
        taken.add(target)
        if target.year == year:
            off.add(target)
    for day, kind in overrides.items():
        if day.year != year:
            continue
        if kind == "add":
            off.add(day)
        else:
            off.discard(day)
    return frozenset(off)


# --- cache ------------------------------------------------------------------------------------

_cache: dict[int, tuple[float, frozenset[dt.date]]] = {}
_cache_lock = threading.Lock()


def calendar_cache_clear() -> None:
    """Forget every computed year in this process."""
    with _cache_lock:
        _cache.clear()


def days_off(year: int) -> frozenset[dt.date]:
    """The non-working dates of `year` (weekends included), from the cache or the database."""
    now = time.monotonic()
    hit = _cache.get(year)
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return hit[1]
    from .models import HolidayOverride, MartialLawPeriod

    periods = list(MartialLawPeriod.objects.values_list("starts_on", "ends_on"))
    overrides = dict(HolidayOverride.objects.filter(date__year=year).values_list("date", "kind"))
    result = _compute_days_off(year, periods=periods, overrides=overrides)
    with _cache_lock:
        _cache[year] = (now, result)
    return result


# --- the public functions ---------------------------------------------------------------------


def is_working_day(d: dt.date) -> bool:
    return d not in days_off(d.year)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start`.

    `start` itself never counts, whether or not it is a working day (Civil Code art. 253:
    a term runs from the next day). So with days >= 1 the result is always a working day
    and `working_days_between(start, result) == days`. `days == 0` returns `start`
    unchanged (no term). A negative `days` counts backwards: the |days|-th working day
    before `start`.
    """
    step = ONE_DAY if days >= 0 else -ONE_DAY
    remaining = abs(days)
    d = start
    while remaining:
        d += step
        if is_working_day(d):
            remaining -= 1
    return d


def working_days_between(a: dt.date, b: dt.date) -> int:
    """How many working days one walks from `a` to `b`, `a` itself not counted: the
    working days d with a < d <= b. When b < a the walk goes backwards and the result is
    minus the working days d with b <= d < a. So add_working_days(a, n) == b implies
    working_days_between(a, b) == n, for any sign of n."""
    if b < a:
        lo, hi, sign = b, a - ONE_DAY, -1
    else:
        lo, hi, sign = a + ONE_DAY, b, 1
    count = 0
    d = lo
    while d <= hi:
        if is_working_day(d):
            count += 1
        d += ONE_DAY
    return sign * count


def next_working_day(d: dt.date) -> dt.date:
    """`d` if it is a working day, else the first working day after it (Civil Code art. 254
    part 5: a term whose last day is a day off ends on the next working day)."""
    while not is_working_day(d):
        d += ONE_DAY
    return d


def add_calendar_days(start: dt.date, days: int, *, roll_to_working_day: bool = False) -> dt.date:
    """`start` plus `days` calendar days. With `roll_to_working_day`, a result that is a day
    off moves to the next working day (art. 254 part 5 of the Civil Code); by default it
    is plain arithmetic."""
    result = start + dt.timedelta(days=days)
    return next_working_day(result) if roll_to_working_day else result


def local_date(moment: dt.datetime) -> dt.date:
    """The date in Kyiv of a timezone-aware moment."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is required")
    return moment.astimezone(KYIV).date()


def deadline_for(*, start: dt.datetime, working_days: int) -> dt.date:
    """The last day of a term of `working_days` working days that starts at the moment
    `start` (timezone-aware): counted from the day after start's date in Kyiv."""
    return add_working_days(local_date(start), working_days)


def holidays_in(year: int) -> list[dict]:
    """What `year` looks like, for operators: statutory holidays with their effect,
    transfer days and overrides. Not used to compute anything."""
    from .models import HolidayOverride, MartialLawPeriod

    periods = list(MartialLawPeriod.objects.values_list("starts_on", "ends_on"))
    off = days_off(year)
    rows = []
    for h in statutory_holidays(year):
        if _in_periods(h.date, periods):
            effect = "martial_law"
        elif _is_weekend(h.date):
            effect = "transferred"
        else:
            effect = "day_off"
        rows.append({"date": h.date, "name": h.name, "effect": effect})
    weekday_holidays = {r["date"] for r in rows}
    overridden = dict(HolidayOverride.objects.filter(date__year=year).values_list("date", "name"))
    for d in sorted(off):
        if not _is_weekend(d) and d not in weekday_holidays:
            name = overridden.get(d, "перенесений вихідний")
            rows.append(
                {"date": d, "name": name, "effect": "override" if d in overridden else "transfer_day"}
            )
    for d, name in overridden.items():
        if d not in off:
            rows.append({"date": d, "name": name, "effect": "working_override"})
    return sorted(rows, key=lambda r: r["date"])


# --- services (operators change the calendar only through these) ---------------------------------


def calendar_override_add(*, date: dt.date, kind: str, name: str):
    """Make `date` a day off (kind "add") or a working day (kind "remove"), replacing any
    earlier override of that date. Returns the HolidayOverride."""
    from .models import HolidayOverride

    if kind not in HolidayOverride.Kind.values:
        raise DomainError("override_kind_invalid", _("Оберіть: неробочий або робочий день."), field="kind")
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("override_name_required", _("Вкажіть назву дня або підставу зміни."), field="name")
    if len(name) > 200:
        raise DomainError("override_name_too_long", _("Назва задовга (до 200 символів)."), field="name")
    with transaction.atomic():
        override, _created = HolidayOverride.objects.update_or_create(
            date=date, defaults={"kind": kind, "name": name}
        )
        transaction.on_commit(calendar_cache_clear)
    calendar_cache_clear()
    return override


def calendar_override_remove(*, date: dt.date) -> bool:
    """Drop the override of `date`, so the computed rules apply again. True if one existed."""
    from .models import HolidayOverride

    with transaction.atomic():
        deleted, _detail = HolidayOverride.objects.filter(date=date).delete()
        transaction.on_commit(calendar_cache_clear)
    calendar_cache_clear()
    return bool(deleted)


def martial_law_period_set(*, starts_on: dt.date, ends_on: dt.date | None = None, note: str = ""):
    """Create the martial-law period that starts on `starts_on`, or change its end
    (ends_on is the last day under martial law; None while it lasts). Periods may not
    overlap. Returns the MartialLawPeriod."""
    from .models import MartialLawPeriod

    if ends_on is not None and ends_on < starts_on:
        raise DomainError(
            "period_ends_before_start", _("Останній день не може бути раніше першого."), field="ends_on"
        )
    far = dt.date.max
    with transaction.atomic():
        others = MartialLawPeriod.objects.select_for_update().exclude(starts_on=starts_on)
        for other in others:
            if starts_on <= (other.ends_on or far) and other.starts_on <= (ends_on or far):
                raise DomainError(
                    "period_overlaps",
                    _("Період перетинається з іншим періодом воєнного стану (%(p)s).") % {"p": str(other)},
                    field="starts_on",
                )
        defaults: dict[str, dt.date | str | None] = {"ends_on": ends_on}
        if note:
            defaults["note"] = note[:300]
        period, _created = MartialLawPeriod.objects.update_or_create(starts_on=starts_on, defaults=defaults)
        transaction.on_commit(calendar_cache_clear)
    calendar_cache_clear()
    return period
