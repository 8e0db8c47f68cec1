import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hromada.core.calendar import is_working_day
from hromada.core.models import HolidayOverride, MartialLawPeriod

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


def test_show_a_year():
    out = run("show", "2021")
    assert "2021-05-03" in out and "перенесення" in out
    assert "2022-02-24" in out  # the martial-law period is listed


def test_overrides_and_martial_law():
    run("day-off", "2024-12-31", "--name", "Тестовий вихідний")
    assert not is_working_day(dt.date(2024, 12, 31))
    run("working-day", "2024-12-28", "--name", "Робоча субота")
    assert is_working_day(dt.date(2024, 12, 28))
    run("clear", "2024-12-31")
    assert is_working_day(dt.date(2024, 12, 31))
    assert list(HolidayOverride.objects.values_list("date", flat=True)) == [dt.date(2024, 12, 28)]
    run("martial-law", "2022-02-24", "--end", "2024-12-31")
    assert MartialLawPeriod.objects.get().ends_on == dt.date(2024, 12, 31)
    assert not is_working_day(dt.date(2025, 5, 8))
    assert run("deadline", "2025-05-07", "1").strip() == "2025-05-09"


def test_bad_input_is_an_error_and_changes_nothing():
    with pytest.raises(CommandError):
        run("martial-law", "2023-01-01", "--end", "2023-02-01")  # overlaps the seeded period
    with pytest.raises(CommandError):
        run("day-off", "2024-12-31", "--name", " ")
    assert not HolidayOverride.objects.exists()
    assert MartialLawPeriod.objects.count() == 1
