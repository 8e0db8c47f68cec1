"""The demo hromada's geography: its settlements from the codifier, the boundary, starosta
okrugs and city districts, a few hundred streets (some renamed, with the decisions) and a
few thousand buildings, from the invented but believable town of synthetic.py.
Called by the kernel's `demo_seed` for this module (module.py `demo`); the bench loads
its 200,000 buildings through `load` too.

Settlements, areas, streets and former names go through the services, each with its
ledger entry. Buildings are many: the demo's go through `building_save` without an entry
or a reindex per house (the bench's 200,000 are bulk-inserted), the address index is
built once at the end, and one `places.import_finished` entry says what was loaded (as an
import of a file would), instead of one entry per house.

The demo's part of `make demo`: about 6 s on this machine (the codifier read ~1.7 s,
the load ~4.4 s; bulk-inserting the buildings instead would save ~3 s)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction

from hromada.core.clock import travel_to
from hromada.ledger.services import ledger_append

from . import search, services, synthetic
from .addresses import fold, house_key
from .models import Area, AreaKind, Building, Settlement, Street, StreetName
from .translit import transliterate

DEMO_STREETS = 300
DEMO_BUILDINGS = 4000
BATCH = 5000


@dataclass
class LoadReport:
    settlements: int = 0
    areas: int = 0
    streets: int = 0
    former_names: int = 0
    buildings: int = 0
    address_keys: int = 0
    seconds: float = 0.0


def seed(*, hromada, people: dict, start: dt.datetime) -> LoadReport:
    """The demo geography, loaded just after the hromada joined (`start`), before the
    other modules' stories that stand on it run (demo_seed runs the events they return
    afterwards, in time order; module.py `demo`)."""
    with travel_to(start + dt.timedelta(minutes=1)):
        geography = synthetic.generate(
            settlements=settlement_names(hromada), streets=DEMO_STREETS, buildings=DEMO_BUILDINGS
        )
        return load(hromada=hromada, geography=geography, through_services=True)


def settlement_names(hromada) -> list[str]:
    """The hromada's own settlements (the centre first), loaded from the codifier once."""
    if not Settlement.objects.filter(hromada=hromada).exists():
        services.settlements_load(actor=None, hromada=hromada)
    names = list(
        Settlement.objects.filter(hromada=hromada)
        .order_by("-is_centre", "katottg")
        .values_list("name", flat=True)
    )
    return names or list(synthetic.KAMIANKA_SETTLEMENTS)


def load(*, hromada, geography: synthetic.Geography, through_services: bool = True) -> LoadReport:
    """Put `geography` into `hromada`'s registers (which must hold no streets yet), in one
    transaction. `through_services` False bulk-inserts the streets, their former names
    and the buildings (the bench's 5,000 and 200,000), recorded by one entry."""
    started = time.monotonic()
    report = LoadReport()
    with transaction.atomic():
        if not Settlement.objects.filter(hromada=hromada).exists():
            services.settlements_load(actor=None, hromada=hromada)
        by_name = {s.name: s for s in Settlement.objects.filter(hromada=hromada)}
        for synth in geography.settlements:
            settlement = by_name.get(synth.name)
            if settlement is None:
                continue  # a name the codifier does not have: nothing to stand on
            services.settlement_update(
                actor=None,
                settlement=settlement,
                okrug=settlement.okrug,
                lat=round(synth.lat, 6),
                lon=round(synth.lon, 6),
                population=synth.population,
            )
            report.settlements += 1
        report.areas = _areas(hromada, geography, by_name)
        streets = _streets(hromada, geography, by_name, by_service=through_services, report=report)
        report.buildings = _buildings(hromada, geography, streets, by_service=through_services)
        report.address_keys = _index(streets)
        report.seconds = round(time.monotonic() - started, 2)
        ledger_append(
            hromada=hromada,
            kind="places.import_finished",
            payload={
                "source": "demo",
                "kind": "buildings" if through_services else "streets+buildings",
                "generator": "hromada.places.synthetic",
                "streets": report.streets,
                "former_names": report.former_names if not through_services else 0,
                "buildings": report.buildings,
            },
        )
    return report


