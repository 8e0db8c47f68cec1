"""The results API: the tally JSON with titles and turnout, and the turnout alone."""

from __future__ import annotations

import pytest

from hromada.budget.services import results

from .test_results import build, vote

pytestmark = pytest.mark.django_db


def test_results_are_409_until_published_then_the_tally(client, hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    url = f"/api/v1/budget/cycles/{cycle.slug}/results"
    early = client.get(url)
    assert early.status_code == 409 and early.json()["code"] == "results_not_published"
    results.results_publish(cycle=cycle)
    body = client.get(url).json()
    assert body["cycle"] == {"slug": cycle.slug, "id": str(cycle.public_id), "title": cycle.title}
    tally = body["tally"]
    assert tally == results.tally_from_ledger(cycle=cycle) | {"ledger": tally["ledger"]}
    assert tally["format"] == "hromada-budget-tally/1"
    assert body["titles"][str(p["s1"].public_id)] == p["s1"].title
    assert str(p["draft"].public_id) not in body["titles"]
    assert body["turnout"]["ballots"] == 18


def test_turnout_is_public_during_voting_and_hides_small_cells(client, hromada):
    cycle, cats, p = build(hromada, current="voting")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    body = client.get(f"/api/v1/budget/cycles/{cycle.slug}/turnout").json()
    assert body["ballots"] == 18 and body["voters"] == 18 and body["small_cell"] == 5
    channels = {r["key"]: r["ballots"] for r in body["by_channel"]}
    assert channels == {"online": 12, "paper": None, "school": None}
    categories = {r["label"]: r["ballots"] for r in body["by_category"]}
    assert categories == {"Малі": 8, "Великі": 7, "Сквери": None}


def test_unknown_and_other_hromadas_cycles_are_404(client, hromada, other_hromada):
    from .factories import make_cycle

    make_cycle(other_hromada, slug="elsewhere", current="voting")
    for path in ("results", "turnout"):
        response = client.get(f"/api/v1/budget/cycles/elsewhere/{path}")
        assert response.status_code == 404 and response.json()["code"] == "cycle_not_found"
