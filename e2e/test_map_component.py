"""The kernel's map component in Chromium: points and areas drawn without tiles (the
note shown), with tiles answered locally (the note hidden), failing tiles falling back
to the plain map; pick mode writing and following the inputs; draw mode adding,
undoing, finishing, dragging and re-reading its textarea. No request leaves the
machine: tile requests are answered or refused by the test."""

from __future__ import annotations

import json
import struct
import zlib

import pytest
from playwright.sync_api import expect

from e2e.checks import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TILES = "https://tiles.example.test/{z}/{x}/{y}.png"


def _png() -> bytes:
    """A 256 px tile of one light colour (a real PNG, without an imaging library)."""
    row = b"\x00" + bytes((236, 232, 224)) * 256
    raw = zlib.compress(row * 256)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


@pytest.fixture
def geo(db):
    from hromada.places.tests.geo_fixtures import build_geo

    return build_geo(hosts=("localhost", "127.0.0.1"))


def _inject(page, mode: str, *, tiles: str = "") -> str:
    """A pick or draw map with its inputs, put on a page that has the map's assets (the
    component's own include renders the same markup; tests of it: test_map_component)."""
    map_id = f"{mode}-test"
    cfg = {
        "id": map_id,
        "mode": mode,
        "layers": [],
        "tiles": {"url": tiles, "attribution": ""},
        "pick": {"lat": "id_lat", "lon": "id_lon"} if mode == "pick" else None,
        "draw": {"target": "id_geometry"} if mode == "draw" else None,
        "center": [49.03, 32.1],
        "fixed": True,
        "zoom": 14,
        "texts": {
            "no_tiles": "",
            "points": "Точок межі: {n}.",
            "finished": "Межу завершено (точок: {n}).",
            "cleared": "Межу очищено.",
            "picked": "Позначено точку: {lat}, {lon}.",
            "vertex": "Точка межі {n}",
            "marker": "Позначена точка",
            "multi": "multi",
            "not_polygon": "not a polygon",
        },
    }
    html = f"""
      <label for="id_lat">lat</label><input id="id_lat"><label for="id_lon">lon</label><input id="id_lon">
      <label for="id_geometry">geometry</label><textarea id="id_geometry"></textarea>
      <div class="map" id="{map_id}" role="region" aria-label="test" data-map="{map_id}-config"></div>
      <script type="application/json" id="{map_id}-config">{json.dumps(cfg)}</script>
      <p class="map-note" id="{map_id}-note" hidden>note</p><p class="map-status" id="{map_id}-status"></p>
      <div data-map-actions="{map_id}" hidden>
        <button type="button" data-map-action="undo">undo</button>
        <button type="button" data-map-action="finish">finish</button>
        <button type="button" data-map-action="clear">clear</button>
        <button type="button" data-map-action="add-centre">add</button>
        <button type="button" data-map-action="pick-centre">pick</button>
      </div>"""
    page.evaluate(
        """html => {
          document.querySelectorAll('.map-block').forEach(e => e.remove());
          const box = document.createElement('div'); box.innerHTML = html;
          document.querySelector('main').prepend(box);
          document.dispatchEvent(new Event('htmx:afterSettle'));
        }""",
        html,
    )
    return map_id


def _click(page, map_id: str, dx: int, dy: int) -> None:
    # Pressing a button below the map scrolls the page: bring the map back first.
    page.evaluate(
        "id => window.scrollTo(0, document.getElementById(id).getBoundingClientRect().top + window.scrollY - 8)",
        map_id,
    )
    box = page.locator(f"#{map_id}").bounding_box()
    page.mouse.click(box["x"] + dx, box["y"] + dy)
    page.wait_for_timeout(150)


def test_register_map_without_tiles(new_page, geo):
    page = new_page(width=412, height=915)
    page.goto("/places/")
    page.wait_for_selector("#register-map .map-point")
    assert page.locator("#register-map-note").is_visible()
    assert "map-plain" in page.get_attribute("#register-map", "class")
    # The layers load one by one: wait for each rather than count at once.
    expect(page.locator("#register-map path.map-shape-okrug")).to_have_count(1)
    expect(page.locator("#register-map path.map-shape-district")).to_have_count(1)
    expect(page.locator("#register-map .map-point")).to_have_count(2)  # the town and the village with points
    # The map fits its layers with an animation: click once it is still.
    page.wait_for_selector("#register-map[data-map-settled]")
    page.locator("#register-map .map-point").first.click()
    expect(page.locator(".leaflet-popup-content a")).to_have_count(1)
    shot(page, "places", "map-no-tiles-390")


