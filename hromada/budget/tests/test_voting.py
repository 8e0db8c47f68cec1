"""Online ballots: every refusal with nothing changed, the single INSERT with its
ledger entry, the receipt, and the online/paper deduplication."""

from __future__ import annotations

import datetime as dt

import pytest

from hromada.accounts.tests.factories import UserFactory, staff_user
from hromada.budget import rules, voting_selectors
from hromada.budget.models import Ballot, Category, CategoryKind, Channel
from hromada.budget.services.cycles import CategorySpec
from hromada.budget.services.voting import ballot_cast, paper_ballot_enter
from hromada.core.errors import DomainError, NotFound
from hromada.ledger.models import LedgerEntry

from .factories import category, make_cycle
from .helpers_voting import add_projects, ids, publish, resident, voter, voting_cycle

pytestmark = pytest.mark.django_db


def _counts(hromada):
    return Ballot.objects.count(), LedgerEntry.objects.filter(
        hromada=hromada, kind="budget.ballot_cast"
    ).count()


def _refused(hromada, code, **kwargs):
    before = _counts(hromada)
    with pytest.raises(DomainError) as info:
        ballot_cast(**kwargs)
    assert info.value.code == code, info.value.message
    assert _counts(hromada) == before
    return info.value


def test_a_ballot_is_one_row_and_its_ledger_entry(hromada):
    cycle = voting_cycle(hromada)
    user = resident(cycle)
    small = category(cycle, "small")
    choices = ids(small)[:3]
    ballot = ballot_cast(category=small, user=user, choices=choices)
    assert ballot.pk and ballot.channel == Channel.ONLINE and ballot.user == user
    assert ballot.voter == rules.voter_pseudonym(cycle=cycle, person_key=user.identity.tax_hash)
    assert ballot.age_group == "36-59"
    entry = LedgerEntry.objects.get(hromada=hromada, kind="budget.ballot_cast")
    assert entry.payload == {"voter": ballot.voter, "category": str(small.public_id), "choices": choices}
    assert "tax" not in entry.canonical and user.identity.tax_hash not in entry.canonical
    subject = voting_selectors.describe_ballot(hromada=hromada, payload=entry.payload)
    assert subject is not None and "Малі проєкти" in subject.text and cycle.title in subject.text


def test_a_second_ballot_is_refused_naming_the_first_channel(hromada):
    cycle = voting_cycle(hromada)
    user = resident(cycle)
    small = category(cycle, "small")
    ballot_cast(category=small, user=user, choices=ids(small)[:1])
    error = _refused(hromada, "already_voted", category=small, user=user, choices=ids(small)[1:2])
    assert error.status == 409 and "онлайн" in str(error.message)


def test_over_n_and_over_the_pot_say_by_how_much(hromada):
    cycle = voting_cycle(hromada)
    user = resident(cycle)
    small, large = category(cycle, "small"), category(cycle, "large")
    error = _refused(hromada, "too_many_choices", category=small, user=user, choices=ids(small))
    assert "на 1 більше" in str(error.message)
    error = _refused(hromada, "over_pot", category=large, user=user, choices=ids(large)[:3])
    assert error.over_by == 400_000 and "400\u00a0000" in str(error.message)
    _refused(hromada, "empty_ballot", category=small, user=user, choices=[])
    _refused(hromada, "unknown_project", category=small, user=user, choices=ids(large)[:1])


def test_outside_the_phase_and_before_publication(hromada):
    for current in ("review", "results"):
        cycle = make_cycle(hromada, current=current, slug=f"c-{current}")
        small = category(cycle, "small")
        add_projects(small, [50_000])
        publish(cycle)
        user = resident(cycle)
        _refused(hromada, "voting_closed", category=small, user=user, choices=ids(small))
    cycle = voting_cycle(hromada, published=False, slug="unpublished")
    small = category(cycle, "small")
    _refused(hromada, "ballot_not_published", category=small, user=resident(cycle), choices=ids(small)[:1])


def test_eligibility_refusals(hromada):
    cycle = voting_cycle(hromada, min_age=16)
    small = category(cycle, "small")
    choices = ids(small)[:1]
    _refused(hromada, "login_required", category=small, user=None, choices=choices)
    _refused(hromada, "identity_required", category=small, user=UserFactory(), choices=choices)
    young, _n = voter(born=dt.date.today() - dt.timedelta(days=365 * 15))
    resident(cycle, young)
    error = _refused(hromada, "underage", category=small, user=young, choices=choices)
    assert "16" in str(error.message)
    homeless, _n = voter()
    error = _refused(hromada, "residence_required", category=small, user=homeless, choices=choices)
    outside = resident(cycle, inside=False)
    error = _refused(hromada, "not_resident", category=small, user=outside, choices=choices)
    assert "ЦНАП" in str(error.message)


def test_area_pot_only_for_its_residents(hromada):
    from hromada.places.tests.geo_fixtures import build_geo

    geo = build_geo(hromada)
    spec = CategorySpec(
        title="Округ",
        slug="okrug",
        kind=CategoryKind.AREA,
        pot=300_000,
        max_cost=300_000,
        rule="knapsack",
        area=geo.okrug,
    )
    cycle = make_cycle(hromada, current="voting", categories=[spec])
    pot = category(cycle, "okrug")
    add_projects(pot, [100_000])
    publish(cycle)
    stranger = resident(cycle, areas=[geo.district])
    _refused(hromada, "not_in_area", category=pot, user=stranger, choices=ids(pot))
    local = resident(cycle, areas=[geo.okrug])
    ballot = ballot_cast(category=pot, user=local, choices=ids(pot))
    assert ballot.district_id == geo.okrug.pk
    names = [c.category.slug for c in voting_selectors.categories_for(cycle=cycle, user=stranger)]
    assert names == []
    assert [c.category.slug for c in voting_selectors.categories_for(cycle=cycle, user=local)] == ["okrug"]


