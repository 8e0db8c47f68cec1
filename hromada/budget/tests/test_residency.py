"""The residence: checked with places.where; suggestions for an unknown address; the
district/okrug areas stored; refused outside the hromada; locked once the person voted."""

from __future__ import annotations

import pytest

from hromada.budget.models import Residency
from hromada.budget.services.residency import AddressUnknown, residency_declare
from hromada.budget.services.voting import ballot_cast
from hromada.core.errors import DomainError
from hromada.places.tests.geo_fixtures import build_geo

from .factories import category
from .helpers_voting import ids, voter, voting_cycle

pytestmark = pytest.mark.django_db


def test_declare_change_and_lock(hromada):
    geo = build_geo(hromada)
    cycle = voting_cycle(hromada)
    user, _n = voter()
    row = residency_declare(cycle=cycle, user=user, address="вулиця Шевченка, 12а")
    assert row.inside_hromada and row.building == geo.building
    assert geo.district in row.areas.all()
    row = residency_declare(cycle=cycle, user=user, address="вулиця Леніна, 14")  # the former name
    assert Residency.objects.count() == 1 and "Шевченка" in row.address
    small = category(cycle, "small")
    ballot_cast(category=small, user=user, choices=ids(small)[:1])
    with pytest.raises(DomainError) as info:
        residency_declare(cycle=cycle, user=user, address="вулиця Шевченка, 12а")
    assert info.value.code == "residency_locked"


def test_unknown_address_brings_suggestions_and_stores_nothing(hromada):
    build_geo(hromada)
    cycle = voting_cycle(hromada)
    user, _n = voter()
    with pytest.raises(AddressUnknown) as info:
        residency_declare(cycle=cycle, user=user, address="вулиця Шевченка, 99")
    assert info.value.code == "address_not_found" and info.value.field == "address"
    assert any("Шевченка" in s for s in info.value.suggestions)
    with pytest.raises(DomainError) as info2:
        residency_declare(cycle=cycle, user=user, address="   ")
    assert info2.value.code == "address_required"
    assert Residency.objects.count() == 0


def test_cross_hromada_address_is_not_found(hromada, other_hromada):
    build_geo(hromada)
    cycle = voting_cycle(other_hromada)
    user, _n = voter()
    with pytest.raises(DomainError) as info:
        residency_declare(cycle=cycle, user=user, address="вулиця Шевченка, 12а")
    assert info.value.code == "address_not_found"
    assert "ЦНАП" in str(info.value.message)
