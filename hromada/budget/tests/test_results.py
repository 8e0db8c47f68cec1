"""Publishing the ballot, closing the vote, counting from the ledger and publishing the
results; the standalone tool agrees with the platform on the kernel's own export."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.budget.models import Category, Cycle, Outcome, Project, ProjectStatus
from hromada.budget.services import results
from hromada.budget.services.cycles import CategorySpec
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_seal
from hromada.notify.models import Notification

from .factories import category, make_cycle
from .helpers_results import cast, make_project, raw_ballot_entry

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
FILES = (
    ROOT / "tools" / "budget_tally.py",
    ROOT / "hromada" / "budget" / "tally.py",
    ROOT / "tools" / "ledger_verify.py",
)


def three_categories():
    return [
        CategorySpec(
            title="Малі", slug="small", pot=300_000, max_cost=200_000, rule="approval", max_choices=2
        ),
        CategorySpec(
            title="Великі", slug="large", pot=1_000_000, max_cost=600_000, rule="knapsack", tie_rule="lot"
        ),
        CategorySpec(
            title="Сквери",
            slug="parks",
            pot=500_000,
            max_cost=300_000,
            rule="min_share",
            min_share=0.5,
            tie_rule="earlier_submitted",
        ),
    ]


def build(hromada, current="voting"):
    cycle = make_cycle(hromada, current=current, categories=three_categories(), slug="b2026")
    small, large, parks = (category(cycle, s) for s in ("small", "large", "parks"))
    p = {
        "s1": make_project(cycle, small, cost=150_000),
        "s2": make_project(cycle, small, cost=100_000, reviewed_cost=120_000),
        "s3": make_project(cycle, small, cost=90_000),
        "l1": make_project(cycle, large, cost=600_000),
        "l2": make_project(cycle, large, cost=500_000),
        "l3": make_project(cycle, large, cost=400_000),
        "k1": make_project(cycle, parks, cost=300_000),
        "k2": make_project(cycle, parks, cost=250_000),
        "draft": make_project(cycle, small, status=ProjectStatus.DRAFT),
        "rejected": make_project(cycle, small, status=ProjectStatus.REJECTED),
    }
    return cycle, (small, large, parks), p


def vote(cats, p):
    small, large, parks = cats
    officer = staff_user(small.hromada, "officer")
    for _ in range(5):
        cast(small, [p["s1"], p["s2"]])
    for _ in range(3):
        cast(small, [p["s3"]], channel="paper", entered_by=officer)
    # l2 and l3 tie on 4: the lot decides which goes first.
    for choice in (["l1"], ["l2"], ["l3"], ["l2", "l3"], ["l2", "l3"], ["l2", "l3"], ["l1"]):
        cast(large, [p[c] for c in choice])
    for choice in (["k1"], ["k2"], ["k1"]):
        cast(parks, [p[c] for c in choice], channel="school")


def test_ballot_publish_fixes_the_admitted_projects_once(hromada):
    cycle, cats, p = build(hromada)
    assert results.ballot_publish(cycle=cycle) is True
    assert results.ballot_publish(cycle=cycle) is False
    cycle.refresh_from_db()
    assert cycle.published_at is not None
    published = LedgerEntry.objects.filter(hromada=hromada, kind="budget.cycle_published")
    assert published.count() == 1
    payload = published.get().payload
    assert [c["id"] for c in payload["categories"]] == [str(c.public_id) for c in cats]
    assert payload["categories"][2]["min_share"] == 0.5 and payload["categories"][1]["tie_rule"] == "lot"
    parts = LedgerEntry.objects.filter(hromada=hromada, kind="budget.projects_published").order_by("id")
    assert [e.payload["category"] for e in parts] == [str(c.public_id) for c in cats]
    small = parts[0].payload["projects"]
    assert [x["id"] for x in small] == [str(p[k].public_id) for k in ("s1", "s2", "s3")]
    assert small[1]["cost"] == 120_000, "the cost voted on is the expert's"
    ids = {x["id"] for e in parts for x in e.payload["projects"]}
    assert str(p["draft"].public_id) not in ids and str(p["rejected"].public_id) not in ids


def test_a_category_too_big_for_one_entry_is_split_into_parts(hromada):
    cycle = make_cycle(hromada, current="voting")
    small = category(cycle, "small")
    for n in range(160):
        make_project(cycle, small, title=f"Проєкт з довгою назвою номер {n} " + "я" * 120, cost=50_000)
    results.ballot_publish(cycle=cycle)
    parts = LedgerEntry.objects.filter(
        hromada=hromada, kind="budget.projects_published", payload__category=str(small.public_id)
    )
    assert parts.count() >= 2
    assert sorted(e.payload["part"] for e in parts) == list(range(1, parts.count() + 1))
    assert sum(len(e.payload["projects"]) for e in parts) == 160
    ledger_seal(hromada=hromada)
    assert len(results.tally_from_ledger(cycle=cycle)["categories"][0]["ranking"]) == 160


def test_the_tally_comes_from_the_ledger_and_refuses_what_the_rules_refuse(hromada):
    cycle, cats, p = build(hromada)
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    small = cats[0]
    first = cast(small, [p["s1"]])
    raw_ballot_entry(small, first.voter, [str(p["s3"].public_id)])  # a second entry: a duplicate
    raw_ballot_entry(small, "f" * 32, [str(p[k].public_id) for k in ("s1", "s2", "s3")])  # over N
    raw_ballot_entry(small, "e" * 32, [str(p["draft"].public_id)])  # not on the ballot
    ledger_seal(hromada=hromada)
    result = results.tally_from_ledger(cycle=cycle)
    by_id = {c["id"]: c for c in result["categories"]}
    s = by_id[str(small.public_id)]
    assert s["votes"][str(p["s1"].public_id)] == 6 and s["votes"][str(p["s3"].public_id)] == 3
    assert s["ballots"] == 9
    assert [d["voter"] for d in result["duplicates"]] == [first.voter]
    assert sorted(r["code"] for r in result["refused"]) == ["too_many_choices", "unknown_project"]
    assert result["ledger"]["pending_budget_entries"] == 0
    # Ballots still pending are not counted until sealed.
    cast(small, [p["s1"]])
    assert results.tally_from_ledger(cycle=cycle)["ledger"]["pending_budget_entries"] == 1


def test_voting_close_records_the_lot_seed_once(hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    assert results.voting_close(cycle=cycle) is True
    assert results.voting_close(cycle=cycle) is False
    cycle.refresh_from_db()
    closed = LedgerEntry.objects.get(hromada=hromada, kind="budget.voting_closed")
    assert closed.payload == {
        "cycle": str(cycle.public_id),
        "ballots": 18,
        "size": cycle.voting_closed_size,
        "root": cycle.voting_closed_root,
    }
    last_ballot = (
        LedgerEntry.objects.filter(hromada=hromada, kind="budget.ballot_cast").order_by("-id").first()
    )
    assert last_ballot.leaf.index + 1 == cycle.voting_closed_size
    from hromada.ledger import merkle
    from hromada.ledger.models import LedgerLeaf

    leaves = LedgerLeaf.objects.filter(hromada=hromada, index__lt=cycle.voting_closed_size).order_by("index")
    expected = merkle.merkle_root(bytes.fromhex(x.entry.leaf_hash) for x in leaves)
    assert cycle.voting_closed_root == expected.hex()


def test_results_publish_sets_votes_outcomes_ledger_and_notices_once(hromada):
    cycle, cats, p = build(hromada, current="results")
    voter = verified_user()
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    cast(cats[0], [p["s3"]], user=voter)
    assert results.results_publish(cycle=cycle) is True
    assert results.results_publish(cycle=cycle) is False
    cycle.refresh_from_db()
    assert cycle.results_published_at is not None and cycle.voting_closed_at is not None
    rows = {k: Project.objects.get(pk=v.pk) for k, v in p.items()}
    assert rows["s1"].vote_count == 5 and rows["s1"].outcome == Outcome.WINNER
    assert rows["s2"].outcome == Outcome.WINNER, "the expert's 120 000 fits the 150 000 left"
    assert rows["s3"].outcome == Outcome.NOT_SELECTED and rows["s3"].vote_count == 4, "30 000 left"
    assert rows["draft"].outcome == "" and rows["rejected"].outcome == ""
    entry = LedgerEntry.objects.get(hromada=hromada, kind="budget.results_published")
    result = results.tally_from_ledger(cycle=cycle)
    assert entry.payload["categories"] == [
        {"id": c["id"], "winners": c["winners"], "votes": c["votes"]} for c in result["categories"]
    ]
    for category_result in result["categories"]:
        assert category_result["allocated"] <= category_result["pot"]
    notified = set(
        Notification.objects.filter(kind="budget.results_published").values_list("user_id", flat=True)
    )
    authors = {v.author_id for k, v in p.items() if k != "draft"}
    assert notified == authors | {voter.pk}
    assert Notification.objects.filter(kind="budget.results_published", user=voter).count() == 1


def test_results_wait_for_the_end_of_voting_and_staff_need_the_permission(hromada):
    cycle, cats, p = build(hromada, current="voting")
    with pytest.raises(DomainError) as refused:
        results.results_publish(cycle=cycle)
    assert refused.value.code == "voting_not_ended"
    with pytest.raises(PermissionDenied):
        results.ballot_publish(cycle=cycle, actor=staff_user(hromada, "moderator"))
    assert Cycle.objects.get(pk=cycle.pk).results_published_at is None


def test_the_phase_hook_publishes_closes_and_counts(hromada):
    from hromada.budget.services.cycles import cycle_phase_changed
    from hromada.core import phases

    cycle, cats, p = build(hromada, current="results")
    plan_phases = {ph.code: ph for ph in phases.plan_phases(cycle.plan)}
    cycle_phase_changed(
        hromada=hromada, plan=cycle.plan, old=plan_phases["review"], new=plan_phases["ballot"]
    )
    vote(cats, p)
    cycle_phase_changed(
        hromada=hromada, plan=cycle.plan, old=plan_phases["voting"], new=plan_phases["results"]
    )
    cycle.refresh_from_db()
    assert cycle.published_at and cycle.voting_closed_at and cycle.results_published_at
    # Repeated by a second tick: nothing is written twice.
    cycle_phase_changed(
        hromada=hromada, plan=cycle.plan, old=plan_phases["voting"], new=plan_phases["results"]
    )
    for kind in ("budget.cycle_published", "budget.voting_closed", "budget.results_published"):
        assert LedgerEntry.objects.filter(hromada=hromada, kind=kind).count() == 1


def test_another_hromadas_ledger_is_not_counted(hromada, other_hromada):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    other = make_cycle(other_hromada, current="results", slug="b2026")
    results.ballot_publish(cycle=other)
    # A ballot in the other hromada's ledger naming this hromada's category is not ours.
    LedgerEntry.objects.filter(hromada=other_hromada).count()
    from hromada.ledger.services import ledger_append

    ledger_append(
        hromada=other_hromada,
        kind="budget.ballot_cast",
        payload={"voter": "a" * 32, "category": str(cats[0].public_id), "choices": [str(p["s3"].public_id)]},
    )
    ledger_seal(hromada=hromada)
    ledger_seal(hromada=other_hromada)
    result = results.tally_from_ledger(cycle=cycle)
    assert result["categories"][0]["votes"][str(p["s3"].public_id)] == 3
    assert results.tally_from_ledger(cycle=other)["categories"][0]["ballots"] == 0


# --- the standalone tool on the kernel's export -----------------------------------------------------


def _auditor_dir(tmp_path: Path) -> Path:
    where = tmp_path / "auditor"
    where.mkdir()
    for source in FILES:
        shutil.copy(source, where / source.name)
    return where


def _export(hromada, tmp_path: Path) -> Path:
    response = Client(HTTP_HOST="testserver").get("/ledger/export.json")
    assert response.status_code == 200
    path = tmp_path / "export.json"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def _run(where: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(where / "budget_tally.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_auditors_recount_equals_the_platforms_and_the_api(hromada, tmp_path):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    raw_ballot_entry(cats[0], "f" * 32, [str(p[k].public_id) for k in ("s1", "s2", "s3")])
    results.results_publish(cycle=cycle)
    cycle.refresh_from_db()
    ledger_seal(hromada=hromada)
    platform = results.tally_from_ledger(cycle=cycle)
    where = _auditor_dir(tmp_path)
    printed = _run(where, str(_export(hromada, tmp_path)), "--cycle", str(cycle.public_id))
    assert printed.returncode == 0, printed.stderr
    audited = json.loads(printed.stdout)
    assert audited == json.loads(json.dumps(platform))
    assert audited["ledger"]["lot_root"] == cycle.voting_closed_root
    assert audited["ledger"]["lot_tree_size"] == cycle.voting_closed_size
    large = next(c for c in audited["categories"] if c["id"] == str(cats[1].public_id))
    assert "lot_seed" in large and large["winners"]
    # The same figures through the API and the management command.
    response = Client(HTTP_HOST="testserver").get(f"/api/v1/budget/cycles/{cycle.slug}/results")
    assert response.status_code == 200, response.content
    api = response.json()
    assert api["tally"]["categories"] == audited["categories"]
    out = subprocess.run(
        [sys.executable, "-c", "pass"], capture_output=True, text=True, check=False
    )  # the command is tested in test_budget_tally_command.py
    assert out.returncode == 0


def test_a_tampered_kernel_export_is_refused(hromada, tmp_path):
    cycle, cats, p = build(hromada, current="results")
    results.ballot_publish(cycle=cycle)
    vote(cats, p)
    results.voting_close(cycle=cycle)
    ledger_seal(hromada=hromada)
    path = _export(hromada, tmp_path)
    document = json.loads(path.read_text(encoding="utf-8"))
    item = next(i for i in document["entries"] if '"budget.ballot_cast"' in i["entry"])
    item["entry"] = item["entry"].replace('"choices":["', '"choices":["0', 1)
    bad = tmp_path / "tampered.json"
    bad.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    where = _auditor_dir(tmp_path)
    refused = _run(where, str(bad))
    assert refused.returncode == 2 and refused.stdout == "" and "REFUSED" in refused.stderr


def test_a_false_voting_closed_statement_is_refused(tmp_path):
    """An export whose budget.voting_closed names a root the entries do not hash to
    (a platform lying about the lot's seed) is refused."""
    import random

    from hromada.budget.tally import Ballot
    from hromada.budget.tests.ledger_export import ExportBuilder, ballot_payload, publish, sample_cycle, write

    categories, projects = sample_cycle(random.Random(3))
    builder = ExportBuilder(seed=3)
    publish(builder, "c1", categories, projects)
    builder.append(
        "budget.ballot_cast", ballot_payload(Ballot("aa", projects[0].category, (projects[0].id,)))
    )
    builder.append(
        "budget.voting_closed", {"cycle": "c1", "ballots": 1, "size": builder.size, "root": "00" * 32}
    )
    path = tmp_path / "lying.json"
    write(builder.document(), path)
    where = _auditor_dir(tmp_path)
    refused = _run(where, str(path))
    assert refused.returncode == 2 and "states the root" in refused.stderr


def test_cycle_without_a_published_ballot_cannot_be_counted(hromada):
    cycle = make_cycle(hromada, current="review")
    ledger_seal(hromada=hromada)
    with pytest.raises(DomainError) as refused:
        results.tally_from_ledger(cycle=cycle)
    assert refused.value.code == "ballot_not_published"
    assert Category.objects.filter(cycle=cycle).count() == 2
