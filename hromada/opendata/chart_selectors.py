"""Reads for charts and map previews (ADR 0009 decision 10): a chart's figures
aggregated in the database over the resource's DataStore table, and the points of a
GeoJSON resource or of a table with latitude/longitude columns."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from .datastore import backend
from .datastore.infer import BOOL, DATE, INT, NUMERIC, TIMESTAMP
from .datastore.query import current_table
from .models import Aggregate, Chart, ChartKind, DatastoreTable, Resource
from .services.charts import NUMERIC_TYPES

OTHER_LABEL = "Інше"  # the figures' CSV and the chart name it the same in every language


def resource_charts(resource: Resource) -> list[Chart]:
    return list(
        Chart.objects.filter(hromada_id=resource.hromada_id, resource=resource).order_by(
            "position", "created_at"
        )
    )


def chart_get(resource: Resource, chart_id) -> Chart | None:
    return Chart.objects.filter(hromada_id=resource.hromada_id, resource=resource, public_id=chart_id).first()


def _number(value: Any) -> float | int:
    if value is None:
        return 0
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _label(value: Any, kind: str) -> str:
    if value is None:
        return _("(без значення)")
    value = backend.from_db(value, kind)
    if kind == BOOL:
        return _("так") if value else _("ні")
    if kind == TIMESTAMP:
        return str(value).replace("T", " ")
    return str(value)


def chart_data(chart: Chart) -> dict:
    """The chart's figures: {"rows": [{"label", "value"}], "groups": how many distinct x
    values, "other": True when the last row sums the rest, "x_label", "y_label",
    "error": a message when the table no longer fits the chart}. Bar and pie: the
    `limit` largest categories, the rest summed as «Інше» (count and sum only: means do
    not add up). Line: x in its own order (dates, numbers), the last `limit` points."""
    resource = chart.resource
    table = current_table(resource) if resource.datastore_active else None
    base = {"rows": [], "groups": 0, "other": False, "x_label": chart.x, "y_label": "", "error": ""}
    if table is None:
        return base | {"error": _("Дані ресурсу ще не завантажено до сховища даних.")}
    columns = {c["id"]: c for c in table.columns}
    x_col = columns.get(chart.x)
    y_col = columns.get(chart.y) if chart.y else None
    base["x_label"] = (x_col or {}).get("source") or chart.x
    if x_col is None:
        return base | {"error": _("У новій версії таблиці немає стовпця «%(c)s».") % {"c": chart.x}}
    if chart.aggregate != Aggregate.COUNT and (y_col is None or y_col["type"] not in NUMERIC_TYPES):
        return base | {
            "error": _("У новій версії таблиці стовпець «%(c)s» відсутній або не числовий.") % {"c": chart.y}
        }
    y_name = (y_col or {}).get("source") or chart.y
    base["y_label"] = {
        Aggregate.COUNT: _("Кількість рядків"),
        Aggregate.SUM: _("Сума «%(c)s»") % {"c": y_name},
        Aggregate.MEAN: _("Середнє «%(c)s»") % {"c": y_name},
    }[Aggregate(chart.aggregate)]
    return base | _aggregate(table, chart, x_col)


def _aggregate(table: DatastoreTable, chart: Chart, x_col: dict) -> dict:
    source = backend.qualified(table.table_name)
    x = backend.quote(chart.x)
    if chart.aggregate == Aggregate.COUNT:
        value = "COUNT(*)"
    elif chart.aggregate == Aggregate.SUM:
        value = f"SUM({backend.quote(chart.y)})"
    else:
        value = f"AVG({backend.quote(chart.y)})"
    limit = int(chart.limit)
    grouped = f"SELECT {x} AS x, {value} AS v FROM {source} GROUP BY {x}"  # noqa: S608 - quoted identifiers from the table's own metadata
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({grouped}) AS g")  # noqa: S608 - quoted identifiers from the table's own metadata
        groups = cursor.fetchone()[0]
        if chart.kind == ChartKind.LINE:
            # The latest points in x's own order; the groups without an x last on neither end.
            cursor.execute(
                f"SELECT x, v FROM ({grouped}) AS g WHERE x IS NOT NULL ORDER BY x DESC LIMIT {limit}"  # noqa: S608
            )
            found = list(reversed(cursor.fetchall()))
        else:
            # COALESCE: a sum over only empty cells counts as 0, not as "unknown", in the order.
            cursor.execute(
                f"SELECT x, v FROM ({grouped}) AS g ORDER BY COALESCE(v, 0) DESC, x ASC LIMIT {limit}"  # noqa: S608
            )
            found = cursor.fetchall()
        rows: list[dict[str, Any]] = [
            {"label": _label(xv, x_col["type"]), "value": _number(v)} for xv, v in found
        ]
        other = False
        if chart.kind != ChartKind.LINE and groups > limit and chart.aggregate != Aggregate.MEAN:
            cursor.execute(f"SELECT {value} FROM {source}")  # noqa: S608 - quoted identifiers from the table's own metadata
            total = _number(cursor.fetchone()[0])
            shown = sum(r["value"] for r in rows)
            rest = total - shown
            if isinstance(rest, float):
                rest = round(rest, 10)
            rows.append({"label": OTHER_LABEL, "value": _number(rest)})
            other = True
    if chart.aggregate == Aggregate.MEAN:
        for r in rows:
            r["value"] = round(float(r["value"]), 2) if r["value"] is not None else 0
            r["value"] = _number(r["value"])
    return {"rows": rows, "groups": groups, "other": other}


def chart_csv_rows(chart: Chart, data: dict) -> tuple[list[str], list[list]]:
    """The figures as a table: header and rows, for the kernel's CSV writer."""
    return [data["x_label"], data["y_label"]], [[r["label"], r["value"]] for r in data["rows"]]


