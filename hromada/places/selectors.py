"""Reads of the registers for the public pages and the GeoJSON API. Every query is
scoped by hromada; a page or an API call of one hromada never sees another's rows.

GeoJSON out (RFC 7946): coordinates are [longitude, latitude]; a feature without a
point or polygon yet has `"geometry": null`. `properties.name` is the register's
Ukrainian name, `name_en` the official Latin one, `label` the one to show in the
active language (English pages show Latin names)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError, NotFound
from hromada.tenancy.models import Hromada

from . import geometry
from .models import Area, AreaKind, Building, Settlement, Street, StreetName

# The buildings layer is loaded for the part of the map people look at: at most this
# many degrees a side (about 7 × 11 km here), and at most this many features.
BBOX_MAX_DEGREES = 0.1
BUILDINGS_MAX_FEATURES = 3000
# Areas with a public page of their own.
AREA_PAGES: dict[str, str] = {AreaKind.OKRUG: "places:okrug", AreaKind.DISTRICT: "places:district"}


def english() -> bool:
    return (get_language() or "uk").startswith("en")


def local_name(obj: Any) -> str:
    """The name to show: Latin on English pages (when the register has one)."""
    name_en = getattr(obj, "name_en", "")
    return name_en if english() and name_en else obj.name


def street_label(street: Street | StreetName) -> str:
    """ "вулиця Шевченка"; on English pages the Latin name and the translated type."""
    name_en = str(getattr(street, "name_en", "") or "")
    if english() and name_en:
        return f"{name_en} {street.get_street_type_display()}"
    return f"{street.street_type} {street.name}"


# --- settlements ---------------------------------------------------------------


def settlement_list(*, hromada: Hromada) -> QuerySet[Settlement]:
    return (
        Settlement.objects.filter(hromada=hromada)
        .select_related("okrug")
        .annotate(street_count=Count("streets"))
        .order_by("-is_centre", "name")
    )


def settlement_get(*, hromada: Hromada, slug: str) -> Settlement:
    settlement = (
        Settlement.objects.filter(hromada=hromada, slug=slug).select_related("okrug").first()
        if slug
        else None
    )
    if settlement is None:
        raise NotFound("settlement_not_found", _("Населений пункт не знайдено."))
    return settlement


def settlement_find(*, hromada: Hromada, key: str) -> Settlement:
    """A settlement by its slug or its КАТОТТГ code (the API accepts either)."""
    key = (key or "").strip()
    settlement = (
        Settlement.objects.filter(hromada=hromada, katottg=key.upper()).first()
        if key.upper().startswith("UA")
        else None
    )
    return settlement or settlement_get(hromada=hromada, slug=key)


def settlement_url(settlement: Settlement) -> str:
    return reverse("places:settlement", kwargs={"slug": settlement.slug})


def settlement_features(*, hromada: Hromada, okrug: str | None = None, slug: str | None = None) -> dict:
    """Settlements as points; `okrug` (its slug) or `slug` narrow the layer."""
    qs = settlement_list(hromada=hromada)
    if okrug:
        qs = qs.filter(okrug__slug=okrug, okrug__kind=AreaKind.OKRUG)
    if slug:
        qs = qs.filter(slug=slug)
    features = []
    for s in qs:
        features.append(
            {
                "type": "Feature",
                "id": s.katottg,
                "geometry": _point(s.lat, s.lon),
                "properties": {
                    "kind": "settlement",
                    "katottg": s.katottg,
                    "category": s.category,
                    "category_label": str(s.get_category_display()),
                    "name": s.name,
                    "name_en": s.name_en,
                    "label": local_name(s),
                    "is_centre": s.is_centre,
                    "okrug": s.okrug.slug if s.okrug else None,
                    "population": s.population,
                    "streets": s.street_count,  # type: ignore[attr-defined]  # annotated
                    "url": settlement_url(s),
                    "meta": str(s.get_category_display()),
                },
            }
        )
    return _collection(features)


# --- areas ---------------------------------------------------------------------


def area_list(
    *, hromada: Hromada, kind: str | None = None, purpose: str | None = None, slug: str | None = None
) -> QuerySet[Area]:
    qs = Area.objects.filter(hromada=hromada)
    if kind:
        qs = qs.filter(kind=kind)
    if purpose is not None:
        qs = qs.filter(purpose=purpose)
    if slug:
        qs = qs.filter(slug=slug)
    return qs.order_by("kind", "name")


# The areas that say whose a place is: starosta okrugs and city districts (routing,
# eligibility, filters of other modules).
OKRUG, DISTRICT = AreaKind.OKRUG, AreaKind.DISTRICT
ROUTING_KINDS = (OKRUG, DISTRICT)


def routing_areas(*, hromada: Hromada) -> QuerySet[Area]:
    """The hromada's okrugs and city districts (not service territories or zones)."""
    return Area.objects.filter(hromada=hromada, kind__in=ROUTING_KINDS, purpose="").order_by("kind", "name")


