"""Budget test data, built through the services (so every row has its ledger entry)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from hromada.accounts.tests.factories import staff_user
from hromada.budget.models import PHASE_CODES, Category, Cycle
from hromada.budget.services.cycles import CategorySpec, Regulation, cycle_create

DAY = dt.timedelta(days=1)


def phase_dates(current: str = "ideas", *, support: bool = False, now: dt.datetime | None = None) -> dict:
    """Seven-day phases laid out so that `current` is in force now (the earlier ones
    past, the later ones to come)."""
    now = now or timezone.now()
    codes = [c for c in PHASE_CODES if c != "support" or support]
    index = codes.index(current)
    start = now - 3 * DAY - index * 7 * DAY
    dates = {}
    for code in codes:
        dates[code] = (start, start + 7 * DAY)
        start += 7 * DAY
    return dates


def default_categories() -> list[CategorySpec]:
    return [
        CategorySpec(
            title="Малі проєкти",
            slug="small",
            kind="small",
            pot=500_000,
            min_cost=20_000,
            max_cost=200_000,
            rule="approval",
            max_choices=3,
        ),
        CategorySpec(
            title="Великі проєкти",
            slug="large",
            kind="large",
            pot=2_000_000,
            min_cost=200_000,
            max_cost=1_000_000,
            rule="knapsack",
        ),
    ]


def make_cycle(
    hromada,
    *,
    actor=None,
    current: str = "ideas",
    support_threshold: int = 0,
    categories: list[CategorySpec] | None = None,
    title: str = "Бюджет участі 2027",
    slug: str = "",
    **regulation,
) -> Cycle:
    """A cycle whose phase `current` is in force now."""
    actor = actor or staff_user(hromada, "admin")
    reg = Regulation(support_threshold=support_threshold, **regulation)
    return cycle_create(
        hromada=hromada,
        actor=actor,
        title=title,
        slug=slug,
        phase_dates=phase_dates(current, support=support_threshold > 0),
        categories=categories if categories is not None else default_categories(),
        regulation=reg,
    )


def category(cycle: Cycle, slug: str) -> Category:
    return Category.objects.get(cycle=cycle, slug=slug)
