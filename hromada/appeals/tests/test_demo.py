"""The demo's appeals (demo.py), through demo_seed's own machinery — the demo hromada,
its people, every event in time order on the travelled clock — with only the places
demo (which it stands on) and this one, so it runs in seconds; `make demo` runs all."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from hromada.core.modules import registry

pytestmark = pytest.mark.django_db

STANDS_ON = ("places", "appeals")


@pytest.fixture
def demo(settings, monkeypatch):
    from hromada.tenancy.management.commands import demo_seed
    from hromada.tenancy.models import Hromada

    settings.ALLOWED_HOSTS = ["*"]
    modules = [m for m in registry if m.label in STANDS_ON or m.kernel]
    monkeypatch.setattr(demo_seed, "registry", modules)
    out = io.StringIO()
    call_command("demo_seed", stdout=out)
    assert "Demo accounts" in out.getvalue() and "api_key" not in out.getvalue()
    return Hromada.objects.get(slug="demo")


def _user(email: str):
    from hromada.accounts.models import User

    return User.objects.get(email=email)


def test_the_demo_holds_every_state_channel_and_deadline(demo):
    from hromada.appeals.models import (
        ApiClient,
        AppealType,
        Case,
        CaseEvent,
        CaseKind,
        CaseStatus,
        Category,
        Channel,
        Department,
        EventKind,
        Moderation,
        Subscription,
    )
    from hromada.appeals.services import deadlines
    from hromada.core import calendar
    from hromada.ledger.models import LedgerEntry
    from hromada.ledger.verify import verify_database

    cases = Case.objects.for_hromada(demo)
    reports = cases.filter(kind=CaseKind.REPORT)
    appeals = cases.filter(kind=CaseKind.APPEAL).exclude(status=CaseStatus.DRAFT)
    infos = cases.filter(kind=CaseKind.INFO)

    # The set-up: departments, enterprises and a starosta's office with people; categories.
    departments = Department.objects.for_hromada(demo)
    assert {"department", "enterprise", "starosta"} <= set(departments.values_list("kind", flat=True))
    assert all(d.head_id for d in departments)
    svitlo = departments.get(slug="misksvitlo")
    assert svitlo.memberships.filter(user__email="officer@demo.hromada.test").exists()
    assert departments.get(kind="starosta").area is not None
    report_categories = Category.objects.for_hromada(demo).filter(kind=CaseKind.REPORT)
    assert report_categories.count() >= 12
    assert report_categories.filter(attributes__isnull=False).distinct().count() >= 3
    assert report_categories.exclude(target_hours=None).count() >= 12
    assert ApiClient.objects.for_hromada(demo).filter(active=True).count() == 1

    # Reports in every state, on the demo's real buildings, moderated.
    assert 60 <= reports.count() <= 100
    states = set(reports.values_list("status", flat=True))
    assert {"assigned", "in_progress", "resolved", "not_fixed", "duplicate"} <= states
    assert reports.filter(building__isnull=False).count() == reports.count()
    assert reports.filter(area__kind="okrug").exists() and reports.filter(area__kind="district").exists()
    assert reports.filter(department__kind="starosta").exists()
    assert set(reports.values_list("moderation", flat=True)) == set(Moderation.values)
    duplicate = reports.get(status=CaseStatus.DUPLICATE)
    assert duplicate.duplicate_of.status == CaseStatus.RESOLVED
    assert Subscription.objects.filter(case=duplicate.duplicate_of, user=duplicate.applicant).exists()
    reopened = reports.get(reopened_count=1)
    assert reopened.status == CaseStatus.RESOLVED and reopened.confirmed_at is not None
    assert reports.exclude(rating=None).count() >= 5 and reports.exclude(confirmed_at=None).count() >= 5
    assert reports.filter(supporters__gt=0).exists()
    assert EventKind.ROUTED in set(CaseEvent.objects.filter(case__in=reports).values_list("kind", flat=True))

    # Appeals of each type; collective, extended, forwarded, returned, rejected.
    assert 12 <= appeals.count() <= 20
    assert set(appeals.values_list("appeal_type", flat=True)) == {
        AppealType.PROPOSAL,
        AppealType.STATEMENT,
        AppealType.COMPLAINT,
    }
    collective = appeals.get(collective=True)
    assert collective.cosigners.exclude(user=None).count() >= 2 and collective.status == CaseStatus.ANSWERED
    extended = appeals.exclude(extended_at=None).get()
    assert extended.due_at > extended.first_due_at and extended.is_open
    assert extended.due_at <= deadlines.appeal_max_due(extended.registered_at)
    assert extended.events.filter(kind=EventKind.EXTENDED, public=True).exists()
    forwarded = appeals.get(status=CaseStatus.FORWARDED)
    assert forwarded.forwarded_to and forwarded.answered_at <= deadlines.forward_due(forwarded.registered_at)
    returned = appeals.get(status=CaseStatus.RETURNED)
    assert returned.channel == Channel.PAPER and returned.close_reason
    assert appeals.filter(status=CaseStatus.REJECTED).exists()
    assert appeals.filter(status=CaseStatus.ANSWERED).count() >= 5

    # Information requests: an urgent one within 48 hours, an extended one, others within 5 working days.
    assert 6 <= infos.count() <= 12
    urgent = infos.get(urgent=True)
    assert urgent.status == CaseStatus.ANSWERED
    assert urgent.answered_at <= urgent.registered_at + dt.timedelta(hours=48) == urgent.due_at
    extended_info = infos.exclude(extended_at=None).get()
    assert extended_info.extended_at <= deadlines.info_extension_notice_due(extended_info.registered_at)
    assert extended_info.status == CaseStatus.ANSWERED and extended_info.answered_at <= extended_info.due_at
    in_five = [
        c
        for c in infos.filter(status=CaseStatus.ANSWERED, urgent=False, extended_at=None)
        if calendar.local_date(c.answered_at)
        <= calendar.add_working_days(calendar.local_date(c.registered_at), 5)
    ]
    assert len(in_five) >= 2

    # Every channel; accounts-less applicants gave a phone (nothing is e-mailed later).
    assert {Channel.WEB, Channel.HOTLINE, Channel.API, Channel.PAPER, Channel.VISIT} <= set(
        cases.values_list("channel", flat=True)
    )
    assert not cases.filter(applicant=None).exclude(applicant_email="").exists()
    assert cases.filter(channel=Channel.API).exclude(api_client="").exists()

    # The queue's colours now: something overdue and something near its deadline.
    now = timezone.now()
    colours = [
        deadlines.urgency(due=c.due_at, now=now) for c in cases.filter(status__in=["assigned", "in_progress"])
    ]
    assert "overdue" in colours and "near" in colours and "ok" in colours
    assert CaseEvent.objects.filter(case__hromada=demo, kind=EventKind.OVERDUE).exists()

    # Subscriptions to an area and to a category.
    assert Subscription.objects.for_hromada(demo).filter(case=None, area__isnull=False).exists()

    # The ledger agrees with the pages and stays in time order.
    registered = cases.exclude(status=CaseStatus.DRAFT).count()
    assert LedgerEntry.objects.filter(hromada=demo, kind="appeals.case_registered").count() == registered
    answered = cases.filter(status=CaseStatus.ANSWERED).count()
    assert LedgerEntry.objects.filter(hromada=demo, kind="appeals.case_answered").count() == answered
    assert LedgerEntry.objects.filter(hromada=demo, kind="appeals.case_merged").count() == 1
    entries = list(
        LedgerEntry.objects.filter(hromada=demo).order_by("id").values_list("created_at", flat=True)
    )
    assert entries == sorted(entries), "the ledger stays in time order"
    assert verify_database(hromada=demo).pending == 0
    # Every step happened before now; every deadline was computed from its moment.
    assert not CaseEvent.objects.filter(case__hromada=demo, created_at__gt=now).exists()
    for case in appeals.filter(extended_at=None):
        assert case.first_due_at == deadlines.appeal_due(case.registered_at, extra_study=case.extra_study)
    _a_newcomer_follows_each_kind_from_submission_to_answer(demo)


def _a_newcomer_follows_each_kind_from_submission_to_answer(demo) -> None:
    """resident1@ has a case of each kind answered (and a report officer@ can resolve);
    the pages they and the staff open answer (one seed for both checks: it takes seconds)."""
    from hromada.appeals.models import Case, CaseKind, CaseStatus

    resident = _user("resident1@demo.hromada.test")
    mine = Case.objects.for_hromada(demo).filter(applicant=resident)
    assert mine.filter(kind=CaseKind.REPORT, status=CaseStatus.RESOLVED, confirmed_at__isnull=False).exists()
    open_report = mine.get(kind=CaseKind.REPORT, status=CaseStatus.IN_PROGRESS)
    assert open_report.department.slug == "misksvitlo"
    assert mine.filter(kind=CaseKind.APPEAL, status=CaseStatus.ANSWERED).exists()
    assert mine.filter(kind=CaseKind.INFO, status=CaseStatus.ANSWERED).exists()
    assert mine.filter(status=CaseStatus.DRAFT).count() == 1

    public = Client(HTTP_HOST="localhost")
    for page in ("/appeals/", "/appeals/map/", "/appeals/stats/", f"/appeals/cases/{open_report.public_id}/"):
        assert public.get(page).status_code == 200, page
    geojson = public.get("/api/v1/appeals/reports.geojson?bbox=31,48,33,50")
    assert geojson.status_code == 200 and len(geojson.json()["features"]) >= 50
    services = public.get("/open311/v2/services.json")
    assert services.status_code == 200 and any(s["service_code"] == "street-light" for s in services.json())
    assert public.get("/open311/v2/requests.json").status_code == 200

    applicant = Client(HTTP_HOST="localhost")
    applicant.force_login(resident)
    cabinet = applicant.get("/appeals/my/")
    assert cabinet.status_code == 200
    for case in mine.exclude(status=CaseStatus.DRAFT):
        assert applicant.get(f"/appeals/cases/{case.public_id}/").status_code == 200

    officer = Client(HTTP_HOST="localhost")
    officer.force_login(_user("officer@demo.hromada.test"))
    queue = officer.get("/staff/appeals/")
    assert queue.status_code == 200 and str(open_report.number) in queue.content.decode()
    assert officer.get(f"/staff/appeals/cases/{open_report.public_id}/").status_code == 200

    admin = Client(HTTP_HOST="localhost")
    admin.force_login(_user("admin@demo.hromada.test"))
    for page in ("/staff/appeals/", "/staff/appeals/setup/", "/staff/appeals/moderation/"):
        assert admin.get(page).status_code == 200, page
    operator = Client(HTTP_HOST="localhost")
    operator.force_login(_user("hotline@demo.hromada.test"))
    assert operator.get("/staff/appeals/hotline/").status_code == 200
