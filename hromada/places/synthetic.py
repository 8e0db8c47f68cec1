"""A believable, invented geography of a Ukrainian hromada: a town with villages around
it, streets in the Ukrainian pattern (with their renamings of 2016 and 2022–2023),
houses numbered as people write them, the hromada's boundary, starosta okrugs and city
districts. Shared by the demo (hromada/places/demo.py) and the bench
(bench/scenarios/places.py).

Deterministic: the same arguments give the same geography, to the last coordinate
(one seeded `random.Random`; nothing reads the clock or the environment). Plain data
only: nothing here writes to the database.

Distances are computed in metres on a local plane around the hromada's centre and
turned into WGS 84 with one constant scale per axis, an affine map, so polygons valid
in metres are valid in degrees."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import shapely
from shapely import affinity
from shapely.geometry import MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union, voronoi_diagram

from .translit import transliterate

# Кам’янка, Cherkasy oblast: the centre of Кам’янська міська громада (КАТОТТГ UA71080130000078619).
KAMIANKA_CENTRE = (49.031, 32.103)
# The codifier's settlements of that hromada, the centre first (katottg.hromada_children).
KAMIANKA_SETTLEMENTS = (
    "Кам’янка",
    "Баландине",
    "Вербівка",
    "Грушківка",
    "Катеринівка",
    "Косарі",
    "Коханівка",
    "Лебедівка",
    "Лузанівка",
    "Олянине",
    "Радиванівка",
    "Телепине",
    "Тимошівка",
    "Юрчиха",
    "Богданівське",
    "Калинівка",
    "Копійчана",
)
CITY_POSTCODE = "20800"

METRES_PER_DEGREE_LAT = 111_320.0

# --- street names in the Ukrainian pattern -------------------------------------------------

# Named after people and events: the genitive, the same for every street type.
PEOPLE = (
    "Тараса Шевченка", "Лесі Українки", "Івана Франка", "Михайла Грушевського",
    "Богдана Хмельницького", "Івана Мазепи", "Петра Сагайдачного", "Григорія Сковороди",
    "Івана Котляревського", "Михайла Коцюбинського", "Пантелеймона Куліша", "Марка Вовчка",
    "Ольги Кобилянської", "Василя Стуса", "В’ячеслава Чорновола", "Олександра Довженка",
    "Миколи Лисенка", "Миколи Леонтовича", "Марії Заньковецької", "Івана Богуна",
    "Максима Кривоноса", "Івана Сірка", "Пилипа Орлика", "Данила Галицького",
    "Ярослава Мудрого", "Володимира Великого", "Княгині Ольги", "Небесної Сотні",
    "Гетьмана Дорошенка", "Олени Теліги", "Олега Ольжича", "Симона Петлюри",
    "Євгена Коновальця", "Дмитра Яворницького", "Василя Симоненка", "Олеся Гончара",
    "Павла Тичини", "Максима Рильського", "Володимира Сосюри", "Остапа Вишні",
    "Івана Нечуя-Левицького", "Панаса Мирного", "Михайла Старицького", "Марка Кропивницького",
    "Бориса Грінченка", "Михайла Драгоманова", "Володимира Вернадського", "Миколи Пирогова",
    "Миколи Амосова", "Максима Залізняка", "Івана Гонти", "Героїв Крут",
    "Героїв Чорнобиля", "Захисників України", "Коліївщини", "Соборності",
    "Свободи", "Миру", "Олекси Гірника", "Ольги Дучимінської",
)  # fmt: skip
# Adjectives, feminine (вулиця); a провулок, проїзд or тупик takes the masculine (-ий).
ADJECTIVES = (
    "Садова", "Шкільна", "Польова", "Лісова", "Центральна", "Молодіжна", "Зелена",
    "Степова", "Вишнева", "Квіткова", "Тиха", "Сонячна", "Гранітна", "Тясминська", "Мирна",
    "Козацька", "Чумацька", "Весняна", "Липова", "Яблунева", "Калинова", "Джерельна",
    "Паркова", "Лугова", "Річкова", "Заводська", "Вокзальна", "Промислова", "Ярмаркова",
    "Базарна", "Мар’янівська", "Під’їзна", "Холодноярська", "Гайдамацька", "Черкаська",
    "Смілянська", "Чигиринська", "Кременчуцька", "Олександрівська", "Київська", "Нова",
    "Прорізна", "Травнева", "Липнева", "Горіхова", "Дубова", "Березова", "Соснова",
    "Кленова", "Каштанова", "Виноградна", "Ставкова", "Приміська", "Залізнична",
    "Елеваторна", "Цукрова", "Піщана", "Набережна", "Урожайна", "Затишна",
)  # fmt: skip
# What a town's centre has before anything else, in this order (the petitions' demo
# names Соборна, Садова, Вокзальна, Промислова).
CITY_FIRST = (
    ("вулиця", "Соборна"),
    ("вулиця", "Героїв Майдану"),
    ("вулиця", "Незалежності"),
    ("вулиця", "Тараса Шевченка"),
    ("вулиця", "Лесі Українки"),
    ("вулиця", "Ліни Костенко"),
    ("вулиця", "Героїв України"),
    ("вулиця", "Європейська"),
    ("вулиця", "Івана Франка"),
    ("вулиця", "Садова"),
    ("вулиця", "Шкільна"),
    ("вулиця", "Вокзальна"),
    ("вулиця", "Промислова"),
    ("вулиця", "Мар’янівська"),
    ("вулиця", "Під’їзна"),
    ("площа", "Ринкова"),
    ("провулок", "Шкільний"),
    ("вулиця", "Тясминська"),
)
VILLAGE_FIRST = (
    ("вулиця", "Центральна"),
    ("вулиця", "Шкільна"),
    ("вулиця", "Тараса Шевченка"),
    ("вулиця", "Садова"),
    ("вулиця", "Молодіжна"),
    ("вулиця", "Польова"),
    ("вулиця", "Миру"),
    ("провулок", "Садовий"),
)

# Renamings: current name → (former type, former name, period). "2016" is
# decommunisation (the law of 9 April 2015, No. 317-VIII), "2022" derussification.
CITY_RENAMES = {
    "Соборна": ("вулиця", "Леніна", "2016"),
    "Героїв Майдану": ("вулиця", "Кірова", "2016"),
    "Незалежності": ("вулиця", "Жовтнева", "2016"),
    "Ліни Костенко": ("вулиця", "Пушкіна", "2022"),
    "Героїв України": ("вулиця", "Гагаріна", "2022"),
    "Європейська": ("вулиця", "Московська", "2022"),
    "Максима Залізняка": ("вулиця", "Кутузова", "2022"),
    "Василя Стуса": ("вулиця", "Лермонтова", "2022"),
    "Олени Теліги": ("вулиця", "Толстого", "2022"),
    "Козацька": ("вулиця", "Чапаєва", "2016"),
    "Холодноярська": ("вулиця", "Щорса", "2016"),
    "Свободи": ("вулиця", "Карла Маркса", "2016"),
    "Молодіжна": ("вулиця", "Комсомольська", "2016"),
}
VILLAGE_RENAMES = {
    "Центральна": ("вулиця", "Леніна", "2016"),
    "Молодіжна": ("вулиця", "Комсомольська", "2016"),
    "Травнева": ("вулиця", "Першотравнева", "2016"),
    "Вишнева": ("вулиця", "Калініна", "2016"),
    "Козацька": ("вулиця", "Чапаєва", "2016"),
    "Липова": ("вулиця", "Димитрова", "2016"),
    "Василя Стуса": ("вулиця", "Лермонтова", "2022"),
    "Героїв України": ("вулиця", "Гагаріна", "2022"),
}
# Council sessions: (date, session) of the city council of the VIII convocation.
CITY_SESSIONS_2022 = (
    (dt.date(2022, 7, 28), 21),
    (dt.date(2022, 12, 22), 26),
    (dt.date(2023, 4, 27), 31),
)
CITY_SESSION_2016 = dt.date(2016, 2, 19)
VILLAGE_SESSIONS_2016 = (dt.date(2016, 1, 29), dt.date(2016, 2, 12), dt.date(2016, 3, 4))

FIRST_NAMES = (
    ("Олена", "Петрівна"), ("Василь", "Іванович"), ("Наталія", "Миколаївна"),
    ("Сергій", "Олександрович"), ("Людмила", "Андріївна"), ("Микола", "Степанович"),
    ("Тетяна", "Василівна"), ("Олександр", "Петрович"),
)  # fmt: skip
LAST_NAMES = ("Ткачук", "Бойко", "Мельник", "Кравченко", "Шевчук", "Гончаренко", "Литвиненко", "Онищенко")
CITY_DISTRICTS = ("Центральний район", "Тясминський район", "Привокзальний район")


# --- the result ----------------------------------------------------------------------------


@dataclass
class Former:
    street_type: str
    name: str
    renamed_on: dt.date
    decision: str


@dataclass
class SynthSettlement:
    name: str
    lat: float
    lon: float
    postcode: str
    is_centre: bool
    population: int
    radius_m: float  # of the built-up footprint


@dataclass
class SynthStreet:
    settlement: str  # SynthSettlement.name
    street_type: str
    name: str
    line: list[tuple[float, float]]  # (lat, lon) vertices of the street's axis
    formers: list[Former] = field(default_factory=list)

    @property
    def geojson(self) -> dict:
        return {
            "type": "LineString",
            "coordinates": [[round(lon, 7), round(lat, 7)] for lat, lon in self.line],
        }


@dataclass
class SynthBuilding:
    street: int  # index into Geography.streets
    number: str  # as people write it: "3А", "5/1", "12 корп. 2"
    postcode: str
    lat: float
    lon: float
    floors: int
    year_built: int
    use: str


@dataclass
class SynthArea:
    kind: str  # "boundary" | "okrug" | "district"
    name: str
    geometry: dict  # GeoJSON Polygon / MultiPolygon, WGS 84
    settlements: list[str] = field(default_factory=list)  # an okrug's villages
    head_name: str = ""
    head_title: str = ""
    phone: str = ""
    email: str = ""
    office_address: str = ""
    office_hours: str = ""


@dataclass
class Geography:
    settlements: list[SynthSettlement]
    streets: list[SynthStreet]
    buildings: list[SynthBuilding]
    boundary: SynthArea
    okrugs: list[SynthArea]
    districts: list[SynthArea]

    def buildings_of(self, street_index: int) -> list[SynthBuilding]:
        return [b for b in self.buildings if b.street == street_index]


# --- helpers -------------------------------------------------------------------------------


class _Plane:
    """Metres east/north of a centre ↔ WGS 84, one constant scale per axis (affine)."""

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0, self.lon0 = lat0, lon0
        self.m_lon = METRES_PER_DEGREE_LAT * math.cos(math.radians(lat0))

    def to_latlon(self, x: float, y: float) -> tuple[float, float]:
        return self.lat0 + y / METRES_PER_DEGREE_LAT, self.lon0 + x / self.m_lon

    def geom_to_lonlat(self, geom: BaseGeometry) -> BaseGeometry:
        return affinity.affine_transform(
            geom, [1 / self.m_lon, 0, 0, 1 / METRES_PER_DEGREE_LAT, self.lon0, self.lat0]
        )


def masculine(adjective: str) -> str:
    """Садова → Садовий (the pool has only hard-stem adjectives)."""
    return adjective[:-1] + "ий"


def place_adjective(name: str) -> str:
    """Вербівка → Вербівський, Баландине → Баландинський, Косарі → Косарівський,
    Богданівське → Богданівський; "" if unsure."""
    if name.endswith("ське"):
        return name[:-1] + "ий"
    if name.endswith("ка"):
        return name[:-2] + "ський"
    if name.endswith("на"):
        return name[:-1] + "ський"
    if name.endswith("ине"):
        return name[:-1] + "ський"
    if name.endswith("і"):
        return name[:-1] + "івський"
    return ""


def _to_geojson(geom: BaseGeometry) -> dict:
    from .geometry import to_geojson

    return to_geojson(geom)


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders), every share ≥ 0."""
    s = sum(weights) or 1.0
    raw = [total * w / s for w in weights]
    out = [int(r) for r in raw]
    rest = total - sum(out)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


