"""Imports from CSV: encodings, delimiters, Ukrainian and English headers, ragged rows,
bad values reported per row with the good rows kept, and re-imports that update."""

from __future__ import annotations

import pytest

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.places import services
from hromada.places.models import AddressKey, Building, ImportRun, Street, StreetName
from hromada.places.services import imports
from hromada.places.tests.imports_helpers import (
    DATA,
    KAMIANKA_BOUNDARY,
    errors_of,
)

pytestmark = pytest.mark.django_db


def test_the_cp1251_sample_keeps_good_rows_and_reports_the_bad(go, kamianka):
    run = go("streets", "streets.csv", (DATA / "streets_cp1251.csv").read_bytes())
    assert run.status == ImportRun.Status.DONE
    assert run.options["detected"]["encoding"] == "Windows-1251"
    assert run.options["detected"]["delimiter"] == "«;»"
    assert (run.rows_total, run.rows_done, run.rows_created, run.rows_updated, run.rows_failed) == (
        13,
        13,
        9,
        0,
        4,
    )
    errors = errors_of(run)
    assert errors == {
        11: ["Колишня назва «Садова» збігається з теперішньою."],
        12: [
            "Клітинок у рядку: 3, а стовпців у заголовку: 6; бракує «Колишня назва», «Дата перейменування», «Рішення»."
        ],
        13: ["Рядок повторює рядок 2 цього файлу."],
        14: [
            "Населеного пункту «Кам’янське» немає в громаді. Є: Баландине, Богданівське, Вербівка, Грушківка, "
            "Калинівка, Кам’янка, Катеринівка, Копійчана, Косарі, Коханівка, Лебедівка, Лузанівка, Олянине, "
            "Радиванівка, Телепине, Тимошівка, Юрчиха."
        ],
    }
    maidan = Street.objects.get(hromada=kamianka, name="Героїв Майдану")
    former = maidan.former_names.get()
    assert (former.street_type, former.name, former.renamed_on.isoformat()) == (
        "вулиця",
        "Леніна",
        "2016-02-19",
    )
    assert former.decision == "рішення Кам’янської міської ради № 123 від 19.02.2016"
    # "вулиця Івана Мазепи" with an empty type column: the type is read from the name;
    # "с. Лебедівка" and "м. Кам’янка" are the settlements without their prefixes.
    mazepy = Street.objects.get(hromada=kamianka, name="Івана Мазепи")
    assert mazepy.street_type == "вулиця" and mazepy.settlement.name == "Кам’янка"
    assert Street.objects.get(hromada=kamianka, name="Центральна").settlement.name == "Лебедівка"
    assert Street.objects.get(hromada=kamianka, name="Садовий").street_type == "провулок"
    # The address index was built (once per street, at the end), former names included.
    assert AddressKey.objects.filter(street=maidan, key="леніна", building=None).exists()


def test_reimporting_the_same_file_updates_rather_than_duplicates(go, kamianka):
    content = (DATA / "streets_cp1251.csv").read_bytes()
    first = go("streets", "streets.csv", content)
    counts = (Street.objects.count(), StreetName.objects.count(), AddressKey.objects.count())
    second = go("streets", "streets.csv", content)
    assert (second.rows_created, second.rows_updated, second.rows_failed) == (0, 9, 4)
    assert (Street.objects.count(), StreetName.objects.count(), AddressKey.objects.count()) == counts
    entries = LedgerEntry.objects.filter(hromada=kamianka, kind="places.import_finished").order_by("id")
    assert entries.count() == 2  # one per import, none per row
    payload = entries.first().payload
    assert payload["import"] == str(first.public_id) and payload["file_name"] == "streets.csv"
    assert payload["kind"] == "streets" and len(payload["sha256"]) == 64
    assert (payload["created"], payload["failed"], payload["total"]) == (9, 4, 13)
    assert not LedgerEntry.objects.filter(kind__in=["places.street_saved", "places.building_saved"]).exists()


BUILDINGS = """\ufeffsettlement,type,street,number,postcode,lat,lon,floors,year,use
Кам’янка,вул.,Тараса Шевченка,12а,20800,"49,0318","32,1024",5,1978,багатоквартирний житловий
Кам’янка,вулиця,Тараса Шевченка,12/2,20800,49.0320,32.1030,,,
Кам’янка,вулиця,Тараса Шевченка,абв,20800,49.0320,32.1030,,,
Кам’янка,вулиця,Тараса Шевченка,14,2080,49.0320,32.1030,,,
Кам’янка,вулиця,Тараса Шевченка,16,20800,32.1030,49.0320,,,
Кам’янка,вулиця,Тараса Шевченка,18,20800,50.45,30.52,,,
Кам’янка,вулиця,Тараса Шевченка,20,20800,north,32.1,п'ять,,палац
Кам’янка,вулиця,Тараса Шевченка,12-А,,,,,,
Кам’янка,вулиця,Тараса Шевченка,22,20800,49.03,32.10,3,1990,житловий,зайве
Кам’янка,вулиця,Тараса Шевченка,24
"""