def is_routing_area(area: Any, *, hromada: Hromada, kind: str | None = None) -> bool:
    """Whether `area` is one of `hromada`'s okrugs or districts (of `kind` when given)."""
    return (
        isinstance(area, Area)
        and area.hromada_id == hromada.pk
        and area.kind in ROUTING_KINDS
        and not area.purpose
        and (kind is None or area.kind == kind)
    )


def area_get(*, hromada: Hromada, kind: str, slug: str) -> Area:
    area = Area.objects.filter(hromada=hromada, kind=kind, purpose="", slug=slug).first()
    if area is None:
        raise NotFound("area_not_found", _("Територію не знайдено."))
    return area


def boundary(*, hromada: Hromada) -> Area | None:
    return Area.objects.filter(hromada=hromada, kind=AreaKind.BOUNDARY).first()


def area_url(area: Area) -> str | None:
    name = AREA_PAGES.get(area.kind)
    return reverse(name, kwargs={"slug": area.slug}) if name and not area.purpose else None


def okrug_villages(*, okrug: Area) -> QuerySet[Settlement]:
    return Settlement.objects.filter(hromada_id=okrug.hromada_id, okrug=okrug).order_by("-is_centre", "name")


def area_features(
    *, hromada: Hromada, kind: str | None = None, purpose: str | None = None, slug: str | None = None
) -> dict:
    if kind and kind not in AreaKind.values:
        raise DomainError(
            "kind_invalid",
            _("Невідомий вид території «%(kind)s». Можна: %(all)s.")
            % {"kind": kind, "all": ", ".join(AreaKind.values)},
            field="kind",
        )
    features = []
    for a in area_list(hromada=hromada, kind=kind, purpose=purpose, slug=slug):
        props: dict[str, Any] = {
            "kind": a.kind,
            "purpose": a.purpose,
            "slug": a.slug,
            "name": a.name,
            "name_en": a.name_en,
            "label": local_name(a),
            "url": area_url(a),
            "meta": str(a.get_kind_display()),
        }
        if a.kind in (AreaKind.OKRUG, AreaKind.DISTRICT):
            # An official's public contacts, as the okrug's page shows them.
            props.update(
                head_name=a.head_name,
                head_title=a.head_title,
                phone=a.phone,
                email=a.email,
                office_address=a.office_address,
                office_hours=a.office_hours,
            )
        features.append(
            {"type": "Feature", "id": str(a.public_id), "geometry": a.geometry, "properties": props}
        )
    return _collection(features)


# --- streets -------------------------------------------------------------------


def _formers() -> Prefetch:
    return Prefetch("former_names", queryset=StreetName.objects.order_by("-renamed_on", "name"))


def street_list(*, hromada: Hromada, settlement: Settlement | None = None) -> QuerySet[Street]:
    qs = Street.objects.filter(hromada=hromada).select_related("settlement").prefetch_related(_formers())
    if settlement is not None:
        qs = qs.filter(settlement=settlement)
    return qs.annotate(building_count=Count("buildings")).order_by("name", "street_type")