def _street_names(rng: random.Random, count: int, *, city: bool) -> list[tuple[str, str]]:
    """`count` distinct (type, name) pairs for one settlement: its usual first streets,
    then the pool shuffled, then numbered lanes ("2-й Садовий") when the pool runs out."""
    first = list(CITY_FIRST if city else VILLAGE_FIRST)
    people, adjectives = list(PEOPLE), list(ADJECTIVES)
    rng.shuffle(people)
    rng.shuffle(adjectives)
    pool: list[tuple[str, str]] = []
    streets = [("вулиця", n) for n in people] + [("вулиця", a) for a in adjectives]
    rng.shuffle(streets)
    lanes = [("провулок", n) for n in people[:20]] + [("провулок", masculine(a)) for a in adjectives]
    rng.shuffle(lanes)
    # Mostly streets, a lane in every four or five, now and then a проїзд or тупик.
    while streets or lanes:
        for _ in range(4):
            if streets:
                pool.append(streets.pop())
        if lanes:
            pool.append(lanes.pop())
    pool += [("проїзд", masculine(a)) for a in adjectives[:20]]
    pool += [("тупик", masculine(a)) for a in adjectives[20:40]]
    seen: set[tuple[str, str]] = set()
    out: list[tuple[str, str]] = []
    for item in first + pool:
        if item not in seen and len(out) < count:
            seen.add(item)
            out.append(item)
    n = 2
    while len(out) < count:
        for kind, adjective in (("провулок", a) for a in adjectives):
            if len(out) >= count:
                break
            out.append((kind, f"{n}-й {masculine(adjective)}"))
        n += 1
    return out