def test_buildings_with_bad_values_are_reported_each_with_its_reasons(go, kamianka):
    services.area_save(
        actor=None, hromada=kamianka, kind="boundary", name="Межа", geometry_value=KAMIANKA_BOUNDARY
    )
    run = go("buildings", "b.csv", BUILDINGS.encode("utf-8"))
    assert run.options["detected"]["encoding"] == "UTF-8" and run.options["detected"]["delimiter"] == "«,»"
    errors = errors_of(run)
    assert errors[4] == ["Номер будинку «абв» не схожий на номер (напр. 12, 12А, 12/2, 12 корп. 3)."]
    assert errors[5] == ["Поштовий індекс — п'ять цифр, а не «2080»."]
    assert errors[6] == [
        "Точка 32.103, 49.032 лежить поза межами громади. Схоже, широту й довготу переставлено місцями."
    ]
    assert errors[7] == ["Точка 50.45, 30.52 лежить поза межами громади."]
    assert errors[8] == [
        "Широта «north» не є числом.",
        "Кількість поверхів «п'ять» не є цілим числом.",
        "Вкажіть і широту, і довготу.",
        "Невідоме призначення «палац». Можна: residential, apartments, public, education, health, commercial, industrial, other.",
    ]
    assert errors[9] == ["Рядок повторює рядок 2 цього файлу."]
    assert errors[10][0].startswith(
        "Клітинок у рядку: 11, а стовпців у заголовку: 10; зайві значення «зайве»."
    )
    assert errors[11] == [
        "Клітинок у рядку: 4, а стовпців у заголовку: 10; бракує «postcode», «lat», «lon», «floors», «year», «use»."
    ]
    assert set(errors) == {4, 5, 6, 7, 8, 9, 10, 11}
    assert (run.rows_created, run.rows_failed) == (2, 8)
    b = Building.objects.get(hromada=kamianka, house_key="12а")
    assert (b.number, b.postcode, b.lat, b.lon, b.floors, b.year_built, b.use) == (
        "12А", "20800", 49.0318, 32.1024, 5, 1978, "apartments",
    )  # fmt: skip
    assert AddressKey.objects.filter(building=b, key="шевченка 12а").exists()


def test_a_reimport_with_fewer_columns_keeps_what_it_does_not_give(go, kamianka):
    go("buildings", "b.csv", "вулиця;номер;поверхів;рік\nТараса Шевченка;12А;5;1978\n".encode())
    run = go("buildings", "b2.csv", "вулиця;номер;індекс\nТараса Шевченка;12а;20800\n".encode())
    assert (run.rows_created, run.rows_updated) == (0, 1)
    b = Building.objects.get(hromada=kamianka)
    assert (b.floors, b.year_built, b.postcode) == (5, 1978, "20800")


def test_a_settlement_option_places_rows_without_one(go, kamianka):
    code = kamianka.settlements.get(name="Вербівка").katottg
    run = go("streets", "s.csv", "вулиця\nШкільна\nШевченка вулиця\n".encode(), settlement=code)
    assert run.rows_created == 2
    assert set(Street.objects.values_list("settlement__name", "street_type", "name")) == {
        ("Вербівка", "вулиця", "Шкільна"),
        ("Вербівка", "вулиця", "Шевченка"),
    }


def test_a_file_that_is_not_a_table_of_streets_fails_with_the_reason(go):
    run = go("streets", "s.csv", b"name_of_thing;count\nfoo;1\n")
    assert run.status == ImportRun.Status.FAILED
    assert run.error.startswith(
        "У заголовку таблиці немає стовпця «вулиця». Знайдено: «name_of_thing», «count»."
    )
    assert LedgerEntry.objects.filter(kind="places.import_finished", payload__status="failed").count() == 1


def test_unknown_street_type_and_bad_dates_are_reported(go):
    content = "тип;вулиця;колишня назва;дата перейменування\nкварт.;Сонячний;;\nвулиця;Миру;Леніна;31.02.2016\nвулиця;Козацька;;2016\n"
    errors = errors_of(go("streets", "s.csv", content.encode()))
    assert errors[2][0].startswith("Невідомий тип вулиці «кварт.». Можна: вулиця, провулок, проспект")
    assert errors[3] == ["Дата перейменування «31.02.2016» не схожа на дату (ДД.ММ.РРРР)."]
    assert errors[4] == [
        "Дата перейменування «2016» не схожа на дату (ДД.ММ.РРРР).",
        "Вказано дату чи рішення про перейменування, але не вказано колишню назву.",
    ]


