"""`manage.py budget_tally`: the same JSON as tally_from_ledger and the results API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from hromada.budget.services import results
from hromada.ledger.services import ledger_seal

from .test_results import build, vote

pytestmark = pytest.mark.django_db


def run(*args) -> dict:
    out = io.StringIO()
    call_command("budget_tally", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_command_prints_the_ledger_tally(client, hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    results.results_publish(cycle=cycle)
    ledger_seal(hromada=hromada)
    printed = run(hromada.slug, "--cycle", cycle.slug)
    assert printed == json.loads(json.dumps(results.tally_from_ledger(cycle=cycle)))
    assert run(hromada.slug) == printed, "the newest published cycle by default"
    api = client.get(f"/api/v1/budget/cycles/{cycle.slug}/results").json()
    assert api["tally"]["categories"] == printed["categories"]


def test_the_command_says_what_is_missing(hromada):
    with pytest.raises(CommandError, match="no hromada"):
        run("nowhere")
    with pytest.raises(CommandError, match="no cycle of"):
        run(hromada.slug)
    with pytest.raises(CommandError, match="no cycle 'x'"):
        run(hromada.slug, "--cycle", "x")
    cycle, cats, p = build(hromada, current="review")
    with pytest.raises(CommandError, match="ще не оприлюднено"):
        run(hromada.slug, "--cycle", cycle.slug)
