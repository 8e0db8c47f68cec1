"""The registers' staff pages: who may open and use each, the forms' errors (precise,
in Ukrainian, nothing typed lost), and one hromada's staff never reaching another's."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.tests.factories import ACTORS, role_actor, staff_user
from hromada.ledger.models import LedgerEntry
from hromada.places import services
from hromada.places.models import Area, AreaKind, Building, ImportRun, Settlement, Street, StreetName
from hromada.places.tests.imports_helpers import DATA

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[32.0, 49.0], [32.1, 49.0], [32.1, 49.1], [32.0, 49.1], [32.0, 49.0]]],
}


def _street(hromada, name="Тараса Шевченка"):
    centre = Settlement.objects.get(hromada=hromada, is_centre=True)
    return services.street_save(actor=None, hromada=hromada, settlement=centre, name=name)


# --- who may open what ------------------------------------------------------------------

AREAS_PAGES = (
    "/staff/places/okrugs/",
    "/staff/places/okrugs/new/",
    "/staff/places/districts/",
    "/staff/places/boundary/",
)
ADDRESS_PAGES = ("/staff/places/streets/", "/staff/places/streets/new/")
ANY_PAGES = ("/staff/places/", "/staff/places/settlements/", "/staff/places/imports/")
MAY_AREAS = {"admin"}
MAY_ADDRESSES = {"admin", "officer"}


@pytest.mark.parametrize("role", ACTORS)
def test_every_page_for_every_role(role, client, kamianka, other_hromada):
    user = role_actor(role, kamianka, other_hromada)
    if role != "anonymous":
        client.force_login(user)
    for url, allowed in (
        *((u, MAY_AREAS) for u in AREAS_PAGES),
        *((u, MAY_ADDRESSES) for u in ADDRESS_PAGES),
        *((u, MAY_ADDRESSES | MAY_AREAS) for u in ANY_PAGES),
    ):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"], url
        elif role in allowed:
            assert response.status_code == 200, (role, url)
        else:
            assert response.status_code == 403, (role, url)
            assert "Доступ заборонено" in response.content.decode()


@pytest.mark.parametrize("role", ACTORS)
def test_a_refused_write_changes_nothing(role, client, kamianka, other_hromada):
    user = role_actor(role, kamianka, other_hromada)
    if role != "anonymous":
        client.force_login(user)
    centre = Settlement.objects.get(hromada=kamianka, is_centre=True)
    before = (
        Street.objects.count(),
        Area.objects.count(),
        LedgerEntry.objects.count(),
        ImportRun.objects.count(),
    )
    client.post(
        "/staff/places/streets/new/", {"settlement": centre.katottg, "street_type": "вулиця", "name": "Нова"}
    )
    client.post("/staff/places/okrugs/new/", {"name": "Округ"})
    upload = SimpleUploadedFile("s.csv", "вулиця\nНова\n".encode())
    client.post("/staff/places/imports/", {"kind": "streets", "file": upload})
    after = (
        Street.objects.count(),
        Area.objects.count(),
        LedgerEntry.objects.count(),
        ImportRun.objects.count(),
    )
    if role in MAY_AREAS:
        assert after[:2] == (before[0] + 1, before[1] + 1)
        assert after[3] == before[3] + 1
    elif role in MAY_ADDRESSES:
        assert after[0] == before[0] + 1 and after[1] == before[1] and after[3] == before[3] + 1
    else:
        assert after == before


def test_staff_of_another_hromada_cannot_see_or_edit(client, kamianka, other_hromada, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    street = _street(kamianka)
    building, _ = services.building_save(actor=None, street=street, data=services.BuildingData(number="1"))
    okrug = services.area_save(
        actor=None, hromada=kamianka, kind="okrug", name="Лебедівський", geometry_value=SQUARE
    )
    run = ImportRun.objects.create(
        hromada=kamianka,
        kind="streets",
        file_name="a.csv",
        content=b"x",
        created_by=staff_user(kamianka, "admin"),
    )
    # An administrator of the other hromada, on the other hromada's site, asking for ours.
    other_admin = staff_user(other_hromada, "admin")
    client.force_login(other_admin)
    host = {"HTTP_HOST": "other.example.test"}
    for url in (
        f"/staff/places/streets/{street.public_id}/",
        f"/staff/places/buildings/{building.public_id}/",
        f"/staff/places/okrugs/{okrug.public_id}/",
        f"/staff/places/imports/{run.public_id}/",
    ):
        assert client.get(url, **host).status_code == 404, url
    assert (
        client.post(
            f"/staff/places/streets/{street.public_id}/rename/",
            {"rename-name": "Інша", "rename-street_type": "вулиця"},
            **host,
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/staff/places/buildings/{building.public_id}/delete/", {"confirm": "1"}, **host
        ).status_code
        == 404
    )
    assert (
        client.post(f"/staff/places/areas/{okrug.public_id}/delete/", {"confirm": "1"}, **host).status_code
        == 404
    )
    # And on our site they hold no role at all.
    assert client.get(f"/staff/places/streets/{street.public_id}/").status_code == 403
    street.refresh_from_db()
    assert street.name == "Тараса Шевченка"
    assert Building.objects.filter(pk=building.pk).exists() and Area.objects.filter(pk=okrug.pk).exists()


# --- settlements and okrugs -------------------------------------------------------------


def test_settlements_are_loaded_from_the_codifier_by_the_button(client, hromada, hromada_admin):
    hromada.katottg = "UA71080130000078619"
    hromada.save(update_fields=["katottg"])
    client.force_login(hromada_admin)
    page = client.get("/staff/places/").content.decode()
    assert "Завантажити населені пункти з КАТОТТГ" in page
    response = client.post("/staff/places/settlements/load/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Нових: 17, оновлено: 0, без змін: 0." in text
    assert Settlement.objects.filter(hromada=hromada).count() == 17
    again = client.post("/staff/places/settlements/load/").content.decode()
    assert "Нових: 0, оновлено: 0, без змін: 17." in again


def test_an_unknown_hromada_code_is_said_so(client, hromada, hromada_admin):
    client.force_login(hromada_admin)
    response = client.post("/staff/places/settlements/load/", follow=True)
    assert f"Код КАТОТТГ {hromada.katottg} не є кодом територіальної громади" in response.content.decode()
    assert not Settlement.objects.filter(hromada=hromada).exists()


def test_an_okrug_is_drawn_with_its_villages_and_starosta(client, kamianka, hromada_admin):
    client.force_login(hromada_admin)
    form = client.get("/staff/places/okrugs/new/").content.decode()
    assert 'id="id_geometry"' in form and 'id="area-map"' in form
    lebedivka = Settlement.objects.get(hromada=kamianka, name="Лебедівка")
    tymoshivka = Settlement.objects.get(hromada=kamianka, name="Тимошівка")
    response = client.post(
        "/staff/places/okrugs/new/",
        {
            "name": "Лебедівський старостинський округ",
            "settlements": [lebedivka.katottg, tymoshivka.katottg],
            "head_name": "Ковальчук Олена Петрівна",
            "phone": "+380 4732 2 11 11",
            "email": "lebedivka@example.test",
            "geometry": json.dumps(SQUARE),
        },
    )
    assert response.status_code == 302
    okrug = Area.objects.get(hromada=kamianka, kind=AreaKind.OKRUG)
    assert okrug.head_name == "Ковальчук Олена Петрівна" and okrug.min_lon == 32.0
    assert set(okrug.settlements.values_list("name", flat=True)) == {"Лебедівка", "Тимошівка"}
    assert LedgerEntry.objects.filter(hromada=kamianka, kind="places.area_saved").count() == 1
    edit = client.get(f"/staff/places/okrugs/{okrug.public_id}/").content.decode()
    assert "Ковальчук Олена Петрівна" in edit and "32.1" in edit  # the polygon is in the textarea to edit


def test_a_self_intersecting_okrug_is_refused_and_nothing_typed_is_lost(client, kamianka, hromada_admin):
    client.force_login(hromada_admin)
    bow = {
        "type": "Polygon",
        "coordinates": [[[32.0, 49.0], [32.1, 49.1], [32.1, 49.0], [32.0, 49.1], [32.0, 49.0]]],
    }
    response = client.post(
        "/staff/places/okrugs/new/",
        {"name": "Косарівський округ", "head_name": "Петренко Іван", "geometry": json.dumps(bow)},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Виправте, будь ласка, помилки у формі" in text
    assert "Неправильна межа: межа перетинає сама себе біля точки 49.05000, 32.05000." in text
    assert 'value="Косарівський округ"' in text and 'value="Петренко Іван"' in text
    assert "[32.1, 49.1]" in text  # the drawn polygon stays in the textarea
    assert not Area.objects.filter(hromada=kamianka, kind=AreaKind.OKRUG).exists()


def test_an_okrug_overlapping_its_neighbour_is_refused_naming_it(client, kamianka, hromada_admin):
    services.area_save(actor=None, hromada=kamianka, kind="okrug", name="Лебедівський", geometry_value=SQUARE)
    client.force_login(hromada_admin)
    shifted = {
        "type": "Polygon",
        "coordinates": [[[32.05, 49.0], [32.15, 49.0], [32.15, 49.1], [32.05, 49.1], [32.05, 49.0]]],
    }
    text = client.post(
        "/staff/places/okrugs/new/", {"name": "Тимошівський", "geometry": json.dumps(shifted)}
    ).content.decode()
    assert "Ділянка накладається на сусідню «Лебедівський» (50,0% меншої з них)" in text
    assert Area.objects.filter(hromada=kamianka, kind=AreaKind.OKRUG).count() == 1


def test_an_okrug_polygon_is_uploaded_as_kml(client, kamianka, hromada_admin):
    client.force_login(hromada_admin)
    kml = (DATA / "okrugs.kml").read_bytes()
    one = kml.split(b"<Placemark>")
    single = one[0] + b"<Placemark>" + one[1].split(b"</Placemark>")[0] + b"</Placemark></Document></kml>"
    response = client.post(
        "/staff/places/okrugs/new/",
        {"name": "Округ з файлу", "geometry": "", "geometry_file": SimpleUploadedFile("o.kml", single)},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Area.objects.get(hromada=kamianka, name="Округ з файлу").geometry["type"] == "Polygon"


def test_a_broken_geojson_text_is_refused_with_its_place(client, kamianka, hromada_admin):
    client.force_login(hromada_admin)
    text = client.post(
        "/staff/places/districts/new/", {"name": "Центральний", "geometry": '{"type": "Polygon",'}
    ).content.decode()
    assert "Це не GeoJSON: помилка в рядку 1, позиції 20." in text
    text = client.post(
        "/staff/places/districts/new/", {"name": "Центральний", "geometry": ""}
    ).content.decode()
    assert "Намалюйте або завантажте межі цієї території." in text


def test_a_village_is_moved_to_an_okrug_on_the_list(client, kamianka, hromada_admin):
    okrug = services.area_save(actor=None, hromada=kamianka, kind="okrug", name="Лебедівський")
    village = Settlement.objects.get(hromada=kamianka, name="Лебедівка")
    village.lat, village.lon = 49.1, 32.2
    village.save()
    client.force_login(hromada_admin)
    response = client.post(
        "/staff/places/settlements/",
        {"settlement": village.katottg, f"{village.katottg}-okrug": str(okrug.public_id)},
        follow=True,
    )
    assert "«Лебедівка» тепер в окрузі «Лебедівський»." in response.content.decode()
    village.refresh_from_db()
    assert village.okrug == okrug and (village.lat, village.lon) == (49.1, 32.2)  # the point is kept


# --- streets and buildings ---------------------------------------------------------------


def test_a_street_is_created_renamed_and_keeps_its_former_name(client, kamianka, officer):
    client.force_login(officer)
    centre = Settlement.objects.get(hromada=kamianka, is_centre=True)
    response = client.post(
        "/staff/places/streets/new/",
        {"settlement": centre.katottg, "street_type": "вулиця", "name": "Леніна"},
    )
    street = Street.objects.get(hromada=kamianka, name="Леніна")
    assert response.status_code == 302
    response = client.post(
        f"/staff/places/streets/{street.public_id}/rename/",
        {
            "rename-name": "Героїв Майдану",
            "rename-street_type": "вулиця",
            "rename-renamed_on": "2016-02-19",
            "rename-decision": "рішення міської ради № 123 від 19.02.2016",
            "rename-decision_url": "https://example.test/rishennia/123",
        },
    )
    assert response.status_code == 302
    street.refresh_from_db()
    assert street.name == "Героїв Майдану"
    former = StreetName.objects.get(street=street)
    assert (former.name, former.renamed_on.isoformat(), former.decision) == (
        "Леніна",
        "2016-02-19",
        "рішення міської ради № 123 від 19.02.2016",
    )
    page = client.get(f"/staff/places/streets/{street.public_id}/").content.decode()
    assert "вулиця Леніна" in page and "перейменовано 19.02.2016" in page
    listed = client.get("/staff/places/streets/?q=леніна").content.decode()
    assert "Героїв Майдану" in listed  # found by the former name


def test_a_rename_to_the_same_name_is_refused_on_its_field(client, kamianka, officer):
    street = _street(kamianka)
    client.force_login(officer)
    response = client.post(
        f"/staff/places/streets/{street.public_id}/rename/",
        {
            "rename-name": "Тараса  Шевченка",
            "rename-street_type": "вулиця",
            "rename-renamed_on": "2016-02-19",
            "rename-decision": "№ 5",
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Нова назва збігається з теперішньою." in text
    assert 'value="№ 5"' in text and 'value="2016-02-19"' in text  # nothing typed lost
    assert not StreetName.objects.exists()


def test_a_street_twice_in_one_settlement_is_refused(client, kamianka, officer):
    _street(kamianka)
    client.force_login(officer)
    centre = Settlement.objects.get(hromada=kamianka, is_centre=True)
    text = client.post(
        "/staff/places/streets/new/",
        {"settlement": centre.katottg, "street_type": "вулиця", "name": "тараса шевченка"},
    ).content.decode()
    assert "У населеному пункті «Кам’янка» вже є вулиця тараса шевченка." in text


def test_a_former_name_is_added(client, kamianka, officer):
    street = _street(kamianka)
    client.force_login(officer)
    response = client.post(
        f"/staff/places/streets/{street.public_id}/former/",
        {
            "former-name": "Комсомольська",
            "former-street_type": "вулиця",
            "former-renamed_on": "",
            "former-decision": "",
        },
    )
    assert response.status_code == 302
    assert StreetName.objects.get(street=street).name == "Комсомольська"


def test_a_building_is_created_edited_and_deleted(client, kamianka, officer):
    street = _street(kamianka)
    client.force_login(officer)
    response = client.post(
        f"/staff/places/streets/{street.public_id}/buildings/new/",
        {
            "number": "12-а",
            "postcode": "20800",
            "lat": "49.0318",
            "lon": "32.1024",
            "floors": "5",
            "year_built": "1978",
            "use": "apartments",
        },
    )
    assert response.status_code == 302
    building = Building.objects.get(street=street)
    assert (building.number, building.house_key, building.floors) == ("12-А", "12а", 5)
    response = client.post(
        f"/staff/places/buildings/{building.public_id}/",
        {"number": "12А", "postcode": "20801", "lat": "", "lon": ""},
    )
    building.refresh_from_db()
    assert response.status_code == 302 and building.postcode == "20801" and building.lat is None
    confirm = client.post(f"/staff/places/buildings/{building.public_id}/delete/")
    assert "Вилучити будинок" in confirm.content.decode() and Building.objects.filter(pk=building.pk).exists()
    client.post(f"/staff/places/buildings/{building.public_id}/delete/", {"confirm": "1"})
    assert not Building.objects.filter(pk=building.pk).exists()


def test_a_bad_building_gets_each_reason_on_its_field(client, kamianka, officer):
    street = _street(kamianka)
    client.force_login(officer)
    response = client.post(
        f"/staff/places/streets/{street.public_id}/buildings/new/",
        {"number": "абв", "postcode": "2080", "lat": "149", "lon": "32.1", "floors": "0"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert "Номер будинку «абв» не схожий на номер (напр. 12, 12А, 12/2, 12 корп. 3)." in text
    assert "Поштовий індекс — п&#x27;ять цифр, а не «2080»." in text
    assert "Координати поза межами" in text and "Поверхів має бути від 1 до 200." in text
    assert 'value="абв"' in text and 'value="2080"' in text
    assert not Building.objects.exists()


# --- imports -----------------------------------------------------------------------------


def test_an_administrator_imports_streets_on_the_page(
    client, kamianka, hromada_admin, django_capture_on_commit_callbacks
):
    client.force_login(hromada_admin)
    page = client.get("/staff/places/imports/").content.decode()
    assert '<label for="id_kind">Що імпортуємо' in page and '<label for="id_file">Файл' in page
    assert "Імпортувати</button>" in page
    upload = SimpleUploadedFile("streets.csv", (DATA / "streets_cp1251.csv").read_bytes(), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/places/imports/", {"kind": "streets", "file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.get(hromada=kamianka)
    assert response["Location"] == f"/staff/places/imports/{run.public_id}/"
    report = client.get(response["Location"]).content.decode()
    assert "Кодування: Windows-1251." in report
    assert "Колишня назва «Садова» збігається з теперішньою." in report
    assert "hx-trigger" not in report  # finished: no more polling
    status = client.get(f"/staff/places/imports/{run.public_id}/status/").content.decode()
    assert 'id="import-status"' in status and "<html" not in status
    csv_response = client.get(f"/staff/places/imports/{run.public_id}/errors.csv")
    errors = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert errors.splitlines()[0] == "row,label,errors" and "Рядок повторює рядок 2" in errors


def test_a_running_import_polls_for_its_progress(client, kamianka, hromada_admin):
    client.force_login(hromada_admin)
    run = ImportRun.objects.create(
        hromada=kamianka,
        kind="streets",
        file_name="big.csv",
        content=b"x",
        created_by=hromada_admin,
        status=ImportRun.Status.RUNNING,
        rows_total=1000,
        rows_done=400,
    )
    page = client.get(f"/staff/places/imports/{run.public_id}/").content.decode()
    assert f'hx-get="/staff/places/imports/{run.public_id}/status/"' in page
    assert 'aria-valuenow="40"' in page and "Оброблено 400 з 1000 рядків" in page


def test_an_upload_without_a_file_or_too_large_is_refused_precisely(
    client, kamianka, hromada_admin, settings
):
    client.force_login(hromada_admin)
    text = client.post("/staff/places/imports/", {"kind": "streets"}).content.decode()
    assert "Оберіть файл." in text
    settings.PLACES_IMPORT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("big.csv", b"x" * 2048)
    text = client.post("/staff/places/imports/", {"kind": "buildings", "file": upload}).content.decode()
    assert "Файл «big.csv» завеликий: 2\xa0КБ, а можна до 1\xa0КБ." in text
    assert re.search(r'<option value="buildings" selected>', text)  # the choice is kept
    assert not ImportRun.objects.exists()


def test_an_officer_cannot_import_areas(client, kamianka, officer):
    client.force_login(officer)
    page = client.get("/staff/places/imports/").content.decode()
    assert 'value="areas"' not in page
    upload = SimpleUploadedFile(
        "o.geojson", json.dumps({"type": "FeatureCollection", "features": []}).encode()
    )
    response = client.post("/staff/places/imports/", {"kind": "areas", "file": upload})
    assert response.status_code == 400 and not ImportRun.objects.exists()


def test_the_staff_home_shows_the_registers_sections_and_figures(client, kamianka, hromada_admin, officer):
    _street(kamianka)
    ImportRun.objects.create(
        hromada=kamianka, kind="streets", file_name="bad.csv", content=b"x", created_by=hromada_admin,
        status=ImportRun.Status.DONE, rows_failed=3,
    )  # fmt: skip
    client.force_login(hromada_admin)
    page = client.get("/staff/").content.decode()
    for text in ("Вулиці й будинки", "Населені пункти, округи й райони", "Імпорт до реєстрів"):
        assert text in page
    assert "Імпорти з помилками за 30 днів" in page and "bad.csv: 3" in page
    assert "Вулиці без будинків" in page
    client.force_login(officer)
    page = client.get("/staff/").content.decode()
    assert "Вулиці й будинки" in page and "Населені пункти, округи й райони" not in page


def test_every_form_page_renders_for_editing(client, kamianka, hromada_admin):
    street = _street(kamianka)
    building, _ = services.building_save(
        actor=None, street=street, data=services.BuildingData(number="7", lat=49.03, lon=32.1)
    )
    district = services.area_save(
        actor=None, hromada=kamianka, kind="district", name="Центральний", geometry_value=SQUARE
    )
    services.area_save(
        actor=None, hromada=kamianka, kind="boundary", name="Межа громади", geometry_value=SQUARE
    )
    client.force_login(hromada_admin)
    pages = {
        f"/staff/places/streets/{street.public_id}/buildings/new/": 'id="building-map"',
        f"/staff/places/buildings/{building.public_id}/": 'value="49.03"',
        f"/staff/places/districts/{district.public_id}/": 'value="Центральний"',
        "/staff/places/districts/": "Центральний",
        "/staff/places/boundary/": "32.1",
        "/staff/places/streets/?q=шевч": "Тараса Шевченка",
        "/staff/places/streets/?empty=1": "Знайдено 0 вулиць",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    assert client.get("/staff/places/streets/not-a-uuid/").status_code == 404
    assert client.get("/staff/places/okrugs/00000000-0000-0000-0000-000000000000/").status_code == 404
    # A district is not opened as an okrug.
    assert client.get(f"/staff/places/okrugs/{district.public_id}/").status_code == 404


def test_a_new_building_with_a_taken_number_is_refused_not_merged(client, kamianka, officer):
    street = _street(kamianka)
    services.building_save(actor=None, street=street, data=services.BuildingData(number="12А", floors=9))
    client.force_login(officer)
    response = client.post(
        f"/staff/places/streets/{street.public_id}/buildings/new/", {"number": "12-а", "floors": "2"}
    )
    assert response.status_code == 400
    assert (
        "На цій вулиці вже є будинок 12-а: відкрийте його зі списку, щоб змінити."
        in response.content.decode()
    )
    assert Building.objects.get(street=street).floors == 9