def test_control_characters_in_a_cell_are_refused_for_that_row(go):
    run = go("streets", "s.csv", "вулиця\nМиру\x07\nЛісова\n".encode())
    assert run.rows_created == 1 and errors_of(run)[2][0].startswith("Текст містить")


def test_an_unreadable_encoding_fails_the_import(go):
    run = go("streets", "s.csv", b"\xff\xfe\x00\xd8")  # UTF-16 BOM, then a lone surrogate
    assert run.status == ImportRun.Status.FAILED and "UTF-16" in run.error


def test_the_start_refuses_what_it_can_at_once(kamianka, hromada_admin, officer, settings):
    start = imports.import_start
    with pytest.raises(DomainError, match="Файл «e.csv» порожній."):
        start(actor=hromada_admin, hromada=kamianka, kind="streets", file_name="e.csv", content=b"")
    settings.PLACES_IMPORT_MAX_BYTES = 10
    with pytest.raises(DomainError, match="завеликий: 11\xa0Б, а можна до 10\xa0Б"):
        start(actor=hromada_admin, hromada=kamianka, kind="streets", file_name="b.csv", content=b"x" * 11)
    settings.PLACES_IMPORT_MAX_BYTES = 10_000
    with pytest.raises(DomainError, match="З файлу KML імпортуються лише території"):
        start(actor=hromada_admin, hromada=kamianka, kind="streets", file_name="a.kml", content=b"<kml/>")
    with pytest.raises(DomainError, match="Території імпортуються з файлу GeoJSON або KML"):
        start(actor=hromada_admin, hromada=kamianka, kind="areas", file_name="a.csv", content=b"a;b")
    with pytest.raises(DomainError, match="Оберіть населений пункт цієї громади."):
        start(
            actor=hromada_admin,
            hromada=kamianka,
            kind="streets",
            file_name="a.csv",
            content=b"a",
            options={"settlement": "UA1"},
        )
    with pytest.raises(PermissionDenied):
        start(actor=officer, hromada=kamianka, kind="areas", file_name="a.geojson", content=b"{}")
    assert not ImportRun.objects.exists()


def test_progress_is_published_in_batches(go, monkeypatch):
    seen = []
    original = imports._progress

    def spy(run, ctx, done):
        seen.append(done)
        original(run, ctx, done)

    monkeypatch.setattr(imports, "BATCH", 3)
    monkeypatch.setattr(imports, "_progress", spy)
    rows = "".join(f"Нова {n}\n" for n in range(1, 9))
    run = go("streets", "s.csv", ("вулиця\n" + rows).encode())
    assert seen == [3, 6, 8] and run.rows_done == 8 and run.rows_created == 8


def test_running_an_import_twice_does_it_once(go):
    run = go("streets", "s.csv", "вулиця\nМиру\n".encode())
    assert imports.import_run(run.pk) == {"run": run.pk, "started": False}
    assert LedgerEntry.objects.filter(kind="places.import_finished").count() == 1


def test_a_stale_running_import_is_marked_failed(kamianka, hromada_admin):
    import datetime as dt

    from django.utils import timezone

    run = ImportRun.objects.create(
        hromada=kamianka,
        kind="streets",
        file_name="s.csv",
        content=b"x",
        created_by=hromada_admin,
        status="running",
    )
    ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - dt.timedelta(hours=1))
    from hromada.places.tasks import places_tick

    assert places_tick() == {"stale_imports": 1}
    run.refresh_from_db()
    assert run.status == "failed" and "Завантажте файл ще раз" in run.error


def test_a_street_made_by_a_row_rolled_back_is_made_again_by_the_next(go, kamianka, monkeypatch):
    original = imports.building_save
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["data"].number)
        if len(calls) == 1:
            raise DomainError("building_invalid", "перший раз не вийшло")
        return original(**kwargs)

    monkeypatch.setattr(imports, "building_save", flaky)
    run = go("buildings", "b.csv", "вулиця;номер\nНова;1\nНова;2\n".encode())
    assert errors_of(run) == {2: ["перший раз не вийшло"]}
    assert run.rows_created == 1 and run.status == "done"
    street = Street.objects.get(hromada=kamianka, name="Нова")
    assert list(street.buildings.values_list("number", flat=True)) == ["2"]
    assert AddressKey.objects.filter(street=street, key="нова 2").exists()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b";;;\n;;\n", "У файлі немає жодного рядка зі значеннями."),
        (b"\n\n", "У файлі немає жодного рядка."),
        ("вулиця\n".encode() + b'"' + b"x" * 200_000 + b'"\n', "Таблицю не вдалося прочитати біля рядка"),
    ],
)
def test_a_broken_table_fails_with_the_reason_not_a_stuck_import(go, content, error):
    run = go("streets", "s.csv", content)
    assert run.status == "failed" and run.error.startswith(error) and run.finished_at is not None


