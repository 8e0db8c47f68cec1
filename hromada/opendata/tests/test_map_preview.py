# ruff: noqa: F811  (the shared fixtures are imported by name)
"""Map previews (ADR 0009 decision 10): a GeoJSON resource, or a table with numeric
latitude/longitude columns, gets the kernel's map with a text alternative (how many,
the bounds, a link to the data); points outside the globe are left out; the layer is
capped."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hromada.opendata import chart_selectors, services
from hromada.opendata.datastore import load_now

from .test_catalogue_fixtures import dataset, editor, publisher  # noqa: F401

pytestmark = pytest.mark.django_db

STOPS = (
    "Назва,Широта,Довгота,Лав\n"
    "Центр,48.5079,32.2623,2\n"
    "Вокзал,48.5205,32.2871,0\n"
    "Ковалівка,48.4921,32.2301,1\n"
    "Помилка,148.1,32.2,0\n"  # outside the globe: not on the map
    "Без координат,,,3\n"
).encode()


def tabular(dataset, editor, content: bytes, name: str = "stops.csv"):
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    resource = services.resource_create(dataset, editor, name="Зупинки", upload=upload)
    load_now(resource.current)
    resource.refresh_from_db()
    return resource


def geojson(dataset, editor, doc: dict):
    upload = SimpleUploadedFile(
        "places.geojson", json.dumps(doc, ensure_ascii=False).encode(), content_type="application/geo+json"
    )
    return services.resource_create(dataset, editor, name="Місця", upload=upload)


def layer(client, resource, kind: str) -> dict:
    url = reverse("opendata:map_geojson", args=[resource.dataset.name, resource.public_id, kind])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    return response.json()


@pytest.fixture
def published_stops(dataset, editor):
    resource = tabular(dataset, editor, STOPS)
    services.dataset_publish(dataset, editor)
    return resource


def test_a_table_with_latitude_and_longitude_is_mapped_within_the_globe(client, published_stops):
    found = chart_selectors.map_features(published_stops)
    assert found["count"] == 3
    assert found["bbox"] == pytest.approx([32.2301, 48.4921, 32.2871, 48.5205])
    got = layer(client, published_stops, "points")
    assert [f["properties"]["label"] for f in got["features"]] == ["Центр", "Вокзал", "Ковалівка"]
    assert got["features"][0]["geometry"] == {"type": "Point", "coordinates": [32.2623, 48.5079]}
    assert got["truncated"] is False
    assert layer(client, published_stops, "areas")["features"] == []


def test_the_resource_page_embeds_the_kernels_map_with_a_text_alternative(client, published_stops):
    url = reverse("opendata:resource", args=[published_stops.dataset.name, published_stops.public_id])
    html = client.get(url).content.decode()
    assert f'id="map-{published_stops.public_id}"' in html and 'data-map="map-' in html
    assert "map.js" in html
    assert re.search(r"3 об’єкт\w* із координатами", html)
    assert re.search(r"широта від 48[.,]4921 до 48[.,]5205", html)
    assert re.search(r"довгота від 32[.,]2301 до 32[.,]2871", html)
    assert (
        reverse("opendata:download", args=[published_stops.dataset.name, published_stops.public_id]) in html
    )
    layer_url = reverse(
        "opendata:map_geojson", args=[published_stops.dataset.name, published_stops.public_id, "points"]
    )
    assert layer_url in html
    dataset_page = client.get(
        reverse("opendata:dataset", args=[published_stops.dataset.name])
    ).content.decode()
    assert f'id="map-{published_stops.public_id}"' in dataset_page


@pytest.mark.parametrize(
    ("header", "mapped"),
    [
        ("name,lat,lon", True),
        ("name,latitude,longitude", True),
        ("name,LAT,LNG", True),
        ("Назва,широта,довгота", True),
        ("name,x,y", False),
        ("name,lat,city", False),
    ],
)
def test_coordinate_columns_are_found_by_name(dataset, editor, header, mapped):
    resource = tabular(dataset, editor, f"{header}\nA,50.45,30.52\nB,50.46,30.53\n".encode())
    assert (chart_selectors.map_features(resource) is not None) is mapped


def test_text_in_a_coordinate_column_means_no_map(dataset, editor):
    resource = tabular(dataset, editor, "name,lat,lon\nA,50.45,30.52\nB,північ,30.53\n".encode())
    assert chart_selectors.map_features(resource) is None


def test_a_geojson_resource_gives_points_and_areas_layers(client, dataset, editor):
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "Ліцей №1"},
                "geometry": {"type": "Point", "coordinates": [32.26, 48.51]},
            },
            {
                "type": "Feature",
                "properties": {"назва": "Парк"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[32.20, 48.48], [32.25, 48.48], [32.25, 48.50], [32.20, 48.48]]],
                },
            },
            {"type": "Feature", "properties": {}, "geometry": None},
        ],
    }
    resource = geojson(dataset, editor, doc)
    services.dataset_publish(dataset, editor)
    found = chart_selectors.map_features(resource)
    assert found["count"] == 2 and found["kinds"] == {"points", "areas"}
    assert found["bbox"] == pytest.approx([32.20, 48.48, 32.26, 48.51])
    assert [f["properties"]["label"] for f in layer(client, resource, "points")["features"]] == ["Ліцей №1"]
    areas = layer(client, resource, "areas")["features"]
    assert areas[0]["properties"]["label"] == "Парк" and areas[0]["geometry"]["type"] == "Polygon"
    html = client.get(reverse("opendata:resource", args=[dataset.name, resource.public_id])).content.decode()
    assert "map-areas.geojson" in html and "map-points.geojson" in html


def test_the_layer_is_capped_and_says_so(client, dataset, editor, monkeypatch):
    monkeypatch.setattr(chart_selectors, "MAP_POINTS_MAX", 2)
    resource = tabular(dataset, editor, STOPS)
    services.dataset_publish(dataset, editor)
    got = layer(client, resource, "points")
    assert len(got["features"]) == 2 and got["truncated"] is True
    html = client.get(reverse("opendata:resource", args=[dataset.name, resource.public_id])).content.decode()
    assert "на карті — перші 2" in html


def test_no_map_for_a_table_without_coordinates_or_a_broken_geojson(client, dataset, editor):
    plain = tabular(dataset, editor, b"name,count\nA,1\nB,2\n", name="plain.csv")
    broken = services.resource_create(
        dataset,
        editor,
        name="Зламаний",
        upload=SimpleUploadedFile("bad.geojson", b"{not json", content_type="application/geo+json"),
    )
    services.dataset_publish(dataset, editor)
    for resource in (plain, broken):
        assert chart_selectors.map_features(resource) is None
        html = client.get(
            reverse("opendata:resource", args=[dataset.name, resource.public_id])
        ).content.decode()
        assert f'id="map-{resource.public_id}"' not in html
    assert layer(client, plain, "points")["features"] == []
    url = reverse("opendata:map_geojson", args=[dataset.name, plain.public_id, "lines"])
    assert client.get(url).status_code == 404


def test_a_drafts_map_is_for_its_editors_only(client, dataset, editor):
    resource = tabular(dataset, editor, STOPS)
    url = reverse("opendata:map_geojson", args=[dataset.name, resource.public_id, "points"])
    assert client.get(url).status_code == 404
    client.force_login(editor)
    assert len(client.get(url).json()["features"]) == 3
