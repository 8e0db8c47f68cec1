"""The public pages of the registers: the map, search, settlement, okrug, district,
street and building pages, with and without data, in Ukrainian and English, scoped to
their hromada."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from hromada.places import services
from hromada.places.models import Settlement
from hromada.places.tests.geo_fixtures import build_geo
from hromada.tenancy.services import module_switch_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def geo(db):
    return build_geo()


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def map_config(html: str, map_id: str) -> dict:
    match = re.search(rf'<script id="{map_id}-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no map {map_id}"
    return json.loads(match.group(1))


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_map_page_without_any_data(hromada, client):
    html = text(client.get("/places/"))
    assert "Населені пункти ще не завантажено" in html
    assert "Старостинських округів ще немає." in html
    cfg = map_config(html, "register-map")
    assert [layer["url"] for layer in cfg["layers"]] == [
        "/api/v1/places/areas?kind=boundary",
        "/api/v1/places/areas?kind=okrug",
        "/api/v1/places/settlements",
        "/api/v1/places/buildings",
    ]
    buildings = cfg["layers"][-1]
    assert buildings["bbox"] is True and buildings["min_zoom"] == 16 and buildings["fit"] is False


def test_the_map_page_lists_settlements_and_okrugs_and_has_the_search_box(geo, client):
    html = text(client.get("/places/"))
    assert 'role="region"' in html and 'aria-label="Карта громади: межа, округи, населені пункти"' in html
    assert f'href="/places/settlements/{geo.town.slug}/"' in html
    assert f'href="/places/okrugs/{geo.okrug.slug}/"' in html
    assert "староста Олена Петренко" in html
    assert f'href="/places/districts/{geo.district.slug}/"' in html
    # The address field is the keyboard path: a GET form, with autocomplete by htmx.
    assert 'action="/places/search/"' in html and 'name="q"' in html
    assert 'hx-get="/places/suggest/"' in html
    assert (
        len(re.findall(r'<li><a href="/places/settlements/', html))
        == Settlement.objects.filter(hromada=geo.hromada).count()
    )
    # The nav entry "Карта" points here and is current.
    assert re.search(r'<a href="/places/"\s*aria-current="page">Карта</a>', html)


def test_english_pages_show_latin_names(geo, client):
    english(client)
    html = text(client.get("/places/"))
    assert geo.town.name_en and geo.town.name_en in html
    html = text(client.get(f"/places/settlements/{geo.town.slug}/"))
    assert f"<h1>{geo.town.name_en}</h1>" in html
    assert f"{geo.renamed.name_en} " in html  # "Shevchenka street" in the streets table
    html = text(client.get(f"/places/streets/{geo.renamed.public_id}/"))
    assert geo.renamed.name_en in re.search(r"<h1>(.*?)</h1>", html).group(1)


def test_settlement_page(geo, client):
    html = text(client.get(f"/places/settlements/{geo.town.slug}/"))
    assert f"<h1>{geo.town.name}</h1>" in html
    assert geo.town.katottg in html
    assert "місто" in html
    assert f'href="/places/streets/{geo.renamed.public_id}/">вулиця Шевченка</a>' in html
    assert "вулиця Леніна (до 01.02.2016)" in html  # the former name, with its date
    cfg = map_config(html, "settlement-map")
    assert cfg["center"] == [geo.town.lat, geo.town.lon] and cfg["fixed"] is True
    assert f"/api/v1/places/streets?settlement={geo.town.slug}" in [layer["url"] for layer in cfg["layers"]]


def test_a_village_page_names_its_okrug_and_starosta(geo, client):
    html = text(client.get(f"/places/settlements/{geo.village.slug}/"))
    assert f'href="/places/okrugs/{geo.okrug.slug}/"' in html
    assert "староста Олена Петренко" in html
    assert "Вулиць ще не внесено до реєстру" in html


def test_okrug_page(geo, client):
    html = text(client.get(f"/places/okrugs/{geo.okrug.slug}/"))
    assert f"<h1>{geo.okrug.name}</h1>" in html
    assert "Олена Петренко" in html
    assert 'href="tel:+38047352123' in html
    assert 'href="mailto:starosta@example.test"' in html
    assert "вул. Центральна, 1" in html and "пн–пт 9:00–16:00" in html
    assert f'href="/places/settlements/{geo.village.slug}/"' in html
    cfg = map_config(html, "okrug-map")
    urls = [layer["url"] for layer in cfg["layers"]]
    assert f"/api/v1/places/areas?kind=okrug&slug={geo.okrug.slug}" in urls
    assert f"/api/v1/places/settlements?okrug={geo.okrug.slug}" in urls


def test_okrug_page_without_contacts_or_boundary(geo, client):
    bare = services.area_save(actor=None, hromada=geo.hromada, kind="okrug", name="Порожній округ")
    html = text(client.get(f"/places/okrugs/{bare.slug}/"))
    assert "Контакти ще не внесено." in html
    assert "Межі округу ще не накреслено" in html
    assert "До округу ще не віднесено жодного населеного пункту" in html


def test_district_page(geo, client):
    html = text(client.get(f"/places/districts/{geo.district.slug}/"))
    assert "<h1>Центральний район</h1>" in html
    assert map_config(html, "district-map")["layers"][0]["style"] == "district"


def test_street_page(geo, client):
    html = text(client.get(f"/places/streets/{geo.renamed.public_id}/"))
    assert "<h1>вулиця Шевченка</h1>" in html
    assert geo.renamed.name_en in html
    assert "вулиця Леніна" in html and '<time datetime="2016-02-01">01.02.2016</time>' in html
    assert "рішення № 7" in html
    assert f'href="/places/buildings/{geo.building.public_id}/"' in html
    cfg = map_config(html, "street-map")
    assert cfg["layers"][0]["url"] == f"/api/v1/places/buildings?street={geo.renamed.public_id}"


def test_a_street_renamed_by_decision_shows_it(geo, client):
    html = text(client.get(f"/places/streets/{geo.street.public_id}/"))
    assert "<h1>вулиця Героїв Майдану Нова</h1>" in html
    assert "вулиця Героїв Майдану</td>" in html and "рішення міської ради № 123" in html
    # No building with a point: no map, and the empty state says so.
    assert "street-map" not in html
    assert "Будинків цієї вулиці ще не внесено до реєстру" in html


def test_building_page(geo, client):
    html = text(client.get(f"/places/buildings/{geo.building.public_id}/"))
    assert "<h1>вулиця Шевченка, 12А</h1>" in html
    assert "20800" in html and "1975" in html and "багатоквартирний житловий" in html
    # Its point lies in the district's polygon; the town belongs to no okrug.
    assert f'href="/places/districts/{geo.district.slug}/">Центральний район</a>' in html
    assert "не входить до округу" in html
    cfg = map_config(html, "building-map")
    assert cfg["center"] == [geo.building.lat, geo.building.lon] and cfg["zoom"] == 18


def test_a_building_in_an_okrug_polygon_names_it(geo, client):
    street = services.street_save(actor=None, hromada=geo.hromada, settlement=geo.village, name="Садова")
    house, _ = services.building_save(
        actor=None,
        street=street,
        data=services.BuildingData(number="3", lat=geo.village.lat, lon=geo.village.lon),
    )
    html = text(client.get(f"/places/buildings/{house.public_id}/"))
    assert f'href="/places/okrugs/{geo.okrug.slug}/"' in html


def test_search_finds_an_address_by_its_former_name(geo, client):
    html = text(client.get("/places/search/", {"q": "вул. Леніна, 12-а"}))
    assert "Знайдено адресу" in html
    assert f'href="/places/buildings/{geo.building.public_id}/"' in html
    assert "колишня назва: вулиця Леніна" in html
    cfg = map_config(html, "search-map")  # and it is shown on the map
    assert cfg["center"] == [geo.building.lat, geo.building.lon]
    assert cfg["layers"][0]["url"] == f"/api/v1/places/buildings?street={geo.renamed.public_id}"


def test_search_for_an_address_that_does_not_exist(geo, client):
    html = text(client.get("/places/search/", {"q": "Шевченка 999"}))
    assert "Такої адреси не знайдено" in html


def test_search_for_text_that_is_no_address(geo, client):
    html = text(client.get("/places/search/", {"q": "12"}))
    assert "Це не схоже на адресу" in html


def test_search_page_without_a_query(hromada, client):
    html = text(client.get("/places/search/"))
    assert "<h1>Пошук адреси</h1>" in html and "Такої адреси" not in html


def test_suggestions_are_links(geo, client):
    htmx = {"HTTP_HX_REQUEST": "true"}
    html = text(client.get("/places/suggest/", {"q": "Шевч"}, **htmx))
    assert f'href="/places/streets/{geo.renamed.public_id}/"' in html
    assert "<html" not in html  # a fragment for the list under the field
    assert text(client.get("/places/suggest/", {"q": "ш"}, **htmx)).strip() == ""
    assert "Нічого схожого не знайдено" in text(client.get("/places/suggest/", {"q": "Ххххх"}, **htmx))
    # Without htmx (a link followed, a crawler) it is the search page.
    response = client.get("/places/suggest/", {"q": "Шевч"})
    assert (
        response.status_code == 302 and response["Location"] == "/places/search/?q=%D0%A8%D0%B5%D0%B2%D1%87"
    )


@pytest.mark.parametrize(
    "path",
    [
        "/places/settlements/no-such/",
        "/places/okrugs/no-such/",
        "/places/districts/no-such/",
        "/places/streets/00000000-0000-0000-0000-000000000000/",
        "/places/buildings/00000000-0000-0000-0000-000000000000/",
    ],
)
def test_unknown_things_are_404(hromada, client, path):
    assert client.get(path).status_code == 404


def test_another_hromadas_pages_are_not_found(geo, client, settings):
    from hromada.tenancy.tests.factories import HromadaFactory

    settings.ALLOWED_HOSTS = ["testserver", "other.example.test"]
    other = Client(HTTP_HOST="other.example.test")
    HromadaFactory(hosts=["other.example.test"])
    for path in [
        f"/places/settlements/{geo.town.slug}/",
        f"/places/okrugs/{geo.okrug.slug}/",
        f"/places/districts/{geo.district.slug}/",
        f"/places/streets/{geo.renamed.public_id}/",
        f"/places/buildings/{geo.building.public_id}/",
    ]:
        assert other.get(path).status_code == 404, path
    html = text(other.get("/places/"))
    assert geo.town.name not in html
    assert "Шевченка" not in text(other.get("/places/suggest/", {"q": "Шевч"}, HTTP_HX_REQUEST="true"))


def test_pages_pass_the_csp_template_check(geo, client):
    # No inline script or style on any page (the map's config is JSON data, not script).
    for path in [
        "/places/",
        f"/places/settlements/{geo.town.slug}/",
        f"/places/buildings/{geo.building.public_id}/",
    ]:
        html = text(client.get(path))
        assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", html)
        assert not re.search(r"\sstyle\s*=", html)


def test_a_switched_off_module_has_no_pages_and_no_api(geo, client):
    from hromada.accounts.tests.factories import staff_user

    module_switch_set(
        actor=staff_user(geo.hromada, "admin"), hromada=geo.hromada, module="places", enabled=False
    )
    assert client.get("/places/").status_code == 404
    assert client.get(f"/places/settlements/{geo.town.slug}/").status_code == 404
    response = client.get("/api/v1/places/settlements")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert 'href="/places/"' not in text(client.get("/"))
