"""The registers and the map in Chromium: an administrator loads the hromada's settlements
from the codifier and imports a streets file (cp1251, with a bad row) and reads its
report; draws a starosta okrug on the map; and a visitor types a street's former name,
sees the current name and the building on the map: with no tile server, with one that
cannot be reached (a server without internet), and with tiles served locally.

Tiles are never fetched from the internet: the "local" tiles are one PNG that Playwright
serves for a path on the live server's own origin (the Content-Security-Policy is built
once per server, so a tile host of another origin would be refused), and the
"unreachable" ones are the same kind of path with every request failed."""

import io
import json
import re

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

KAMIANKA = "UA71080130000078619"


def _hromada():
    from hromada.tenancy.tests.factories import HromadaFactory

    return HromadaFactory(
        hosts=["localhost", "127.0.0.1"],
        name="Кам’янська міська громада",
        name_en="Kamianka city hromada",
        katottg=KAMIANKA,
    )


@pytest.fixture
def kamianka(db):
    return _hromada()


@pytest.fixture
def kamianka_with_streets(db):
    """The hromada with its settlements, okrugs and a small invented town (synthetic.py):
    вулиця Соборна, formerly Леніна, with houses 1, 2, 3 …"""
    from hromada.places import demo, synthetic

    hromada = _hromada()
    names = demo.settlement_names(hromada)
    demo.load(
        hromada=hromada,
        geography=synthetic.generate(settlements=names, streets=40, buildings=300),
        through_services=False,
    )
    return hromada


def _tile_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (256, 256), (226, 232, 220)).save(out, "PNG")
    return out.getvalue()


def _check(page, name):
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"places-{name}-{width}")
        violations = axe_serious(page)
        assert violations == [], f"{name} at {width}px: {violations}"


def test_an_administrator_loads_settlements_and_imports_streets(new_page, kamianka, tmp_path):
    from hromada.accounts.tests.factories import staff_user
    from hromada.places.models import ImportRun, Settlement, Street, StreetName

    admin = staff_user(kamianka, "admin")
    page = new_page()
    login(page, admin.email)
    page.goto("/staff/places/settlements/")
    page.get_by_role("button", name="Завантажити населені пункти з КАТОТТГ").click()
    page.wait_for_load_state()
    assert "Нових: 17" in page.locator("main").inner_text()
    assert Settlement.objects.filter(hromada=kamianka).count() == 17
    page.goto("/staff/places/settlements/")
    main = page.locator("main")
    for name in ("Кам’янка", "Баландине", "Лебедівка", "Копійчана"):
        assert name in main.inner_text()

    # A file as a hromada's clerk keeps it: Windows-1251, ";" between columns, a former
    # name with its decision, and one row naming a settlement that is not the hromada's.
    csv = tmp_path / "vulytsi.csv"
    csv.write_bytes(
        (
            "Населений пункт;Тип;Вулиця;Колишня назва;Дата перейменування;Рішення\n"
            "Кам’янка;вулиця;Героїв Майдану;вулиця Кірова;19.02.2016;рішення Кам’янської міської ради № 123 від 19.02.2016\n"
            "Кам’янка;провулок;Шкільний;;;\n"
            "Лебедівка;вулиця;Центральна;вулиця Леніна;12.02.2016;рішення Лебедівської сільської ради № 5-3/VII від 12.02.2016\n"
            "Кам’янське;вулиця;Польова;;;\n"
        ).encode("cp1251")
    )
    page.goto("/staff/places/imports/")
    kind = page.get_by_label(re.compile(r"^Що імпортуємо"))
    if kind.count():  # a select (or, in an earlier form, radio buttons under a legend)
        kind.select_option("streets")
    else:
        page.get_by_role("radio", name="вулиці").check()
    page.get_by_label(re.compile(r"^Файл")).set_input_files(str(csv))
    page.get_by_role("button", name="Імпортувати").click()
    page.wait_for_url(re.compile(r"/staff/places/imports/[0-9a-f-]{36}/$"))
    status = page.locator("#import-status")
    status.get_by_text("завершено").wait_for()
    text = status.inner_text()
    assert "Кодування: Windows-1251." in text
    bad = status.locator("table tbody tr")
    assert bad.count() == 1
    assert bad.first.locator("th").inner_text().strip() == "5"  # the header is row 1
    assert "Польова" in bad.first.inner_text()
    run = ImportRun.objects.get(hromada=kamianka)
    assert (run.status, run.rows_created, run.rows_failed) == ("done", 3, 1)
    assert Street.objects.filter(hromada=kamianka).count() == 3
    former = StreetName.objects.get(hromada=kamianka, name="Кірова")
    assert former.street.name == "Героїв Майдану" and former.decision.endswith("від 19.02.2016")
    _check(page, "import-report")


