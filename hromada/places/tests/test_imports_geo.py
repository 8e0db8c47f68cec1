"""Imports from GeoJSON (an OpenStreetMap export) and KML: buildings from points and
outlines, streets from named lines, areas from polygons — with invalid and overlapping
polygons refused with the reason, and the good ones kept."""

from __future__ import annotations

import json

import pytest

from hromada.places import services
from hromada.places.models import AddressKey, Area, AreaKind, Building, ImportRun, Street
from hromada.places.services import imports
from hromada.places.tests.imports_helpers import DATA, errors_of

pytestmark = pytest.mark.django_db


def test_an_openstreetmap_export_gives_buildings_and_streets(go, kamianka):
    run = go("buildings", "export.geojson", (DATA / "osm_kamianka.geojson").read_bytes())
    assert run.status == ImportRun.Status.DONE
    # 15 features: 4 named lines, 9 addressed buildings, an unnamed service road and a
    # shed without an address (skipped, not errors).
    assert (run.rows_total, run.rows_skipped) == (13, 2)
    assert errors_of(run) == {
        11: ["Номер будинку «абв» не схожий на номер (напр. 12, 12А, 12/2, 12 корп. 3)."],
        12: ["Поштовий індекс — п'ять цифр, а не «2080»."],
        14: ["Рядок повторює рядок 7 цього файлу."],
    }
    shevchenka = Street.objects.get(hromada=kamianka, name="Тараса Шевченка")
    assert shevchenka.street_type == "вулиця" and shevchenka.osm_id == "way/1001"
    # OSM splits a street into ways: one street, its geometry the parts together.
    assert shevchenka.geometry["type"] == "MultiLineString" and len(shevchenka.geometry["coordinates"]) == 2
    assert shevchenka.former_names.get().name == "Леніна"  # from old_name
    # "Героїв Майдану вулиця": the type written after the name.
    assert Street.objects.get(hromada=kamianka, name="Героїв Майдану").street_type == "вулиця"
    twelve = Building.objects.get(street=shevchenka, house_key="12а")
    assert (twelve.number, twelve.postcode, twelve.floors, twelve.year_built, twelve.use) == (
        "12А", "20801", 5, 1978, "apartments",
    )  # fmt: skip
    assert (twelve.lat, twelve.lon, twelve.osm_id) == (49.0322, 32.1005, "node/2002")
    school = Building.objects.get(street=shevchenka, house_key="14")
    assert (
        school.use == "education"
        and school.lat == pytest.approx(49.0324)
        and school.lon == pytest.approx(32.10125)
    )
    assert Building.objects.get(house_key="4 к2").number == "4 корп. 2"
    assert AddressKey.objects.filter(building=twelve, key="леніна 12а").exists()  # found by the former name


def test_reimporting_an_export_updates(go, kamianka):
    content = (DATA / "osm_kamianka.geojson").read_bytes()
    go("buildings", "export.geojson", content)
    counts = (Street.objects.count(), Building.objects.count(), AddressKey.objects.count())
    run = go("buildings", "export.geojson", content)
    assert run.rows_created == 0 and run.rows_updated == 10
    assert (Street.objects.count(), Building.objects.count(), AddressKey.objects.count()) == counts


def test_a_streets_import_of_an_export_takes_only_the_lines(go, kamianka):
    run = go("streets", "export.geojson", (DATA / "osm_kamianka.geojson").read_bytes())
    assert (run.rows_total, run.rows_skipped, run.rows_created, run.rows_updated) == (4, 11, 3, 1)
    assert not Building.objects.exists()


def test_a_geojson_that_is_not_a_feature_collection_fails(go):
    assert go("buildings", "x.geojson", b'{"type": "Point", "coordinates": [1, 2]}').error.startswith(
        "Очікується GeoJSON FeatureCollection"
    )
    run = go("buildings", "x.geojson", b'{"type": "FeatureCollection", "features": [')
    assert run.status == "failed" and run.error.startswith("Файл не є правильним JSON: рядок 1, позиція")


def _fc(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)}).encode()


