"""Address search, forward and reverse geocoding, and "which territory" (/api/v1/places/…).
Thin: parse, call lookup/geocode/territories, serialise. Public reads of public registers.

Not rate-limited: each is a few indexed reads, and the limiter's counter is a database
write per request (hromada/core/ratelimit.py) — dearer than the read it would guard."""

import uuid

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hromada.api.schemas import ErrorOut
from hromada.core.errors import DomainError
from hromada.core.pagination import paginated
from hromada.tenancy.http import HromadaRequest

from . import geocode, lookup, territories

router = Router(tags=["places"])

Q_MAX = 300


class SuggestionOut(Schema):
    kind: str = Field(description='"street" or "building"')
    label: str = Field(description="The current address, e.g. «вулиця Героїв Майдану, 12А, Кам’янка»")
    former: str = Field(
        description="The former street name the query matched (e.g. «вулиця Леніна»), or empty"
    )
    street_id: str
    building_id: str = Field(description="Empty for a street")
    lat: float | None
    lon: float | None
    settlement: str


class AreaRef(Schema):
    id: uuid.UUID = Field(alias="public_id")
    kind: str
    purpose: str
    name: str


class BuildingRef(Schema):
    id: uuid.UUID = Field(alias="public_id")
    number: str
    label: str
    lat: float | None
    lon: float | None

    @staticmethod
    def resolve_label(obj) -> str:
        return f"{lookup.street_label(obj.street)}, {obj.number}"


class SettlementRef(Schema):
    katottg: str
    name: str
    category: str


class LocationOut(Schema):
    lat: float
    lon: float
    inside_hromada: bool | None = Field(
        description="None while the hromada's boundary is not drawn (see reason)"
    )
    reason: str = Field(
        description="Why the point is not inside, or why that cannot be said; empty when inside"
    )
    building: BuildingRef | None = Field(
        description=f"The nearest building within {int(geocode.REVERSE_RADIUS_M)} m"
    )
    distance_m: float | None
    settlement: SettlementRef | None
    okrug: AreaRef | None
    district: AreaRef | None
    areas: list[AreaRef] = Field(description="Every area covering the point (an edge counts as inside)")


class TerritoryLookupOut(Schema):
    address: SuggestionOut
    purpose: str
    territories: list[AreaRef] = Field(description="The territories of this purpose that take the address")


class SuggestQuery(Schema):
    q: str = Field(
        "", description="What has been typed: «вул. Шевченка 12а», «Вербівка, Шкільна 3», «Shevchenka St 12A»"
    )
    limit: int = Field(10, ge=1, le=lookup.LIMIT_MAX)


def _out(s: lookup.Suggestion) -> dict:
    return {
        "kind": s.kind,
        "label": s.label,
        "former": s.former,
        "street_id": s.street_id,
        "building_id": s.building_id,
        "lat": s.lat,
        "lon": s.lon,
        "settlement": s.settlement,
    }


@router.get(
    "/places/addresses",
    response=list[SuggestionOut],
    summary="Address autocomplete: streets and buildings for what has been typed",
    description="Accepts a former street name, any apostrophe, a missing street type, the official "
    "Latin transliteration and a settlement name before the street. Fewer than two letters: nothing.",
)
@paginated(page_size=10, max_page_size=lookup.LIMIT_MAX)
def addresses(request: HromadaRequest, params: Query[SuggestQuery]):
    return [_out(s) for s in lookup.suggest(hromada=request.hromada, q=params.q[:Q_MAX], limit=params.limit)]


def _found(request, q: str, field: str = "q"):
    """(suggestion, None) or (None, an error Status)."""
    try:
        return lookup.find(hromada=request.hromada, q=(q or "")[:Q_MAX]), None
    except lookup.AddressInvalid:
        return None, Status(
            400,
            {
                "code": "address_invalid",
                "message": _("Напишіть адресу: назву вулиці й номер будинку, напр. «Шевченка 12А»."),
                "field": field,
            },
        )
    except lookup.AddressNotFound as exc:
        # Every 404 of the API is documented as ErrorOut (hromada/api/tests/test_json_errors.py);
        # this one adds `suggestions`, so it is answered as it is, past the schema's filter.
        return None, JsonResponse(
            {
                "code": exc.code,
                "message": exc.message,
                "field": field,
                "suggestions": [_out(s) for s in exc.suggestions],
            },
            status=404,
        )


@router.get(
    "/places/geocode",
    response={200: SuggestionOut, 400: ErrorOut, 404: ErrorOut},
    summary="Forward geocoding: the address meant by the text, with its point",
    description="404 `address_not_found` adds `suggestions`: the nearest addresses that exist, "
    "each as in this operation's 200 answer.",
)
def geocode_address(request: HromadaRequest, q: str = ""):
    found, error = _found(request, q)
    return error if error is not None else _out(found)


def _location_out(loc: geocode.Location) -> dict:
    return {
        "lat": loc.lat,
        "lon": loc.lon,
        "inside_hromada": loc.inside_hromada,
        "reason": str(loc.reason),
        "building": loc.building,
        "distance_m": round(loc.distance_m, 1) if loc.distance_m is not None else None,
        "settlement": loc.settlement,
        "okrug": loc.okrug,
        "district": loc.district,
        "areas": loc.areas,
    }


@router.get(
    "/places/reverse",
    response={200: LocationOut, 400: ErrorOut},
    summary="Reverse geocoding: the nearest building, and the okrug, district and areas of a point",
    description="400 `point_invalid` for coordinates that are not numbers or are out of range.",
)
def reverse(request: HromadaRequest, lat: str = "", lon: str = ""):
    # Strings, not floats: a bad number is our point_invalid, not a 422.
    try:
        location = geocode.locate(hromada=request.hromada, lat=lat, lon=lon)
    except DomainError as exc:
        return Status(exc.status, exc.as_dict())
    return _location_out(location)


@router.get(
    "/places/territories/lookup",
    response={200: TerritoryLookupOut, 400: ErrorOut, 404: ErrorOut},
    summary="Which service territory of a purpose an address belongs to",
    description="By the territory's street rules (house ranges, parity) and its polygons. "
    "400 `house_required` for a street without a house number; 404 `address_not_found` with "
    "`suggestions`, as /places/geocode answers.",
)
def territory_lookup(request: HromadaRequest, address: str = "", purpose: str = ""):
    if not purpose.strip():
        return Status(
            400,
            {
                "code": "purpose_required",
                "message": _("Вкажіть призначення території (purpose)."),
                "field": "purpose",
            },
        )
    found, error = _found(request, address, "address")
    if error is not None:
        return error
    if found.building is None:
        return Status(
            400,
            {
                "code": "house_required",
                "message": _("Вкажіть номер будинку: територія залежить від номера."),
                "field": "address",
            },
        )
    areas = territories.territory_of(
        hromada=request.hromada, building=found.building, purpose=purpose.strip()
    )
    return {"address": _out(found), "purpose": purpose.strip(), "territories": areas}