def test_tiles_answered_and_failing(browser, live_server, ledger_cleanup, geo, settings):
    settings.MAP_TILES_URL = TILES  # read by the include per request
    tile = _png()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    try:
        context.route(
            "https://tiles.example.test/**", lambda r: r.fulfill(body=tile, content_type="image/png")
        )
        page = context.new_page()
        response = page.goto("/places/")
        # The policy allows exactly the tile host, and the tiles load under it.
        assert (
            "img-src 'self' data: https://tiles.example.test;" in response.headers["content-security-policy"]
        )
        page.wait_for_selector("#register-map .leaflet-tile-loaded")
        assert page.locator("#register-map-note").is_hidden()
        assert "map-plain" not in page.get_attribute("#register-map", "class")
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    try:
        context.route("https://tiles.example.test/**", lambda r: r.abort())
        page = context.new_page()
        page.goto("/places/")
        page.wait_for_selector("#register-map-note:not([hidden])")
        assert "map-plain" in page.get_attribute("#register-map", "class")
        expect(page.locator("#register-map .map-point")).to_have_count(2)
    finally:
        context.close()


def test_pick_mode_writes_and_follows_the_inputs(new_page, geo):
    page = new_page(width=412, height=915)
    page.goto("/places/")
    map_id = _inject(page, "pick")
    _click(page, map_id, 120, 120)
    lat, lon = float(page.input_value("#id_lat")), float(page.input_value("#id_lon"))
    assert 48.9 < lat < 49.2 and 31.9 < lon < 32.3
    assert page.text_content(f"#{map_id}-status").startswith("Позначено точку")
    page.fill("#id_lat", "49.04")
    page.fill("#id_lon", "32,11")  # a decimal comma, as people type it
    where = page.evaluate(
        """id => { let at = null; document.getElementById(id)._hromadaMap.map.eachLayer(l => {
             if (l.getLatLng && l.options.draggable) at = l.getLatLng(); }); return at; }""",
        map_id,
    )
    assert where == {"lat": 49.04, "lng": 32.11}
    page.click("[data-map-action=pick-centre]")
    assert page.input_value("#id_lat") and page.input_value("#id_lat") != "49.04"


def test_draw_mode(new_page, geo):
    page = new_page(width=412, height=915)
    page.goto("/places/")
    map_id = _inject(page, "draw")
    existing = {
        "type": "Polygon",
        "coordinates": [[[32.09, 49.02], [32.11, 49.02], [32.11, 49.04], [32.09, 49.02]]],
    }
    page.fill("#id_geometry", json.dumps(existing))
    page.dispatch_event("#id_geometry", "change")
    assert page.locator(f"#{map_id} .map-vertex").count() == 3  # the textarea's polygon, editable
    page.click("[data-map-action=clear]")
    assert page.input_value("#id_geometry") == "" and page.locator(f"#{map_id} .map-vertex").count() == 0
    for dx, dy in [(80, 80), (260, 90), (200, 300)]:
        _click(page, map_id, dx, dy)
    drawn = json.loads(page.input_value("#id_geometry"))
    ring = drawn["coordinates"][0]
    assert drawn["type"] == "Polygon" and len(ring) == 4 and ring[0] == ring[-1]
    assert all(31.9 < lon < 32.3 and 48.9 < lat < 49.2 for lon, lat in ring)  # [lon, lat]
    page.click("[data-map-action=undo]")
    assert page.input_value("#id_geometry") == ""  # two points are no polygon yet
    _click(page, map_id, 220, 330)
    page.click("[data-map-action=finish]")
    assert page.text_content(f"#{map_id}-status") == "Межу завершено (точок: 3)."
    _click(page, map_id, 330, 330)  # finished: a tap adds nothing
    assert page.locator(f"#{map_id} .map-vertex").count() == 3
    before = page.input_value("#id_geometry")
    handle = page.locator(f"#{map_id} .map-vertex").first.bounding_box()
    page.mouse.move(handle["x"] + 11, handle["y"] + 11)
    page.mouse.down()
    page.mouse.move(handle["x"] + 60, handle["y"] + 40, steps=5)
    page.mouse.up()
    after = json.loads(page.input_value("#id_geometry"))
    assert page.input_value("#id_geometry") != before and len(after["coordinates"][0]) == 4
    shot(page, "places", "map-draw-390")
