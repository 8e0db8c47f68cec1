"""The writes: every rule, its ledger entry, every problem at once, who may write."""

import datetime as dt

import pytest

from hromada.cnap.models import ScheduleException, Service, ServiceStatus, WeeklyHours
from hromada.cnap.services import catalogue as cat
from hromada.cnap.services import offices as off
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry

from .factories import make_category, make_office, make_service, make_situation, make_workplace

pytestmark = pytest.mark.django_db
T, D = dt.time, dt.date


def _kinds(hromada):
    return list(
        LedgerEntry.objects.filter(hromada=hromada, kind__startswith="cnap.")
        .order_by("id")
        .values_list("kind", flat=True)
    )


FULL = {
    "code": "00050",
    "title": "Реєстрація місця проживання",
    "provider": "Виконавчий комітет міської ради",
    "applicants": "Громадяни України, іноземці з посвідкою",
    "term": "у день звернення",
    "result": "Відомості в реєстрі територіальної громади",
    "in_person": True,
    "booking_allowed": True,
    "visit_units": 2,
}


def test_a_service_is_created_found_published_changed_and_archived(hromada, hromada_admin):
    category = make_category(hromada, code="reyestratsiya")
    situation = make_situation(hromada, code="pereyizd")
    service = cat.service_create(
        hromada, hromada_admin, category="reyestratsiya", life_situations=["pereyizd"], **FULL
    )
    assert service.status == ServiceStatus.DRAFT and service.category == category
    assert list(service.life_situations.all()) == [situation]
    assert "реєстрація" in service.search_text
    cat.document_save(service, hromada_admin, title="Паспорт громадянина України", form="original")
    service.refresh_from_db()
    assert "паспорт" in service.search_text  # documents are searchable too
    service = cat.service_publish(service, hromada_admin)
    assert service.status == ServiceStatus.PUBLISHED and service.published_at
    service = cat.service_update(service, hromada_admin, term="до 3 робочих днів")
    assert service.term == "до 3 робочих днів" and service.title == FULL["title"]
    service = cat.service_archive(service, hromada_admin)
    assert service.status == ServiceStatus.ARCHIVED
    assert _kinds(hromada) == [
        "cnap.service_created",
        "cnap.service_changed",
        "cnap.service_published",
        "cnap.service_changed",
        "cnap.service_archived",
    ]
    changed = LedgerEntry.objects.filter(hromada=hromada, kind="cnap.service_changed").order_by("id").last()
    assert changed.payload["changed"] == ["term"] and changed.payload["code"] == "00050"


def test_every_problem_is_reported_at_once_and_nothing_is_written(hromada, hromada_admin):
    with pytest.raises(DomainError) as caught:
        cat.service_create(
            hromada,
            hromada_admin,
            code="",
            title="",
            fee_kind="fixed",
            fee_amount="abc",
            online_url="ftp://x",
            visit_units=0,
            in_person=False,
            category="nema",
        )
    fields = {e.field for e in caught.value.errors}
    assert {"code", "title", "fee_amount", "online_url", "visit_units", "category"} <= fields
    assert all(str(e.message) for e in caught.value.errors)
    assert Service.objects.count() == 0 and _kinds(hromada) == []


def test_fees(hromada, hromada_admin):
    with pytest.raises(DomainError) as caught:
        cat.service_create(hromada, hromada_admin, **{**FULL, "fee_kind": "fixed"})
    assert caught.value.errors[0].code == "fee_amount_required"
    paid = cat.service_create(hromada, hromada_admin, **{**FULL, "fee_kind": "fixed", "fee_amount": "85,50"})
    assert str(paid.fee_amount) == "85.50"
    free = cat.service_update(paid, hromada_admin, fee_kind="free")
    assert free.fee_amount is None  # a free service keeps no amount
    with pytest.raises(DomainError):
        cat.service_update(free, hromada_admin, fee_kind="fixed", fee_amount="1.234")


