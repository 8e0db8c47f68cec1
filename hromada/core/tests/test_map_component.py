"""The kernel's map component (core/_map.html + static/js/map.js): the include renders
in each mode with its configuration as JSON data, loads Leaflet from the install once a
page, says when there are no tiles; the CSP allows exactly the tile host."""

import json
import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, RequestFactory, override_settings

from hromada.core import csp

LAYERS = [
    {"url": "/api/v1/sample/areas", "name": "Ділянки", "kind": "areas", "style": "okrug"},
    {"url": "/api/v1/sample/points", "name": "Точки", "kind": "points"},
]


def render(body: str, **context) -> str:
    request = RequestFactory().get("/")
    return Template("{% load i18n %}" + body).render(Context({"request": request, **context}))


def config_of(html: str, map_id: str) -> dict:
    match = re.search(rf'<script id="{map_id}-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, html
    return json.loads(match.group(1))


def test_show_mode_renders_a_region_with_its_layers_as_data():
    html = render('{% include "core/_map.html" with map_id="m1" layers=layers %}', layers=LAYERS)
    assert 'id="m1" role="region" aria-label="Карта"' in html
    assert 'data-map="m1-config"' in html
    cfg = config_of(html, "m1")
    assert cfg["mode"] == "show"
    assert [(layer["url"], layer["kind"], layer["style"]) for layer in cfg["layers"]] == [
        ("/api/v1/sample/areas", "areas", "okrug"),
        ("/api/v1/sample/points", "points", "default"),
    ]
    assert cfg["layers"][1]["cluster"] is True and cfg["layers"][0]["cluster"] is False
    # No CDN: Leaflet, markercluster and map.js come from the site's static files.
    assert "/static/vendor/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert "/static/js/map.js" in html
    assert "/static/vendor/leaflet/leaflet.css" in html
    assert "unpkg" not in html and "cdn" not in html.lower()


@override_settings(MAP_TILES_URL="")
def test_without_tiles_the_note_is_shown_and_the_map_is_plain():
    html = render('{% include "core/_map.html" with map_id="m1" layers=layers %}', layers=LAYERS)
    assert "map-plain" in html
    note = re.search(r'<p class="map-note" id="m1-note"([^>]*)>([^<]*)</p>', html)
    assert note and "hidden" not in note.group(1)
    assert note.group(2) == "Підкладка карти недоступна; показано лише межі та точки."
    assert config_of(html, "m1")["tiles"]["url"] == ""


@override_settings(MAP_TILES_URL="https://tiles.example.org/{z}/{x}/{y}.png", MAP_TILES_ATTRIBUTION="© Хтось")
def test_with_tiles_the_note_waits_for_a_failure():
    html = render('{% include "core/_map.html" with map_id="m1" layers=layers %}', layers=LAYERS)
    assert re.search(r'<p class="map-note" id="m1-note" hidden>', html)
    assert "map-plain" not in html
    tiles = config_of(html, "m1")["tiles"]
    assert tiles == {"url": "https://tiles.example.org/{z}/{x}/{y}.png", "attribution": "© Хтось"}


def test_pick_mode_names_its_inputs_and_offers_a_keyboard_button():
    html = render(
        '{% include "core/_map.html" with map_id="p" mode="pick" pick_lat="id_lat" pick_lon="id_lon" %}'
    )
    cfg = config_of(html, "p")
    assert cfg["mode"] == "pick" and cfg["pick"] == {"lat": "id_lat", "lon": "id_lon"}
    assert 'data-map-action="pick-centre"' in html
    assert 'aria-label="Карта: позначте точку"' in html


def test_draw_mode_has_its_buttons_and_target():
    html = render('{% include "core/_map.html" with map_id="d" mode="draw" draw_target="id_geometry" %}')
    cfg = config_of(html, "d")
    assert cfg["mode"] == "draw" and cfg["draw"] == {"target": "id_geometry"}
    for action, text in [
        ("finish", "Завершити"),
        ("undo", "Скасувати останню точку"),
        ("clear", "Очистити"),
        ("add-centre", "Додати точку в центрі карти"),
    ]:
        assert re.search(rf'data-map-action="{action}">{text}</button>', html)
    # The buttons need the script: hidden until map.js shows them.
    assert re.search(r'class="actions map-actions" data-map-actions="d" hidden', html)


def test_features_give_a_text_alternative_with_links():
    html = render(
        '{% include "core/_map.html" with map_id="m" layers=layers features=features list_title="Усі точки" %}',
        layers=LAYERS,
        features=[{"name": "Перша", "url": "/a/", "meta": "село"}, {"name": "Друга"}],
    )
    assert '<h2 class="map-list-title">Усі точки</h2>' in html
    assert '<a href="/a/">Перша <span class="meta">село</span></a>' in html
    assert "<li>Друга</li>" in html


def test_assets_are_written_once_for_two_maps():
    html = render(
        '{% include "core/_map.html" with map_id="a" layers=layers %}'
        '{% include "core/_map.html" with map_id="b" layers=layers %}',
        layers=LAYERS,
    )
    assert html.count("leaflet.js") == 1 and html.count("js/map.js") == 1
    assert config_of(html, "a") and config_of(html, "b")


def test_a_page_centre_fixes_the_view():
    html = render(
        '{% include "core/_map.html" with map_id="c" layers=layers center=centre zoom=17 %}',
        layers=LAYERS,
        centre=[49.03, 32.1],
    )
    cfg = config_of(html, "c")
    assert cfg["center"] == [49.03, 32.1] and cfg["zoom"] == 17 and cfg["fixed"] is True


@pytest.mark.parametrize(
    "body",
    [
        '{% include "core/_map.html" with map_id="x" mode="fly" %}',
        '{% include "core/_map.html" with map_id="x" mode="pick" pick_lat="a" %}',
        '{% include "core/_map.html" with map_id="x" mode="draw" %}',
        '{% include "core/_map.html" with map_id="x" layers=bad %}',
        '{% include "core/_map.html" with map_id="x" layers=bad_kind %}',
    ],
)
def test_a_wrong_use_is_a_template_error(body):
    with pytest.raises(TemplateSyntaxError):
        render(body, bad=[{"name": "no url"}], bad_kind=[{"url": "/x", "kind": "lines"}])


def test_a_layer_name_is_escaped_in_the_json():
    html = render(
        '{% include "core/_map.html" with map_id="e" layers=layers %}',
        layers=[{"url": "/x", "name": "</script><script>alert(1)</script>", "kind": "points"}],
    )
    assert "<script>alert(1)" not in html
    assert config_of(html, "e")["layers"][0]["name"] == "</script><script>alert(1)</script>"


# --- the Content-Security-Policy and the tile host -------------------------------


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.local:8080/{z}/{x}/{y}.png", "http://tiles.local:8080"),
        ("", ""),
        ("/tiles/{z}/{x}/{y}.png", ""),  # this site's own: 'self' covers it
        ("javascript:alert(1)", ""),
        ("https://user@evil.example/{z}", ""),
        ("https://a{s}.example.org/{z}", ""),
        ("https://example.org; script-src *", ""),
    ],
)
def test_tile_source_is_exactly_the_host(url, source):
    assert csp.tile_source(url) == source


def _img_src(policy: str) -> str:
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    return directives["img-src"]


@pytest.mark.django_db
def test_csp_allows_the_tile_host_only_when_tiles_are_set(hromada):
    with override_settings(MAP_TILES_URL=""):
        policy = Client().get("/")["Content-Security-Policy"]
        assert _img_src(policy) == "'self' data:"
    with override_settings(MAP_TILES_URL="https://tile.openstreetmap.org/{z}/{x}/{y}.png"):
        policy = Client().get("/")["Content-Security-Policy"]
        assert _img_src(policy) == "'self' data: https://tile.openstreetmap.org"
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        # Nothing else widens: scripts, styles and connections stay this site's own.
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert directives["connect-src"] == "'self'"


@override_settings(CONTENT_SECURITY_POLICY="default-src 'none'")
def test_an_explicit_policy_is_kept_as_it_is():
    assert csp.policy() == "default-src 'none'"
