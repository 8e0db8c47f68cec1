"""Places API (/api/v1/places/…): the registers as GeoJSON layers for maps.

GeoJSON collections are not paged (house rule 15's exemption, docs/maps.md): a map needs
the whole layer, so each is bounded by what it covers instead — the hromada's
settlements and areas (a few hundred at most), one settlement's streets, and buildings
only inside a bbox of at most BBOX_MAX_DEGREES a side and at most
BUILDINGS_MAX_FEATURES features (`"truncated": true` when there were more).
Coordinates are [longitude, latitude] (RFC 7946). Thin: parse, call a selector."""

from __future__ import annotations

import json
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from hromada.api.schemas import ErrorOut

from . import api_lookup, selectors

router = Router(tags=["places"])


def _geojson(collection: dict) -> HttpResponse:
    """The collection as it is: built by the selectors to the schemas below (the tests
    and schemathesis check it), without validating thousands of features again per
    request — the map reloads the buildings layer on every move."""
    body = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body, content_type="application/json")


class PointGeometry(Schema):
    type: Literal["Point"]
    coordinates: list[float] = Field(min_length=2, max_length=2, description="[longitude, latitude]")


class AreaGeometry(Schema):
    type: Literal["Polygon", "MultiPolygon"]
    coordinates: list[Any] = Field(description="Rings of [longitude, latitude] positions (RFC 7946)")


class LineGeometry(Schema):
    type: Literal["LineString", "MultiLineString"]
    coordinates: list[Any] = Field(description="[longitude, latitude] positions (RFC 7946)")


class SettlementProperties(Schema):
    kind: Literal["settlement"]
    katottg: str = Field(description="The settlement's code in КАТОТТГ")
    category: str = Field(
        description="The codifier's letter: M city, T urban-type settlement, C village, X settlement"
    )
    category_label: str
    name: str = Field(description="The official Ukrainian name")
    name_en: str = Field(description="The official Latin transliteration (CMU Resolution 55 of 2010)")
    label: str = Field(description="The name in the request's language")
    is_centre: bool
    okrug: str | None = Field(description="The slug of its starosta okrug")
    population: int | None
    streets: int
    url: str
    meta: str


class SettlementFeature(Schema):
    type: Literal["Feature"]
    id: str
    geometry: PointGeometry | None = Field(description="Null until the settlement's centre is set")
    properties: SettlementProperties


class SettlementCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[SettlementFeature]


class AreaProperties(Schema):
    kind: Literal["boundary", "okrug", "district", "territory", "zone"]
    purpose: str = Field(description="For a territory or zone: the module it serves (e.g. education)")
    slug: str
    name: str
    name_en: str
    label: str
    url: str | None = Field(description="The area's public page (okrugs and districts)")
    meta: str
    head_name: str | None = Field(None, description="Okrugs and districts: the starosta or head")
    head_title: str | None = None
    phone: str | None = None
    email: str | None = None
    office_address: str | None = None
    office_hours: str | None = None


class AreaFeature(Schema):
    type: Literal["Feature"]
    id: str
    geometry: AreaGeometry | None = Field(description="Null for an okrug whose boundary is not drawn yet")
    properties: AreaProperties


class AreaCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[AreaFeature]


class FormerNameOut(Schema):
    street_type: str
    name: str
    renamed_on: str | None = Field(description="ISO date the name stopped being used")
    decision: str = Field(description="The council decision that renamed the street")


class StreetProperties(Schema):
    kind: Literal["street"]
    street_type: str
    name: str
    name_en: str
    label: str
    settlement: str = Field(description="The settlement's КАТОТТГ code")
    buildings: int
    former_names: list[FormerNameOut]
    url: str


class StreetFeature(Schema):
    type: Literal["Feature"]
    id: str
    geometry: LineGeometry | None = Field(description="The street's centre line, if imported")
    properties: StreetProperties


class StreetCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[StreetFeature]