def _decision(rng: random.Random, period: str, settlement: SynthSettlement) -> tuple[dt.date, str]:
    """A council decision in the real pattern: the town council in 2016 and since 2020
    (the villages joined the hromada in 2020), a village council in 2016."""
    if period == "2022":
        day, session = rng.choice(CITY_SESSIONS_2022)
        number = f"{session}-{rng.randint(2, 40)}/VIII"
        return day, f"рішення Кам’янської міської ради № {number} від {day:%d.%m.%Y}"
    if settlement.is_centre:
        number = str(rng.randint(100, 400))
        return (
            CITY_SESSION_2016,
            f"рішення Кам’янської міської ради № {number} від {CITY_SESSION_2016:%d.%m.%Y}",
        )
    day = rng.choice(VILLAGE_SESSIONS_2016)
    adjective = place_adjective(settlement.name)
    if adjective:
        council = adjective[:-2] + "ої сільської ради"  # Вербівський → Вербівської
        return day, f"рішення {council} № {rng.randint(3, 9)}-{rng.randint(1, 12)}/VII від {day:%d.%m.%Y}"
    day = dt.date(2016, 5, 20)
    return (
        day,
        f"розпорядження голови Черкаської обласної державної адміністрації № {rng.randint(150, 260)} від {day:%d.%m.%Y}",
    )


