"""The legal terms of a case, from the legal calendar (hromada.core.calendar).

- **Appeals** (Law "Про звернення громадян", art. 20): without extra study within 15
  days of receipt; otherwise within one month; the head may extend it, with a notice to
  the applicant, to at most 45 days in all. An appeal lacking the fields art. 5 requires
  is returned with the reason within 10 days (art. 5 part 7 / art. 7), one outside the
  council's competence forwarded within 5 days with a notice (art. 7 part 3).
- **Public-information requests** (Law "Про доступ до публічної інформації", art. 20):
  within 5 working days of receipt; 48 hours when the information is needed to protect
  life or liberty, on the state of the environment, emergencies or accidents; extended
  to 20 working days for a large volume or a search among many records, with a notice
  within 5 working days of receipt (so only before the first term ends).
- **Problem reports** are service requests: the category's target time in hours (or the
  hromada's default), counted on the clock.

A term in days runs from the day after receipt (Civil Code art. 253) and one whose last
day is a day off ends on the next working day (art. 254 part 5). A deadline is the END
of its last day in Kyiv (23:59:59.999999), stored as a moment so queues sort by it.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from hromada.core import calendar
from hromada.core.calendar import KYIV

from ..models import CaseKind

APPEAL_DAYS = 15
APPEAL_STUDY_MONTHS = 1
APPEAL_MAX_DAYS = 45
RETURN_DAYS = 10  # an appeal without the required fields goes back within this term
FORWARD_DAYS = 5  # one outside the council's competence is forwarded within this term
INFO_WORKING_DAYS = 5
INFO_URGENT_HOURS = 48
INFO_MAX_WORKING_DAYS = 20
INFO_EXTEND_NOTICE_WORKING_DAYS = 5


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=KYIV)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day
    (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def _calendar_term(received: dt.datetime, days: int) -> dt.datetime:
    start = calendar.local_date(received)
    return end_of_day(calendar.add_calendar_days(start, days, roll_to_working_day=True))


def appeal_due(received: dt.datetime, *, extra_study: bool) -> dt.datetime:
    if extra_study:
        start = calendar.local_date(received)
        return end_of_day(calendar.next_working_day(add_months(start, APPEAL_STUDY_MONTHS)))
    return _calendar_term(received, APPEAL_DAYS)


def appeal_max_due(received: dt.datetime) -> dt.datetime:
    """The latest an appeal's term may be extended to: 45 days from receipt."""
    return _calendar_term(received, APPEAL_MAX_DAYS)


def return_due(received: dt.datetime) -> dt.datetime:
    return _calendar_term(received, RETURN_DAYS)


def forward_due(received: dt.datetime) -> dt.datetime:
    return _calendar_term(received, FORWARD_DAYS)


def info_due(received: dt.datetime, *, urgent: bool) -> dt.datetime:
    if urgent:
        return received + dt.timedelta(hours=INFO_URGENT_HOURS)
    return end_of_day(calendar.deadline_for(start=received, working_days=INFO_WORKING_DAYS))


def info_max_due(received: dt.datetime) -> dt.datetime:
    return end_of_day(calendar.deadline_for(start=received, working_days=INFO_MAX_WORKING_DAYS))


def info_extension_notice_due(received: dt.datetime) -> dt.datetime:
    """The notice of an extension must be sent within 5 working days of receipt."""
    return end_of_day(calendar.deadline_for(start=received, working_days=INFO_EXTEND_NOTICE_WORKING_DAYS))


def report_due(received: dt.datetime, *, hours: int) -> dt.datetime:
    return received + dt.timedelta(hours=hours)


def first_due(
    *, kind: str, received: dt.datetime, extra_study: bool = False, urgent: bool = False, hours: int = 240
) -> dt.datetime:
    """The term a case gets when it is registered."""
    if kind == CaseKind.APPEAL:
        return appeal_due(received, extra_study=extra_study)
    if kind == CaseKind.INFO:
        return info_due(received, urgent=urgent)
    return report_due(received, hours=hours)


@dataclass(frozen=True)
class ExtensionLimit:
    """How far a case's term may be extended now, or why not (`refusal`, a code)."""

    latest: dt.datetime | None
    refusal: str = ""


def extension_limit(
    *,
    kind: str,
    received: dt.datetime,
    due: dt.datetime,
    now: dt.datetime,
    urgent: bool = False,
    extended: bool = False,
) -> ExtensionLimit:
    """Appeals: up to 45 days from receipt, before the term ends. Information requests:
    to 20 working days, not for urgent ones, and only while the notice can still be
    given in time (5 working days from receipt). Problem reports: targets, not legal
    terms; staff may move them, with a reason, before they pass."""
    if now > due:
        return ExtensionLimit(None, "deadline_passed")
    if kind == CaseKind.APPEAL:
        latest = appeal_max_due(received)
        return ExtensionLimit(latest, "" if latest > due else "extension_at_maximum")
    if kind == CaseKind.INFO:
        if urgent:
            return ExtensionLimit(None, "extension_urgent")
        if extended:
            return ExtensionLimit(None, "extension_once")
        if now > info_extension_notice_due(received):
            return ExtensionLimit(None, "extension_notice_late")
        return ExtensionLimit(info_max_due(received))
    return ExtensionLimit(None, "")  # reports: any later moment (the service checks it is later)


def urgency(*, due: dt.datetime | None, now: dt.datetime, remind_working_days: int = 2) -> str:
    """The deadline colour of an open case: "overdue", "near" (within the reminder's
    working days, or the last 24 hours of an hour-counted term) or "ok"; "" with no term."""
    if due is None:
        return ""
    if now > due:
        return "overdue"
    if due - now <= dt.timedelta(hours=24):
        return "near"
    today = calendar.local_date(now)
    if calendar.working_days_between(today, calendar.local_date(due)) <= remind_working_days:
        return "near"
    return "ok"
