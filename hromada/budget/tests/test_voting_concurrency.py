"""Races (PostgreSQL; SQLite serialises writers): the same person online and on paper
at once is one ballot; two pupils racing one code are one ballot."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from hromada.accounts.tests.factories import staff_user
from hromada.budget.models import Ballot, Category, CategoryKind, SchoolCode
from hromada.budget.services.cycles import CategorySpec
from hromada.budget.services.school_codes import codes_issue, school_ballot_cast
from hromada.budget.services.voting import ballot_cast, paper_ballot_enter
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry

from .factories import category, make_cycle
from .helpers_voting import add_projects, ids, publish, voter, voting_cycle

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(len(calls))

    def run(call):
        from django.db import connection as conn

        try:
            barrier.wait()
            call()
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


def _needs_postgres():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


def test_online_and_paper_at_once_is_one_ballot(hromada, ledger_cleanup):
    _needs_postgres()
    cycle = voting_cycle(hromada, residence="any")
    small = category(cycle, "small")
    officer = staff_user(hromada, "officer")
    user, number = voter()
    calls = []
    for _i in range(3):
        calls.append(lambda: ballot_cast(category=small, user=user, choices=ids(small)[:1]))
        calls.append(
            lambda: paper_ballot_enter(
                category=small, actor=officer, tax_number=number, choices=ids(small)[1:2]
            )
        )
    results = _race(*calls)
    assert results == ["already_voted"] * 5 + ["ok"]
    assert Ballot.objects.filter(category=small).count() == 1
    assert LedgerEntry.objects.filter(kind="budget.ballot_cast").count() == 1


def test_two_pupils_racing_one_code_is_one_ballot(hromada, ledger_cleanup):
    _needs_postgres()
    spec = CategorySpec(
        title="Школа",
        slug="school",
        kind=CategoryKind.SCHOOL,
        pot=100_000,
        max_cost=50_000,
        rule="approval",
        max_choices=1,
        school="Гімназія № 2",
    )
    cycle = make_cycle(hromada, current="voting", categories=[spec])
    school = Category.objects.get(cycle=cycle)
    add_projects(school, [40_000, 30_000])
    publish(cycle)
    _batch, codes = codes_issue(category=school, actor=staff_user(hromada, "officer"), size=1)
    choices = ids(school)
    results = _race(
        *[
            lambda i=i: school_ballot_cast(category=school, code=codes[0], choices=[choices[i % 2]])
            for i in range(4)
        ]
    )
    assert results == ["ok"] + ["school_code_used"] * 3
    assert Ballot.objects.filter(category=school).count() == 1
    assert SchoolCode.objects.filter(used_at__isnull=False).count() == 1
    assert LedgerEntry.objects.filter(kind="budget.ballot_cast").count() == 1