def _house_numbers(rng: random.Random, count: int, *, odd: bool, city: bool) -> list[str]:
    """`count` numbers of one side of a street, as people write them: 1, 3, 3А, 5, 5/1,
    7, 9 корп. 2 … (odd side) or 2, 4, 4А … (even side)."""
    out: list[str] = []
    n = 1 if odd else 2
    while len(out) < count:
        out.append(str(n))
        r = rng.random()
        if len(out) < count and r < 0.06:
            out.append(f"{n}А")
            if len(out) < count and rng.random() < 0.3:
                out.append(f"{n}Б")
        elif len(out) < count and r < 0.08:
            out.append(f"{n}/1")
        elif len(out) < count and city and r < 0.11:
            out.append(f"{n} корп. 2")
        n += 2
    return out


def _building_kind(rng: random.Random, *, city: bool, main: bool) -> tuple[int, int, str]:
    """(floors, year built, use) of an ordinary house of such a street."""
    r = rng.random()
    if city and main and r < 0.25:
        return rng.choice((5, 5, 9, 4)), rng.randint(1962, 1992), "apartments"
    if r < 0.03:
        return rng.choice((1, 2, 3)), rng.randint(1955, 1990), "education" if rng.random() < 0.5 else "health"
    if r < (0.10 if city else 0.05):
        return rng.choice((1, 2)), rng.randint(1970, 2024), "commercial"
    if r < 0.12 and city:
        return rng.choice((1, 2, 3)), rng.randint(1950, 1990), "public"
    if r < 0.14 and city:
        return rng.choice((1, 2)), rng.randint(1950, 1985), "industrial"
    return (2 if rng.random() < 0.15 else 1), rng.randint(1930, 2024), "residential"


