"""A small geography for the page, map and API tests: settlements from the real
codifier (Кам'янська громада), an okrug with a polygon, a district, streets with a
former name and buildings with points. Built through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hromada.places import services
from hromada.places.models import Area, Building, Settlement, Street
from hromada.tenancy.tests.factories import HromadaFactory

KAMIANKA = "UA71080130000078619"
# A square around Кам'янка's centre (lon, lat), and a smaller one inside it.
CENTRE = (32.10, 49.03)


def square(lon: float, lat: float, half: float) -> dict:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


@dataclass
class Geo:
    hromada: object
    town: Settlement
    village: Settlement
    okrug: Area
    district: Area
    street: Street
    renamed: Street
    building: Building


def build_geo(hromada=None, *, hosts=("testserver",)) -> Geo:
    hromada = hromada or HromadaFactory(katottg=KAMIANKA, hosts=list(hosts))
    if hromada.katottg != KAMIANKA:
        hromada.katottg = KAMIANKA
        hromada.save(update_fields=["katottg"])
    services.settlements_load(actor=None, hromada=hromada)
    town = Settlement.objects.get(hromada=hromada, is_centre=True)
    village = Settlement.objects.filter(hromada=hromada, is_centre=False).order_by("name").first()
    services.settlement_update(actor=None, settlement=town, lat=CENTRE[1], lon=CENTRE[0])
    okrug = services.area_save(
        actor=None,
        hromada=hromada,
        kind="okrug",
        name=f"{village.name}ський старостинський округ",
        geometry_value=square(CENTRE[0] + 0.2, CENTRE[1], 0.05),
        settlements=[village],
        head_name="Олена Петренко",
        phone="+380 47352 12345",
        email="starosta@example.test",
        office_address="вул. Центральна, 1",
        office_hours="пн–пт 9:00–16:00",
    )
    services.settlement_update(
        actor=None, settlement=village, okrug=okrug, lat=CENTRE[1], lon=CENTRE[0] + 0.2
    )
    district = services.area_save(
        actor=None,
        hromada=hromada,
        kind="district",
        name="Центральний район",
        geometry_value=square(*CENTRE, 0.02),
    )
    street = services.street_save(actor=None, hromada=hromada, settlement=town, name="Героїв Майдану")
    services.street_rename(
        actor=None,
        street=street,
        name="Героїв Майдану Нова",
        renamed_on=dt.date(2016, 5, 19),
        decision="рішення міської ради № 123",
    )
    street.refresh_from_db()
    renamed = services.street_save(actor=None, hromada=hromada, settlement=town, name="Шевченка")
    services.former_name_add(
        actor=None, street=renamed, name="Леніна", renamed_on=dt.date(2016, 2, 1), decision="рішення № 7"
    )
    building, _ = services.building_save(
        actor=None,
        street=renamed,
        data=services.BuildingData(
            number="12а",
            postcode="20800",
            lat=CENTRE[1] + 0.001,
            lon=CENTRE[0] + 0.001,
            floors=5,
            year_built=1975,
            use="apartments",
        ),
    )
    services.building_save(
        actor=None,
        street=renamed,
        data=services.BuildingData(number="14", lat=CENTRE[1] + 0.002, lon=CENTRE[0]),
    )
    return Geo(hromada, town, village, okrug, district, street, renamed, building)
