"""Test data for the results part. Projects and ballots are made directly here because
the projects and voting parts' services are built beside this one; the ballots mirror
their contract exactly: one Ballot row and its `budget.ballot_cast` ledger entry
{voter, category, choices} in one transaction."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import transaction
from django.utils import timezone

from hromada.accounts.tests.factories import verified_user
from hromada.budget import rules
from hromada.budget.models import Ballot, Category, Cycle, Project, ProjectStatus
from hromada.ledger.services import ledger_append

_numbers = itertools.count(1)


def make_project(
    cycle: Cycle,
    category: Category,
    *,
    title: str = "",
    cost: int = 100_000,
    reviewed_cost: int | None = None,
    status: str = ProjectStatus.ADMITTED,
    author=None,
    submitted_at: dt.datetime | None = None,
) -> Project:
    number = Project.objects.filter(cycle=cycle).count() + 1
    author = author if author is not None else verified_user()
    return Project.objects.create(
        hromada=cycle.hromada,
        cycle=cycle,
        category=category,
        number=None if status == ProjectStatus.DRAFT else number,
        status=status,
        title=title or f"Проєкт {number}",
        summary="Коротко",
        description="Опис",
        problem="Проблема",
        beneficiaries="Мешканці",
        cost=cost,
        reviewed_cost=reviewed_cost,
        author=author,
        author_name=author.display_name or "Автор",
        submitted_at=None
        if status == ProjectStatus.DRAFT
        else (submitted_at or timezone.now() - dt.timedelta(days=30, minutes=number)),
    )


def cast(
    category: Category,
    choices: list[Project] | list[str],
    *,
    user=None,
    voter: str = "",
    channel: str = "online",
    age_group: str = "",
    district=None,
    entered_by=None,
) -> Ballot:
    """A ballot as services.voting.ballot_cast writes it (row and entry together)."""
    cycle = category.cycle
    if not voter:
        key = (
            rules.person_key_of(user, hromada=cycle.hromada)
            if user is not None
            else f"person:{next(_numbers)}"
        )
        voter = rules.voter_pseudonym(cycle=cycle, person_key=key)
    ids = [c if isinstance(c, str) else str(c.public_id) for c in choices]
    with transaction.atomic():
        ballot = Ballot.objects.create(
            hromada=cycle.hromada,
            category=category,
            voter=voter,
            channel=channel,
            choices=ids,
            cast_at=timezone.now(),
            age_group=age_group,
            district=district,
            entered_by=entered_by,
            user=user if channel == "online" else None,
        )
        ledger_append(
            hromada=cycle.hromada,
            kind="budget.ballot_cast",
            payload={"voter": voter, "category": str(category.public_id), "choices": ids},
        )
    return ballot


def raw_ballot_entry(category: Category, voter: str, choices: list[str]) -> None:
    """Only the ledger entry (what a forged or duplicate entry would look like)."""
    ledger_append(
        hromada=category.hromada,
        kind="budget.ballot_cast",
        payload={"voter": voter, "category": str(category.public_id), "choices": choices},
    )


def end_voting(cycle: Cycle) -> Cycle:
    """Move the cycle's plan so that voting ended an hour ago (the results phase now)."""
    from hromada.core.models import Phase

    voting = Phase.objects.get(plan=cycle.plan, code="voting")
    shift = timezone.now() - dt.timedelta(hours=1) - voting.ends_at
    for phase in Phase.objects.filter(plan=cycle.plan):
        Phase.objects.filter(pk=phase.pk).update(
            starts_at=phase.starts_at + shift, ends_at=phase.ends_at + shift
        )
    return Cycle.objects.select_related("plan", "hromada").get(pk=cycle.pk)
