"""The invented geography of the demo and the bench: deterministic, valid polygons that
do not overlap, renamed streets with their decisions, houses numbered odd on one side and
even on the other."""

import dataclasses
import datetime as dt
import itertools
import re
from collections import Counter

import pytest
from shapely.geometry import Point, shape

from hromada.places import geocode, geometry, katottg, synthetic
from hromada.places.addresses import house_key


@pytest.fixture(scope="module")
def geo():
    return synthetic.generate()


def test_the_same_arguments_give_the_same_geography(geo):
    again = synthetic.generate()
    assert dataclasses.asdict(again) == dataclasses.asdict(geo)
    other = synthetic.generate(seed=7)
    assert [b.lat for b in other.buildings[:50]] != [b.lat for b in geo.buildings[:50]]


def test_counts_are_what_was_asked(geo):
    assert len(geo.streets) == 300 and len(geo.buildings) == 4000
    assert [s.name for s in geo.settlements] == list(synthetic.KAMIANKA_SETTLEMENTS)
    per_settlement = Counter(s.settlement for s in geo.streets)
    assert set(per_settlement) == set(synthetic.KAMIANKA_SETTLEMENTS)
    assert per_settlement["Кам’янка"] > 100  # the town; each village a handful


def test_the_settlements_are_the_codifiers():
    names = [e.name for e in katottg.hromada_children("UA71080130000078619") if e.category != "B"]
    assert names == list(synthetic.KAMIANKA_SETTLEMENTS)


def test_villages_lie_on_a_ring_around_the_town(geo):
    town = geo.settlements[0]
    assert (round(town.lat, 3), round(town.lon, 3)) == synthetic.KAMIANKA_CENTRE
    for village in geo.settlements[1:]:
        km = float(geocode.haversine_m(town.lat, town.lon, village.lat, village.lon)) / 1000
        assert 4 <= km <= 15, (village.name, km)
    assert {s.postcode for s in geo.settlements[1:]} >= {"20811"} and town.postcode == "20800"
    assert len({s.postcode for s in geo.settlements}) == len(geo.settlements)


def test_polygons_are_valid_and_do_not_overlap(geo):
    boundary = geometry.polygon_from_geojson(geo.boundary.geometry)  # raises on invalid
    okrugs = [geometry.polygon_from_geojson(o.geometry) for o in geo.okrugs]
    districts = [geometry.polygon_from_geojson(d.geometry) for d in geo.districts]
    assert 5 <= len(okrugs) <= 6 and 2 <= len(districts) <= 3
    for group in (okrugs, districts):
        for a, b in itertools.combinations(group, 2):
            assert geometry.overlap_share(a, b) < 1e-6
    for area in okrugs + districts:
        assert area.difference(boundary).area < 1e-6 * area.area  # inside (up to rounding to ~1 cm)
    for okrug, district in itertools.product(okrugs, districts):
        assert geometry.overlap_share(okrug, district) < 1e-6  # the town is no okrug's


def test_every_village_is_in_one_okrug_and_its_houses_inside_it(geo):
    grouped = [name for o in geo.okrugs for name in o.settlements]
    assert sorted(grouped) == sorted(synthetic.KAMIANKA_SETTLEMENTS[1:])
    boundary = shape(geo.boundary.geometry)
    okrug_of = {name: shape(o.geometry) for o in geo.okrugs for name in o.settlements}
    districts = [shape(d.geometry) for d in geo.districts]
    for b in geo.buildings:
        point = Point(b.lon, b.lat)
        assert boundary.contains(point)
        settlement = geo.streets[b.street].settlement
        if settlement == "Кам’янка":
            assert any(d.contains(point) for d in districts)
        else:
            assert okrug_of[settlement].contains(point), (settlement, b.number)
    for okrug in geo.okrugs:
        assert okrug.head_name and okrug.phone.startswith("(04732)") and "@" in okrug.email
        assert okrug.name.endswith("старостинський округ") or "«" in okrug.name