def test_codes_are_unique_and_other_hromadas_rows_are_refused(hromada, other_hromada, hromada_admin):
    cat.service_create(hromada, hromada_admin, **FULL)
    with pytest.raises(DomainError) as caught:
        cat.service_create(hromada, hromada_admin, **{**FULL, "title": "Інша"})
    assert caught.value.code == "service_code_taken" and caught.value.status == 409
    foreign = make_category(other_hromada, code="chuzha")
    with pytest.raises(DomainError) as caught:
        cat.service_create(hromada, hromada_admin, **{**FULL, "code": "1", "category": foreign})
    assert caught.value.code == "category_unknown"


def test_publishing_needs_what_a_resident_reads(hromada, hromada_admin):
    service = cat.service_create(hromada, hromada_admin, code="x1", title="Довідка")
    with pytest.raises(DomainError) as caught:
        cat.service_publish(service, hromada_admin)
    assert {e.field for e in caught.value.errors} == {"provider", "applicants", "term", "result"}
    service.refresh_from_db()
    assert service.status == ServiceStatus.DRAFT
    published = make_service(hromada)
    with pytest.raises(DomainError) as caught:
        cat.service_update(published, hromada_admin, term="")
    assert caught.value.errors[0].field == "term"
    with pytest.raises(DomainError) as caught:
        cat.service_publish(published, hromada_admin)
    assert caught.value.code == "service_already_published"
    with pytest.raises(DomainError) as caught:
        cat.service_archive(service, hromada_admin)
    assert caught.value.code == "service_not_published"


def test_only_the_centres_administrator_writes(hromada, other_hromada, officer, resident):
    from hromada.accounts.tests.factories import staff_user

    for actor in (officer, resident, staff_user(other_hromada, "admin")):
        with pytest.raises(PermissionDenied):
            cat.service_create(hromada, actor, **FULL)
        with pytest.raises(PermissionDenied):
            off.office_save(hromada, actor, code="c", name="ЦНАП", address="вул. 1")
    assert Service.objects.count() == 0


def test_documents_keep_their_order(hromada, hromada_admin):
    service = make_service(hromada)
    first = cat.document_save(service, hromada_admin, title="Паспорт")
    second = cat.document_save(service, hromada_admin, title="Заява", required=False, form="copy")
    assert (first.order, second.order) == (1, 2)
    cat.document_save(service, hromada_admin, document=first, title="Паспорт або ID-картка")
    first.refresh_from_db()
    assert first.order == 1 and first.title == "Паспорт або ID-картка"
    with pytest.raises(DomainError):
        cat.document_save(service, hromada_admin, title="", form="scan")
    cat.document_delete(second, hromada_admin)
    assert list(service.documents.values_list("title", flat=True)) == ["Паспорт або ID-картка"]


def test_offices_workplaces_and_week(hromada, hromada_admin):
    service = make_service(hromada, code="00050")
    office = off.office_save(
        hromada, hromada_admin, code="tsentr", name="ЦНАП", address="вул. Соборна, 1", lat="48,5", lon="32.26"
    )
    assert (office.lat, office.lon) == (48.5, 32.26)
    window = off.workplace_save(office, hromada_admin, number=1, services=["00050"])
    assert window.unit_minutes == 15 and list(window.services.all()) == [service]  # the settings' default
    with pytest.raises(DomainError) as caught:
        off.workplace_save(office, hromada_admin, number=1)
    assert caught.value.code == "workplace_number_taken"
    with pytest.raises(DomainError) as caught:
        off.workplace_save(office, hromada_admin, number=2, unit_minutes=3, services=["nema"])
    assert {e.field for e in caught.value.errors} == {"unit_minutes", "services"}
    off.week_set(office, hromada_admin, off.default_week())
    assert WeeklyHours.objects.filter(office=office).count() == 6
    off.week_set(
        office,
        hromada_admin,
        {5: None, 0: {"opens": "09:00", "closes": "18:00", "break_starts": "13:00", "break_ends": "13:30"}},
    )
    rows = {r.weekday: r for r in WeeklyHours.objects.filter(office=office)}
    assert 5 not in rows and rows[0].opens == T(9) and rows[0].break_ends == T(13, 30)
    assert rows[2].closes == T(20)  # untouched weekdays keep their rows
    kinds = _kinds(hromada)
    assert kinds.count("cnap.office_changed") == 4


