"""The legal terms of services/deadlines.py on the kernel's legal calendar: weekends,
holidays (working days under martial law, days off without it), operators' overrides,
month arithmetic, hour-counted terms, extension limits and the deadline colours."""

import datetime as dt

import pytest

from hromada.appeals.models import CaseKind
from hromada.appeals.services import deadlines as d
from hromada.core.calendar import KYIV, calendar_override_add, martial_law_period_set

D = dt.date
pytestmark = pytest.mark.django_db


def at(day: D, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KYIV)


def eod(day: D) -> dt.datetime:
    return d.end_of_day(day)


def without_martial_law() -> None:
    """Martial law ended on 31 December 2025: 2026's holidays are days off again."""
    martial_law_period_set(starts_on=D(2022, 2, 24), ends_on=D(2025, 12, 31))


# --- appeals: 15 days, one month, 45 at most ------------------------------------------------------


@pytest.mark.parametrize(
    "received, due, why",
    [
        (D(2026, 12, 4), D(2026, 12, 21), "Fri + 15 = Sat 19 Dec: rolls to Monday"),
        (D(2026, 12, 6), D(2026, 12, 21), "Sun + 15 = Mon 21 Dec: no roll needed"),
        (D(2026, 12, 7), D(2026, 12, 22), "Mon + 15 = Tue"),
        (D(2026, 12, 10), D(2026, 12, 25), "Christmas on a Friday is a working day under martial law"),
        (D(2026, 6, 13), D(2026, 6, 29), "Sat 13 Jun + 15 = Sun 28 Jun (Constitution Day): Monday 29"),
    ],
)
def test_an_appeal_has_fifteen_calendar_days_ending_on_a_working_day(received, due, why):
    assert d.appeal_due(at(received), extra_study=False) == eod(due), why


def test_without_martial_law_a_holiday_ends_no_term():
    without_martial_law()
    # 10 Dec + 15 = Christmas, Friday 25 December: a day off again, so Monday 28.
    assert d.appeal_due(at(D(2026, 12, 10)), extra_study=False) == eod(D(2026, 12, 28))
    # 13 Jun + 15 = Sunday 28 June (Constitution Day, transferred to Monday 29): Tuesday 30.
    assert d.appeal_due(at(D(2026, 6, 13)), extra_study=False) == eod(D(2026, 6, 30))


def test_an_override_day_off_moves_a_term_even_under_martial_law():
    calendar_override_add(date=D(2026, 12, 22), kind="add", name="Жалоба")
    assert d.appeal_due(at(D(2026, 12, 7)), extra_study=False) == eod(D(2026, 12, 23))


def test_the_day_of_receipt_never_counts_and_late_evening_is_still_that_day():
    # 23:30 in Kyiv on 7 December is 21:30 UTC the same day: the term starts on the 8th.
    late = dt.datetime(2026, 12, 7, 21, 30, tzinfo=dt.UTC)
    assert d.appeal_due(late, extra_study=False) == eod(D(2026, 12, 22))
    # 00:30 in Kyiv on 8 December is still 7 December in UTC: Kyiv's date decides.
    early = dt.datetime(2026, 12, 7, 22, 30, tzinfo=dt.UTC)
    assert d.appeal_due(early, extra_study=False) == eod(D(2026, 12, 23))


@pytest.mark.parametrize(
    "received, due",
    [
        (D(2026, 1, 31), D(2026, 3, 2)),  # 28 February 2026 is a Saturday: Monday 2 March
        (D(2028, 1, 31), D(2028, 2, 29)),  # a leap year: Tuesday 29 February
        (D(2027, 1, 31), D(2027, 3, 1)),  # Sunday 28 February 2027: Monday 1 March
        (D(2026, 3, 15), D(2026, 4, 15)),
        (D(2026, 12, 15), D(2027, 1, 15)),  # across the year
    ],
)
def test_one_month_of_extra_study_ends_on_the_months_same_or_last_day(received, due):
    assert d.appeal_due(at(received), extra_study=True) == eod(due)


