"""Cycles, categories and the regulation's rules (the skeleton's contract)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import IdentityFactory, UserFactory, staff_user
from hromada.budget import rules, tally
from hromada.budget.models import Category, Cycle, Residency, VotingRule
from hromada.budget.services.cycles import CategorySpec, cycle_create, cycle_phase_extend
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry

from .factories import category, default_categories, make_cycle, phase_dates

pytestmark = pytest.mark.django_db


def test_a_cycle_has_its_plan_categories_and_ledger_entry(hromada):
    cycle = make_cycle(hromada, current="ideas")
    assert cycle.plan.owner == f"budget:{cycle.public_id}"
    assert [c.slug for c in Category.objects.filter(cycle=cycle)] == ["small", "large"]
    assert rules.phase_code(cycle) == "ideas"
    assert LedgerEntry.objects.filter(hromada=hromada, kind="budget.cycle_created").count() == 1
    assert rules.submission_phase_refusal(cycle) is None
    refusal = rules.voting_phase_refusal(cycle)
    assert (
        refusal is not None and refusal.code == "voting_closed" and "ще не розпочався" in str(refusal.message)
    )


def test_the_support_phase_exists_only_with_a_threshold(hromada):
    without = make_cycle(hromada, slug="a")
    with_support = make_cycle(hromada, slug="b", support_threshold=10, current="support")
    assert "support" not in [p.code for p in without.plan.phases.all()]
    assert rules.phase_code(with_support) == "support"
    assert rules.support_phase_refusal(with_support) is None


def test_the_voting_rules_are_the_tally_cores():
    assert tuple(VotingRule.values) == tally.RULES


def test_only_a_cycle_manager_creates_a_cycle(hromada):
    with pytest.raises(PermissionDenied):
        make_cycle(hromada, actor=staff_user(hromada, "officer"))
    assert not Cycle.objects.exists()


@pytest.mark.parametrize(
    ("spec", "code", "field"),
    [
        (dict(rule="approval", max_choices=None), "category_max_choices_required", "max_choices"),
        (dict(rule="min_share", min_share=1.5), "category_min_share_invalid", "min_share"),
        (dict(max_cost=900_000), "category_max_cost_over_pot", "max_cost"),
        (dict(min_cost=300_000), "category_cost_range_invalid", "min_cost"),
        (dict(kind="area"), "category_area_required", "area"),
        (dict(kind="school"), "category_school_required", "school"),
    ],
)
def test_a_bad_category_is_refused_by_field(hromada, spec, code, field):
    base = dict(title="Малі", pot=500_000, min_cost=0, max_cost=200_000, rule="approval", max_choices=3)
    with pytest.raises(DomainError) as caught:
        make_cycle(hromada, categories=[CategorySpec(**{**base, **spec})])
    assert (caught.value.code, caught.value.field) == (code, field)
    assert not Cycle.objects.exists()


def test_every_phase_needs_dates(hromada):
    dates = phase_dates("ideas")
    del dates["voting"]
    with pytest.raises(DomainError) as caught:
        cycle_create(
            hromada=hromada,
            actor=staff_user(hromada, "admin"),
            title="Бюджет",
            phase_dates=dates,
            categories=default_categories(),
        )
    assert caught.value.code == "cycle_phase_missing" and caught.value.field == "phase_voting"


def test_staff_extend_a_phase_recorded_in_the_ledger(hromada):
    admin = staff_user(hromada, "admin")
    cycle = make_cycle(hromada, actor=admin, current="ideas")
    ideas = cycle.plan.phases.get(code="ideas")
    later = ideas.ends_at + dt.timedelta(days=2)
    cycle_phase_extend(
        cycle=cycle,
        actor=admin,
        code="ideas",
        new_ends_at=later,
        reason="Запити мешканців",
        shift_following=True,
    )
    ideas.refresh_from_db()
    assert ideas.ends_at == later
    assert LedgerEntry.objects.filter(hromada=hromada, kind="budget.phase_extended").count() == 1
    with pytest.raises(PermissionDenied):
        cycle_phase_extend(
            cycle=cycle,
            actor=staff_user(hromada, "officer"),
            code="ideas",
            new_ends_at=later + dt.timedelta(days=1),
            reason="x",
        )


def test_the_regulation_refuses_with_reasons(hromada):
    cycle = make_cycle(hromada, min_age=14)
    small = category(cycle, "small")
    refusal, _ = rules.participant_refusal(None, cycle)
    assert refusal.code == "login_required"
    refusal, _ = rules.participant_refusal(UserFactory(), cycle)
    assert refusal.code == "identity_required"
    teen = IdentityFactory(birth_date=timezone.localdate() - dt.timedelta(days=365 * 13)).user
    refusal, _ = rules.participant_refusal(teen, cycle)
    assert refusal.code == "underage" and "14" in str(refusal.message)
    adult = IdentityFactory().user
    refusal, standing = rules.participant_refusal(adult, cycle, category=small)
    assert refusal.code == "residence_required"
    Residency.objects.create(
        hromada=hromada, cycle=cycle, user=adult, address="вул. Шевченка, 12а", inside_hromada=True
    )
    refusal, standing = rules.participant_refusal(adult, cycle, category=small)
    assert refusal is None and standing.person_key == adult.identity.tax_hash


def test_the_voter_pseudonym_is_per_cycle(hromada):
    a = make_cycle(hromada, slug="a")
    b = make_cycle(hromada, slug="b")
    assert rules.voter_pseudonym(cycle=a, person_key="k") == rules.voter_pseudonym(cycle=a, person_key="k")
    assert rules.voter_pseudonym(cycle=a, person_key="k") != rules.voter_pseudonym(cycle=b, person_key="k")
    assert rules.school_code_hash("ab12-cd34") == rules.school_code_hash("AB12 CD34")


def test_a_cycle_cannot_take_an_address_the_pages_use(hromada):
    with pytest.raises(DomainError) as caught:
        make_cycle(hromada, slug="projects")
    assert (caught.value.code, caught.value.field) == ("cycle_slug_reserved", "slug")
    assert not Cycle.objects.exists()
