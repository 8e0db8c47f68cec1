"""The lookup API through HTTP: autocomplete, forward and reverse geocoding, territories."""

import pytest

from hromada.places import services
from hromada.places.tests.lookup_town import CENTRE, make_town, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(hromada):
    return make_town(hromada)


def test_autocomplete_is_a_page_of_suggestions(client, town):
    body = client.get("/api/v1/places/addresses", {"q": "Леніна 12а"}).json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["label"] == "вулиця Героїв Майдану, 12А, Кам’янка"
    assert item["former"] == "вулиця Леніна"
    assert item["kind"] == "building" and item["building_id"] and item["lat"] is not None


def test_autocomplete_limit_and_pages(client, town):
    body = client.get("/api/v1/places/addresses", {"q": "шевченка 1", "limit": 3}).json()
    assert body["count"] == 3
    assert [i["label"].split(", ")[1] for i in body["items"]] == ["1", "10", "12"]
    assert client.get("/api/v1/places/addresses", {"q": "ш"}).json() == {"items": [], "count": 0}
    assert client.get("/api/v1/places/addresses", {"q": "x", "limit": 0}).status_code == 422


def test_geocode_finds_the_point(client, town):
    response = client.get("/api/v1/places/geocode", {"q": "Shevchenka St 12A"})
    assert response.status_code == 200
    body = response.json()
    building = town.buildings["shev 12А"]
    assert body["building_id"] == str(building.public_id)
    assert (body["lat"], body["lon"]) == (building.lat, building.lon)


def test_geocode_of_a_missing_address_suggests_the_nearest(client, town):
    response = client.get("/api/v1/places/geocode", {"q": "вул. Шевченка 14"})
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "address_not_found"
    assert "Шевченка 14" in body["message"]
    assert {s["label"] for s in body["suggestions"][:2]} == {
        "вулиця Тараса Шевченка, 13, Кам’янка",
        "вулиця Тараса Шевченка, 15, Кам’янка",
    }


def test_geocode_of_no_address_is_400(client, town):
    response = client.get("/api/v1/places/geocode", {"q": "12"})
    assert response.status_code == 400 and response.json()["code"] == "address_invalid"


def test_reverse_geocoding(client, town):
    lat, lon = CENTRE
    body = client.get("/api/v1/places/reverse", {"lat": lat + 0.00001, "lon": lon}).json()
    assert body["building"]["id"] == str(town.buildings["shev 1"].public_id)
    assert body["building"]["label"] == "вулиця Тараса Шевченка, 1"
    assert 0 < body["distance_m"] < 2
    assert body["inside_hromada"] is None and body["reason"]
    assert body["settlement"]["name"] == "Кам’янка"


@pytest.mark.parametrize(
    ("lat", "lon"), [("91", "32"), ("48", "181"), ("abc", "32"), ("", ""), ("nan", "32"), ("inf", "1")]
)
def test_reverse_refuses_a_bad_point(client, town, lat, lon):
    response = client.get("/api/v1/places/reverse", {"lat": lat, "lon": lon})
    assert response.status_code == 400
    assert response.json()["code"] == "point_invalid"


def test_territory_lookup(client, town):
    area = services.territory_create(actor=None, hromada=town.hromada, name="Ліцей № 1", purpose="education")
    services.territory_rule_add(
        actor=None, area=area, street=town.streets["shevchenka"], parity="odd", from_house="1", to_house="13"
    )
    body = client.get(
        "/api/v1/places/territories/lookup", {"address": "Шевченка 13", "purpose": "education"}
    ).json()
    assert [t["name"] for t in body["territories"]] == ["Ліцей № 1"]
    assert body["address"]["label"] == "вулиця Тараса Шевченка, 13, Кам’янка"
    body = client.get(
        "/api/v1/places/territories/lookup", {"address": "Шевченка 15", "purpose": "education"}
    ).json()
    assert body["territories"] == []
    r = client.get("/api/v1/places/territories/lookup", {"address": "Шевченка", "purpose": "education"})
    assert r.status_code == 400 and r.json()["code"] == "house_required"
    r = client.get("/api/v1/places/territories/lookup", {"address": "Шевченка 99", "purpose": "education"})
    assert r.status_code == 404 and r.json()["code"] == "address_not_found"
    r = client.get("/api/v1/places/territories/lookup", {"address": "Шевченка 13"})
    assert r.status_code == 400 and r.json()["code"] == "purpose_required"


def test_territory_lookup_by_polygon(client, town):
    lat, lon = CENTRE
    services.territory_create(
        actor=None,
        hromada=town.hromada,
        name="Амбулаторія",
        purpose="health",
        geometry_value=square(lon - 0.001, lat - 0.001, lon + 0.001, lat + 0.001),
    )
    body = client.get(
        "/api/v1/places/territories/lookup", {"address": "Шевченка 1", "purpose": "health"}
    ).json()
    assert [t["name"] for t in body["territories"]] == ["Амбулаторія"]


def test_another_hromadas_addresses_are_never_answered(client, town, other_hromada, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    make_town(other_hromada)
    mine = {str(b.public_id) for b in town.buildings.values()}
    body = client.get("/api/v1/places/addresses", {"q": "шевченка 1", "limit": 50}).json()
    assert body["items"] and {i["building_id"] for i in body["items"]} <= mine
    r = client.get(
        "/api/v1/places/addresses", {"q": "шевченка 1", "limit": 50}, HTTP_HOST="other.example.test"
    )
    theirs = r.json()
    assert theirs["items"] and not ({i["building_id"] for i in theirs["items"]} & mine)