def test_add_months():
    assert d.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert d.add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert d.add_months(D(2026, 3, 31), 1) == D(2026, 4, 30)
    assert d.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_the_appeals_longest_term_is_forty_five_days():
    # 1 December 2026 + 45 = Friday 15 January 2027.
    assert d.appeal_max_due(at(D(2026, 12, 1))) == eod(D(2027, 1, 15))
    # 2 December + 45 = Saturday 16 January 2027 -> Monday 18.
    assert d.appeal_max_due(at(D(2026, 12, 2))) == eod(D(2027, 1, 18))


def test_return_within_ten_days_and_forward_within_five():
    # Wednesday 2 Dec + 10 = Saturday 12 December -> Monday 14.
    assert d.return_due(at(D(2026, 12, 2))) == eod(D(2026, 12, 14))
    # Monday 7 Dec + 5 = Saturday 12 -> Monday 14.
    assert d.forward_due(at(D(2026, 12, 7))) == eod(D(2026, 12, 14))
    assert d.forward_due(at(D(2026, 12, 8))) == eod(D(2026, 12, 14))  # Sunday 13 -> Monday 14
    assert d.forward_due(at(D(2026, 12, 9))) == eod(D(2026, 12, 14))


# --- information requests: 5 working days, 48 hours, 20 working days -------------------------------


@pytest.mark.parametrize(
    "received, due, why",
    [
        (D(2026, 12, 7), D(2026, 12, 14), "Mon: Tue..Fri and Monday"),
        (D(2026, 12, 5), D(2026, 12, 11), "received on Saturday: Mon..Fri"),
        (D(2026, 12, 24), D(2026, 12, 31), "Christmas 25 Dec and 28-31 Dec, under martial law"),
    ],
)
def test_an_information_request_has_five_working_days(received, due, why):
    assert d.info_due(at(received), urgent=False) == eod(due), why


def test_without_martial_law_holidays_are_skipped_by_working_days():
    without_martial_law()
    # From Thursday 24 Dec: 25 Dec and 1 Jan are days off: 28, 29, 30, 31 Dec, 4 Jan.
    assert d.info_due(at(D(2026, 12, 24)), urgent=False) == eod(D(2027, 1, 4))


def test_an_override_adds_a_day_off_to_working_days():
    calendar_override_add(date=D(2026, 12, 9), kind="add", name="Рішення уряду")
    assert d.info_due(at(D(2026, 12, 7)), urgent=False) == eod(D(2026, 12, 15))
    calendar_override_add(date=D(2026, 12, 12), kind="remove", name="Робоча субота")
    assert d.info_due(at(D(2026, 12, 7)), urgent=False) == eod(D(2026, 12, 14))


def test_an_urgent_request_has_forty_eight_hours_on_the_clock():
    friday_evening = at(D(2026, 12, 4), 18, 15)
    assert d.info_due(friday_evening, urgent=True) == at(D(2026, 12, 6), 18, 15)  # weekends count
    assert d.first_due(kind=CaseKind.INFO, received=friday_evening, urgent=True) == at(D(2026, 12, 6), 18, 15)


def test_the_longest_information_term_and_its_notice():
    received = at(D(2026, 12, 7))
    # 20 working days from Monday 7 December: 1 January 2027 is a working day under martial law.
    assert d.info_max_due(received) == eod(D(2027, 1, 4))
    assert d.info_extension_notice_due(received) == eod(D(2026, 12, 14))


def test_a_problem_report_counts_hours():
    received = at(D(2026, 12, 4), 16)
    assert d.report_due(received, hours=72) == at(D(2026, 12, 7), 16)
    assert d.first_due(kind=CaseKind.REPORT, received=received, hours=24) == at(D(2026, 12, 5), 16)


# --- extension limits ---------------------------------------------------------------------------


