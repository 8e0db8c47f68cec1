"""Reverse geocoding, point-in-area, inside-the-hromada, and the snapshot's invalidation."""

import random

import pytest

from hromada.core.errors import DomainError
from hromada.places import geocode, services, territories
from hromada.places.models import Area
from hromada.places.tests.lookup_town import CENTRE, make_town, square

pytestmark = pytest.mark.django_db
LAT, LON = CENTRE


@pytest.fixture
def town(hromada):
    return make_town(hromada)


def _area(hromada, kind, name, geom, **kw):
    return services.area_save(actor=None, hromada=hromada, kind=kind, name=name, geometry_value=geom, **kw)


@pytest.fixture
def drawn(town, django_capture_on_commit_callbacks):
    """A boundary and two okrugs sharing the edge lon = LON + 0.01."""
    h = town.hromada
    with django_capture_on_commit_callbacks(execute=True):
        boundary = _area(h, "boundary", "Межа", square(LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05))
        west = _area(h, "okrug", "Західний", square(LON - 0.05, LAT - 0.05, LON + 0.01, LAT + 0.05))
        east = _area(h, "okrug", "Східний", square(LON + 0.01, LAT - 0.05, LON + 0.05, LAT + 0.05))
    return boundary, west, east


def test_without_a_boundary_it_cannot_say(town):
    loc = geocode.locate(hromada=town.hromada, lat=LAT, lon=LON)
    assert loc.inside_hromada is None
    assert loc.reason == "Межу громади ще не накреслено: чи точка в громаді, сказати не можна."


def test_inside_outside_and_on_the_boundary(town, drawn):
    h = town.hromada
    assert geocode.locate(hromada=h, lat=LAT, lon=LON).inside_hromada is True
    outside = geocode.locate(hromada=h, lat=LAT + 0.2, lon=LON)
    assert outside.inside_hromada is False and outside.reason == "Точка поза межами громади."
    assert outside.okrug is None and outside.areas == []
    assert geocode.locate(hromada=h, lat=LAT + 0.05, lon=LON).inside_hromada is True  # on the edge


def test_a_point_on_the_edge_of_two_okrugs_is_in_the_one_drawn_first(town, drawn):
    _boundary, west, east = drawn
    loc = geocode.locate(hromada=town.hromada, lat=LAT, lon=LON + 0.01)
    assert loc.okrug == west
    assert {a.name for a in loc.areas} == {"Межа", "Західний", "Східний"}
    assert geocode.locate(hromada=town.hromada, lat=LAT, lon=LON + 0.0100001).okrug == east
    assert geocode.locate(hromada=town.hromada, lat=LAT, lon=LON + 0.0099999).okrug == west


def test_the_nearest_building_within_150_m(town):
    b = town.buildings["shev 1"]
    loc = geocode.locate(hromada=town.hromada, lat=b.lat - 0.0002, lon=b.lon)  # ~22 m south
    assert loc.building == b and 20 < loc.distance_m < 25
    assert loc.settlement == town.city
    far = geocode.locate(hromada=town.hromada, lat=LAT - 0.02, lon=LON + 0.02)
    assert far.building is None and far.distance_m is None
    # 140 m east of the last building of Шевченка and far from the rest: found; 160 m: not.
    last = town.buildings["shev 21"]
    per_deg_lon = 111_195 * 0.6565
    near = geocode.locate(hromada=town.hromada, lat=last.lat + 0.002, lon=last.lon)
    assert near.building is None
    assert (
        geocode.locate(hromada=town.hromada, lat=last.lat, lon=last.lon - 140 / per_deg_lon).building == last
    )
    assert (
        geocode.locate(hromada=town.hromada, lat=last.lat, lon=last.lon - 160 / per_deg_lon).building is None
    )


def test_an_okrug_with_no_polygon_is_what_its_villages_are(town):
    okrug = services.area_save(
        actor=None, hromada=town.hromada, kind="okrug", name="Вербівський", settlements=[town.village]
    )
    loc = geocode.locate(hromada=town.hromada, lat=49.05, lon=32.2001)
    assert loc.building is not None and loc.settlement == town.village
    assert loc.okrug == okrug


@pytest.mark.parametrize(("lat", "lon"), [(91, 0), (0, -181), ("x", 1), (None, 1), (float("nan"), 1)])
def test_a_bad_point_is_refused(town, lat, lon):
    with pytest.raises(DomainError) as caught:
        geocode.locate(hromada=town.hromada, lat=lat, lon=lon)
    assert caught.value.code == "point_invalid"


