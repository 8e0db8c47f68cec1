"""`manage.py calendar`: look at and correct the legal calendar (hromada.core.calendar).

calendar show 2025
calendar day-off 2025-12-31 --name "Додатковий вихідний (Закон № …)"
calendar working-day 2025-05-03 --name "Робоча субота (розпорядження КМУ № …)"
calendar clear 2025-12-31
calendar martial-law 2022-02-24 --end 2025-08-31
calendar deadline 2025-08-22 10
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from hromada.core import calendar
from hromada.core.errors import DomainError
from hromada.core.models import HolidayOverride, MartialLawPeriod

EFFECTS = {
    "day_off": "вихідний",
    "transferred": "на вихідний — переноситься",
    "transfer_day": "вихідний (перенесення)",
    "martial_law": "робочий (воєнний стан)",
    "override": "вихідний (зміна оператора)",
    "working_override": "робочий (зміна оператора)",
}


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}")


class Command(BaseCommand):
    help = "Show and correct the working-day calendar: holidays, overrides, martial law."

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="Holidays, transfers and overrides of a year.")
        show.add_argument("year", type=int)
        for name, text in (
            ("day-off", "Make a date a day off."),
            ("working-day", "Make a date a working day."),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("date", type=_date)
            p.add_argument("--name", required=True, help="What the day is, or the act that decided it.")
        clear = sub.add_parser("clear", help="Drop the override of a date.")
        clear.add_argument("date", type=_date)
        martial = sub.add_parser("martial-law", help="Create a period, or set the last day of one.")
        martial.add_argument("starts_on", type=_date)
        end = martial.add_mutually_exclusive_group(required=True)
        end.add_argument("--end", type=_date, help="Last day under martial law.")
        end.add_argument("--open", action="store_true", help="Still in force.")
        martial.add_argument("--note", default="", help="The decree or law.")
        deadline = sub.add_parser("deadline", help="The N-th working day after a date.")
        deadline.add_argument("date", type=_date)
        deadline.add_argument("days", type=int)

    def handle(self, *, action: str, **options) -> None:
        try:
            getattr(self, "_" + action.replace("-", "_"))(**options)
        except DomainError as exc:
            raise CommandError(str(exc.message))

    def _show(self, *, year: int, **_options) -> None:
        periods = MartialLawPeriod.objects.all()
        self.stdout.write("Воєнний стан: " + (", ".join(str(p) for p in periods) or "немає"))
        for row in calendar.holidays_in(year):
            self.stdout.write(
                f"{row['date']:%Y-%m-%d} {row['date']:%a}  {EFFECTS[row['effect']]:<28} {row['name']}"
            )
        weekdays_off = sum(1 for d in calendar.days_off(year) if d.weekday() < 5)
        self.stdout.write(f"Неробочих днів з понеділка по п'ятницю: {weekdays_off}")

    def _day_off(self, *, date: dt.date, name: str, **_options) -> None:
        calendar.calendar_override_add(date=date, kind=HolidayOverride.Kind.ADD, name=name)
        self.stdout.write(f"{date}: неробочий день ({name})")

    def _working_day(self, *, date: dt.date, name: str, **_options) -> None:
        calendar.calendar_override_add(date=date, kind=HolidayOverride.Kind.REMOVE, name=name)
        self.stdout.write(f"{date}: робочий день ({name})")

    def _clear(self, *, date: dt.date, **_options) -> None:
        found = calendar.calendar_override_remove(date=date)
        self.stdout.write(f"{date}: " + ("зміну скасовано" if found else "змін не було"))

    def _martial_law(self, *, starts_on: dt.date, end: dt.date | None, note: str, **_options) -> None:
        period = calendar.martial_law_period_set(starts_on=starts_on, ends_on=end, note=note)
        self.stdout.write(f"Воєнний стан: {period}")

    def _deadline(self, *, date: dt.date, days: int, **_options) -> None:
        self.stdout.write(str(calendar.add_working_days(date, days)))
