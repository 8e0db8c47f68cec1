"""Where a point is: the nearest building (reverse geocoding), the areas it falls in
(okrug, district, territories, zones), and whether it is inside the hromada.

Point-in-area runs on a per-process snapshot of each hromada's areas: shapely
geometries, prepared, in an STRtree. Many points at once are answered with shapely 2's
array functions: the tree gives (point, area) pairs whose boxes meet, one vectorised
`intersects_xy` over the prepared geometries keeps the true ones.

Invalidation. The install has no shared cache (Django's default cache is per process),
so the version is read from the database itself: the count and the latest `updated_at`
of the hromada's areas and settlements — two aggregates over a few dozen rows, read at
most once a second per hromada per process. Writers save areas with `save()` (auto_now
moves updated_at; a deletion moves the count), so another process sees a change within
a second; the writer's own process drops its snapshot at once (`areas_changed`, called
by services.registers after the commit).

A point on an edge is inside (covers, not contains). Exclusive kinds (boundary, okrug,
district) do not overlap, so only a point on a shared edge is in two of one kind: then
`okrug`/`district` is the one drawn first (the lowest id) — deterministic, and stable
when a neighbour is redrawn. `areas` lists every area that covers the point.

Buildings. One point: a box of ±150 m over building_point_idx, then haversine. Many
points: a per-process array of the hromada's building points (checked like the areas:
count and latest updated_at, at most once a second) in an STRtree over an
equirectangular projection in metres (exact enough within a hromada), queried with
query_nearest, and the distances recomputed by haversine."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.db import connection
from django.db.models import Count, ExpressionWrapper, F, FloatField, Max, Value
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError

from .geometry import polygon_from_geojson
from .models import Area, AreaKind, Building, Settlement

REVERSE_RADIUS_M = 150.0
CHECK_EVERY_S = 1.0
EARTH_R = 6_371_008.8
_M_PER_DEG = math.pi * EARTH_R / 180


@dataclass
class Location:
    lat: float
    lon: float
    inside_hromada: bool | None  # None: the boundary is not drawn yet (see reason)
    reason: str  # why not inside, or why it cannot be said; "" when inside
    building: Building | None = None  # the nearest within REVERSE_RADIUS_M
    distance_m: float | None = None
    settlement: Settlement | None = None
    okrug: Area | None = None
    district: Area | None = None
    areas: list[Area] = field(default_factory=list)


def point_check(lat, lon) -> tuple[float, float]:
    """Two finite numbers within WGS 84, or DomainError point_invalid."""
    try:
        lat_f, lon_f = float(lat), float(lon)
    except (TypeError, ValueError):
        raise DomainError(
            "point_invalid", _("Координати мають бути числами: широта і довгота в градусах."), field="lat"
        ) from None
    if not (math.isfinite(lat_f) and math.isfinite(lon_f)) or not (
        -90 <= lat_f <= 90 and -180 <= lon_f <= 180
    ):
        raise DomainError(
            "point_invalid",
            _("Координати поза межами: широта від −90 до 90, довгота від −180 до 180."),
            field="lat",
        )
    return lat_f, lon_f


# --- the areas snapshot ------------------------------------------------------------------------


@dataclass
class _Areas:
    version: tuple
    checked: float
    areas: list[Area]
    geoms: np.ndarray
    tree: shapely.STRtree | None
    boundary: int | None  # index into areas
    settlements: dict[int, Settlement]


_areas: dict[int, _Areas] = {}
_buildings: dict[int, _Buildings] = {}
_lock = threading.Lock()


def _areas_version(hromada_id: int) -> tuple:
    a = Area.objects.filter(hromada_id=hromada_id).aggregate(n=Count("id"), t=Max("updated_at"))
    s = Settlement.objects.filter(hromada_id=hromada_id).aggregate(n=Count("id"), t=Max("updated_at"))
    return (a["n"], a["t"], s["n"], s["t"])


def _build_areas(hromada_id: int, version: tuple) -> _Areas:
    areas = list(Area.objects.filter(hromada_id=hromada_id, geometry__isnull=False).order_by("pk"))
    geoms = np.array([polygon_from_geojson(a.geometry) for a in areas], dtype=object)
    if len(geoms):
        shapely.prepare(geoms)
    boundary = next((i for i, a in enumerate(areas) if a.kind == AreaKind.BOUNDARY), None)
    settlements = {s.pk: s for s in Settlement.objects.filter(hromada_id=hromada_id).select_related("okrug")}
    return _Areas(
        version=version,
        checked=time.monotonic(),
        areas=areas,
        geoms=geoms,
        tree=shapely.STRtree(geoms) if len(geoms) else None,
        boundary=boundary,
        settlements=settlements,
    )


def _snapshot(hromada_id: int) -> _Areas:
    snap = _areas.get(hromada_id)
    now = time.monotonic()
    if snap is not None and now - snap.checked < CHECK_EVERY_S:
        return snap
    version = _areas_version(hromada_id)
    if snap is not None and snap.version == version:
        snap.checked = now
        return snap
    with _lock:
        snap = _build_areas(hromada_id, version)
        _areas[hromada_id] = snap
    return snap


def areas_changed(hromada_id: int) -> None:
    """Called after a commit that changed a hromada's areas (services.registers): this
    process forgets its snapshot now; the others see the new version within a second."""
    _areas.pop(hromada_id, None)


def cache_clear() -> None:
    """Every snapshot of this process (between tests: module.py `caches`)."""
    from .lookup import cache_clear as lookup_cache_clear

    _areas.clear()
    _buildings.clear()
    lookup_cache_clear()


def _covering(snap: _Areas, lat: float, lon: float) -> list[int]:
    if snap.tree is None:
        return []
    idx = snap.tree.query(shapely.points(lon, lat))
    if not len(idx):
        return []
    hits = shapely.intersects_xy(snap.geoms[idx], lon, lat)
    return sorted(int(i) for i in idx[hits])


def areas_at(
    *, hromada, lat: float, lon: float, kind: str | None = None, purpose: str | None = None
) -> list[Area]:
    """Every area of the hromada that covers the point (its edge included)."""
    lat, lon = point_check(lat, lon)
    snap = _snapshot(hromada.pk)
    out = [snap.areas[i] for i in _covering(snap, lat, lon)]
    if kind is not None:
        out = [a for a in out if a.kind == kind]
    if purpose is not None:
        out = [a for a in out if a.purpose == purpose]
    return out


_KIND_ORDER = {k: i for i, k in enumerate(["boundary", "okrug", "district", "territory", "zone"])}


def _location(
    snap: _Areas, lat: float, lon: float, covering: list[int], building, distance, settlement_id
) -> Location:
    areas = [snap.areas[i] for i in covering]  # by id: the first of a kind is the one drawn first
    okrug = next((a for a in areas if a.kind == AreaKind.OKRUG), None)
    district = next((a for a in areas if a.kind == AreaKind.DISTRICT), None)
    if snap.boundary is None:
        inside, reason = None, _("Межу громади ще не накреслено: чи точка в громаді, сказати не можна.")
    elif snap.boundary in covering:
        inside, reason = True, ""
    else:
        inside, reason = False, _("Точка поза межами громади.")
    settlement = snap.settlements.get(settlement_id) if settlement_id else None
    if okrug is None and settlement is not None and settlement.okrug_id:
        okrug = settlement.okrug  # an okrug with no polygon yet is what its villages are
    return Location(
        lat=lat,
        lon=lon,
        inside_hromada=inside,
        reason=reason,
        building=building,
        distance_m=distance,
        settlement=settlement,
        okrug=okrug,
        district=district,
        areas=sorted(areas, key=lambda a: (_KIND_ORDER.get(a.kind, 9), a.name, a.pk)),
    )


SETTLEMENT_RADIUS_M = 3000.0


def nearest_settlements(snap: _Areas, lat, lon, okrug_ids) -> list[int | None]:
    """For points with no building near: the settlement whose centre point is nearest
    (within 3 km), preferring the point's okrug's own villages. Vectorised over points."""
    rows = [(s.pk, s.lat, s.lon, s.okrug_id or 0) for s in snap.settlements.values() if s.lat is not None]
    lat, lon = np.atleast_1d(lat), np.atleast_1d(lon)
    if not rows or not len(lat):
        return [None] * len(lat)
    ids, s_lat, s_lon, s_okrug = (np.array(c) for c in zip(*rows, strict=True))
    d = haversine_m(lat[:, None], lon[:, None], s_lat[None, :], s_lon[None, :])
    d = np.where(d <= SETTLEMENT_RADIUS_M, d, np.inf)
    other = s_okrug[None, :] != np.asarray(okrug_ids)[:, None]
    has_okrug = (np.asarray(okrug_ids) != 0)[:, None]
    # Another okrug's village only when none of the point's own okrug is within reach.
    penalised = np.where(has_okrug & other, d + 1e9, d)
    best = penalised.argmin(axis=1)
    found = np.isfinite(d[np.arange(len(lat)), best])
    return [int(ids[b]) if f else None for b, f in zip(best, found, strict=True)]


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres; scalars or numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_R * np.arcsin(np.minimum(1.0, np.sqrt(h)))


# --- one point ---------------------------------------------------------------------------------


NEAREST_CANDIDATES = 16


def nearest_building(*, hromada, lat: float, lon: float, radius_m: float = REVERSE_RADIUS_M):
    """(building, distance in metres) of the nearest building within radius_m, or (None, None).
    One statement (a problem report asks it on every registration): the box over
    building_point_idx, ordered in the database by the flat-earth distance (longitude
    scaled by the cosine here: within ~2e-5 of the true one at 150 m), the nearest
    NEAREST_CANDIDATES with their street and settlement; then haversine picks among them,
    a tie to the lower id."""
    dlat = radius_m / _M_PER_DEG
    scale = max(math.cos(math.radians(lat)), 1e-6)
    dlon = radius_m / (_M_PER_DEG * scale)
    dy, dx = F("lat") - Value(float(lat)), (F("lon") - Value(float(lon))) * Value(scale)
    rows = list(
        Building.objects.filter(
            hromada=hromada,
            lat__gte=lat - dlat,
            lat__lte=lat + dlat,
            lon__gte=lon - dlon,
            lon__lte=lon + dlon,
        )
        .select_related("street__settlement")
        .annotate(flat=ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField()))
        .order_by("flat", "pk")[:NEAREST_CANDIDATES]
    )
    best = None
    for building in rows:
        d = float(haversine_m(lat, lon, building.lat, building.lon))
        if d <= radius_m and (best is None or (d, building.pk) < (best[0], best[1].pk)):
            best = (d, building)
    if best is None:
        return None, None
    return best[1], best[0]


def locate(*, hromada, lat: float, lon: float) -> Location:
    """Where this point is in the hromada: nearest building, settlement, okrug, district,
    every area covering it, and whether it is inside the hromada's boundary."""
    lat, lon = point_check(lat, lon)
    snap = _snapshot(hromada.pk)
    building, distance = nearest_building(hromada=hromada, lat=lat, lon=lon)
    covering = _covering(snap, lat, lon)
    if building is not None:
        settlement_id = building.street.settlement_id
    else:
        okrug = next((snap.areas[i].pk for i in covering if snap.areas[i].kind == AreaKind.OKRUG), 0)
        settlement_id = nearest_settlements(snap, lat, lon, [okrug])[0]
    return _location(snap, lat, lon, covering, building, distance, settlement_id)