def street_get(*, hromada: Hromada, public_id: Any) -> Street:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    street = (
        Street.objects.filter(hromada=hromada, public_id=key)
        .select_related("settlement", "settlement__okrug")
        .prefetch_related(_formers())
        .first()
        if key
        else None
    )
    if street is None:
        raise NotFound("street_not_found", _("Вулицю не знайдено."))
    return street


def street_url(street: Street) -> str:
    return reverse("places:street", kwargs={"public_id": street.public_id})


def street_buildings(*, street: Street) -> QuerySet[Building]:
    return Building.objects.filter(hromada_id=street.hromada_id, street=street).order_by("house_key")


def street_features(*, hromada: Hromada, settlement: Settlement) -> dict:
    features = []
    for s in street_list(hromada=hromada, settlement=settlement):
        features.append(
            {
                "type": "Feature",
                "id": str(s.public_id),
                "geometry": s.geometry,
                "properties": {
                    "kind": "street",
                    "street_type": s.street_type,
                    "name": s.name,
                    "name_en": s.name_en,
                    "label": street_label(s),
                    "settlement": s.settlement.katottg,
                    "buildings": s.building_count,  # type: ignore[attr-defined]  # annotated
                    "former_names": [
                        {
                            "street_type": f.street_type,
                            "name": f.name,
                            "renamed_on": f.renamed_on.isoformat() if f.renamed_on else None,
                            "decision": f.decision,
                        }
                        for f in s.former_names.all()
                    ],
                    "url": street_url(s),
                },
            }
        )
    return _collection(features)


# --- buildings -----------------------------------------------------------------


def building_get(*, hromada: Hromada, public_id: Any) -> Building:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    building = (
        Building.objects.filter(hromada=hromada, public_id=key)
        .select_related("street", "street__settlement", "street__settlement__okrug")
        .first()
        if key
        else None
    )
    if building is None:
        raise NotFound("building_not_found", _("Будинок не знайдено."))
    return building


def building_url(building: Building) -> str:
    return reverse("places:building", kwargs={"public_id": building.public_id})


def building_label(building: Building) -> str:
    return f"{street_label(building.street)}, {building.number}"


@dataclass(frozen=True)
class BBoxQuery:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


def parse_bbox(value: str | None) -> BBoxQuery:
    """ "minlon,minlat,maxlon,maxlat" → a box, or DomainError with a precise code:
    bbox_required, bbox_invalid, bbox_too_large."""
    if not value or not value.strip():
        raise DomainError(
            "bbox_required",
            _("Вкажіть ділянку карти: bbox=мін_довгота,мін_широта,макс_довгота,макс_широта."),
            field="bbox",
        )
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(n == n and abs(n) != float("inf") for n in numbers):
        raise DomainError(
            "bbox_invalid",
            _("bbox — це чотири числа через кому: мін_довгота,мін_широта,макс_довгота,макс_широта."),
            field="bbox",
        )
    min_lon, min_lat, max_lon, max_lat = numbers
    if not (
        -180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= 90 and -90 <= max_lat <= 90
    ):
        raise DomainError(
            "bbox_invalid",
            _("bbox поза межами WGS 84: спершу довгота (−180…180), потім широта (−90…90)."),
            field="bbox",
        )
    if min_lon > max_lon or min_lat > max_lat:
        raise DomainError(
            "bbox_invalid",
            _("У bbox мінімум більший за максимум: спершу південно-західний кут."),
            field="bbox",
        )
    limit = BBOX_MAX_DEGREES + 1e-9  # 32.15 − 32.05 is 0.1000000000000014 in floats
    if max_lon - min_lon > limit or max_lat - min_lat > limit:
        raise DomainError(
            "bbox_too_large",
            _("Ділянка завелика: не більше %(n)s° за довготою й широтою. Наблизьте карту.")
            % {"n": str(BBOX_MAX_DEGREES).replace(".", ",")},
            field="bbox",
        )
    return BBoxQuery(min_lon, min_lat, max_lon, max_lat)