def test_a_deeply_nested_geojson_fails_with_the_reason(go):
    run = go("buildings", "deep.geojson", b"[" * 100_000 + b"]" * 100_000)
    assert run.status == "failed" and run.error


def test_a_decision_link_that_is_not_a_web_address_is_refused_for_its_row(go):
    content = "вулиця;колишня назва;посилання на рішення\nМиру;Леніна;javascript:alert(1)\nСоборна;Кірова;https://example.test/1\n"
    run = go("streets", "s.csv", content.encode())
    assert errors_of(run) == {
        2: ["Посилання на рішення має бути адресою вебсторінки (https://…), а не «javascript:alert(1)»."]
    }
    assert not Street.objects.filter(name="Миру").exists()  # the row's street went with it
    assert StreetName.objects.get().decision_url == "https://example.test/1"


@pytest.mark.parametrize(
    ("text", "type_text", "expected"),
    [
        ("вулиця Шевченка", "", ("вулиця", "Шевченка")),
        ("Шевченка вулиця", "", ("вулиця", "Шевченка")),
        ("вул. Тараса Шевченка", "", ("вулиця", "Тараса Шевченка")),
        ("Провулок Садовий", "", ("провулок", "Садовий")),
        ("Садовий пров.", "", ("провулок", "Садовий")),
        ("Соборна", "площа", ("площа", "Соборна")),
        ("Набережна", "", ("вулиця", "Набережна")),  # a name that is a type word stays a name
        ("Миру", "кварт.", (None, "Миру")),
    ],
)
def test_a_street_is_split_into_type_and_name(text, type_text, expected):
    assert imports.split_street(text, type_text) == expected


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("м. Кам’янка", "кам'янка"),
        ("с.Лебедівка", "лебедівка"),
        ("село Лебедівка", "лебедівка"),
        ("смт Лебедин", "лебедин"),
    ],
)
def test_a_settlement_is_matched_without_its_prefix(text, key):
    assert imports.settlement_key(text) == key


def test_a_file_of_renamings_renames_the_streets_the_register_has(go, kamianka):
    centre = kamianka.settlements.get(is_centre=True)
    lenina = services.street_save(actor=None, hromada=kamianka, settlement=centre, name="Леніна")
    services.building_save(actor=None, street=lenina, data=services.BuildingData(number="12"))
    content = "вулиця;колишня назва;дата перейменування;рішення\nГероїв Майдану;вулиця Леніна;19.02.2016;рішення № 123\n"
    run = go("streets", "renamings.csv", content.encode())
    assert (run.rows_created, run.rows_updated, run.rows_failed) == (0, 1, 0)
    lenina.refresh_from_db()
    assert lenina.name == "Героїв Майдану" and lenina.buildings.count() == 1
    former = lenina.former_names.get()
    assert (former.name, former.renamed_on.isoformat(), former.decision) == (
        "Леніна",
        "2016-02-19",
        "рішення № 123",
    )
    assert Street.objects.filter(hromada=kamianka).count() == 1
    assert (
        LedgerEntry.objects.filter(kind="places.street_renamed", payload__to="вулиця Героїв Майдану").count()
        == 1
    )
    assert AddressKey.objects.filter(street=lenina, key="леніна 12").exists()
    again = go("streets", "renamings.csv", content.encode())
    assert (again.rows_created, again.rows_updated) == (0, 1) and Street.objects.count() == 1


def test_a_point_in_the_boundarys_box_but_outside_its_polygon_is_refused(go, kamianka):
    triangle = {"type": "Polygon", "coordinates": [[[32.0, 49.0], [32.2, 49.0], [32.0, 49.2], [32.0, 49.0]]]}
    services.area_save(actor=None, hromada=kamianka, kind="boundary", name="Межа", geometry_value=triangle)
    content = "вулиця;номер;широта;довгота\nМиру;1;49.05;32.05\nМиру;2;49.15;32.15\n"
    run = go("buildings", "b.csv", content.encode())
    assert errors_of(run) == {3: ["Точка 49.15, 32.15 лежить поза межами громади."]}