def test_many_points_agree_with_one_at_a_time(town, drawn):
    rng = random.Random(7)
    points = [(LAT + rng.uniform(-0.06, 0.06), LON + rng.uniform(-0.06, 0.06)) for _ in range(150)]
    points += [(b.lat + 0.0003, b.lon - 0.0002) for b in town.buildings.values()]
    points += [(LAT, LON + 0.01), (LAT + 0.05, LON)]  # on edges
    many = geocode.locate_many(hromada=town.hromada, points=points)
    for (lat, lon), loc in zip(points, many, strict=True):
        one = geocode.locate(hromada=town.hromada, lat=lat, lon=lon)
        assert (loc.inside_hromada, loc.okrug, loc.building, loc.settlement) == (
            one.inside_hromada,
            one.okrug,
            one.building,
            one.settlement,
        )
        assert [a.pk for a in loc.areas] == [a.pk for a in one.areas]
        if one.distance_m is not None:
            assert loc.distance_m == pytest.approx(one.distance_m, abs=0.01)
    assert sum(loc.building is not None for loc in many) >= len(town.buildings)


def test_many_points_refuse_a_bad_one_by_its_position(town):
    with pytest.raises(DomainError) as caught:
        geocode.locate_many(hromada=town.hromada, points=[(LAT, LON), (100, 0)])
    assert caught.value.code == "point_invalid" and "№ 2" in str(caught.value.message)
    assert geocode.locate_many(hromada=town.hromada, points=[]) == []


def test_a_changed_area_is_seen_here_at_once(town, drawn, django_capture_on_commit_callbacks):
    _b, west, _e = drawn
    assert geocode.locate(hromada=town.hromada, lat=LAT, lon=LON - 0.04).okrug == west
    with django_capture_on_commit_callbacks(execute=True):
        services.area_delete(actor=None, area=west)
    assert geocode.locate(hromada=town.hromada, lat=LAT, lon=LON - 0.04).okrug is None


def test_another_process_sees_a_change_within_a_second(town, drawn, monkeypatch):
    """A change this process was not told of (another process wrote it) is seen once
    the once-a-second version check runs."""
    _b, west, _e = drawn
    assert geocode.locate(hromada=town.hromada, lat=LAT, lon=LON - 0.04).okrug == west
    Area.objects.filter(pk=west.pk).delete()  # as another process would: no areas_changed here
    assert geocode.locate(hromada=town.hromada, lat=LAT, lon=LON - 0.04).okrug == west  # within the second
    now = geocode.time.monotonic()
    monkeypatch.setattr(geocode.time, "monotonic", lambda: now + geocode.CHECK_EVERY_S + 0.1)
    assert geocode.locate(hromada=town.hromada, lat=LAT, lon=LON - 0.04).okrug is None


def test_a_territory_polygon_is_exact_on_its_edge(town):
    b = town.buildings["shev 1"]
    west = services.territory_create(
        actor=None, hromada=town.hromada, name="Захід", purpose="health",
        geometry_value=square(b.lon - 0.01, b.lat - 0.01, b.lon, b.lat + 0.01),
    )  # fmt: skip
    east = services.territory_create(
        actor=None, hromada=town.hromada, name="Схід", purpose="health",
        geometry_value=square(b.lon, b.lat - 0.01, b.lon + 0.01, b.lat + 0.01),
    )  # fmt: skip
    # The building stands exactly on the shared edge: both territories take it.
    assert territories.territory_of(hromada=town.hromada, building=b, purpose="health") == [west, east]
    assert territories.territory_of(hromada=town.hromada, building=b, purpose="education") == []
    inside = town.buildings["shev 3"]  # 55 m north, still on the edge's longitude
    assert territories.territory_of(hromada=town.hromada, building=inside, purpose="health") == [west, east]


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dlat=st.floats(min_value=-0.004, max_value=0.006), dlon=st.floats(min_value=-0.003, max_value=0.004))
def test_the_nearest_building_is_the_nearest(town, dlat, dlon):
    lat, lon = LAT + dlat, LON + dlon
    distances = sorted(
        (float(geocode.haversine_m(lat, lon, b.lat, b.lon)), b.pk) for b in town.buildings.values()
    )
    loc = geocode.locate(hromada=town.hromada, lat=lat, lon=lon)
    (many,) = geocode.locate_many(hromada=town.hromada, points=[(lat, lon)])
    # Two buildings within a millimetre of each other's distance are a tie: either is right
    # (locate_many measures on a local projection, locate by haversine).
    tie = len(distances) > 1 and distances[1][0] - distances[0][0] < 0.001
    if distances[0][0] <= geocode.REVERSE_RADIUS_M:
        assert loc.building.pk == distances[0][1] or tie
        assert loc.distance_m == pytest.approx(distances[0][0])
        assert many.building.pk == loc.building.pk or tie
    else:
        assert loc.building is None and many.building is None