def buildings_in(
    *, hromada: Hromada, bbox: BBoxQuery, limit: int = BUILDINGS_MAX_FEATURES
) -> QuerySet[Building]:
    return Building.objects.filter(
        hromada=hromada,
        lat__gte=bbox.min_lat,
        lat__lte=bbox.max_lat,
        lon__gte=bbox.min_lon,
        lon__lte=bbox.max_lon,
    ).order_by("lat", "lon", "pk")[:limit]


_BUILDING_FIELDS = (
    "public_id",
    "street_id",
    "number",
    "postcode",
    "lat",
    "lon",
    "floors",
    "year_built",
    "use",
)


def building_features(
    *,
    hromada: Hromada,
    bbox: BBoxQuery | None = None,
    street: Street | None = None,
    building: Building | None = None,
) -> dict:
    """Buildings in a box, one street's buildings, or one building (with a point). Read
    as plain rows (a map moved reloads thousands of them), the streets once."""
    if building is not None:
        qs = Building.objects.filter(hromada=hromada, pk=building.pk, lat__isnull=False)
    elif street is not None:
        qs = street_buildings(street=street).filter(lat__isnull=False)
    elif bbox is not None:
        qs = buildings_in(hromada=hromada, bbox=bbox, limit=BUILDINGS_MAX_FEATURES + 1)
    else:
        parse_bbox("")  # raises bbox_required
    rows = list(qs.values_list(*_BUILDING_FIELDS)[: BUILDINGS_MAX_FEATURES + 1])
    streets = {
        st.pk: st
        for st in Street.objects.filter(hromada=hromada, pk__in={r[1] for r in rows}).select_related(
            "settlement"
        )
    }
    labels = {
        pk: (str(st.public_id), street_label(st), local_name(st.settlement)) for pk, st in streets.items()
    }
    base = reverse("places:building", kwargs={"public_id": uuid.UUID(int=0)}).replace(
        str(uuid.UUID(int=0)), "{}"
    )
    features = []
    for public_id, street_id, number, postcode, lat, lon, floors, year_built, use in rows[
        :BUILDINGS_MAX_FEATURES
    ]:
        street_public_id, street_text, settlement_name = labels[street_id]
        features.append(
            {
                "type": "Feature",
                "id": str(public_id),
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "kind": "building",
                    "number": number,
                    "street": street_public_id,
                    "label": f"{street_text}, {number}",
                    "postcode": postcode,
                    "floors": floors,
                    "year_built": year_built,
                    "use": use,
                    "url": base.format(public_id),
                    "meta": settlement_name,
                },
            }
        )
    collection = _collection(features)
    # A foreign member (RFC 7946 §6.1): the box held more than one answer carries.
    collection["truncated"] = len(rows) > BUILDINGS_MAX_FEATURES
    return collection


def building_places(*, building: Building) -> dict[str, Area | None | list[Area]]:
    """Which okrug and district the building falls into: the areas whose polygon holds
    its point (a bbox prefilter in SQL, then an exact test), else its village's okrug."""
    hromada_id = building.hromada_id
    found: list[Area] = []
    if building.lat is not None and building.lon is not None:
        from shapely.geometry import Point

        point = Point(building.lon, building.lat)
        candidates = Area.objects.filter(
            hromada_id=hromada_id,
            geometry__isnull=False,
            min_lon__lte=building.lon,
            max_lon__gte=building.lon,
            min_lat__lte=building.lat,
            max_lat__gte=building.lat,
        ).order_by("kind", "name")
        for area in candidates:
            try:
                if geometry.polygon_from_geojson(area.geometry).covers(point):
                    found.append(area)
            except geometry.GeometryInvalid:
                continue
    okrug = next((a for a in found if a.kind == AreaKind.OKRUG), None) or building.street.settlement.okrug
    district = next((a for a in found if a.kind == AreaKind.DISTRICT), None)
    others = [a for a in found if a.kind not in (AreaKind.OKRUG, AreaKind.DISTRICT, AreaKind.BOUNDARY)]
    return {"okrug": okrug, "district": district, "others": others}