def _polyline_points(line: Sequence[tuple[float, float]], stations: Sequence[float], offset: float):
    """Points `offset` metres to the left of the polyline at each distance in `stations`
    (increasing), each with a little of the town's irregularity added by the caller."""
    out = []
    seg = 0
    acc = 0.0
    lengths = [math.dist(line[i], line[i + 1]) for i in range(len(line) - 1)]
    for s in stations:
        while seg < len(lengths) - 1 and acc + lengths[seg] < s:
            acc += lengths[seg]
            seg += 1
        (x1, y1), (x2, y2) = line[seg], line[seg + 1]
        length = lengths[seg] or 1.0
        t = max(0.0, (s - acc) / length)  # past the end: on along the last segment
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        out.append((x1 + t * (x2 - x1) - dy * offset, y1 + t * (y2 - y1) + dx * offset))
    return out


# --- the generator -------------------------------------------------------------------------


def generate(
    *,
    settlements: Sequence[str] = KAMIANKA_SETTLEMENTS,
    centre: tuple[float, float] = KAMIANKA_CENTRE,
    streets: int = 300,
    buildings: int = 4000,
    seed: int = 2026,
    city_share: float = 0.45,
    ring_km: tuple[float, float] = (4.0, 15.0),
    okrugs: int = 6,
) -> Geography:
    """The geography of a hromada whose centre is `settlements[0]` (a town at `centre`)
    and whose other settlements are villages on a ring `ring_km` around it.

    `streets` and `buildings` are totals over the hromada: the town takes `city_share`
    of both, each village a share by its (invented) size. The demo uses 300 and 4,000,
    the bench 5,000 and 200,000 (with a wider ring, so its larger villages stay apart)."""
    if not settlements:
        raise ValueError("no settlements")
    if streets < len(settlements) or buildings < streets:
        raise ValueError("need at least one street per settlement and one building per street")
    rng = random.Random(seed)
    plane = _Plane(*centre)
    villages = list(settlements[1:])

    # Where the settlements are: the town at the centre, villages on two rings.
    inner, outer = ring_km
    mid = (inner + outer) / 2
    positions: list[tuple[float, float]] = [(0.0, 0.0)]
    sizes = [0.0]
    start_angle = rng.uniform(0, 2 * math.pi)
    for i, _name in enumerate(villages):
        angle = start_angle + i * 2 * math.pi / max(1, len(villages)) + rng.uniform(-0.1, 0.1)
        lo, hi = (inner + 0.5, mid) if i % 2 == 0 else (mid, outer - 0.5)
        radius = rng.uniform(lo, hi) * 1000
        positions.append((radius * math.cos(angle), radius * math.sin(angle)))
        sizes.append(rng.uniform(0.5, 1.6))
    village_total = sum(sizes[1:]) or 1.0
    street_weights = [city_share] + [(1 - city_share) * s / village_total for s in sizes[1:]]
    street_counts = [max(1, c) for c in _allocate(streets - len(settlements), street_weights)]
    street_counts = [c + 1 if i < len(settlements) else c for i, c in enumerate(street_counts)]
    street_counts[0] += streets - sum(street_counts)
    building_counts = _allocate(buildings, street_weights)

    out_settlements: list[SynthSettlement] = []
    out_streets: list[SynthStreet] = []
    out_buildings: list[SynthBuilding] = []
    footprints: list[BaseGeometry] = []
    for index, name in enumerate(settlements):
        city = index == 0
        x0, y0 = positions[index]
        postcode = CITY_POSTCODE if city else f"208{10 + index:02d}"
        lat, lon = plane.to_latlon(x0, y0)
        made = _settlement(
            rng,
            name=name,
            city=city,
            origin=(x0, y0),
            n_streets=street_counts[index],
            n_buildings=max(building_counts[index], street_counts[index]),
            postcode=postcode,
            first_street=len(out_streets),
        )
        streets_here, buildings_here, radius = made
        population = (
            int(len(buildings_here) * 5.6) if city else int(len(buildings_here) * 3.2 * rng.uniform(0.9, 1.1))
        )
        out_settlements.append(
            SynthSettlement(
                name=name,
                lat=lat,
                lon=lon,
                postcode=postcode,
                is_centre=city,
                population=population,
                radius_m=radius,
            )
        )
        renames = CITY_RENAMES if city else VILLAGE_RENAMES
        for street in streets_here:
            formers = []
            rename = renames.get(street[1])
            if rename and street[0] == "вулиця" and (city or rng.random() < 0.7):
                former_type, former_name, period = rename
                day, decision = _decision(rng, period, out_settlements[-1])
                formers.append(Former(former_type, former_name, day, decision))
            out_streets.append(
                SynthStreet(
                    settlement=name,
                    street_type=street[0],
                    name=street[1],
                    line=[plane.to_latlon(x, y) for x, y in street[2]],
                    formers=formers,
                )
            )
        for b in buildings_here:
            blat, blon = plane.to_latlon(b.lon, b.lat)  # metres (x east, y north) until here
            b.lat, b.lon = round(blat, 7), round(blon, 7)
            out_buildings.append(b)
        footprints.append(Point(x0, y0).buffer(radius + 150, quad_segs=8))

    boundary_m = _boundary(rng, footprints)
    city_zone = footprints[0].buffer(450, quad_segs=8)
    okrug_areas = _okrugs(
        rng, plane, villages, positions[1:], out_settlements[1:], out_streets, boundary_m, city_zone, okrugs
    )
    district_areas = _districts(rng, plane, city_zone.intersection(boundary_m))
    return Geography(
        settlements=out_settlements,
        streets=out_streets,
        buildings=out_buildings,
        boundary=SynthArea(
            kind="boundary",
            name="Межа Кам’янської міської громади",
            geometry=_to_geojson(plane.geom_to_lonlat(boundary_m)),
        ),
        okrugs=okrug_areas,
        districts=district_areas,
    )