# --- map previews -------------------------------------------------------------------------

MAP_POINTS_MAX = 2000  # what a phone draws smoothly; the text says how many there are in all
GEOJSON_BYTES_MAX = 20 * 1024 * 1024
LAT_NAMES = frozenset({"lat", "latitude", "shyrota", "широта", "y_lat", "geo_lat"})
LON_NAMES = frozenset({"lon", "lng", "long", "longitude", "dovhota", "довгота", "x_lon", "geo_lon"})


def _is_geojson(resource: Resource) -> bool:
    name = (resource.current.original_name if resource.current else "") or ""
    return resource.format.upper() == "GEOJSON" or name.lower().endswith(".geojson")


def lat_lon_columns(table: DatastoreTable) -> tuple[dict, dict] | None:
    """The table's latitude and longitude columns (by name, numeric), or None."""
    lat = lon = None
    for c in table.columns:
        if c["type"] not in NUMERIC_TYPES:
            continue
        names = {c["id"].lower(), str(c.get("source") or "").strip().lower()}
        if lat is None and names & LAT_NAMES:
            lat = c
        elif lon is None and names & LON_NAMES:
            lon = c
    return (lat, lon) if lat and lon else None


def _label_column(table: DatastoreTable, skip: set[str]) -> dict | None:
    for c in table.columns:
        if c["id"] not in skip and c["type"] not in (INT, NUMERIC, BOOL, DATE, TIMESTAMP):
            return c
    return None


def _table_points(table: DatastoreTable, lat: dict, lon: dict) -> dict:
    source = backend.qualified(table.table_name)
    la, lo = backend.quote(lat["id"]), backend.quote(lon["id"])
    label = _label_column(table, {lat["id"], lon["id"]})
    within = f"{la} BETWEEN -90 AND 90 AND {lo} BETWEEN -180 AND 180"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MIN({lo}), MIN({la}), MAX({lo}), MAX({la}) FROM {source} WHERE {within}"  # noqa: S608 - quoted identifiers from the table's own metadata
        )
        count, *box = cursor.fetchone()
        label_sql = f", {backend.quote(label['id'])}" if label else ""
        cursor.execute(
            f"SELECT _id, {la}, {lo}{label_sql} FROM {source} WHERE {within} ORDER BY _id LIMIT {MAP_POINTS_MAX}"  # noqa: S608
        )
        rows = cursor.fetchall()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(r[2]), float(r[1])]},
            "properties": {
                "label": str(r[3]) if label and r[3] is not None else _("Рядок %(n)d") % {"n": r[0]}
            },
        }
        for r in rows
    ]
    bbox = [float(v) for v in box] if count else None
    return {"count": count, "features": features, "bbox": bbox, "kinds": {"points"} if features else set()}