class BuildingProperties(Schema):
    kind: Literal["building"]
    number: str
    street: str = Field(description="The street's id")
    label: str = Field(description="The address in the request's language")
    postcode: str
    floors: int | None
    year_built: int | None
    use: str
    url: str
    meta: str


class BuildingFeature(Schema):
    type: Literal["Feature"]
    id: str
    geometry: PointGeometry | None
    properties: BuildingProperties


class BuildingCollection(Schema):
    type: Literal["FeatureCollection"]
    features: list[BuildingFeature]
    truncated: bool = Field(
        description=f"More than {selectors.BUILDINGS_MAX_FEATURES} buildings in the box: zoom in for all"
    )


class SettlementFilters(Schema):
    okrug: str | None = Field(None, max_length=80, description="Only the villages of this okrug (its slug)")
    slug: str | None = Field(None, max_length=80, description="Only this settlement")


class AreaFilters(Schema):
    kind: Literal["boundary", "okrug", "district", "territory", "zone"] | None = None
    purpose: str | None = Field(None, max_length=60, description="A territory's or zone's module label")
    slug: str | None = Field(None, max_length=80, description="Only the area with this slug")


@router.get(
    "/places/settlements",
    response=SettlementCollection,
    summary="Settlements (GeoJSON points)",
    url_name="places_settlements",
)
def settlements(request, filters: Query[SettlementFilters]):
    """The hromada's settlements from КАТОТТГ, each a point at its centre (or null)."""
    return _geojson(
        selectors.settlement_features(hromada=request.hromada, okrug=filters.okrug, slug=filters.slug)
    )


@router.get(
    "/places/areas",
    response={200: AreaCollection, 400: ErrorOut},
    summary="Areas (GeoJSON polygons)",
    url_name="places_areas",
)
def areas(request, filters: Query[AreaFilters]):
    """The boundary, starosta okrugs, city districts, service territories and zones."""
    return _geojson(
        selectors.area_features(
            hromada=request.hromada, kind=filters.kind, purpose=filters.purpose, slug=filters.slug
        )
    )


@router.get(
    "/places/streets",
    response={200: StreetCollection, 404: ErrorOut},
    summary="A settlement's streets (GeoJSON, with former names)",
    url_name="places_streets",
)
def streets(
    request,
    settlement: str = Query(..., max_length=80, description="The settlement's slug or КАТОТТГ code"),
):
    place = selectors.settlement_find(hromada=request.hromada, key=settlement)
    return _geojson(selectors.street_features(hromada=request.hromada, settlement=place))


@router.get(
    "/places/buildings",
    response={200: BuildingCollection, 400: ErrorOut, 404: ErrorOut},
    summary="Buildings in a box, or of one street (GeoJSON points)",
    url_name="places_buildings",
)
def buildings(
    request,
    bbox: str = Query(
        "",
        max_length=120,
        description=(
            "minlon,minlat,maxlon,maxlat (WGS 84), at most "
            f"{selectors.BBOX_MAX_DEGREES}° a side. Errors: bbox_required, bbox_invalid, bbox_too_large"
        ),
    ),
    street: str = Query(
        "", max_length=40, description="Instead of bbox: the buildings of this street (its id)"
    ),
    building: str = Query("", max_length=40, description="Instead of bbox: this one building (its id)"),
):
    if building and not bbox:
        one = selectors.building_get(hromada=request.hromada, public_id=building)
        return _geojson(selectors.building_features(hromada=request.hromada, building=one))
    if street and not bbox:
        found = selectors.street_get(hromada=request.hromada, public_id=street)
        return _geojson(selectors.building_features(hromada=request.hromada, street=found))
    box = selectors.parse_bbox(bbox)
    return _geojson(selectors.building_features(hromada=request.hromada, bbox=box))


# Address search, geocoding and territories (api_lookup.py) under the same tag.
router.add_router("", api_lookup.router)