def test_an_appeal_extends_to_forty_five_days_at_most_and_only_before_its_term_ends():
    received = at(D(2026, 12, 1))
    due = d.appeal_due(received, extra_study=False)  # 16 December
    limit = d.extension_limit(kind=CaseKind.APPEAL, received=received, due=due, now=at(D(2026, 12, 10)))
    assert limit == d.ExtensionLimit(eod(D(2027, 1, 15)))
    at_max = d.extension_limit(
        kind=CaseKind.APPEAL, received=received, due=eod(D(2027, 1, 15)), now=at(D(2026, 12, 20))
    )
    assert at_max.refusal == "extension_at_maximum"
    late = d.extension_limit(kind=CaseKind.APPEAL, received=received, due=due, now=at(D(2026, 12, 17)))
    assert late == d.ExtensionLimit(None, "deadline_passed")


def test_an_information_request_extends_to_twenty_working_days_once_not_when_urgent():
    received = at(D(2026, 12, 7))
    due = d.info_due(received, urgent=False)
    now = at(D(2026, 12, 14), 16)  # the fifth working day: the notice is still in time
    assert d.extension_limit(kind=CaseKind.INFO, received=received, due=due, now=now) == d.ExtensionLimit(
        eod(D(2027, 1, 4))
    )
    once = d.extension_limit(kind=CaseKind.INFO, received=received, due=due, now=now, extended=True)
    assert once.refusal == "extension_once"
    urgent = d.extension_limit(
        kind=CaseKind.INFO,
        received=received,
        due=received + dt.timedelta(hours=48),
        now=received,
        urgent=True,
    )
    assert urgent.refusal == "extension_urgent"
    assert (
        d.extension_limit(kind=CaseKind.INFO, received=received, due=due, now=at(D(2026, 12, 15))).refusal
        == "deadline_passed"
    )


def test_an_information_extension_notice_after_five_working_days_is_late():
    received = at(D(2026, 12, 7))
    # A term already later than five working days (set by hand): the notice's own term decides.
    late = d.extension_limit(
        kind=CaseKind.INFO, received=received, due=eod(D(2026, 12, 31)), now=at(D(2026, 12, 15))
    )
    assert late.refusal == "extension_notice_late"


def test_without_martial_law_the_twenty_working_days_skip_holidays():
    without_martial_law()
    # 25 December and 1 January are days off: two working days later, Wednesday 6 January.
    assert d.info_max_due(at(D(2026, 12, 7))) == eod(D(2027, 1, 6))


def test_a_report_target_may_move_to_any_later_moment_before_it_passes():
    received = at(D(2026, 12, 1))
    due = d.report_due(received, hours=48)
    assert d.extension_limit(
        kind=CaseKind.REPORT, received=received, due=due, now=received
    ) == d.ExtensionLimit(None, "")
    assert (
        d.extension_limit(kind=CaseKind.REPORT, received=received, due=due, now=due + dt.timedelta(seconds=1))
    ).refusal == "deadline_passed"


# --- colours --------------------------------------------------------------------------------------


def test_urgency_colours():
    friday = at(D(2026, 12, 4), 10)
    assert d.urgency(due=None, now=friday) == ""
    assert d.urgency(due=friday - dt.timedelta(minutes=1), now=friday) == "overdue"
    assert d.urgency(due=friday + dt.timedelta(hours=23), now=friday) == "near"
    # Friday -> Tuesday: Monday and Tuesday are two working days: near.
    assert d.urgency(due=eod(D(2026, 12, 8)), now=friday) == "near"
    # Friday -> Wednesday: three working days: ok.
    assert d.urgency(due=eod(D(2026, 12, 9)), now=friday) == "ok"
    assert d.urgency(due=eod(D(2026, 12, 9)), now=friday, remind_working_days=3) == "near"
    assert d.urgency(due=eod(D(2026, 12, 9)), now=friday, remind_working_days=0) == "ok"


def test_urgency_without_martial_law_counts_only_working_days():
    without_martial_law()
    # Thursday 24 Dec -> Tuesday 29 Dec: 25 Dec is off, so 28 and 29: two working days, near.
    assert d.urgency(due=eod(D(2026, 12, 29)), now=at(D(2026, 12, 24))) == "near"