def test_renamed_streets_have_their_decisions(geo):
    renamed = {s.name: s for s in geo.streets if s.formers and s.settlement == "Кам’янка"}
    expected = {
        "Соборна": "Леніна",
        "Героїв Майдану": "Кірова",
        "Незалежності": "Жовтнева",
        "Ліни Костенко": "Пушкіна",
        "Героїв України": "Гагаріна",
        "Європейська": "Московська",
    }
    for current, former in expected.items():
        assert renamed[current].formers[0].name == former
    for street in geo.streets:
        for f in street.formers:
            match = re.search(r"№ [\w\-/]+ від (\d\d)\.(\d\d)\.(\d{4})$", f.decision)
            assert match, f.decision
            assert dt.date(int(match[3]), int(match[2]), int(match[1])) == f.renamed_on
            assert f.renamed_on.year in (2016, 2022, 2023)
    assert renamed["Соборна"].formers[0].decision.startswith("рішення Кам’янської міської ради № ")
    assert renamed["Соборна"].formers[0].renamed_on == dt.date(2016, 2, 19)
    assert renamed["Ліни Костенко"].formers[0].renamed_on.year in (2022, 2023)
    assert any(s.formers for s in geo.streets if s.settlement != "Кам’янка")  # villages too


def test_names_in_the_ukrainian_pattern(geo):
    names = {(s.settlement, s.street_type, s.name) for s in geo.streets}
    assert len(names) == len(geo.streets)  # unique in a settlement and type
    town = {(t, n) for place, t, n in names if place == "Кам’янка"}
    assert {("вулиця", "Тараса Шевченка"), ("вулиця", "Соборна"), ("площа", "Ринкова")} <= town
    assert {("вулиця", "Мар’янівська"), ("вулиця", "Під’їзна")} <= town
    assert Counter(t for _p, t, _n in names)["провулок"] > 20
    assert all("'" not in n for _p, _t, n in names)  # the Ukrainian apostrophe, always


def test_house_numbers_as_people_write_them(geo):
    numbers = [b.number for b in geo.buildings]
    assert {"1", "2", "3"} <= set(numbers)
    assert any(re.fullmatch(r"\d+А", n) for n in numbers)
    assert any(re.fullmatch(r"\d+/1", n) for n in numbers)
    assert any(re.fullmatch(r"\d+ корп\. 2", n) for n in numbers)
    for index, _street in enumerate(geo.streets):
        keys = [house_key(b.number) for b in geo.buildings_of(index)]
        assert all(keys) and len(keys) == len(set(keys))
    town = {b.postcode for b in geo.buildings if geo.streets[b.street].settlement == "Кам’янка"}
    assert town == {"20800"}
    assert {b.use for b in geo.buildings} >= {"residential", "apartments", "commercial"}
    assert all(1 <= b.floors <= 16 and 1900 <= b.year_built <= 2026 for b in geo.buildings)


def _side(line, lat, lon) -> float:
    """Which side of the street's first segment a point lies on (sign of the cross product)."""
    (lat1, lon1), (lat2, lon2) = line[0], line[-1]
    return (lon2 - lon1) * (lat - lat1) - (lat2 - lat1) * (lon - lon1)


def test_odd_numbers_on_one_side_even_on_the_other(geo):
    checked = 0
    for index, street in enumerate(geo.streets):
        if len(street.line) != 2:
            continue  # a curving street: its side is not one sign of one segment
        sides = {int(re.match(r"\d+", b.number)[0]) % 2: set() for b in geo.buildings_of(index)}
        for b in geo.buildings_of(index):
            sides[int(re.match(r"\d+", b.number)[0]) % 2].add(_side(street.line, b.lat, b.lon) > 0)
        assert all(len(s) == 1 for s in sides.values()), street.name
        if len(sides) == 2:
            assert sides[0] != sides[1]
            checked += 1
    assert checked > 100


def test_the_bench_size():
    big = synthetic.generate(streets=5000, buildings=200_000, seed=11, city_share=0.2, ring_km=(12, 40))
    assert len(big.streets) == 5000 and len(big.buildings) == 200_000
    keys = Counter((b.street, house_key(b.number)) for b in big.buildings)
    assert max(keys.values()) == 1
    assert len({(s.settlement, s.street_type, s.name) for s in big.streets}) == 5000