# --- GeoJSON helpers -----------------------------------------------------------


def _point(lat: float | None, lon: float | None) -> dict | None:
    if lat is None or lon is None:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def geojson_point(lat: float | None, lon: float | None) -> dict | None:
    return _point(lat, lon)


# --- the one question other modules ask ---------------------------------------------


@dataclass
class Whereabouts:
    """Where something is and whose it is: the answer of `where`.

    `building`/`street`/`settlement` are the register's rows (None when not known);
    `okrug` and `district` the areas it falls in (a village's okrug when the point is
    not drawn); `inside_hromada` True/False, or None when the boundary is not drawn
    (`reason` says so); `areas` every area covering the point; `territories` the
    service territories of the asked `purpose` that take it."""

    lat: float | None
    lon: float | None
    inside_hromada: bool | None
    reason: str
    label: str = ""
    building: Building | None = None
    street: Street | None = None
    settlement: Settlement | None = None
    okrug: Area | None = None
    district: Area | None = None
    areas: list[Area] = field(default_factory=list)
    territories: list[Area] = field(default_factory=list)
    former: str = ""  # the former street name the address was typed with, if any


def inside_boundary(*, hromada: Hromada, lat: float, lon: float) -> bool | None:
    """Whether a point is inside the hromada's drawn boundary (None: no boundary drawn;
    DomainError point_invalid for coordinates off the map). Cheap: for checking answers."""
    from . import geocode

    return geocode.inside_boundary(hromada=hromada, lat=lat, lon=lon)


def where(
    *,
    hromada: Hromada,
    address: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    purpose: str = "",
) -> Whereabouts:
    """Where is this and whose is it — by an address as people type it, or by a point.

    An address is found as `lookup.find` finds it (raises `lookup.AddressNotFound` with
    the nearest matches, or `AddressInvalid`); a point is checked (DomainError
    `point_invalid`) and given its nearest building within 150 m. Then the okrug,
    district, areas and, with `purpose`, the service territories of that purpose."""
    from . import geocode, lookup, territories

    if address is None and (lat is None or lon is None):
        raise DomainError("where_needs_input", _("Вкажіть адресу або точку на карті."))
    found = None
    building: Building | None = None
    street: Street | None = None
    if address is not None:
        found = lookup.find(hromada=hromada, q=address)
        building, street = found.building, found.street
        if building is not None and building.lat is not None:
            lat, lon = building.lat, building.lon
        else:
            lat, lon = found.lat, found.lon
    located = None
    if lat is not None and lon is not None:
        located = geocode.locate(hromada=hromada, lat=lat, lon=lon)
        if building is None and located.building is not None:
            building = located.building
            street = building.street
    settlement = street.settlement if street is not None else (located.settlement if located else None)
    okrug = located.okrug if located else None
    if okrug is None and settlement is not None and settlement.okrug_id:
        okrug = settlement.okrug
    answer = Whereabouts(
        lat=lat,
        lon=lon,
        inside_hromada=located.inside_hromada if located else None,
        reason=located.reason if located else str(_("Точка цієї адреси ще не відома.")),
        label=found.label if found else (building_label(building) if building else ""),
        building=building,
        street=street,
        settlement=settlement,
        okrug=okrug,
        district=located.district if located else None,
        areas=list(located.areas) if located else [],
        former=found.former if found else "",
    )
    if purpose:
        if building is not None:
            answer.territories = territories.territory_of(hromada=hromada, building=building, purpose=purpose)
        elif lat is not None and lon is not None:
            answer.territories = geocode.areas_at(
                hromada=hromada, lat=lat, lon=lon, kind=AreaKind.TERRITORY, purpose=purpose
            )
    return answer