def _settlement(rng, *, name, city, origin, n_streets, n_buildings, postcode, first_street):
    """Streets on a rotated grid (some curving), filled from the middle out; houses along
    both sides, odd numbers on the left, even on the right. Coordinates in metres."""
    names = _street_names(rng, n_streets, city=city)
    # Main streets (the first few) get more houses, lanes and squares fewer.
    weights = []
    for i, (kind, _n) in enumerate(names):
        w = 3.0 if i < 4 else 1.0
        if kind in ("провулок", "тупик", "проїзд"):
            w = 0.4
        elif kind == "площа":
            w = 0.3
        weights.append(w * rng.uniform(0.6, 1.4))
    counts = [max(1, c) for c in _allocate(n_buildings, weights)]
    excess = sum(counts) - n_buildings
    for i in sorted(range(len(counts)), key=lambda i: -counts[i]):
        if excess <= 0:
            break
        if counts[i] > 1:
            counts[i] -= 1
            excess -= 1
    house_gap = 22.0 if city else 30.0
    line_gap = 130.0 if city else 170.0
    # Houses are not built on a crossing: a side loses ~32 m of frontage per block.
    crossing = 16.0
    per_block = line_gap / (line_gap - 2 * crossing)
    lengths = [max(90.0, (math.ceil(c / 2) * per_block + 1) * house_gap) for c in counts]
    radius = math.sqrt(sum(lengths) * line_gap / (2 * math.pi)) * 1.2 + 150
    rotation = rng.uniform(0, math.pi / 2)
    cos_r, sin_r = math.cos(rotation), math.sin(rotation)
    x0, y0 = origin

    def world(u: float, v: float) -> tuple[float, float]:
        return x0 + u * cos_r - v * sin_r, y0 + u * sin_r + v * cos_r

    # Grid lines from the middle out: (direction, offset); each filled end to end.
    placements: list[tuple[int, float, float, float]] = []  # (direction, offset, from, to)
    k = 0
    pending = list(range(len(names)))
    while pending:
        ring = (k + 1) // 2 * (1 if k % 2 else -1) if k else 0
        for direction in (0, 1):
            if not pending:
                break
            offset = ring * line_gap
            half = (
                math.sqrt(max(0.0, radius**2 - offset**2))
                if abs(offset) < radius
                else lengths[pending[0]] / 2
            )
            cursor = -half
            while pending:
                length = lengths[pending[0]]
                if cursor + length > half and cursor > -half:
                    break
                placements.append((direction, offset, cursor, cursor + length))
                pending.pop(0)
                cursor += length + 35.0  # a crossing street between two on one line
        k += 1
    streets_out = []
    buildings_out: list[SynthBuilding] = []
    for i, ((kind, sname), (direction, offset, a, b)) in enumerate(zip(names, placements, strict=True)):
        curving = rng.random() < 0.15 and b - a > 250
        amplitude = rng.uniform(0.08, 0.2) * line_gap if curving else 0.0
        waves = rng.choice((0.5, 1.0, 1.5))
        vertices = 12 if curving else 2
        local = []
        for j in range(vertices):
            t = j / (vertices - 1)
            along = a + t * (b - a)
            across = offset + amplitude * math.sin(math.pi * 2 * waves * t)
            local.append((along, across) if direction == 0 else (across, along))
        line = [world(u, v) for u, v in local]
        streets_out.append((kind, sname, line))
        odd = math.ceil(counts[i] / 2)
        main = i < 6
        for side_odd, side_count in ((True, odd), (False, counts[i] - odd)):
            numbers = _house_numbers(rng, side_count, odd=side_odd, city=city)
            stations = []
            at = 0.7 * house_gap
            while len(stations) < len(numbers):
                beside = (a + at + line_gap / 2) % line_gap - line_gap / 2
                if abs(beside) < crossing:  # a crossing street: skip past it
                    at += crossing
                    continue
                stations.append(at)
                at += house_gap
            # Odd numbers on the left of the direction of numbering, even on the right.
            points = _polyline_points(line, stations, (14.0 if city else 20.0) * (1 if side_odd else -1))
            for number, (px, py) in zip(numbers, points, strict=True):
                floors, year, use = _building_kind(rng, city=city, main=main)
                if " корп. " in number:
                    floors, use = max(floors, 5), "apartments"
                buildings_out.append(
                    SynthBuilding(
                        street=first_street + i,
                        number=number,
                        postcode=postcode,
                        lat=py + rng.uniform(-3, 3),  # metres for now; to WGS 84 by the caller
                        lon=px + rng.uniform(-3, 3),
                        floors=floors,
                        year_built=year,
                        use=use,
                    )
                )
    far = max(math.dist(origin, (p.lon, p.lat)) for p in buildings_out) if buildings_out else radius
    return streets_out, buildings_out, max(radius, far + 30)


