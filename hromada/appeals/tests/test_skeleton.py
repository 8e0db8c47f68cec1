"""The shared core every part builds on: registration (number, deadline, route,
history, ledger, notices) and the law's required fields."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from hromada.appeals.models import Case, CaseEvent, CaseKind, CaseStatus, EventKind
from hromada.appeals.services.cases import case_register
from hromada.appeals.services.deadlines import end_of_day
from hromada.appeals.tests.factories import make_case, make_category, make_department
from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

pytestmark = pytest.mark.django_db


def test_a_report_is_numbered_routed_dated_and_recorded(hromada, resident, officer):
    department = make_department(hromada, members=[officer])
    category = make_category(hromada, department=department, target_hours=72)
    received = dt.datetime(2026, 12, 1, 10, 0, tzinfo=KYIV)
    first = make_case(hromada, category=category, applicant=resident, now=received)
    second = make_case(hromada, category=category, applicant=resident, now=received)
    assert (first.number, second.number) == (1, 2)
    assert first.status == CaseStatus.ASSIGNED and first.department == department
    assert first.due_at == received + dt.timedelta(hours=72)
    assert CaseEvent.objects.filter(case=first, kind=EventKind.REGISTERED, public=True).count() == 1
    entry = LedgerEntry.objects.filter(hromada=hromada, kind="appeals.case_registered").order_by("id").first()
    assert entry.payload["case"] == str(first.public_id) and "applicant" not in entry.payload
    assert Notification.objects.filter(user=resident, kind="appeals.registered").count() == 2
    assert Notification.objects.filter(user=officer, kind="appeals.case_new").count() == 2


def test_an_appeal_gets_fifteen_days_ending_on_a_working_day(hromada):
    # Received on Friday 4 December 2026: 15 days later is Saturday 19 December -> Monday 21.
    received = dt.datetime(2026, 12, 4, 9, 0, tzinfo=KYIV)
    case = make_case(hromada, kind=CaseKind.APPEAL, now=received)
    assert case.status == CaseStatus.REGISTERED
    assert case.due_at == end_of_day(dt.date(2026, 12, 21))


def test_an_incomplete_appeal_is_refused_with_every_missing_field(hromada, resident):
    case = make_case(
        hromada, kind=CaseKind.APPEAL, register=False, applicant_name="Іра", applicant_address="", text=""
    )
    with pytest.raises(DomainError) as caught:
        case_register(case=case, actor=resident)
    assert caught.value.code == "case_incomplete"
    assert {d["field"] for d in caught.value.details} == {"applicant_name", "applicant_address", "text"}
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.number is None
    # An operator may register it as received, to return it with the reason.
    case_register(case=case, actor=resident, strict=False)
    assert case.number == 1


def test_the_database_holds_the_invariants(hromada):
    case = make_case(hromada, kind=CaseKind.APPEAL)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(appeal_type="")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.DUPLICATE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(rating=6)


def test_numbers_are_per_hromada(hromada, other_hromada):
    assert make_case(hromada).number == 1
    assert make_case(other_hromada).number == 1
