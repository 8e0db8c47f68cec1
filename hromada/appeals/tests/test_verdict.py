"""The applicant's verdict: confirm, reopen within the term, rate once."""

import datetime as dt

import pytest

from hromada.accounts.tests.factories import verified_user
from hromada.appeals.models import CaseEvent, CaseStatus, EventKind
from hromada.appeals.services import verdict
from hromada.appeals.tests.factories import make_category, make_department
from hromada.appeals.tests.helpers_public import appeal, close, shown_report
from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)


@pytest.fixture
def resolved(hromada, resident, officer):
    department = make_department(hromada, members=[officer])
    category = make_category(hromada, department=department, target_hours=48)
    case = shown_report(hromada, applicant=resident, category=category, now=T0)
    return close(case, at=T0 + dt.timedelta(days=1))


def test_the_reporter_confirms_a_resolved_report(resolved, resident):
    verdict.case_confirm(resolved, resident, now=T0 + dt.timedelta(days=2))
    resolved.refresh_from_db()
    assert resolved.confirmed_at == T0 + dt.timedelta(days=2)
    assert CaseEvent.objects.filter(case=resolved, kind=EventKind.CONFIRMED, public=True).exists()
    entry = LedgerEntry.objects.filter(kind="appeals.case_confirmed").get()
    assert entry.payload["case"] == str(resolved.public_id)
    with pytest.raises(DomainError) as caught:
        verdict.case_confirm(resolved, resident)
    assert caught.value.code == "already_confirmed"


def test_only_the_applicant_gives_a_verdict(resolved, officer):
    other = verified_user()
    for user in (other, officer):
        with pytest.raises(PermissionDenied):
            verdict.case_confirm(resolved, user)
        with pytest.raises(PermissionDenied):
            verdict.case_reopen(resolved, user, "Не світить")
        with pytest.raises(PermissionDenied):
            verdict.case_rate(resolved, user, 5)


def test_an_open_case_cannot_be_confirmed_or_rated(hromada, resident):
    case = shown_report(hromada, applicant=resident, now=T0)
    with pytest.raises(DomainError) as caught:
        verdict.case_confirm(case, resident)
    assert caught.value.code == "not_confirmable" and caught.value.status == 409
    with pytest.raises(DomainError) as caught:
        verdict.case_rate(case, resident, 4)
    assert caught.value.code == "not_answered_yet"
    with pytest.raises(DomainError) as caught:
        verdict.case_reopen(case, resident, "Ще не зроблено")
    assert caught.value.code == "not_reopenable"


def test_reopening_within_the_term_puts_it_back_in_progress(resolved, resident, officer):
    now = T0 + dt.timedelta(days=3)
    verdict.case_reopen(resolved, resident, "Ліхтар знову не світить", now=now)
    resolved.refresh_from_db()
    assert resolved.status == CaseStatus.IN_PROGRESS
    assert resolved.reopened_count == 1
    assert resolved.answered_at is None
    # A fresh target from the reopening: the category's 48 hours.
    assert resolved.due_at == now + dt.timedelta(hours=48)
    event = CaseEvent.objects.get(case=resolved, kind=EventKind.REOPENED)
    assert event.text == "Ліхтар знову не світить" and event.data["previous"] == CaseStatus.RESOLVED
    entry = LedgerEntry.objects.filter(kind="appeals.case_reopened").get()
    assert "Ліхтар" not in str(entry.payload) and entry.payload["reopened_count"] == 1
    assert Notification.objects.filter(
        user=officer, kind="appeals.case_new", title__contains="знову"
    ).exists()


def test_reopening_after_the_term_is_refused_with_the_date(resolved, resident, hromada):
    days = verdict.settings_of(hromada).confirm_days
    late = resolved.answered_at + dt.timedelta(days=days, minutes=1)
    with pytest.raises(DomainError) as caught:
        verdict.case_reopen(resolved, resident, "Знову зламалось", now=late)
    assert caught.value.code == "reopen_too_late"
    assert f"{days} дн." in str(caught.value.message)
    resolved.refresh_from_db()
    assert resolved.status == CaseStatus.RESOLVED and resolved.reopened_count == 0
    # The last moment of the term is still inside it.
    verdict.case_reopen(resolved, resident, "Знову зламалось", now=late - dt.timedelta(minutes=1))


def test_reopening_needs_a_reason_and_not_a_confirmed_case(resolved, resident):
    with pytest.raises(DomainError) as caught:
        verdict.case_reopen(resolved, resident, "   ")
    assert caught.value.code == "reason_required" and caught.value.field == "reason"
    verdict.case_confirm(resolved, resident)
    with pytest.raises(DomainError) as caught:
        verdict.case_reopen(resolved, resident, "Передумав")
    assert caught.value.code == "already_confirmed"


def test_a_not_fixed_report_may_be_reopened_but_not_confirmed(hromada, resident):
    case = close(shown_report(hromada, applicant=resident, now=T0), status=CaseStatus.NOT_FIXED)
    with pytest.raises(DomainError):
        verdict.case_confirm(case, resident)
    verdict.case_reopen(case, resident, "Це в межах громади", now=case.answered_at + dt.timedelta(hours=1))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_rating_is_once_and_from_one_to_five(hromada, resident):
    case = close(
        appeal(hromada, resident, now=T0), status=CaseStatus.ANSWERED, answer="Дорогу внесено в план."
    )
    for bad in (0, 6, "five", None):
        with pytest.raises(DomainError) as caught:
            verdict.case_rate(case, resident, bad)
        assert caught.value.code == "rating_invalid"
    verdict.case_rate(case, resident, 4, "Дякую, але довго")
    case.refresh_from_db()
    assert (case.rating, case.rating_comment) == (4, "Дякую, але довго")
    event = CaseEvent.objects.get(case=case, kind=EventKind.RATED)
    assert event.public is False  # the comment is for staff
    assert LedgerEntry.objects.filter(kind="appeals.case_rated").get().payload["rating"] == 4
    with pytest.raises(DomainError) as caught:
        verdict.case_rate(case, resident, 5)
    assert caught.value.code == "already_rated"


def test_verdict_state_says_what_is_offered(resolved, resident):
    state = verdict.verdict_state(resolved, resident, now=resolved.answered_at + dt.timedelta(days=1))
    assert state["confirm"] and state["reopen"] and state["rate"]
    late = resolved.answered_at + dt.timedelta(days=verdict.settings_of(resolved.hromada).confirm_days + 1)
    state = verdict.verdict_state(resolved, resident, now=late)
    assert state["confirm"] and not state["reopen"]
    assert not any(verdict.verdict_state(resolved, verified_user()).values())