def _boundary(rng: random.Random, footprints: list[BaseGeometry]) -> BaseGeometry:
    """A convex-ish outline around every settlement: their hull 2 km out, each vertex
    pushed out along its ray by a little (a star-shaped polygon stays simple)."""
    hull = unary_union(footprints).convex_hull.buffer(2000, quad_segs=4)
    cx, cy = hull.centroid.x, hull.centroid.y
    ring = list(hull.exterior.coords)[:-1]
    a, b = rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)
    coords = []
    for x, y in ring:
        theta = math.atan2(y - cy, x - cx)
        # Smooth in the angle: fields and forests, not a saw.
        push = 1.04 + 0.025 * math.sin(2 * theta + a) + 0.015 * math.sin(5 * theta + b)
        coords.append((cx + (x - cx) * push, cy + (y - cy) * push))
    polygon = Polygon(coords)
    if not polygon.is_valid:  # never seen; the hull itself is the fallback
        polygon = hull
    return polygon


def _okrugs(rng, plane, villages, positions, settlements, streets, boundary_m, city_zone, count):
    """Villages grouped by direction from the town into `count` okrugs; each okrug the
    union of its villages' Voronoi cells, inside the boundary and outside the town."""
    if not villages:
        return []
    order = sorted(range(len(villages)), key=lambda i: math.atan2(positions[i][1], positions[i][0]))
    count = max(1, min(count, len(villages)))
    sizes = _allocate(len(villages), [1.0] * count)
    cells = voronoi_diagram(MultiPoint(positions), envelope=boundary_m.buffer(5000))
    cell_of: dict[int, BaseGeometry] = {}
    for cell in cells.geoms:
        for i, (x, y) in enumerate(positions):
            if i not in cell_of and cell.contains(Point(x, y)):
                cell_of[i] = cell
                break
    areas = []
    cursor = 0
    for g, size in enumerate(sizes):
        group = order[cursor : cursor + size]
        cursor += size
        polygon = unary_union([cell_of[i] for i in group]).intersection(boundary_m).difference(city_zone)
        polygon = _polygonal(polygon)
        # The okrug is named after its largest village (the starosta's office is there).
        seat = max(group, key=lambda i: settlements[i].population)
        seat_name = villages[seat]
        adjective = place_adjective(seat_name)
        name = f"{adjective} старостинський округ" if adjective else f"Старостинський округ «{seat_name}»"
        first, middle = FIRST_NAMES[g % len(FIRST_NAMES)]
        last = LAST_NAMES[(g * 3 + 1) % len(LAST_NAMES)]
        first_street = next((s for s in streets if s.settlement == seat_name), None)
        slug = transliterate(seat_name).lower().replace(" ", "-").replace("’", "")
        areas.append(
            SynthArea(
                kind="okrug",
                name=name,
                geometry=_to_geojson(plane.geom_to_lonlat(polygon)),
                settlements=sorted(villages[i] for i in group),
                head_name=f"{last} {first} {middle}",
                head_title="староста",
                phone=f"(04732) {rng.randint(2, 9)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                email=f"starosta.{slug}@demo.hromada.test",
                office_address=(
                    f"с. {seat_name}, {first_street.street_type} {first_street.name}, 1"
                    if first_street
                    else f"с. {seat_name}"
                ),
                office_hours="пн–пт 8:00–17:00, обідня перерва 12:00–13:00; прийом старости — вт, чт 9:00–12:00",
            )
        )
    return areas


def _districts(rng, plane, city_zone: BaseGeometry) -> list[SynthArea]:
    """The town cut into three sectors from its centre: they touch and never overlap."""
    c = city_zone.centroid
    far = 50_000.0
    start = rng.uniform(0, 2 * math.pi)
    out = []
    n = len(CITY_DISTRICTS)
    for k, name in enumerate(CITY_DISTRICTS):
        a0 = start + k * 2 * math.pi / n
        arc = [a0 + (2 * math.pi / n) * j / 8 for j in range(9)]
        wedge = Polygon([(c.x, c.y)] + [(c.x + far * math.cos(a), c.y + far * math.sin(a)) for a in arc])
        polygon = _polygonal(city_zone.intersection(wedge))
        out.append(SynthArea(kind="district", name=name, geometry=_to_geojson(plane.geom_to_lonlat(polygon))))
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Only the polygon parts of an overlay's result (it may add stray lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


__all__ = [
    "KAMIANKA_CENTRE",
    "KAMIANKA_SETTLEMENTS",
    "Former",
    "Geography",
    "SynthArea",
    "SynthBuilding",
    "SynthSettlement",
    "SynthStreet",
    "generate",
]