def _square(name, x0, y0, size=0.05, **props):
    ring = [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]
    return {
        "type": "Feature",
        "properties": {"name": name, **props},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_areas_from_geojson_with_invalid_and_overlapping_ones_refused(go, kamianka):
    bow = {
        "type": "Feature",
        "properties": {"name": "Бантик"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[32.0, 49.2], [32.1, 49.3], [32.1, 49.2], [32.0, 49.3], [32.0, 49.2]]],
        },
    }
    content = _fc(
        _square(
            "Лебедівський округ",
            32.0,
            49.0,
            settlements=["Лебедівка", "Тимошівка"],
            starosta="Ковальчук О. П.",
        ),
        _square("Косарівський округ", 32.05, 49.0),  # touches the first: allowed
        _square("Вербівський округ", 32.02, 49.0),  # overlaps both
        bow,
        _square("", 33.0, 49.0),
        {
            "type": "Feature",
            "properties": {"name": "Точка"},
            "geometry": {"type": "Point", "coordinates": [32.0, 49.0]},
        },
    )
    run = go("areas", "okrugs.geojson", content)
    errors = errors_of(run)
    assert errors[3] == [
        "Ділянка накладається на сусідню «Косарівський округ» (40,0% меншої з них). Сусідні території можуть лише торкатися."
    ]
    assert errors[4] == ["Неправильна межа: межа перетинає сама себе біля точки 49.25000, 32.05000."]
    assert errors[5] == ["Ділянка без назви: додайте властивість name (у KML — елемент name)."]
    assert (run.rows_created, run.rows_failed, run.rows_skipped) == (2, 3, 1)
    lebedivskyi = Area.objects.get(hromada=kamianka, name="Лебедівський округ")
    assert lebedivskyi.kind == AreaKind.OKRUG and lebedivskyi.head_name == "Ковальчук О. П."
    assert set(lebedivskyi.settlements.values_list("name", flat=True)) == {"Лебедівка", "Тимошівка"}
    # Again: the same areas are updated, not duplicated, and do not overlap themselves.
    again = go("areas", "okrugs.geojson", content)
    assert (again.rows_created, again.rows_updated) == (0, 2)
    assert Area.objects.filter(hromada=kamianka, kind=AreaKind.OKRUG).count() == 2


def test_areas_overlapping_one_already_in_the_register_are_refused(go, kamianka):
    services.area_save(
        actor=None,
        hromada=kamianka,
        kind="district",
        name="Центральний",
        geometry_value=_square("", 32.0, 49.0)["geometry"],
    )
    run = go("areas", "d.geojson", _fc(_square("Північний", 32.0, 49.04)), area_kind="district")
    assert errors_of(run)[1][0].startswith(
        "Ділянка накладається на сусідню «Центральний» (20,0% меншої з них)."
    )


def test_areas_from_kml(go, kamianka):
    run = go("areas", "okrugs.kml", (DATA / "okrugs.kml").read_bytes())
    assert run.status == "done" and run.report == []
    assert (run.rows_created, run.rows_skipped) == (2, 1)  # the Point placemark is not an area
    kosari = Area.objects.get(hromada=kamianka, name="Косарівський старостинський округ")
    assert len(kosari.geometry["coordinates"]) == 2  # with its hole
    lebedivskyi = Area.objects.get(hromada=kamianka, name="Лебедівський старостинський округ")
    assert set(lebedivskyi.settlements.values_list("name", flat=True)) == {"Лебедівка", "Тимошівка"}


def test_a_self_intersecting_kml_polygon_is_refused_with_the_reason(go, kamianka):
    kml = (
        '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>Бантик</name>'
        "<Polygon><outerBoundaryIs><LinearRing><coordinates>32.0,49.0 32.1,49.1 32.1,49.0 32.0,49.1 32.0,49.0"
        "</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>"
    )
    run = go("areas", "bow.kml", kml.encode())
    assert errors_of(run) == {
        1: ["Неправильна межа: межа перетинає сама себе біля точки 49.05000, 32.05000."]
    }
    assert not Area.objects.filter(hromada=kamianka).exists()


def test_a_hostile_kml_is_refused(go):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b"<kml><Document><Placemark><name>&b;</name></Placemark></Document></kml>"
    )
    run = go("areas", "bomb.kml", bomb)
    assert run.status == "failed" and run.error.startswith("Файл KML не читається як XML")


def test_the_area_forms_file_reader(kamianka):
    geom = imports.read_geometry_file("o.geojson", _fc(_square("A", 32.0, 49.0)))
    assert geom["type"] == "Polygon"
    with pytest.raises(Exception, match="У файлі 2 ділянок, а потрібна одна"):
        imports.read_geometry_file("o.kml", (DATA / "okrugs.kml").read_bytes())
    with pytest.raises(Exception, match="Завантажте файл GeoJSON"):
        imports.read_geometry_file("o.csv", b"a;b")


def test_an_areas_over_long_or_wrong_contacts_are_refused_for_its_row(go, kamianka):
    content = _fc(
        _square("Перший", 32.0, 49.0, phone="1" * 41),
        _square("Другий", 32.2, 49.0, email="not-an-email"),
        _square("Третій", 32.4, 49.0, phone="+380 4732 2 11 11"),
    )
    errors = errors_of(go("areas", "a.geojson", content))
    assert errors == {
        1: ["Поле «телефон» задовге (до 40 символів)."],
        2: ["Адреса електронної пошти має вигляд name@example.com."],
    }
    assert list(Area.objects.filter(hromada=kamianka).values_list("name", flat=True)) == ["Третій"]
