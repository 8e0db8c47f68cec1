"""GeoJSON geometry checked with shapely: what an area may be, and its bounding box.

Invalid geometry is refused with the reason and the place (shapely's explain_validity),
never silently repaired: a boundary drawn wrong is a boundary someone must redraw."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from hromada.core.errors import DomainError

# A polygon of a hromada has no business being larger than this many vertices: a
# boundary traced from OpenStreetMap has a few thousand.
MAX_VERTICES = 50_000
# Areas of one kind may touch; an overlap smaller than this share of the smaller area
# is taken as a drawing tolerance along a shared border, not as an overlap.
OVERLAP_TOLERANCE = 0.001


class GeometryInvalid(DomainError):
    def __init__(self, message: Any, *, field: str | None = "geometry") -> None:
        super().__init__("geometry_invalid", message, field=field)


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat


def _reason(text: str) -> str:
    """shapely's reason ("Self-intersection[30.1 48.2]") in people's words."""
    kind, _sep, where = text.partition("[")
    where = where.rstrip("]")
    known = {
        "Self-intersection": _("межа перетинає сама себе"),
        "Ring Self-intersection": _("контур перетинає сам себе"),
        "Too few points in geometry component": _("у контурі замало точок"),
        "Hole lies outside shell": _("виріз лежить поза межею"),
        "Nested shells": _("одна частина лежить усередині іншої"),
        "Interior is disconnected": _("виріз розрізає ділянку на частини"),
        "Self-intersecting ring": _("контур перетинає сам себе"),
        "Duplicate Rings": _("контур повторюється"),
        "Nested holes": _("виріз лежить усередині іншого вирізу"),
    }
    said = known.get(kind.strip(), kind.strip())
    if where:
        parts = where.split()
        if len(parts) >= 2:
            try:
                lon, lat = float(parts[0]), float(parts[1])
                return _("%(reason)s біля точки %(lat).5f, %(lon).5f") % {
                    "reason": said,
                    "lat": lat,
                    "lon": lon,
                }
            except ValueError:
                pass
    return said


def polygon_from_geojson(value: Any) -> BaseGeometry:
    """A GeoJSON geometry, Feature or one-feature FeatureCollection → a valid shapely
    Polygon or MultiPolygon in WGS 84. Raises GeometryInvalid with the reason."""
    if isinstance(value, dict) and value.get("type") == "FeatureCollection":
        features = value.get("features") or []
        if len(features) != 1:
            raise GeometryInvalid(_("Очікується одна ділянка, а у файлі їх %(n)s.") % {"n": len(features)})
        value = features[0]
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or "type" not in value:
        raise GeometryInvalid(_("Це не геометрія GeoJSON: потрібен об'єкт із полями type і coordinates."))
    if value["type"] not in ("Polygon", "MultiPolygon"):
        raise GeometryInvalid(
            _("Територія має бути багатокутником (Polygon або MultiPolygon), а не %(type)s.")
            % {"type": value["type"]}
        )
    try:
        geom = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise GeometryInvalid(_("Координати записано неправильно: %(error)s.") % {"error": exc}) from exc
    if geom.is_empty:
        raise GeometryInvalid(_("Ділянка порожня: у ній немає жодної точки."))
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        raise GeometryInvalid(
            _("Забагато вершин (%(n)s, можна до %(max)s): спростіть межу.")
            % {"n": shapely.get_num_coordinates(geom), "max": MAX_VERTICES}
        )
    coords = shapely.get_coordinates(geom)
    if not all(math.isfinite(x) for x in coords.flat):
        raise GeometryInvalid(_("Серед координат є нечислові значення."))
    if ((coords[:, 0] < -180) | (coords[:, 0] > 180) | (coords[:, 1] < -90) | (coords[:, 1] > 90)).any():
        raise GeometryInvalid(
            _(
                "Координати поза межами WGS 84. GeoJSON пише спершу довготу, потім широту "
                "(для України: близько 22–40, потім 44–52)."
            )
        )
    if not geom.is_valid:
        raise GeometryInvalid(
            _("Неправильна межа: %(reason)s.") % {"reason": _reason(explain_validity(geom))}
        )
    if geom.area == 0:
        raise GeometryInvalid(_("Ділянка не має площі: усі точки лежать на одній лінії."))
    return geom


def bbox_of(geom: BaseGeometry) -> BBox:
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    return BBox(min_lon, min_lat, max_lon, max_lat)


def to_geojson(geom: BaseGeometry) -> dict:
    """Plain-JSON GeoJSON (lists, not tuples), coordinates rounded to ~1 cm."""
    rounded = shapely.set_precision(geom, 1e-7)
    return _listify(mapping(rounded))


def _listify(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_listify(v) for v in value]
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    return value


def overlap_share(a: BaseGeometry, b: BaseGeometry) -> float:
    """How much of the smaller of the two the overlap covers (0 when they only touch)."""
    if not a.intersects(b):
        return 0.0
    common = a.intersection(b).area
    smaller = min(a.area, b.area)
    return common / smaller if smaller else 0.0


def overlaps(a: BaseGeometry, b: BaseGeometry) -> bool:
    return overlap_share(a, b) > OVERLAP_TOLERANCE
