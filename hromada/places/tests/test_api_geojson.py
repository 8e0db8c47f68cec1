"""The GeoJSON layers through HTTP: valid FeatureCollections with [lon, lat]
coordinates, filters, bbox validation with precise codes, the OpenAPI, and isolation
between hromadas."""

import pytest
from django.test import Client

from hromada.api.api import api
from hromada.places import selectors, services
from hromada.places.tests.geo_fixtures import CENTRE, build_geo, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(db):
    return build_geo()


def collection(response) -> dict:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["type"] == "FeatureCollection"
    for feature in body["features"]:
        assert feature["type"] == "Feature" and "id" in feature and isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] in {"Point", "Polygon", "MultiPolygon", "LineString", "MultiLineString"}
            _check_positions(geometry["coordinates"])
    return body


def _check_positions(value):
    """Every position is [lon, lat] within Ukraine's box (so lat/lon swapped fails)."""
    if value and isinstance(value[0], (int, float)):
        lon, lat = value
        assert 22 <= lon <= 41 and 44 <= lat <= 53, value
        return
    for item in value:
        _check_positions(item)


def test_settlements_are_points_in_lon_lat_order(geo, client):
    body = collection(client.get("/api/v1/places/settlements"))
    assert len(body["features"]) == 17  # Кам'янська громада in КАТОТТГ
    town = next(f for f in body["features"] if f["properties"]["is_centre"])
    assert town["id"] == geo.town.katottg
    assert town["geometry"] == {"type": "Point", "coordinates": [CENTRE[0], CENTRE[1]]}
    assert town["properties"]["name"] == geo.town.name and town["properties"]["category"] == "M"
    assert town["properties"]["url"] == f"/places/settlements/{geo.town.slug}/"
    unplaced = [f for f in body["features"] if f["geometry"] is None]
    assert len(unplaced) == 15  # only the town and one village have a point yet


def test_settlements_of_an_okrug_and_by_slug(geo, client):
    body = collection(client.get("/api/v1/places/settlements", {"okrug": geo.okrug.slug}))
    assert [f["id"] for f in body["features"]] == [geo.village.katottg]
    assert body["features"][0]["properties"]["okrug"] == geo.okrug.slug
    body = collection(client.get("/api/v1/places/settlements", {"slug": geo.town.slug}))
    assert [f["id"] for f in body["features"]] == [geo.town.katottg]


def test_english_labels_follow_the_language(geo):
    body = collection(
        Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/places/settlements", {"slug": geo.town.slug})
    )
    props = body["features"][0]["properties"]
    assert props["label"] == geo.town.name_en and props["name"] == geo.town.name


