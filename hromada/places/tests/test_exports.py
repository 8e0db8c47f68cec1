"""The registers as open data: each dataset's rows have exactly its declared fields,
through the platform's dataset endpoints, and only this hromada's rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from hromada.core.modules import registry
from hromada.places import exports, services
from hromada.places.models import Settlement
from hromada.places.tests.imports_helpers import with_settlements

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[32.0, 49.0], [32.1, 49.0], [32.1, 49.1], [32.0, 49.1], [32.0, 49.0]]],
}


@pytest.fixture
def registers(hromada):
    with_settlements(hromada)
    centre = Settlement.objects.get(hromada=hromada, is_centre=True)
    okrug = services.area_save(
        actor=None,
        hromada=hromada,
        kind="okrug",
        name="Лебедівський",
        geometry_value=SQUARE,
        settlements=[Settlement.objects.get(hromada=hromada, name="Лебедівка")],
        head_name="Ковальчук Олена",
    )
    street = services.street_save(actor=None, hromada=hromada, settlement=centre, name="Леніна")
    services.street_rename(
        actor=None,
        street=street,
        name="Героїв Майдану",
        renamed_on=dt.date(2016, 2, 19),
        decision="рішення № 123",
        decision_url="https://example.test/123",
    )
    building, _ = services.building_save(
        actor=None,
        street=street,
        data=services.BuildingData(
            number="12а", postcode="20800", lat=49.03, lon=32.1, floors=5, year_built=1978, use="apartments"
        ),
    )
    return {"street": street, "building": building, "okrug": okrug}


def _json(client, slug):
    response = client.get(f"/api/v1/datasets/places/{slug}.json")
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


@pytest.mark.parametrize("slug", ["settlements", "streets", "street_names", "buildings", "areas"])
def test_every_dataset_has_exactly_its_fields(client, registers, slug):
    _module, dataset = registry.dataset("places", slug)
    rows = _json(client, slug)
    assert rows and all(list(r) == dataset.field_names for r in rows)
    response = client.get(f"/api/v1/datasets/places/{slug}.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == dataset.field_names


def test_the_rows_say_what_the_register_holds(client, registers, other_hromada):
    street, building, okrug = registers["street"], registers["building"], registers["okrug"]
    streets = _json(client, "streets")
    assert streets == [
        {
            "id": str(street.public_id),
            "settlement": "Кам’янка",
            "settlement_katottg": "UA71080130010022318",
            "type": "вулиця",
            "name": "Героїв Майдану",
            "name_en": "Heroiv Maidanu",
            "former_names": "вулиця Леніна (2016-02-19; рішення № 123)",
        }
    ]
    assert _json(client, "street_names") == [
        {
            "street_id": str(street.public_id),
            "settlement": "Кам’янка",
            "street": "вулиця Героїв Майдану",
            "former_type": "вулиця",
            "former_name": "Леніна",
            "renamed_on": "2016-02-19",
            "decision": "рішення № 123",
            "decision_url": "https://example.test/123",
        }
    ]
    assert _json(client, "buildings") == [
        {
            "id": str(building.public_id),
            "street_id": str(street.public_id),
            "settlement": "Кам’янка",
            "street": "вулиця Героїв Майдану",
            "number": "12А",
            "postcode": "20800",
            "lat": 49.03,
            "lon": 32.1,
            "floors": 5,
            "year": 1978,
            "use": "apartments",
        }
    ]
    settlements = _json(client, "settlements")
    assert len(settlements) == 17
    lebedivka = next(s for s in settlements if s["name"] == "Лебедівка")
    assert lebedivka == {
        "katottg": "UA71080130080067128",
        "category": "C",
        "name": "Лебедівка",
        "name_en": "Lebedivka",
        "is_centre": False,
        "okrug": "Лебедівський",
        "lat": None,
        "lon": None,
    }
    areas = _json(client, "areas")
    assert areas[0]["id"] == str(okrug.public_id) and areas[0]["kind"] == "okrug"
    assert areas[0]["bbox"] == "32.000000,49.000000,32.100000,49.100000"
    # Another hromada's datasets hold none of ours.
    assert list(exports.street_rows(hromada=other_hromada)) == []
    assert list(exports.building_rows(hromada=other_hromada)) == []


def test_the_datasets_are_listed(client, registers):
    listed = json.loads(client.get("/api/v1/datasets?page_size=100").content)
    items = listed["items"] if isinstance(listed, dict) else listed
    slugs = {d["slug"] for d in items if d["module"] == "places"}
    assert slugs == {"settlements", "streets", "street_names", "buildings", "areas"}