def inside_boundary(*, hromada, lat: float, lon: float) -> bool | None:
    """Whether the point is inside the hromada's drawn boundary (None: not drawn yet) —
    `locate`'s answer without the nearest building: the cached prepared areas only, so a
    hot path can ask it."""
    lat, lon = point_check(lat, lon)
    snap = _snapshot(hromada.pk)
    if snap.boundary is None:
        return None
    return snap.boundary in _covering(snap, lat, lon)


# --- many points -------------------------------------------------------------------------------


@dataclass
class _Buildings:
    version: tuple
    checked: float
    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    settlement: np.ndarray
    lat0: float
    tree: shapely.STRtree | None


def _project(lat, lon, lat0: float):
    k = math.cos(math.radians(lat0))
    return np.asarray(lon) * _M_PER_DEG * k, np.asarray(lat) * _M_PER_DEG


def _buildings_version(hromada_id: int) -> tuple:
    b = Building.objects.filter(hromada_id=hromada_id).aggregate(n=Count("id"), t=Max("updated_at"))
    return (b["n"], b["t"])


def _building_points(hromada_id: int) -> _Buildings:
    snap = _buildings.get(hromada_id)
    now = time.monotonic()
    if snap is not None and now - snap.checked < CHECK_EVERY_S:
        return snap
    version = _buildings_version(hromada_id)
    if snap is not None and snap.version == version:
        snap.checked = now
        return snap
    qs = (
        Building.objects.filter(hromada_id=hromada_id, lat__isnull=False, lon__isnull=False)
        .order_by()
        .values_list("pk", "lat", "lon", "street__settlement_id")
    )
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:  # 200,000 rows: the cursor's tuples, not the ORM's
        cursor.execute(sql, params)
        arr = np.array(cursor.fetchall(), dtype=float).reshape(-1, 4)
    lat0 = float(arr[:, 1].mean()) if len(arr) else 0.0
    x, y = _project(arr[:, 1], arr[:, 2], lat0)
    snap = _Buildings(
        version=version,
        checked=now,
        ids=arr[:, 0].astype(np.int64),
        lat=arr[:, 1],
        lon=arr[:, 2],
        settlement=arr[:, 3].astype(np.int64),
        lat0=lat0,
        tree=shapely.STRtree(shapely.points(x, y)) if len(arr) else None,
    )
    _buildings[hromada_id] = snap
    return snap


