"""The map's viewport read with many reports: clusters counted in the database over a
grid snapped to absolute coordinates above the threshold, points below it; counts equal
to the rows of each cell, filters honoured by both, a cluster's bbox holding its
reports, panning keeping the cells, and nothing of the reporter in either answer.
Rows are bulk-made (hundreds of registered reports without the services' history)."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from hromada.appeals import public_selectors as ps
from hromada.appeals.models import Case, CaseKind, CaseStatus, Channel, Moderation
from hromada.appeals.tests.factories import LAT, LON, make_category

pytestmark = pytest.mark.django_db

GEO = "/api/v1/appeals/reports.geojson"
BOX = (LON - 0.04, LAT - 0.03, LON + 0.04, LAT + 0.03)
PRIVATE = ("Шевчук Олеся Ігорівна", "olesya.private@example.com", "+380501112233", "вул. Таємна, 7, кв. 9")


def _bbox(box) -> str:
    return ",".join(str(v) for v in box)


def seed(hromada, n: int, *, category=None, status=CaseStatus.REGISTERED, start=1, rng=None, spread=1.0):
    """n shown reports spread over BOX (`spread` of it around its middle), with a
    reporter's details that must never show."""
    rng = rng or random.Random(n + start)
    category = category or make_category(hromada)
    now = timezone.now()
    rows = []
    for k in range(n):
        at = now - dt.timedelta(hours=k + 1)
        rows.append(
            Case(
                hromada=hromada,
                kind=CaseKind.REPORT,
                channel=Channel.WEB,
                status=status,
                number=start + k,
                category=category,
                title="Не світить ліхтар",
                text="Опис проблеми",
                lat=round(LAT + rng.uniform(-0.03, 0.03) * spread, 6),
                lon=round(LON + rng.uniform(-0.04, 0.04) * spread, 6),
                moderation=Moderation.SHOWN,
                registered_at=at,
                due_at=at + dt.timedelta(days=3),
                applicant_name=PRIVATE[0],
                applicant_email=PRIVATE[1],
                applicant_phone=PRIVATE[2],
                applicant_address=PRIVATE[3],
                anonymous=True,
            )
        )
    Case.objects.bulk_create(rows)
    return rows


def cells_of(rows, box, zoom=None) -> Counter:
    """The raw rows of each cell of the grid, counted in Python."""
    lat_step, lon_step = ps.cell_size(box, zoom)
    w, s, e, n = box
    inside = [r for r in rows if w <= r.lon <= e and s <= r.lat <= n]
    return Counter((math.floor(r.lat / lat_step), math.floor(r.lon / lon_step)) for r in inside)


def answered_cells(data, box, zoom=None) -> Counter:
    lat_step, lon_step = ps.cell_size(box, zoom)
    out: Counter = Counter()
    for f in data["features"]:
        props = f["properties"]
        w, s, e, n = props["bbox"] if props.get("cluster") else f["geometry"]["coordinates"] * 2
        key = (math.floor(s / lat_step), math.floor(w / lon_step))
        # A cluster's reports all lie in one cell: its bbox's corners share it.
        assert key == (math.floor(n / lat_step), math.floor(e / lon_step))
        assert key not in out, "two features for one cell"
        out[key] = props.get("count", 1)
    return out


def test_below_the_threshold_points_above_it_clusters(client, hromada):
    rows = seed(hromada, ps.CLUSTER_THRESHOLD)
    data = client.get(GEO, {"bbox": _bbox(BOX)}).json()
    assert data["clustered"] is False and data["truncated"] is False
    assert len(data["features"]) == ps.CLUSTER_THRESHOLD
    assert not any(f["properties"].get("cluster") for f in data["features"])
    # Newest first, and the properties the map needs.
    numbers = [f["properties"]["number"] for f in data["features"]]
    assert numbers == sorted(r.number for r in rows)
    props = data["features"][0]["properties"]
    category = rows[0].category
    assert props["label"] == f"№1 {category.name}" and props["category"] == category.code
    assert props["status"] == "registered" and props["status_label"] == props["meta"] == "Зареєстровано"
    assert props["url"] == reverse("appeals:case", args=[rows[0].public_id])

    more = rows + seed(hromada, 1, category=category, start=ps.CLUSTER_THRESHOLD + 1)
    data = client.get(GEO, {"bbox": _bbox(BOX)}).json()
    assert data["clustered"] is True
    clusters = [f for f in data["features"] if f["properties"].get("cluster")]
    assert clusters and all(f["properties"]["count"] > 1 for f in clusters)
    assert answered_cells(data, BOX) == cells_of(more, BOX)


