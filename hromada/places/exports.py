"""The registers as open data (module.py `datasets`, served by hromada/api/datasets.py as
CSV and JSON). Registers are public: nothing here is personal. Each generator yields
dicts with exactly its dataset's fields; areas' polygons themselves are in the GeoJSON API."""

from __future__ import annotations

from collections.abc import Iterator

from hromada.tenancy.models import Hromada

from .models import Area, Building, Settlement, Street, StreetName

CHUNK = 2000


def _date(value) -> str | None:
    return value.isoformat() if value else None


def settlement_rows(*, hromada: Hromada) -> Iterator[dict]:
    for s in Settlement.objects.filter(hromada=hromada).select_related("okrug").order_by("katottg"):
        yield {
            "katottg": s.katottg,
            "category": s.category,
            "name": s.name,
            "name_en": s.name_en,
            "is_centre": s.is_centre,
            "okrug": s.okrug.name if s.okrug else None,
            "lat": s.lat,
            "lon": s.lon,
        }


def _former_text(f: StreetName) -> str:
    text = f"{f.street_type} {f.name}"
    details = [d for d in (_date(f.renamed_on), f.decision) if d]
    return f"{text} ({'; '.join(details)})" if details else text


def street_rows(*, hromada: Hromada) -> Iterator[dict]:
    formers: dict[int, list[StreetName]] = {}
    for f in StreetName.objects.filter(hromada=hromada).order_by("street_id", "renamed_on", "name"):
        formers.setdefault(f.street_id, []).append(f)
    qs = (
        Street.objects.filter(hromada=hromada)
        .select_related("settlement")
        .order_by("settlement__name", "name")
    )
    for s in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(s.public_id),
            "settlement": s.settlement.name,
            "settlement_katottg": s.settlement.katottg,
            "type": s.street_type,
            "name": s.name,
            "name_en": s.name_en,
            # "вулиця Леніна (2016-02-19; рішення № 123)", oldest first, "|" between names;
            # the street_names dataset has them one a row.
            "former_names": " | ".join(_former_text(f) for f in formers.get(s.pk, ())),
        }


def street_name_rows(*, hromada: Hromada) -> Iterator[dict]:
    qs = (
        StreetName.objects.filter(hromada=hromada)
        .select_related("street", "street__settlement")
        .order_by("street__settlement__name", "street__name", "renamed_on")
    )
    for f in qs.iterator(chunk_size=CHUNK):
        yield {
            "street_id": str(f.street.public_id),
            "settlement": f.street.settlement.name,
            "street": f"{f.street.street_type} {f.street.name}",
            "former_type": f.street_type,
            "former_name": f.name,
            "renamed_on": _date(f.renamed_on),
            "decision": f.decision,
            "decision_url": f.decision_url,
        }


def building_rows(*, hromada: Hromada) -> Iterator[dict]:
    qs = (
        Building.objects.filter(hromada=hromada)
        .select_related("street", "street__settlement")
        .order_by("street__settlement__name", "street__name", "house_key")
    )
    for b in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(b.public_id),
            "street_id": str(b.street.public_id),
            "settlement": b.street.settlement.name,
            "street": f"{b.street.street_type} {b.street.name}",
            "number": b.number,
            "postcode": b.postcode,
            "lat": b.lat,
            "lon": b.lon,
            "floors": b.floors,
            "year": b.year_built,
            "use": b.use,
        }


def area_rows(*, hromada: Hromada) -> Iterator[dict]:
    for a in Area.objects.filter(hromada=hromada).order_by("kind", "purpose", "name"):
        yield {
            "id": str(a.public_id),
            "kind": a.kind,
            "purpose": a.purpose,
            "name": a.name,
            "name_en": a.name_en,
            "head_name": a.head_name,
            "phone": a.phone,
            "email": a.email,
            "office_address": a.office_address,
            "bbox": (
                ",".join(f"{v:.6f}" for v in (a.min_lon, a.min_lat, a.max_lon, a.max_lat))
                if a.min_lon is not None
                else ""
            ),
        }