def test_areas_by_kind(geo, client):
    body = collection(client.get("/api/v1/places/areas", {"kind": "okrug"}))
    assert len(body["features"]) == 1
    okrug = body["features"][0]
    assert okrug["id"] == str(geo.okrug.public_id)
    assert okrug["geometry"]["type"] == "Polygon"
    ring = okrug["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert min(p[0] for p in ring) == pytest.approx(CENTRE[0] + 0.15)  # longitude first
    props = okrug["properties"]
    assert props["head_name"] == "Олена Петренко" and props["email"] == "starosta@example.test"
    assert props["url"] == f"/places/okrugs/{geo.okrug.slug}/"
    body = collection(client.get("/api/v1/places/areas"))
    assert {f["properties"]["kind"] for f in body["features"]} == {"okrug", "district"}
    body = collection(client.get("/api/v1/places/areas", {"kind": "district", "slug": geo.district.slug}))
    assert [f["id"] for f in body["features"]] == [str(geo.district.public_id)]


def test_areas_by_purpose(geo, client):
    services.area_save(
        actor=None,
        hromada=geo.hromada,
        kind="territory",
        purpose="education",
        name="Ліцей № 1",
        geometry_value=square(*CENTRE, 0.01),
    )
    body = collection(client.get("/api/v1/places/areas", {"kind": "territory", "purpose": "education"}))
    assert [f["properties"]["name"] for f in body["features"]] == ["Ліцей № 1"]
    assert body["features"][0]["properties"]["url"] is None
    assert collection(client.get("/api/v1/places/areas", {"purpose": "transport"}))["features"] == []


def test_an_unknown_area_kind_is_refused(geo, client):
    response = client.get("/api/v1/places/areas", {"kind": "planet"})
    assert response.status_code == 422
    assert response.json()["field"] == "kind"


def test_streets_of_a_settlement_with_former_names(geo, client):
    body = collection(client.get("/api/v1/places/streets", {"settlement": geo.town.slug}))
    by_name = {f["properties"]["name"]: f for f in body["features"]}
    assert set(by_name) == {"Шевченка", "Героїв Майдану Нова"}
    shevchenka = by_name["Шевченка"]["properties"]
    assert shevchenka["former_names"] == [
        {"street_type": "вулиця", "name": "Леніна", "renamed_on": "2016-02-01", "decision": "рішення № 7"}
    ]
    assert shevchenka["buildings"] == 2 and shevchenka["name_en"] == "Shevchenka"
    assert by_name["Шевченка"]["geometry"] is None
    # The КАТОТТГ code works as well as the slug.
    assert collection(client.get("/api/v1/places/streets", {"settlement": geo.town.katottg}))["features"]


def test_streets_need_a_settlement_of_this_hromada(geo, client):
    assert client.get("/api/v1/places/streets").status_code == 422
    response = client.get("/api/v1/places/streets", {"settlement": "atlantis"})
    assert response.status_code == 404 and response.json()["code"] == "settlement_not_found"


def test_buildings_in_a_box(geo, client):
    box = f"{CENTRE[0] - 0.01},{CENTRE[1] - 0.01},{CENTRE[0] + 0.01},{CENTRE[1] + 0.01}"
    body = collection(client.get("/api/v1/places/buildings", {"bbox": box}))
    assert body["truncated"] is False
    numbers = {f["properties"]["number"]: f for f in body["features"]}
    assert set(numbers) == {"12А", "14"}
    house = numbers["12А"]
    assert house["geometry"]["coordinates"] == [geo.building.lon, geo.building.lat]
    assert house["properties"]["url"] == f"/places/buildings/{geo.building.public_id}/"
    assert house["properties"]["postcode"] == "20800" and house["properties"]["floors"] == 5
    empty = f"{CENTRE[0] + 0.05},{CENTRE[1]},{CENTRE[0] + 0.06},{CENTRE[1] + 0.01}"
    assert collection(client.get("/api/v1/places/buildings", {"bbox": empty}))["features"] == []


def test_buildings_of_a_street(geo, client):
    body = collection(client.get("/api/v1/places/buildings", {"street": str(geo.renamed.public_id)}))
    assert [f["properties"]["number"] for f in body["features"]] == ["12А", "14"]
    response = client.get("/api/v1/places/buildings", {"street": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 404 and response.json()["code"] == "street_not_found"


def test_one_building(geo, client):
    b = geo.renamed.buildings.get(number="14")
    body = collection(client.get("/api/v1/places/buildings", {"building": str(b.public_id)}))
    assert [f["id"] for f in body["features"]] == [str(b.public_id)]
    assert body["features"][0]["geometry"]["coordinates"] == [b.lon, b.lat]
    response = client.get("/api/v1/places/buildings", {"building": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 404 and response.json()["code"] == "building_not_found"


def test_a_full_box_says_it_was_cut(geo, client, monkeypatch):
    monkeypatch.setattr(selectors, "BUILDINGS_MAX_FEATURES", 1)
    box = f"{CENTRE[0] - 0.01},{CENTRE[1] - 0.01},{CENTRE[0] + 0.01},{CENTRE[1] + 0.01}"
    body = collection(client.get("/api/v1/places/buildings", {"bbox": box}))
    assert len(body["features"]) == 1 and body["truncated"] is True


@pytest.mark.parametrize(
    ("bbox", "code"),
    [
        (None, "bbox_required"),
        ("", "bbox_required"),
        ("32.1,49.0,32.2", "bbox_invalid"),
        ("a,b,c,d", "bbox_invalid"),
        ("32.1,49.0,32.2,49.05,1", "bbox_invalid"),
        ("nan,49,32.2,49.05", "bbox_invalid"),
        ("inf,49,32.2,49.05", "bbox_invalid"),
        ("200,49,201,49.05", "bbox_invalid"),  # beyond WGS 84
        ("32.2,49.0,32.1,49.05", "bbox_invalid"),  # west beyond east
        ("32.0,49.0,32.5,49.05", "bbox_too_large"),
        ("32.0,49.0,32.05,49.5", "bbox_too_large"),
    ],
)
def test_bbox_errors_have_precise_codes(hromada, client, bbox, code):
    response = client.get("/api/v1/places/buildings", {} if bbox is None else {"bbox": bbox})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["field"] == "bbox" and body["message"]


def test_a_box_of_exactly_the_maximum_is_accepted(hromada, client):
    response = client.get("/api/v1/places/buildings", {"bbox": "32.05,49.0,32.15,49.1"})
    assert response.status_code == 200


def test_layers_of_an_empty_hromada_are_empty_collections(hromada, client):
    for path in ["/api/v1/places/settlements", "/api/v1/places/areas"]:
        assert collection(client.get(path))["features"] == []


def test_another_hromada_sees_none_of_it(geo, settings):
    from hromada.tenancy.tests.factories import HromadaFactory

    settings.ALLOWED_HOSTS = ["testserver", "other.example.test"]
    other_hromada = HromadaFactory(hosts=["other.example.test"])
    other = Client(HTTP_HOST="other.example.test")
    assert collection(other.get("/api/v1/places/settlements"))["features"] == []
    assert collection(other.get("/api/v1/places/areas"))["features"] == []
    box = f"{CENTRE[0] - 0.01},{CENTRE[1] - 0.01},{CENTRE[0] + 0.01},{CENTRE[1] + 0.01}"
    assert collection(other.get("/api/v1/places/buildings", {"bbox": box}))["features"] == []
    assert other.get("/api/v1/places/streets", {"settlement": geo.town.slug}).status_code == 404
    assert other.get("/api/v1/places/buildings", {"street": str(geo.renamed.public_id)}).status_code == 404
    # And the other way round: its own areas stay its own.
    services.area_save(
        actor=None,
        hromada=other_hromada,
        kind="okrug",
        name="Чужий округ",
        geometry_value=square(*CENTRE, 0.3),
    )
    assert [f["properties"]["name"] for f in collection(other.get("/api/v1/places/areas"))["features"]] == [
        "Чужий округ"
    ]
    assert len(collection(Client().get("/api/v1/places/areas", {"kind": "okrug"}))["features"]) == 1


def test_the_layers_are_in_the_openapi_with_schemas():
    schema = api.get_openapi_schema()
    for path in [
        "/api/v1/places/settlements",
        "/api/v1/places/areas",
        "/api/v1/places/streets",
        "/api/v1/places/buildings",
    ]:
        operation = schema["paths"][path]["get"]
        assert operation["tags"] == ["places"]
        ok = operation["responses"][200]["content"]["application/json"]["schema"]
        assert "$ref" in ok
    components = schema["components"]["schemas"]
    assert components["BuildingCollection"]["properties"]["truncated"]["type"] == "boolean"
    assert "coordinates" in components["PointGeometry"]["properties"]
    bad = schema["paths"]["/api/v1/places/buildings"]["get"]["responses"][400]
    assert bad["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")


def test_every_layer_matches_its_published_schema(geo, client):
    """The layers are written without Ninja's validation (for speed): check them here."""
    from hromada.places import api as places_api

    box = f"{CENTRE[0] - 0.01},{CENTRE[1] - 0.01},{CENTRE[0] + 0.01},{CENTRE[1] + 0.01}"
    for path, params, schema in [
        ("/api/v1/places/settlements", {}, places_api.SettlementCollection),
        ("/api/v1/places/areas", {}, places_api.AreaCollection),
        ("/api/v1/places/streets", {"settlement": geo.town.slug}, places_api.StreetCollection),
        ("/api/v1/places/buildings", {"bbox": box}, places_api.BuildingCollection),
        ("/api/v1/places/buildings", {"street": str(geo.renamed.public_id)}, places_api.BuildingCollection),
    ]:
        response = client.get(path, params)
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert body["features"], path
        assert schema.model_validate(body).model_dump(exclude_none=True)["type"] == "FeatureCollection"
        fields = set(
            schema.model_fields["features"]
            .annotation.__args__[0]
            .model_fields["properties"]
            .annotation.model_fields
        )
        for feature in body["features"]:
            assert set(feature["properties"]) <= fields, (path, set(feature["properties"]) - fields)


def test_names_are_written_as_utf8_not_escapes(geo, client):
    assert "Шевченка".encode() in client.get("/api/v1/places/streets", {"settlement": geo.town.slug}).content
