"""A small town for the lookup, geocoding and territory tests, made through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from hromada.places import services
from hromada.places.models import Settlement, Street

CENTRE = (48.9700, 32.1000)  # lat, lon near Кам’янка


def square(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]],
    }


@dataclass
class Town:
    hromada: object
    city: Settlement
    village: Settlement
    streets: dict[str, Street] = field(default_factory=dict)
    buildings: dict[str, object] = field(default_factory=dict)


def settlement(
    hromada, name: str, code: str, *, centre=False, category="C", lat=None, lon=None
) -> Settlement:
    from hromada.places.translit import transliterate

    return Settlement.objects.create(
        hromada=hromada,
        katottg=code,
        category=category,
        name=name,
        name_en=transliterate(name),
        slug=transliterate(name).lower().replace("’", "").replace("'", ""),
        is_centre=centre,
        lat=lat,
        lon=lon,
    )


def building(street, number: str, lat=None, lon=None):
    b, _created = services.building_save(
        actor=None, street=street, data=services.BuildingData(number=number, lat=lat, lon=lon)
    )
    return b


def make_town(hromada, *, buildings: bool = True) -> Town:
    city = settlement(
        hromada, "Кам’янка", "UA71080130010082913", centre=True, category="M", lat=48.97, lon=32.10
    )
    village = settlement(hromada, "Вербівка", "UA71080130020068475", lat=49.05, lon=32.20)
    town = Town(hromada=hromada, city=city, village=village)

    def street(key, name, kind="вулиця", place=city):
        town.streets[key] = services.street_save(
            actor=None, hromada=hromada, settlement=place, name=name, street_type=kind
        )
        return town.streets[key]

    shev = street("shevchenka", "Тараса Шевченка")
    maidan = street("maidan", "Героїв Майдану")
    street("marianivska", "Мар’янівська")
    street("sadova_lane", "Садовий", "провулок")
    skilna_city = street("shkilna_city", "Шкільна")
    skilna_village = street("shkilna_village", "Шкільна", place=village)
    # Renamed in 2016: people still type "Леніна".
    services.street_rename(
        actor=None,
        street=maidan,
        name="Соборна",
        renamed_on=dt.date(2016, 2, 19),
        decision="рішення міської ради № 123 від 19.02.2016",
    )
    town.streets["maidan"] = maidan = Street.objects.get(pk=maidan.pk)
    services.street_rename(actor=None, street=maidan, name="Героїв Майдану", renamed_on=dt.date(2023, 1, 5))
    services.former_name_add(actor=None, street=maidan, name="Леніна", renamed_on=dt.date(2016, 2, 19))
    town.streets["maidan"] = Street.objects.get(pk=maidan.pk)
    if buildings:
        lat, lon = CENTRE
        for i, number in enumerate(["1", "3", "10", "12", "12А", "12Б", "12/2", "13", "15", "21"]):
            town.buildings[f"shev {number}"] = building(shev, number, lat + i * 0.0005, lon)
        for i, number in enumerate(["2", "5", "12А"]):
            town.buildings[f"maidan {number}"] = building(
                town.streets["maidan"], number, lat, lon + 0.002 + i * 0.0005
            )
        town.buildings["skilna_city 3"] = building(skilna_city, "3", lat - 0.002, lon)
        town.buildings["skilna_village 3"] = building(skilna_village, "3", 49.05, 32.20)
        town.buildings["marianivska 7"] = building(town.streets["marianivska"], "7", lat - 0.003, lon)
    return town