def test_paper_after_online_and_online_after_paper_collide(hromada):
    cycle = voting_cycle(hromada, residence="any")
    small = category(cycle, "small")
    officer = staff_user(hromada, "officer")
    online, number = voter()
    ballot_cast(category=small, user=online, choices=ids(small)[:1])
    before = _counts(hromada)
    with pytest.raises(DomainError) as info:
        paper_ballot_enter(category=small, actor=officer, tax_number=number, choices=ids(small)[1:2])
    assert info.value.code == "already_voted" and "онлайн" in str(info.value.message)
    assert _counts(hromada) == before

    paper_voter, number2 = voter()
    ballot = paper_ballot_enter(category=small, actor=officer, tax_number=number2, choices=ids(small)[:2])
    assert ballot.channel == Channel.PAPER and ballot.entered_by == officer and ballot.age_group == "36-59"
    error = _refused(hromada, "already_voted", category=small, user=paper_voter, choices=ids(small)[:1])
    assert "на папері" in str(error.message)
    # The tax number is never stored.
    assert not Ballot.objects.filter(voter__contains=number2).exists()
    assert not LedgerEntry.objects.filter(canonical__contains=number2).exists()


def test_paper_refusals(hromada):
    from hromada.places.tests.geo_fixtures import build_geo

    build_geo(hromada)
    cycle = voting_cycle(hromada)
    small = category(cycle, "small")
    officer = staff_user(hromada, "officer")
    before = _counts(hromada)
    cases = [
        ({"tax_number": "1234567890"}, "tax_number_invalid"),
        ({"tax_number": voter(born=dt.date.today() - dt.timedelta(days=365 * 10))[1]}, "underage"),
        ({"tax_number": voter()[1]}, "address_required"),
        ({"tax_number": voter()[1], "address": "вулиця Неіснуюча, 1"}, "address_not_found"),
    ]
    for kwargs, code in cases:
        with pytest.raises(DomainError) as info:
            paper_ballot_enter(category=small, actor=officer, choices=ids(small)[:1], **kwargs)
        assert info.value.code == code, (code, info.value.message)
    assert _counts(hromada) == before
    ballot = paper_ballot_enter(
        category=small,
        actor=officer,
        tax_number=voter()[1],
        choices=ids(small)[:1],
        address="вулиця Шевченка, 12а",
        channel="assisted",
    )
    assert ballot.channel == Channel.ASSISTED


def test_paper_needs_the_permission(hromada, other_hromada):
    from hromada.core.errors import PermissionDenied

    cycle = voting_cycle(hromada, residence="any")
    small = category(cycle, "small")
    for actor in (resident(cycle), UserFactory(), staff_user(other_hromada, "admin")):
        with pytest.raises(PermissionDenied):
            paper_ballot_enter(category=small, actor=actor, tax_number=voter()[1], choices=ids(small)[:1])
    assert Ballot.objects.count() == 0


def test_cross_hromada(hromada, other_hromada):
    cycle = voting_cycle(hromada, residence="any")
    small = category(cycle, "small")
    with pytest.raises(NotFound):
        voting_selectors.ballot_context(hromada=other_hromada, public_id=small.public_id)
    officer = staff_user(other_hromada, "admin")
    with pytest.raises(DomainError):
        paper_ballot_enter(category=small, actor=officer, tax_number=voter()[1], choices=ids(small)[:1])
    assert Ballot.objects.count() == 0


def test_ballot_projects_cache_follows_a_change(hromada):
    cycle = voting_cycle(hromada)
    small = category(cycle, "small")
    assert len(voting_selectors.ballot_projects(small)) == 4
    add_projects(small, [10_000])  # calls cache_clear, as the services that change projects must
    assert len(voting_selectors.ballot_projects(small)) == 5
    assert isinstance(Category.objects.get(pk=small.pk), Category)


def test_min_share_and_youth_pots(hromada):
    specs = [
        CategorySpec(
            title="Частка", slug="share", pot=1_000_000, max_cost=600_000, rule="min_share", min_share=0.7
        ),
        CategorySpec(
            title="Молодь",
            slug="youth",
            kind="youth",
            pot=300_000,
            max_cost=300_000,
            rule="approval",
            max_choices=2,
            max_age=35,
        ),
    ]
    cycle = make_cycle(hromada, current="voting", categories=specs, residence="any")
    share, youth = category(cycle, "share"), category(cycle, "youth")
    add_projects(share, [500_000, 300_000, 100_000])
    add_projects(youth, [100_000])
    publish(cycle)
    user, _n = voter()
    error = _refused(hromada, "under_min_share", category=share, user=user, choices=ids(share)[1:3])
    assert error.over_by == 300_000 and "300\u00a0000" in str(error.message)
    assert ballot_cast(category=share, user=user, choices=ids(share)[:2]).pk
    old, _n = voter(born=dt.date(1960, 1, 1))
    error = _refused(hromada, "over_age", category=youth, user=old, choices=ids(youth))
    assert "35" in str(error.message)