def _coords(geometry: Any):
    """Every [lon, lat] position of a GeoJSON geometry."""
    if not isinstance(geometry, dict):
        return
    if geometry.get("type") == "GeometryCollection":
        for g in geometry.get("geometries") or ():
            yield from _coords(g)
        return
    stack = [geometry.get("coordinates")]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            if len(item) >= 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) for v in item[:2]
            ):
                yield float(item[0]), float(item[1])
            else:
                stack.extend(item)


def _geojson_features(resource: Resource) -> dict | None:
    version = resource.current
    if version is None or version.size > GEOJSON_BYTES_MAX:
        return None
    # A file version never changes: parse it once, not on every page view and layer request.
    key = f"opendata:geojson-preview:{version.sha256}:{MAP_POINTS_MAX}"
    found = cache.get(key)
    if found is None:
        found = _parse_geojson(version) or {}
        cache.set(key, found, 24 * 3600)
    return found or None


def _parse_geojson(version) -> dict | None:
    try:
        with version.file.open("rb") as fh:
            doc = json.loads(fh.read().decode("utf-8-sig"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        items = doc.get("features") or []
    elif isinstance(doc, dict) and doc.get("type") == "Feature":
        items = [doc]
    elif isinstance(doc, dict) and ("coordinates" in doc or doc.get("type") == "GeometryCollection"):
        items = [{"type": "Feature", "geometry": doc, "properties": {}}]
    else:
        return None
    features: list[dict] = []
    kinds: set[str] = set()
    lo_min = la_min = math.inf
    lo_max = la_max = -math.inf
    count = 0
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict) or not isinstance(item.get("geometry"), dict):
            continue
        points = [(x, y) for x, y in _coords(item["geometry"]) if -180 <= x <= 180 and -90 <= y <= 90]
        if not points:
            continue
        count += 1
        lo_min = min(lo_min, *(p[0] for p in points))
        lo_max = max(lo_max, *(p[0] for p in points))
        la_min = min(la_min, *(p[1] for p in points))
        la_max = max(la_max, *(p[1] for p in points))
        if len(features) < MAP_POINTS_MAX:
            found_props = item.get("properties")
            props: dict = found_props if isinstance(found_props, dict) else {}
            name = props.get("name") or props.get("title") or props.get("label") or props.get("назва")
            kind = "points" if item["geometry"].get("type") in ("Point", "MultiPoint") else "areas"
            kinds.add(kind)
            features.append(
                {
                    "type": "Feature",
                    "geometry": item["geometry"],
                    "properties": {"label": str(name)[:200] if name else _("Об’єкт %(n)d") % {"n": count}},
                    "_kind": kind,
                }
            )
    bbox = [lo_min, la_min, lo_max, la_max] if count else None
    return {"count": count, "features": features, "bbox": bbox, "kinds": kinds}


def map_features(resource: Resource) -> dict | None:
    """The resource's geodata for its map: {"count" (in all), "features" (at most
    MAP_POINTS_MAX), "bbox" [minlon, minlat, maxlon, maxlat], "kinds"}, or None when
    the resource has none (not GeoJSON, no lat/lon columns, nothing inside the globe)."""
    if resource.url:
        return None
    if _is_geojson(resource):
        found = _geojson_features(resource)
    else:
        table = current_table(resource) if resource.datastore_active else None
        pair = lat_lon_columns(table) if table is not None else None
        found = _table_points(table, *pair) if table is not None and pair else None
    if not found or not found["count"]:
        return None
    return found


def map_layer_geojson(resource: Resource, kind: str) -> dict:
    """One layer (points or areas) of the preview as a FeatureCollection."""
    found = map_features(resource) or {"features": [], "count": 0}
    features = [
        {k: v for k, v in f.items() if k != "_kind"}
        for f in found["features"]
        if f.get("_kind", "points") == kind
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "truncated": found["count"] > len(found["features"]),
    }


__all__ = [
    "MAP_POINTS_MAX",
    "chart_csv_rows",
    "chart_data",
    "chart_get",
    "lat_lon_columns",
    "map_features",
    "map_layer_geojson",
    "resource_charts",
]
