"""Voting test data: admitted projects, a published ballot, voters with a residence."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hromada.accounts.identity import taxnumber
from hromada.accounts.tests.factories import verified_user
from hromada.budget.models import Category, Cycle, Project, ProjectStatus, Residency
from hromada.budget.services.cycles import CategorySpec
from hromada.budget.voting_selectors import cache_clear

from .factories import make_cycle

_serial = [100]


def tax_number(born: dt.date = dt.date(1985, 6, 15)) -> str:
    _serial[0] += 1
    return taxnumber.make(born, _serial[0])


def voter(born: dt.date = dt.date(1985, 6, 15), number: str | None = None):
    """A verified person; returns (user, their tax number)."""
    number = number or tax_number(born)
    user = verified_user(tax_hash=taxnumber.tax_hash(number), birth_date=born)
    return user, number


def resident(cycle: Cycle, user=None, areas=(), inside: bool = True):
    """`user` (a new verified voter if None) with a residence declared in `cycle`."""
    if user is None:
        user, _number = voter()
    row = Residency.objects.create(
        hromada=cycle.hromada, cycle=cycle, user=user, address="вулиця Шевченка, 12а", inside_hromada=inside
    )
    if areas:
        row.areas.set(areas)
    return user


def add_projects(
    category: Category, costs: list[int], *, status: str = ProjectStatus.ADMITTED
) -> list[Project]:
    cycle = category.cycle
    rows = []
    for i, cost in enumerate(costs):
        number = cycle.next_project_number + i
        rows.append(
            Project.objects.create(
                hromada=cycle.hromada,
                cycle=cycle,
                category=category,
                number=number,
                status=status,
                title=f"Проєкт {number}",
                summary="Коротко",
                description="Опис",
                problem="Проблема",
                beneficiaries="Мешканці",
                cost=cost,
                author_name="Автор",
                submitted_at=timezone.now(),
            )
        )
    cycle.next_project_number += len(costs)
    cycle.save(update_fields=["next_project_number"])
    cache_clear()
    return rows


def publish(cycle: Cycle) -> Cycle:
    cycle.published_at = timezone.now()
    cycle.save(update_fields=["published_at"])
    cache_clear()
    return cycle


def voting_cycle(hromada, *, published: bool = True, categories: list[CategorySpec] | None = None, **kwargs):
    """A cycle in its voting phase with the default pots: "small" (approval, up to 3,
    projects of 100 000 each ×4) and "large" (knapsack, 2 000 000: projects of
    900 000, 800 000, 700 000, 300 000)."""
    cycle = make_cycle(hromada, current="voting", categories=categories, **kwargs)
    small = Category.objects.get(cycle=cycle, slug="small") if categories is None else None
    large = Category.objects.get(cycle=cycle, slug="large") if categories is None else None
    if small is not None and large is not None:
        add_projects(small, [100_000, 100_000, 100_000, 100_000])
        add_projects(large, [900_000, 800_000, 700_000, 300_000])
    if published:
        publish(cycle)
    return cycle


def ids(category: Category) -> list[str]:
    return [
        str(p.public_id)
        for p in Project.objects.filter(category=category, status=ProjectStatus.ADMITTED).order_by("number")
    ]