def _areas(hromada, geography: synthetic.Geography, by_name: dict[str, Settlement]) -> int:
    made = 0
    boundary = geography.boundary
    existing = Area.objects.filter(hromada=hromada, kind=AreaKind.BOUNDARY).first()
    services.area_save(
        actor=None,
        hromada=hromada,
        kind=AreaKind.BOUNDARY,
        name=f"Межа: {hromada.name}",
        geometry_value=boundary.geometry,
        area=existing,
    )
    made += 1
    for okrug in geography.okrugs:
        services.area_save(
            actor=None,
            hromada=hromada,
            kind=AreaKind.OKRUG,
            name=okrug.name,
            geometry_value=okrug.geometry,
            settlements=[by_name[n] for n in okrug.settlements if n in by_name],
            head_name=okrug.head_name,
            head_title=okrug.head_title,
            phone=okrug.phone,
            email=okrug.email,
            office_address=okrug.office_address,
            office_hours=okrug.office_hours,
        )
        made += 1
    # The codifier may list a city's districts (as areas without geometry): draw those.
    for district in geography.districts:
        existing = Area.objects.filter(hromada=hromada, kind=AreaKind.DISTRICT, name=district.name).first()
        services.area_save(
            actor=None,
            hromada=hromada,
            kind=AreaKind.DISTRICT,
            name=district.name,
            geometry_value=district.geometry,
            area=existing,
            description=f"Район міста {geography.settlements[0].name} (межі умовні, для демонстрації).",
        )
        made += 1
    return made


def _streets(
    hromada,
    geography: synthetic.Geography,
    by_name: dict[str, Settlement],
    *,
    by_service: bool,
    report: LoadReport,
) -> list[Street | None]:
    """The streets, in the geography's order (None where the settlement is unknown)."""
    out: list[Street | None] = []
    if by_service:
        for synth in geography.streets:
            settlement = by_name.get(synth.settlement)
            if settlement is None:
                out.append(None)
                continue
            street = services.street_save(
                actor=None,
                hromada=hromada,
                settlement=settlement,
                name=synth.name,
                street_type=synth.street_type,
                geometry_value=synth.geojson,
            )
            for former in synth.formers:
                services.former_name_add(
                    actor=None,
                    street=street,
                    name=former.name,
                    street_type=former.street_type,
                    renamed_on=former.renamed_on,
                    decision=former.decision,
                )
                report.former_names += 1
            out.append(street)
        report.streets = sum(1 for s in out if s is not None)
        return out
    rows: list[Street | None] = []
    for synth in geography.streets:
        settlement = by_name.get(synth.settlement)
        rows.append(
            None
            if settlement is None
            else Street(
                hromada=hromada,
                settlement=settlement,
                street_type=synth.street_type,
                name=synth.name,
                name_en=transliterate(synth.name),
                name_key=fold(synth.name),
                geometry=synth.geojson,
            )
        )
    made = Street.objects.bulk_create([s for s in rows if s is not None], batch_size=BATCH)
    if any(s.pk is None for s in made):  # SQLite before 3.35 gives no ids back
        keyed = {
            (s.settlement_id, s.street_type, s.name_key): s for s in Street.objects.filter(hromada=hromada)
        }
        rows = [None if s is None else keyed[(s.settlement_id, s.street_type, s.name_key)] for s in rows]
    formers = [
        StreetName(
            hromada=hromada,
            street=street,
            street_type=f.street_type,
            name=f.name,
            name_key=fold(f.name),
            renamed_on=f.renamed_on,
            decision=f.decision,
        )
        for street, synth in zip(rows, geography.streets, strict=True)
        if street is not None
        for f in synth.formers
    ]
    StreetName.objects.bulk_create(formers, batch_size=BATCH)
    report.streets = len(made)
    report.former_names = len(formers)
    return rows


def _buildings(
    hromada, geography: synthetic.Geography, streets: list[Street | None], *, by_service: bool
) -> int:
    """Through building_save (checked like any typed-in building; no entry or index per
    house), or bulk-inserted for the bench's 200,000."""
    if by_service:
        made = 0
        for b in geography.buildings:
            street = streets[b.street]
            if street is None:
                continue
            services.building_save(
                actor=None,
                street=street,
                data=services.BuildingData(
                    number=b.number,
                    postcode=b.postcode,
                    lat=b.lat,
                    lon=b.lon,
                    floors=b.floors,
                    year_built=b.year_built,
                    use=b.use,
                    attributes={"apartments": 20 * b.floors} if b.use == "apartments" else {},
                ),
                ledger=False,
                index=False,
            )
            made += 1
        return made
    rows = []
    for b in geography.buildings:
        street = streets[b.street]
        if street is None:
            continue
        rows.append(
            Building(
                hromada=hromada,
                street=street,
                number=b.number,
                house_key=house_key(b.number),
                postcode=b.postcode,
                lat=b.lat,
                lon=b.lon,
                floors=b.floors,
                year_built=b.year_built,
                use=b.use,
                attributes={"apartments": 20 * b.floors} if b.use == "apartments" else {},
            )
        )
    Building.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _index(streets: list[Street | None]) -> int:
    """The address keys of every street and building, a few hundred streets at a time
    (the bench's 200,000 buildings make about a million keys)."""
    present = [s for s in streets if s is not None]
    total = 0
    for i in range(0, len(present), 200):
        total += search.index_streets(present[i : i + 200])
    return total