def test_a_bad_week_changes_nothing(hromada, hromada_admin):
    office = make_office(hromada)
    before = list(WeeklyHours.objects.filter(office=office).values_list("weekday", "opens", "closes"))
    with pytest.raises(DomainError) as caught:
        off.week_set(
            office,
            hromada_admin,
            {
                0: {"opens": "18:00", "closes": "08:00"},
                1: {"opens": "8:00", "closes": "17:00", "break_starts": "12:00"},
                2: {"opens": "08:00", "closes": "17:00", "break_starts": "07:00", "break_ends": "09:00"},
                3: {"opens": "вісім", "closes": "17:00"},
                4: {"break_starts": "12:00", "break_ends": "13:00"},
            },
        )
    fields = {e.field for e in caught.value.errors}
    assert fields == {"d0_closes", "d1_break_starts", "d2_break_starts", "d3_opens", "d4_opens"}
    assert list(WeeklyHours.objects.filter(office=office).values_list("weekday", "opens", "closes")) == before


def test_exceptions(hromada, other_hromada, hromada_admin):
    office = make_office(hromada)
    window = make_workplace(office)
    foreign = make_workplace(make_office(other_hromada))
    row = off.exception_add(office, hromada_admin, starts_on="2026-12-07", reason="Ремонт")
    assert row.ends_on == D(2026, 12, 7) and row.closed
    other = off.exception_add(
        office,
        hromada_admin,
        workplace=window,
        starts_on=D(2026, 12, 8),
        ends_on=D(2026, 12, 9),
        closed=False,
        opens="10:00",
        closes="13:00",
        reason="Навчання",
    )
    assert other.opens == T(10)
    with pytest.raises(DomainError) as caught:
        off.exception_add(
            office,
            hromada_admin,
            workplace=foreign,
            starts_on="2026-12-09",
            ends_on="2026-12-01",
            closed=False,
            opens="13:00",
            closes="10:00",
            reason="",
        )
    assert {e.field for e in caught.value.errors} == {"workplace", "ends_on", "closes", "reason"}
    with pytest.raises(DomainError) as caught:
        off.exception_add(office, hromada_admin, starts_on="2026-01-01", ends_on="2027-06-01", reason="Довго")
    assert caught.value.code == "exception_too_long"
    off.exception_remove(row, hromada_admin)
    assert list(ScheduleException.objects.values_list("reason", flat=True)) == ["Навчання"]
    assert _kinds(hromada)[-3:] == [
        "cnap.schedule_exception_added",
        "cnap.schedule_exception_added",
        "cnap.schedule_exception_removed",
    ]


def test_an_okrug_only_through_places_and_only_when_it_is_on(hromada, other_hromada, hromada_admin):
    from hromada.places.models import Area, AreaKind
    from hromada.tenancy.services import module_switch_set

    okrug = Area.objects.create(
        hromada=hromada, kind=AreaKind.OKRUG, name="Вербівський старостинський округ", slug="verbivskyi"
    )
    foreign = Area.objects.create(hromada=other_hromada, kind=AreaKind.OKRUG, name="Чужий", slug="chuzhyi")
    office = off.office_save(
        hromada,
        hromada_admin,
        kind="remote",
        code="verby",
        name="Віддалене місце",
        address="с. Верби",
        okrug="verbivskyi",
    )
    assert office.okrug == okrug
    with pytest.raises(DomainError) as caught:
        off.office_save(
            hromada,
            hromada_admin,
            office=office,
            kind="remote",
            code="verby",
            name="В",
            address="с. В",
            okrug=foreign,
        )
    assert caught.value.code == "okrug_unknown"
    module_switch_set(actor=hromada_admin, hromada=hromada, module="places", enabled=False)
    with pytest.raises(DomainError) as caught:
        off.office_save(hromada, hromada_admin, code="inshe", name="В", address="с. В", okrug="verbivskyi")
    assert caught.value.code == "okrug_unavailable"
    # Without places an office is an address.
    plain = off.office_save(hromada, hromada_admin, kind="mobile", code="keis", name="Мобільний кейс")
    assert plain.okrug is None and plain.address == ""