def test_an_administrator_draws_an_okrug(new_page, kamianka):
    from hromada.accounts.tests.factories import staff_user
    from hromada.places import geometry, services
    from hromada.places.models import Area, Settlement

    services.settlements_load(actor=None, hromada=kamianka)
    admin = staff_user(kamianka, "admin")
    page = new_page(width=1280, height=900)
    login(page, admin.email)
    page.goto("/staff/places/okrugs/new/")
    page.get_by_label(re.compile(r"^Назва( \*)?$")).fill("Лебедівський старостинський округ")
    page.get_by_role("checkbox", name="Лебедівка").check()
    page.get_by_role("checkbox", name="Косарі").check()
    page.get_by_label("Староста / керівник").fill("Ткачук Олена Петрівна")
    page.get_by_label("Телефон").fill("(04732) 5-12-34")

    # The map is in draw mode: each click on it adds a corner of the boundary.
    actions = page.locator('[data-map-actions="area-map"]')
    actions.wait_for(state="visible")
    area_map = page.locator("#area-map")
    area_map.scroll_into_view_if_needed()
    box = area_map.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 250
    for dx, dy in (
        (90, 80),
        (box["width"] - 60, 90),
        (box["width"] - 80, box["height"] - 60),
        (110, box["height"] - 70),
    ):
        page.mouse.click(box["x"] + dx, box["y"] + dy)
        page.wait_for_timeout(150)
    assert "Точок межі: 4." in page.locator("#area-map-status").inner_text()
    actions.get_by_role("button", name="Завершити").click()
    assert "Межу завершено" in page.locator("#area-map-status").inner_text()
    drawn = json.loads(page.locator("#id_geometry").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 5  # closed: 4 corners + the first
    geometry.polygon_from_geojson(drawn)  # a valid polygon
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_load_state()

    okrug = Area.objects.get(hromada=kamianka, kind="okrug")
    assert okrug.name == "Лебедівський старостинський округ" and okrug.head_name == "Ткачук Олена Петрівна"
    assert okrug.geometry["type"] == "Polygon" and okrug.min_lon < okrug.max_lon
    villages = set(Settlement.objects.filter(okrug=okrug).values_list("name", flat=True))
    assert villages == {"Лебедівка", "Косарі"}
    # The public page of the okrug names its starosta.
    page.goto(f"/places/okrugs/{okrug.slug}/")
    assert "Ткачук Олена Петрівна" in page.locator("main").inner_text()


@pytest.mark.parametrize("tiles", ["none", "unreachable", "local"])
def test_a_visitor_finds_an_address_by_its_former_name(
    new_page, kamianka_with_streets, live_server, settings, tiles
):
    from hromada.places.models import Building

    soborna_1 = Building.objects.get(
        hromada=kamianka_with_streets, street__name="Соборна", street__settlement__is_centre=True, number="1"
    )
    page = new_page()
    if tiles == "none":
        settings.MAP_TILES_URL = ""
    elif tiles == "unreachable":
        # A server without internet: the tile host never answers.
        settings.MAP_TILES_URL = f"{live_server.url}/__e2e__/offline-tiles/{{z}}/{{x}}/{{y}}.png"
        page.context.route("**/__e2e__/offline-tiles/**", lambda route: route.abort("internetdisconnected"))
    else:
        settings.MAP_TILES_URL = f"{live_server.url}/__e2e__/tiles/{{z}}/{{x}}/{{y}}.png"
        png = _tile_png()
        page.context.route(
            "**/__e2e__/tiles/**", lambda route: route.fulfill(status=200, body=png, content_type="image/png")
        )
    settings.MAP_TILES_ATTRIBUTION = ""

    page.goto("/places/")
    field = page.get_by_label("Знайти адресу")
    field.fill("Леніна 1")
    suggestions = page.locator("#address-suggestions")
    first = suggestions.get_by_role("link").filter(has_text="Соборна").first
    first.wait_for()
    said = first.inner_text()
    assert "Соборна" in said and "колишня назва" in said and "Леніна" in said

    if tiles == "none":
        # The path that never needs the map: Enter, and the answer is a page.
        field.press("Enter")
        page.wait_for_url(re.compile(r"/places/search/\?q="))
        found = page.locator("main .card")
        assert "Соборна" in found.inner_text() and "Леніна" in found.inner_text()
        found.get_by_role("link").first.click()
    else:
        first.click()
    page.wait_for_url(f"**/places/buildings/{soborna_1.public_id}/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "Соборна" in heading and heading.rstrip().endswith("1")

    # The building on the map: its point is drawn, with or without a base map.
    building_map = page.locator("#building-map")
    building_map.locator(".map-point").first.wait_for()
    note = page.locator("#building-map-note")
    if tiles == "local":
        building_map.locator(".leaflet-tile-loaded").first.wait_for()
        assert note.is_hidden()
        assert "map-plain" not in (building_map.get_attribute("class") or "")
    else:
        note.wait_for(state="visible", timeout=15_000)  # unreachable: after the tiles fail
        assert "map-plain" in (building_map.get_attribute("class") or "")
        assert building_map.locator(".leaflet-tile-loaded").count() == 0
    _check(page, f"building-{tiles}")