_BUILDING_FIELDS = (
    "pk",
    "public_id",
    "hromada_id",
    "street_id",
    "number",
    "house_key",
    "postcode",
    "lat",
    "lon",
)
_STREET_FIELDS = ("pk", "public_id", "hromada_id", "settlement_id", "street_type", "name", "name_key")


def _buildings_by_id(ids: list[int]) -> dict[int, Building]:
    """The buildings, each with its street attached, reading only the fields a location
    shows (model instances are most of the cost of 10,000 points)."""
    if not ids:
        return {}
    from .models import Street

    buildings = Building.objects.order_by().only(*_BUILDING_FIELDS).in_bulk(ids)
    streets = (
        Street.objects.order_by().only(*_STREET_FIELDS).in_bulk({b.street_id for b in buildings.values()})
    )
    for b in buildings.values():
        b._state.fields_cache["street"] = streets[b.street_id]  # as select_related would
    return buildings


def locate_many(*, hromada, points: list[tuple[float, float]]) -> list[Location]:
    """locate() for many (lat, lon) points at once, in their order. Raises point_invalid
    for the first bad point (naming its position)."""
    if not points:
        return []
    checked = []
    for i, point in enumerate(points):
        try:
            checked.append(point_check(*point))
        except (DomainError, TypeError) as exc:
            raise DomainError(
                "point_invalid",
                _("Точка № %(n)s: %(reason)s")
                % {"n": i + 1, "reason": getattr(exc, "message", _("не пара чисел"))},
                field="points",
            ) from None
    lat = np.array([p[0] for p in checked])
    lon = np.array([p[1] for p in checked])
    snap = _snapshot(hromada.pk)

    covering: list[list[int]] = [[] for _ in checked]
    if snap.tree is not None:
        pt_idx, area_idx = snap.tree.query(shapely.points(lon, lat))
        if len(pt_idx):
            hits = shapely.intersects_xy(snap.geoms[area_idx], lon[pt_idx], lat[pt_idx])
            for p, a in zip(pt_idx[hits].tolist(), area_idx[hits].tolist(), strict=True):
                covering[p].append(a)
            for c in covering:
                c.sort()

    near_id = np.full(len(checked), -1, dtype=np.int64)
    near_d = np.full(len(checked), np.nan)
    near_settlement = np.zeros(len(checked), dtype=np.int64)
    bp = _building_points(hromada.pk)
    if bp.tree is not None:
        x, y = _project(lat, lon, bp.lat0)
        q_idx, b_idx = bp.tree.query_nearest(
            shapely.points(x, y), max_distance=REVERSE_RADIUS_M * 1.02, all_matches=False
        )
        d = haversine_m(lat[q_idx], lon[q_idx], bp.lat[b_idx], bp.lon[b_idx])
        ok = d <= REVERSE_RADIUS_M
        near_id[q_idx[ok]] = bp.ids[b_idx[ok]]
        near_d[q_idx[ok]] = d[ok]
        near_settlement[q_idx[ok]] = bp.settlement[b_idx[ok]]
    wanted = sorted({int(i) for i in near_id if i >= 0})
    buildings = _buildings_by_id(wanted)

    lonely = np.flatnonzero(near_id < 0)
    if len(lonely):
        okrug_of = [
            next((snap.areas[a].pk for a in covering[i] if snap.areas[a].kind == AreaKind.OKRUG), 0)
            for i in lonely
        ]
        for i, sid in zip(
            lonely.tolist(), nearest_settlements(snap, lat[lonely], lon[lonely], okrug_of), strict=True
        ):
            near_settlement[i] = sid or 0

    out = []
    for i, (p_lat, p_lon) in enumerate(checked):
        bid = int(near_id[i])
        building = buildings.get(bid) if bid >= 0 else None
        out.append(
            _location(
                snap,
                p_lat,
                p_lon,
                covering[i],
                building,
                float(near_d[i]) if building is not None else None,
                int(near_settlement[i]) or None,
            )
        )
    return out
