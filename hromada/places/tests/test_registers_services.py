"""The register services (services/registers.py): each rule, its permission, and that a
refused call changed nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from hromada.accounts.tests.factories import ACTORS, role_actor
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.places import services
from hromada.places.geometry import GeometryInvalid
from hromada.places.models import AddressKey, Area, AreaKind, Building, Settlement, Street, StreetName
from hromada.places.tests.imports_helpers import KAMIANKA_BOUNDARY

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[32.0, 49.0], [32.1, 49.0], [32.1, 49.1], [32.0, 49.1], [32.0, 49.0]]],
}


@pytest.fixture
def centre(kamianka):
    return Settlement.objects.get(hromada=kamianka, is_centre=True)


def test_loading_the_codifier_again_keeps_what_the_hromada_set(kamianka):
    village = Settlement.objects.get(hromada=kamianka, name="Лебедівка")
    okrug = services.area_save(
        actor=None, hromada=kamianka, kind="okrug", name="Лебедівський", settlements=[village]
    )
    Settlement.objects.filter(pk=village.pk).update(
        lat=49.1, lon=32.2, population=800, name="Лебедівка (стара)"
    )
    report = services.settlements_load(actor=None, hromada=kamianka)
    assert (report.created, report.updated, report.unchanged, report.missing) == (0, 1, 16, [])
    village.refresh_from_db()
    assert (village.name, village.okrug, village.lat, village.population) == ("Лебедівка", okrug, 49.1, 800)
    centre = Settlement.objects.get(hromada=kamianka, is_centre=True)
    assert (centre.name, centre.category, centre.name_en) == ("Кам’янка", "M", "Kamianka")


def test_a_settlement_gone_from_the_codifier_is_reported_not_deleted(kamianka):
    Settlement.objects.create(
        hromada=kamianka, katottg="UA71080130990000000", category="C", name="Зникле", slug="znykle"
    )
    report = services.settlements_load(actor=None, hromada=kamianka)
    assert report.missing == ["Зникле"] and Settlement.objects.filter(name="Зникле").exists()


def test_a_moved_centre_does_not_break_the_one_centre_rule(kamianka):
    Settlement.objects.filter(hromada=kamianka).update(is_centre=False)
    Settlement.objects.filter(hromada=kamianka, name="Юрчиха").update(is_centre=True)
    services.settlements_load(actor=None, hromada=kamianka)
    assert list(
        Settlement.objects.filter(hromada=kamianka, is_centre=True).values_list("name", flat=True)
    ) == ["Кам’янка"]


def test_settlement_update_refuses_another_hromadas_okrug(kamianka, other_hromada):
    theirs = services.area_save(actor=None, hromada=other_hromada, kind="okrug", name="Чужий")
    village = Settlement.objects.get(hromada=kamianka, name="Лебедівка")
    with pytest.raises(DomainError, match="Оберіть старостинський округ цієї громади."):
        services.settlement_update(actor=None, settlement=village, okrug=theirs)
    with pytest.raises(DomainError, match="Вкажіть і широту, і довготу"):
        services.settlement_update(actor=None, settlement=village, lat=49.0)
    with pytest.raises(DomainError, match="Координати поза межами"):
        services.settlement_update(actor=None, settlement=village, lat=149.0, lon=32.0)
    with pytest.raises(DomainError, match="Населення не може бути від'ємним"):
        services.settlement_update(actor=None, settlement=village, population=-1)
    village.refresh_from_db()
    assert village.lat is None and village.population is None


@pytest.mark.parametrize("role", ACTORS)
def test_who_may_change_the_registers(role, kamianka, other_hromada, centre):
    user = role_actor(role, kamianka, other_hromada)
    before = (Street.objects.count(), Area.objects.count(), LedgerEntry.objects.count())
    calls = {
        "street": (
            ("admin", "officer"),
            lambda: services.street_save(actor=user, hromada=kamianka, settlement=centre, name="Нова"),
        ),
        "okrug": (
            ("admin",),
            lambda: services.area_save(actor=user, hromada=kamianka, kind="okrug", name="Округ"),
        ),
        "zone": (
            ("admin", "officer"),
            lambda: services.area_save(
                actor=user, hromada=kamianka, kind="zone", name="Зона", geometry_value=SQUARE
            ),
        ),
        "load": (("admin",), lambda: services.settlements_load(actor=user, hromada=kamianka)),
    }
    for allowed, call in calls.values():
        if role in allowed:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    if not any(role in allowed for allowed, _call in calls.values()):
        assert (Street.objects.count(), Area.objects.count(), LedgerEntry.objects.count()) == before


def test_areas_are_checked_and_ledgered(kamianka):
    okrug = services.area_save(
        actor=None, hromada=kamianka, kind="okrug", name="  Лебедівський   округ ", geometry_value=SQUARE
    )
    assert okrug.name == "Лебедівський округ" and okrug.slug == "lebedivskyi-okruh"
    assert (okrug.min_lon, okrug.min_lat, okrug.max_lon, okrug.max_lat) == (32.0, 49.0, 32.1, 49.1)
    entry = LedgerEntry.objects.get(hromada=kamianka, kind="places.area_saved")
    assert entry.payload["bbox"] == [32.0, 49.0, 32.1, 49.1] and entry.payload["created"] is True
    with pytest.raises(GeometryInvalid, match="Територія має бути багатокутником"):
        services.area_save(
            actor=None,
            hromada=kamianka,
            kind="zone",
            name="Точка",
            geometry_value={"type": "Point", "coordinates": [32, 49]},
        )
    with pytest.raises(GeometryInvalid, match="Намалюйте або завантажте межі"):
        services.area_save(actor=None, hromada=kamianka, kind="district", name="Без меж")
    with pytest.raises(DomainError, match="Населені пункти входять лише до старостинського округу"):
        services.area_save(
            actor=None, hromada=kamianka, kind="zone", name="З", geometry_value=SQUARE, settlements=[]
        )
    # A zone may overlap an okrug: only areas of one exclusive kind may not.
    services.area_save(actor=None, hromada=kamianka, kind="zone", name="Зона тривоги", geometry_value=SQUARE)


def test_a_second_boundary_is_refused_not_a_server_error(kamianka):
    services.area_save(
        actor=None, hromada=kamianka, kind="boundary", name="Межа", geometry_value=KAMIANKA_BOUNDARY
    )
    with pytest.raises(DomainError, match="Межу громади вже задано"):
        services.area_save(actor=None, hromada=kamianka, kind="boundary", name="Друга", geometry_value=SQUARE)
    assert Area.objects.filter(hromada=kamianka, kind=AreaKind.BOUNDARY).count() == 1


def test_an_areas_kind_is_not_changed_by_saving(kamianka):
    okrug = services.area_save(actor=None, hromada=kamianka, kind="okrug", name="Округ")
    with pytest.raises(DomainError, match="Вид наявної території змінити не можна"):
        services.area_save(
            actor=None, hromada=kamianka, kind="district", name="Округ", area=okrug, geometry_value=SQUARE
        )


def test_another_hromadas_rows_are_refused(kamianka, other_hromada, centre):
    street = services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Миру")
    building, _ = services.building_save(actor=None, street=street, data=services.BuildingData(number="1"))
    theirs = other_hromada
    their_settlement = Settlement.objects.create(
        hromada=theirs, katottg="UA1", category="C", name="Їхнє", slug="ikhnie"
    )
    their_street = services.street_save(actor=None, hromada=theirs, settlement=their_settlement, name="Їхня")
    with pytest.raises(DomainError, match="Населений пункт не належить громаді"):
        services.street_save(actor=None, hromada=kamianka, settlement=their_settlement, name="Чужа")
    with pytest.raises(PermissionDenied):
        services.street_save(
            actor=None, hromada=theirs, settlement=their_settlement, name="Миру", street=street
        )
    with pytest.raises(PermissionDenied):
        services.building_save(
            actor=None, street=their_street, data=services.BuildingData(number="2"), building=building
        )
    okrug = services.area_save(actor=None, hromada=kamianka, kind="okrug", name="Наш")
    with pytest.raises(PermissionDenied):
        services.area_save(actor=None, hromada=theirs, kind="okrug", name="Наш", area=okrug)
    street.refresh_from_db()
    building.refresh_from_db()
    assert street.hromada_id == kamianka.pk and building.street_id == street.pk


def test_renaming_keeps_the_old_name_findable_and_back_again(kamianka, centre):
    street = services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Леніна")
    services.building_save(actor=None, street=street, data=services.BuildingData(number="12а"))
    services.street_rename(
        actor=None, street=street, name="Героїв Майдану", renamed_on=dt.date(2016, 2, 19), decision=" № 123 "
    )
    former = StreetName.objects.get(street=street)
    assert (former.name, former.renamed_on, former.decision) == ("Леніна", dt.date(2016, 2, 19), "№ 123")
    keys = set(AddressKey.objects.filter(street=street).values_list("key", flat=True))
    assert {"леніна 12а", "героїв майдану 12а", "майдану 12а", "lenina 12а"} <= keys
    entry = LedgerEntry.objects.filter(kind="places.street_renamed").latest("id")
    assert (entry.payload["from"], entry.payload["to"]) == ("вулиця Леніна", "вулиця Героїв Майдану")
    # Renamed back: "Леніна" is current again, and "Героїв Майдану" the former name.
    services.street_rename(actor=None, street=street, name="Леніна")
    assert list(StreetName.objects.filter(street=street).values_list("name", flat=True)) == ["Героїв Майдану"]


def test_a_rename_is_refused_for_the_same_name_or_a_taken_one(kamianka, centre):
    street = services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Миру")
    services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Садова")
    with pytest.raises(DomainError, match="Нова назва збігається з теперішньою"):
        services.street_rename(actor=None, street=street, name="  миру ")
    with pytest.raises(DomainError, match="Вулиця з такою назвою вже є"):
        services.street_rename(actor=None, street=street, name="Садова")
    with pytest.raises(DomainError, match="Колишня назва збігається з теперішньою"):
        services.former_name_add(actor=None, street=street, name="Миру")
    with pytest.raises(DomainError, match="Невідомий тип вулиці «кварт»"):
        services.street_save(
            actor=None, hromada=kamianka, settlement=centre, name="Сонячна", street_type="кварт."
        )
    assert not StreetName.objects.exists()


def test_street_names_are_cleaned(kamianka, centre):
    street = services.street_save(
        actor=None, hromada=kamianka, settlement=centre, name=" Мар'янівська ", street_type="пров."
    )
    assert (street.name, street.street_type, street.name_en) == ("Мар’янівська", "провулок", "Marianivska")
    with pytest.raises(DomainError, match="Вкажіть назву вулиці"):
        services.street_save(actor=None, hromada=kamianka, settlement=centre, name=" 12 ")


def test_buildings_are_upserted_by_their_house_key(kamianka, centre):
    street = services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Миру")
    first, created = services.building_save(
        actor=None, street=street, data=services.BuildingData(number="12-а")
    )
    again, created_again = services.building_save(
        actor=None, street=street, data=services.BuildingData(number="12 А", floors=5)
    )
    assert created and not created_again and first.pk == again.pk
    assert (again.number, again.floors) == ("12 А", 5)
    other, _ = services.building_save(actor=None, street=street, data=services.BuildingData(number="14"))
    with pytest.raises(DomainError, match="На цій вулиці вже є будинок 12а"):
        services.building_save(
            actor=None, street=street, data=services.BuildingData(number="12а"), building=other
        )
    with pytest.raises(DomainError) as caught:
        services.building_save(
            actor=None,
            street=street,
            data=services.BuildingData(number="x", postcode="123", lat=91, lon=0, year_built=3000),
        )
    assert caught.value.field == "number"
    assert "Поштовий індекс — п'ять цифр, а не «123»" in str(caught.value.message)
    assert "Рік побудови «3000» неможливий" in str(caught.value.message)
    other_pk = other.pk
    services.building_delete(actor=None, building=other)
    assert not AddressKey.objects.filter(building_id=other_pk).exists()
    assert AddressKey.objects.filter(street=street, key="миру 12а").exists()
    assert Building.objects.filter(street=street).count() == 1


def test_a_decisions_link_must_be_a_web_address(kamianka, centre):
    street = services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Миру")
    for bad in ("javascript:alert(1)", "ftp://example.test/x", "рішення 123"):
        with pytest.raises(DomainError, match="Посилання на рішення має бути адресою вебсторінки") as caught:
            services.street_rename(actor=None, street=street, name="Соборна", decision_url=bad)
        assert caught.value.field == "decision_url"
        with pytest.raises(DomainError, match="Посилання на рішення має бути адресою вебсторінки"):
            services.former_name_add(actor=None, street=street, name="Леніна", decision_url=bad)
    street.refresh_from_db()
    assert street.name == "Миру" and not StreetName.objects.exists()
    services.former_name_add(
        actor=None, street=street, name="Леніна", decision_url=" https://example.test/r/1 "
    )
    assert StreetName.objects.get().decision_url == "https://example.test/r/1"


def test_a_correction_back_to_a_former_name_makes_it_current(kamianka, centre):
    street = services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Миру")
    services.former_name_add(actor=None, street=street, name="Соборна")
    services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Соборна", street=street)
    assert not StreetName.objects.filter(street=street).exists()
    assert set(AddressKey.objects.filter(street=street, former__isnull=False)) == set()