@pytest.mark.parametrize("zoom", [None, 12, 14, 22])
def test_cluster_counts_are_the_rows_of_each_cell(hromada, zoom):
    rows = seed(hromada, 120, rng=random.Random(5), spread=0.5) + seed(hromada, 40, start=500)
    data = ps.reports_geojson(
        hromada=hromada, bbox=BOX, filters=ps.ReportFilters(), zoom=zoom, cluster_over=50
    )
    assert data["clustered"] is True
    assert answered_cells(data, BOX, zoom) == cells_of(rows, BOX, zoom)
    assert sum(f["properties"].get("count", 1) for f in data["features"]) == len(rows)


def test_a_clusters_bbox_holds_its_cells_reports_and_its_point_lies_in_the_box(hromada):
    rows = seed(hromada, 200, rng=random.Random(9))
    box = (LON - 0.02, LAT - 0.015, LON + 0.025, LAT + 0.01)  # cuts through cells
    data = ps.reports_geojson(hromada=hromada, bbox=box, filters=ps.ReportFilters(), cluster_over=20)
    lat_step, lon_step = ps.cell_size(box)
    w0, s0, e0, n0 = box
    for f in data["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert w0 <= lon <= e0 and s0 <= lat <= n0
        props = f["properties"]
        if not props.get("cluster"):
            continue
        w, s, e, n = props["bbox"]
        assert w <= lon <= e and s <= lat <= n
        assert props["label"].startswith(str(props["count"]) + " ")
        cell = (math.floor(s / lat_step), math.floor(w / lon_step))
        # A cell is counted whole: its reports across the box's edge count too.
        mine = [r for r in rows if (math.floor(r.lat / lat_step), math.floor(r.lon / lon_step)) == cell]
        assert len(mine) == props["count"]
        assert min(r.lon for r in mine) == w and max(r.lon for r in mine) == e
        assert min(r.lat for r in mine) == s and max(r.lat for r in mine) == n


def test_panning_keeps_the_cells(hromada):
    seed(hromada, 300, rng=random.Random(3))
    lat_step, lon_step = ps.cell_size(BOX)
    shift = 3 * lon_step  # a pan east by three cells: the same size of box
    moved = (BOX[0] + shift, BOX[1], BOX[2] + shift, BOX[3])
    assert ps.cell_size(moved) == (lat_step, lon_step)

    def inner(box):
        data = ps.reports_geojson(hromada=hromada, bbox=box, filters=ps.ReportFilters(), cluster_over=20)
        cells = answered_cells(data, box)
        # Cells wholly inside both boxes.
        lo = math.floor(moved[0] / lon_step) + 1
        hi = math.floor(BOX[2] / lon_step) - 1
        return {k: v for k, v in cells.items() if lo <= k[1] <= hi}

    assert inner(BOX) == inner(moved) != {}


def test_filters_apply_to_clusters_and_points(client, hromada):
    lights = make_category(hromada, code="lights")
    roads = make_category(hromada, code="roads")
    seed(hromada, 200, category=lights)
    resolved = seed(hromada, 150, category=roads, status=CaseStatus.RESOLVED, start=1000)
    data = client.get(GEO, {"bbox": _bbox(BOX), "category": "roads"}).json()
    assert data["clustered"] is False and len(data["features"]) == 150
    assert {f["properties"]["category"] for f in data["features"]} == {"roads"}
    data = client.get(GEO, {"bbox": _bbox(BOX)}).json()
    assert data["clustered"] is True
    assert sum(f["properties"].get("count", 1) for f in data["features"]) == 350
    data = ps.reports_geojson(
        hromada=hromada, bbox=BOX, filters=ps.parse_filters({"status": "resolved"}), cluster_over=20
    )
    assert data["clustered"] is True
    assert answered_cells(data, BOX) == cells_of(resolved, BOX)
    assert {f["properties"]["category"] for f in data["features"] if not f["properties"].get("cluster")} <= {
        "roads"
    }
    # Dates, and a report moderated away, count in no cluster (once the grid, kept for
    # GRID_TTL seconds, is counted again).
    Case.objects.filter(number=1000).update(moderation=Moderation.HIDDEN)
    old = timezone.localdate() - dt.timedelta(days=30)
    Case.objects.filter(number__in=[1001, 1002]).update(registered_at=timezone.now() - dt.timedelta(days=30))
    ps.grid_cache_clear()
    data = ps.reports_geojson(
        hromada=hromada,
        bbox=BOX,
        filters=ps.parse_filters({"to": old.isoformat()}),
        cluster_over=1,
    )
    assert sum(f["properties"].get("count", 1) for f in data["features"]) == 2
    data = ps.reports_geojson(
        hromada=hromada, bbox=BOX, filters=ps.parse_filters({"status": "resolved"}), cluster_over=20
    )
    assert sum(f["properties"].get("count", 1) for f in data["features"]) == 149


def test_another_hromadas_reports_count_in_no_cluster(hromada, other_hromada):
    seed(hromada, 30)
    seed(other_hromada, 50)
    data = ps.reports_geojson(hromada=hromada, bbox=BOX, filters=ps.ReportFilters(), cluster_over=10)
    assert data["clustered"] is True
    assert sum(f["properties"].get("count", 1) for f in data["features"]) == 30


def test_nothing_of_the_reporter_in_either_answer(client, hromada):
    seed(hromada, 40)
    for params in ({"bbox": _bbox(BOX)}, {"bbox": _bbox(BOX), "zoom": "11"}):
        body = client.get(GEO, params).content.decode()
        for secret in PRIVATE + ("Опис проблеми",):
            assert secret not in body
    text = ps.reports_geojson_text(hromada=hromada, bbox=BOX, filters=ps.ReportFilters(), cluster_over=5)
    assert '"cluster":true' in text
    for secret in PRIVATE + ("Опис проблеми",):
        assert secret not in text
    props = {k for f in json.loads(text)["features"] for k in f["properties"]}
    assert props <= {
        "cluster",
        "count",
        "bbox",
        "label",
        "number",
        "category",
        "status",
        "status_label",
        "meta",
        "registered_at",
        "url",
    }


def test_a_small_box_is_never_clustered_and_says_truncated(hromada):
    seed(hromada, 12, spread=0.01)
    tiny = (LON - 0.0009, LAT - 0.0009, LON + 0.0009, LAT + 0.0009)
    data = ps.reports_geojson(hromada=hromada, bbox=tiny, filters=ps.ReportFilters(), cluster_over=2, limit=5)
    assert data["clustered"] is False and data["truncated"] is True
    assert [f["properties"]["number"] for f in data["features"]] == [1, 2, 3, 4, 5]


def test_cells_never_grow_too_many_and_a_bad_zoom_is_a_400(client, hromada):
    wide = (31.0, 48.0, 33.0, 50.0)
    lat_step, lon_step = ps.cell_size(wide, 22)
    assert (wide[2] - wide[0]) / lon_step <= ps.CLUSTER_CELLS_MAX
    assert ps.cell_size(wide, 8)[1] > lon_step
    for zoom in ("x", "23", "-1", "1.5"):
        response = client.get(GEO, {"bbox": _bbox(BOX), "zoom": zoom})
        assert response.status_code == 400 and response.json()["code"] == "zoom_invalid", zoom


def test_the_map_text_is_valid_json_with_awkward_names(hromada):
    category = make_category(hromada, name='Лампа "Схід" \\ <b>&</b>', code="lamp")
    seed(hromada, 3, category=category)
    data = ps.reports_geojson(hromada=hromada, bbox=BOX, filters=ps.ReportFilters())
    assert {f["properties"]["label"] for f in data["features"]} == {
        f'№{n} Лампа "Схід" \\ <b>&</b>' for n in (1, 2, 3)
    }


def test_the_grid_is_counted_once_and_again_after_its_ttl(hromada, monkeypatch, django_assert_num_queries):
    """Viewports read the hromada's grid counted once: a box the kept grid already shows
    crowded asks the database nothing; a new report shows in the clusters after GRID_TTL."""
    clock = [1000.0]
    monkeypatch.setattr(ps.time, "monotonic", lambda: clock[0])
    category = make_category(hromada)
    rows = seed(hromada, 200, category=category, rng=random.Random(11))
    filters = ps.ReportFilters()
    first = ps.reports_geojson(hromada=hromada, bbox=BOX, filters=filters, cluster_over=20)
    assert answered_cells(first, BOX) == cells_of(rows, BOX)
    with django_assert_num_queries(0):
        again = ps.reports_geojson(hromada=hromada, bbox=BOX, filters=filters, cluster_over=20)
    assert again == first
    rows += seed(hromada, 30, category=category, start=900, rng=random.Random(12))
    clock[0] += ps.GRID_TTL - 1
    assert ps.reports_geojson(hromada=hromada, bbox=BOX, filters=filters, cluster_over=20) == first
    clock[0] += 2
    fresh = ps.reports_geojson(hromada=hromada, bbox=BOX, filters=filters, cluster_over=20)
    assert answered_cells(fresh, BOX) == cells_of(rows, BOX)
    assert sum(f["properties"].get("count", 1) for f in fresh["features"]) == 230
    # Another filter is its own grid, counted now.
    lights = ps.reports_geojson(
        hromada=hromada, bbox=BOX, filters=ps.parse_filters({"category": category.code}), cluster_over=20
    )
    assert sum(f["properties"].get("count", 1) for f in lights["features"]) == 230
