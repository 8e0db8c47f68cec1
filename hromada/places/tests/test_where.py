"""The one question other modules ask: where is this and whose is it (selectors.where)."""

import pytest

from hromada.core.errors import DomainError
from hromada.places import lookup, selectors, services
from hromada.places.tests.lookup_town import CENTRE, make_town, square
from hromada.tenancy.tests.factories import HromadaFactory

pytestmark = pytest.mark.django_db
LAT, LON = CENTRE


@pytest.fixture
def town(hromada, django_capture_on_commit_callbacks):
    town = make_town(hromada)
    with django_capture_on_commit_callbacks(execute=True):
        services.area_save(
            actor=None, hromada=hromada, kind="boundary", name="Межа",
            geometry_value=square(LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05),
        )  # fmt: skip
        town.okrug = services.area_save(
            actor=None, hromada=hromada, kind="okrug", name="Центральний",
            geometry_value=square(LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05),
        )  # fmt: skip
        school = services.territory_create(actor=None, hromada=hromada, name="Ліцей № 1", purpose="education")
        services.territory_rule_add(
            actor=None, area=school, street=town.streets["shevchenka"], parity="even", from_house="10"
        )
    town.school = school
    return town


def test_an_address_typed_with_a_former_name_says_where_and_whose(town):
    answer = selectors.where(hromada=town.hromada, address="вул. Леніна, 12-а", purpose="education")
    assert answer.building == town.buildings["maidan 12А"]
    assert answer.former == "вулиця Леніна"
    assert answer.settlement == town.city
    assert answer.inside_hromada is True
    assert answer.okrug == town.okrug
    assert answer.territories == []  # the school takes even houses of Шевченка only


def test_a_point_gives_its_nearest_building_and_its_territory(town):
    b = town.buildings["shev 12"]
    answer = selectors.where(hromada=town.hromada, lat=b.lat, lon=b.lon, purpose="education")
    assert answer.building == b
    assert answer.territories == [town.school]
    assert answer.okrug == town.okrug
    odd = town.buildings["shev 13"]
    assert (
        selectors.where(hromada=town.hromada, lat=odd.lat, lon=odd.lon, purpose="education").territories == []
    )


def test_a_point_outside_the_hromada_says_so(town):
    answer = selectors.where(hromada=town.hromada, lat=LAT + 1, lon=LON)
    assert answer.inside_hromada is False
    assert answer.reason
    assert answer.building is None


def test_bad_input_is_a_precise_error(town):
    with pytest.raises(DomainError) as exc:
        selectors.where(hromada=town.hromada)
    assert exc.value.code == "where_needs_input"
    with pytest.raises(DomainError) as exc:
        selectors.where(hromada=town.hromada, lat=95, lon=LON)
    assert exc.value.code == "point_invalid"
    with pytest.raises(lookup.AddressNotFound) as missing:
        selectors.where(hromada=town.hromada, address="Шевченка 999")
    assert missing.value.suggestions


def test_another_hromadas_address_is_not_found(town):
    with pytest.raises(lookup.AddressNotFound):
        selectors.where(hromada=HromadaFactory(), address="Шевченка 12")
