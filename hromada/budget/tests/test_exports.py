"""Open data: the declared fields exactly, public projects only, aggregates with small
cells hidden, nothing personal."""

from __future__ import annotations

import json

import pytest

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.budget import exports
from hromada.budget.models import ProjectStatus
from hromada.budget.services import results
from hromada.core.modules import registry

from .helpers_results import cast, make_project
from .test_results import build, vote

pytestmark = pytest.mark.django_db


def _fields(slug):
    module, dataset = registry.dataset("budget", slug)
    return [f.name for f in dataset.fields]


def test_every_dataset_yields_exactly_its_declared_fields(hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    results.results_publish(cycle=cycle)
    from hromada.budget.models import Review

    Review.objects.create(
        hromada=hromada,
        project=p["rejected"],
        decision="rejected",
        reasons="Не в межах повноважень",
        decided_at=cycle.created_at,
        checklist={"competence": False},
    )
    for slug, rows in (
        ("projects", exports.project_rows),
        ("reviews", exports.review_rows),
        ("results", exports.result_rows),
        ("turnout", exports.turnout_rows),
    ):
        produced = list(rows(hromada=hromada))
        assert produced, slug
        for row in produced:
            assert list(row) == _fields(slug), slug
        json.dumps(produced)


def test_projects_are_public_ones_only_without_personal_data(hromada, other_hromada):
    cycle, cats, p = build(hromada, current="voting")
    make_project(cycle, cats[0], status=ProjectStatus.WITHDRAWN, title="Відкликаний")
    elsewhere, ocats, op = build(other_hromada, current="voting")
    rows = list(exports.project_rows(hromada=hromada))
    ids = {r["id"] for r in rows}
    assert str(p["draft"].public_id) not in ids and "Відкликаний" not in {r["title"] for r in rows}
    assert str(p["rejected"].public_id) in ids
    assert not ids & {str(x.public_id) for x in op.values()}
    text = json.dumps(rows, ensure_ascii=False)
    assert p["s1"].author.email not in text
    assert all(r["votes"] is None for r in rows), "votes only after the results"


def test_turnout_hides_small_cells_and_holds_no_voter(hromada):
    cycle, cats, p = build(hromada, current="voting")
    results.ballot_publish(cycle=cycle)
    officer = staff_user(hromada, "officer")
    for _ in range(6):
        cast(cats[0], [p["s1"]], age_group="18-35")
    for _ in range(2):
        cast(cats[0], [p["s1"]], channel="paper", entered_by=officer, age_group="60+")
    voter = verified_user()
    ballot = cast(cats[0], [p["s2"]], user=voter, age_group="36-59")
    rows = list(exports.turnout_rows(hromada=hromada))
    counts = {(r["channel"], r["age_group"]): r["ballots"] for r in rows}
    assert counts[("online", "18-35")] == 6
    assert counts[("paper", "60+")] is None and counts[("online", "36-59")] is None
    assert ballot.voter not in json.dumps(rows)


def test_results_appear_only_when_published(hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    assert list(exports.result_rows(hromada=hromada)) == []
    results.results_publish(cycle=cycle)
    rows = list(exports.result_rows(hromada=hromada))
    winners = {r["project"] for r in rows if r["winner"]}
    assert str(p["s1"].public_id) in winners
    assert [r["rank"] for r in rows if r["category"] == "Малі"] == [1, 2, 3]


def test_the_dataset_is_served(client, hromada):
    cycle, cats, p = build(hromada, current="voting")
    response = client.get("/api/v1/datasets/budget/projects.json")
    assert response.status_code == 200
    body = json.loads(b"".join(response.streaming_content))
    items = body if isinstance(body, list) else body.get("items", body.get("rows", []))
    assert any(r["id"] == str(p["s1"].public_id) for r in items)


def test_metrics_count_ballots_by_channel_and_projects_by_status(hromada):
    from hromada.budget.metrics import collect

    cycle, cats, p = build(hromada, current="voting")
    cast(cats[0], [p["s1"]])
    families = {f.name: f for f in collect()}
    ballots = {tuple(s.labels.values()): s.value for s in families["hromada_budget_ballots"].samples}
    assert ballots[(hromada.slug, "online")] == 1
    statuses = {
        s.labels["status"]: s.value
        for s in families["hromada_budget_projects"].samples
        if s.labels["hromada"] == hromada.slug
    }
    assert statuses["admitted"] == 8 and "draft" not in statuses
