"""The budget's voting rules, winner selection and the standalone recount (no database)."""

from __future__ import annotations

import ast
import hashlib
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hromada.budget import tally as core
from hromada.budget.tally import Ballot, BallotInvalid, Category, Project
from hromada.budget.tests.ledger_export import build_export, write
from hromada.ledger import merkle

ROOT = Path(__file__).resolve().parents[3]
TOOL = ROOT / "tools" / "budget_tally.py"
CORE = ROOT / "hromada" / "budget" / "tally.py"
LEDGER_VERIFY = ROOT / "tools" / "ledger_verify.py"
FIXED_ROOT = "ab" * 32

# --- strategies ---------------------------------------------------------------------------------------

tie_rules = st.sampled_from(core.TIE_RULES)


@st.composite
def contests(draw):
    """A category, its projects and their votes."""
    n = draw(st.integers(min_value=0, max_value=12))
    costs = draw(st.lists(st.integers(min_value=0, max_value=1000), min_size=n, max_size=n))
    votes = draw(st.lists(st.integers(min_value=0, max_value=6), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=n, max_size=n))
    projects = [
        Project(id=f"p{i}", cost=costs[i], category="c", submitted=f"2026-05-0{days[i]}T00:00:00.000000Z")
        for i in range(n)
    ]
    category = Category(
        "c",
        pot=draw(st.integers(min_value=0, max_value=3000)),
        rule="knapsack",
        tie_rule=draw(tie_rules),
    )
    return category, projects, {p.id: v for p, v in zip(projects, votes, strict=True)}


# --- winners ------------------------------------------------------------------------------------------


def reference_greedy(pot: int, ranked: list[Project], votes: dict[str, int]) -> list[str]:
    left, chosen = pot, []
    for project in ranked:
        if votes[project.id] > 0 and project.cost <= left:
            chosen.append(project.id)
            left -= project.cost
    return chosen


@given(contests(), st.randoms(use_true_random=False))
@settings(max_examples=400, deadline=None)
def test_winners_fit_the_pot_and_no_fitting_project_is_skipped(contest, rnd):
    category, projects, votes = contest
    by_id = {p.id: p for p in projects}
    won = core.winners(category, projects, votes, ledger_root=FIXED_ROOT)
    ranked = core.ranking(category, projects, votes, ledger_root=FIXED_ROOT)

    assert sum(by_id[p].cost for p in won) <= category.pot
    assert all(votes[p] > 0 for p in won), "a project with no votes never wins"
    assert [votes[p.id] for p in ranked] == sorted(votes.values(), reverse=True)
    assert won == reference_greedy(category.pot, ranked, votes)
    # A project with votes that lost did not fit in what the projects ranked ahead of it left:
    # in particular it was never passed over for a project with fewer votes.
    for position, loser in enumerate(ranked):
        if loser.id in won or votes[loser.id] == 0:
            continue
        spent_ahead = sum(p.cost for p in ranked[:position] if p.id in won)
        assert loser.cost > category.pot - spent_ahead
    # The order the projects come in does not matter.
    shuffled = list(projects)
    rnd.shuffle(shuffled)
    assert core.winners(category, shuffled, votes, ledger_root=FIXED_ROOT) == won


@given(contests())
@settings(max_examples=300, deadline=None)
def test_ties_follow_the_tie_rule(contest):
    category, projects, votes = contest
    ranked = core.ranking(category, projects, votes, ledger_root=FIXED_ROOT)
    seed = hashlib.sha256(f"{category.id}\n{FIXED_ROOT}".encode()).digest()
    for a, b in zip(ranked, ranked[1:], strict=False):
        if votes[a.id] != votes[b.id]:
            continue
        if category.tie_rule == "lower_cost":
            assert (a.cost, a.submitted, a.id) < (b.cost, b.submitted, b.id)
        elif category.tie_rule == "earlier_submitted":
            assert (a.submitted, a.id) < (b.submitted, b.id)
        else:
            assert (
                hashlib.sha256(seed + a.id.encode()).digest() < hashlib.sha256(seed + b.id.encode()).digest()
            )


def test_a_tie_for_the_last_money_goes_by_the_rule():
    cheap = Project("cheap", 400, category="c", submitted="2026-05-02T00:00:00.000000Z")
    early = Project("early", 500, category="c", submitted="2026-05-01T00:00:00.000000Z")
    votes = {"cheap": 7, "early": 7}
    assert core.winners(Category("c", 500, "knapsack", tie_rule="lower_cost"), [early, cheap], votes) == [
        "cheap"
    ]
    assert core.winners(
        Category("c", 500, "knapsack", tie_rule="earlier_submitted"), [cheap, early], votes
    ) == ["early"]
    lot = Category("c", 500, "knapsack", tie_rule="lot")
    draws = {core.winners(lot, [cheap, early], votes, ledger_root=f"{r:064x}")[0] for r in range(40)}
    assert draws == {"cheap", "early"}, "the lot depends on the ledger root"
    assert core.winners(lot, [cheap, early], votes, ledger_root=FIXED_ROOT) == core.winners(
        lot, [early, cheap], votes, ledger_root=FIXED_ROOT
    )
    with pytest.raises(ValueError, match="ledger root"):
        core.winners(lot, [cheap], votes)


def test_greedy_takes_a_cheaper_project_further_down_and_never_a_zero_vote_one():
    projects = [
        Project("big", 700, category="c"),
        Project("mid", 400, category="c"),
        Project("small", 300, category="c"),
    ]
    category = Category("c", 1000, "knapsack")
    assert core.winners(category, projects, {"big": 9, "mid": 8, "small": 1}) == ["big", "small"]
    assert core.winners(category, projects, {"big": 9, "mid": 8}) == ["big"]


# --- ballots ------------------------------------------------------------------------------------------


@st.composite
def ballots_to_check(draw):
    rule = draw(st.sampled_from(core.RULES))
    n = draw(st.integers(min_value=1, max_value=8))
    projects = {
        f"p{i}": Project(f"p{i}", draw(st.integers(min_value=0, max_value=500)), category="c")
        for i in range(n)
    }
    projects["q"] = Project("q", 1, category="other")
    max_choices = (
        draw(st.integers(min_value=1, max_value=5))
        if rule == "approval"
        else draw(st.none() | st.integers(min_value=1, max_value=5))
    )
    min_share = draw(st.sampled_from([0.1, 0.25, 0.5, 0.7, 0.9, 1.0, 0.333])) if rule == "min_share" else None
    category = Category(
        "c",
        draw(st.integers(min_value=0, max_value=2000)),
        rule,
        max_choices=max_choices,
        min_share=min_share,
    )
    choices = draw(st.lists(st.sampled_from([*projects, "zzz"]), max_size=7))
    return category, projects, choices


def expected_problem(category: Category, projects: dict[str, Project], choices: list[str]):
    """The rules restated plainly: the first problem's code and amount, or None."""
    if not choices:
        return ("empty_ballot", None)
    if len(set(choices)) != len(choices):
        return ("duplicate_choice", None)
    if any(c not in projects or projects[c].category != "c" for c in choices):
        return ("unknown_project", None)
    if category.max_choices is not None and len(choices) > category.max_choices:
        return ("too_many_choices", len(choices) - category.max_choices)
    if category.rule == "approval":
        return None
    total = sum(projects[c].cost for c in choices)
    if total > category.pot:
        return ("over_pot", total - category.pot)
    if category.rule == "min_share":
        per_mille = round(category.min_share * 1000)
        required = -(-category.pot * per_mille // 1000)  # rounded up to a hryvnia
        if total < required:
            return ("under_min_share", required - total)
    return None


@given(ballots_to_check())
@settings(max_examples=600, deadline=None)
def test_check_ballot_accepts_exactly_the_valid_ballots(case):
    category, projects, choices = case
    expected = expected_problem(category, projects, choices)
    try:
        core.check_ballot(category, projects, choices)
    except BallotInvalid as exc:
        assert (exc.code, exc.over_by) == expected
        assert exc.message_uk
    else:
        assert expected is None


def test_messages_say_the_amount_in_hryvnias():
    projects = {"a": Project("a", 1_000, category="c"), "b": Project("b", 1_250, category="c")}
    with pytest.raises(BallotInvalid) as over:
        core.check_ballot(Category("c", 1_000, "knapsack"), projects, ["a", "b"])
    assert over.value.code == "over_pot" and over.value.over_by == 1_250
    assert "на 1\u00a0250\u00a0грн більше" in over.value.message_uk
    with pytest.raises(BallotInvalid) as under:
        core.check_ballot(Category("c", 10_000, "min_share", min_share=0.25), projects, ["a"])
    assert under.value.over_by == 1_500 and "бракує 1\u00a0500\u00a0грн" in under.value.message_uk
    with pytest.raises(BallotInvalid) as many:
        core.check_ballot(Category("c", 0, "approval", max_choices=1), projects, ["a", "b"])
    assert many.value.over_by == 1 and "не більше ніж 1 проєкт," in many.value.message_uk


def test_format_and_plural():
    assert core.format_uah(1250) == "1\u00a0250\u00a0грн"
    assert core.format_uah(1_000_000) == "1\u00a0000\u00a0000\u00a0грн"
    assert core.format_uah(5) == "5\u00a0грн"
    words = [core.plural_uk(n, "проєкт", "проєкти", "проєктів") for n in (1, 2, 5, 11, 12, 21, 22, 25, 111)]
    assert words == [
        "проєкт",
        "проєкти",
        "проєктів",
        "проєктів",
        "проєктів",
        "проєкт",
        "проєкти",
        "проєктів",
        "проєктів",
    ]


def test_bad_categories_are_refused():
    with pytest.raises(ValueError, match="max_choices"):
        Category("c", 100, "approval")
    with pytest.raises(ValueError, match="fraction"):
        Category("c", 100, "min_share", min_share=70)
    with pytest.raises(ValueError, match="rule"):
        Category("c", 100, "borda")
    with pytest.raises(ValueError, match="hryvnias"):
        Project("p", -1)


# --- tally ----------------------------------------------------------------------------------------------


def test_tally_dedups_refuses_and_reports():
    category = Category("c", 1000, "knapsack", title="Парки")
    projects = [
        Project("a", 600, category="c"),
        Project("b", 500, category="c"),
        Project("d", 300, category="c"),
    ]
    ballots = [
        Ballot("v1", "c", ("a",), ref=1),
        Ballot("v1", "c", ("b",), ref=2),
        Ballot("v2", "c", ("b", "d"), ref=3),
        Ballot("v3", "c", ("a", "b"), ref=4),
        Ballot("v4", "nope", ("a",), ref=5),
    ]
    result = core.tally([category], projects, ballots)
    json.dumps(result)
    (parks,) = result["categories"]
    assert parks["votes"] == {"b": 1, "a": 1, "d": 1}
    assert parks["winners"] == ["d", "b"]  # lower cost first among the tied
    assert parks["allocated"] == 800 and parks["left"] == 200 and parks["ballots"] == 2
    assert result["duplicates"] == [{"ref": 2, "voter": "v1", "category": "c"}]
    assert [(r["ref"], r["code"], r["over_by"]) for r in result["refused"]] == [
        (4, "over_pot", 100),
        (5, "unknown_category", None),
    ]
    assert core.count(ballots[:3]) == {"c": {"a": 1, "b": 2, "d": 1}}


# --- the standalone tool ------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: no relative imports"
            imported.add(node.module.split(".")[0])
    return imported


@pytest.mark.parametrize("path", [TOOL, CORE], ids=["tool", "core"])
def test_tool_and_core_import_only_the_standard_library(path):
    assert _imports(path) <= set(sys.stdlib_module_names)


@pytest.fixture(scope="module")
def standalone(tmp_path_factory):
    """The three files alone in a directory, as an auditor would copy them."""
    where = tmp_path_factory.mktemp("auditor")
    for source in (TOOL, CORE, LEDGER_VERIFY):
        shutil.copy(source, where / source.name)
    return where / "budget_tally.py"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    document, categories, projects, ballots = build_export(
        1500, seed=7, duplicates=40, noise=50, head_every=256
    )
    path = tmp_path_factory.mktemp("export") / "export.json"
    write(document, path)
    return path, document, categories, projects, ballots


def run(tool: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(tool), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_export_verifies_with_ledger_verify(export):
    path = export[0]
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(LEDGER_VERIFY), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_standalone_tool_agrees_with_tally(export, standalone):
    path, document, categories, projects, ballots = export
    result = run(standalone, str(path))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    last = max(b.ref for b in ballots)
    leaves = [bytes.fromhex(item["leaf_hash"]) for item in document["entries"][: last + 1]]
    lot_root = merkle.merkle_root(leaves).hex()
    expected = core.tally(categories, projects, ballots, ledger_root=lot_root)
    ledger = printed.pop("ledger")
    assert printed == json.loads(json.dumps(expected))
    assert ledger["lot_root"] == lot_root and ledger["tree_size"] == len(document["entries"])
    assert len(printed["duplicates"]) == 40
    assert printed["refused"], "the export holds some invalid ballots"
    for category in printed["categories"]:
        assert category["winners"] and category["allocated"] <= category["pot"]


def test_the_tool_from_a_checkout_equals_the_copy(export, standalone):
    copied = run(standalone, str(export[0]))
    in_place = run(TOOL, str(export[0]))
    assert in_place.returncode == 0, in_place.stderr
    assert in_place.stdout == copied.stdout


def test_a_tampered_export_is_refused_not_tallied(export, standalone, tmp_path):
    path, document, *_ = export
    tampered = json.loads(json.dumps(document))
    item = next(i for i in tampered["entries"] if '"budget.ballot_cast"' in i["entry"])
    position = item["entry"].index('"choices":["') + len('"choices":["')
    text = item["entry"]
    item["entry"] = text[:position] + chr(ord(text[position]) ^ 1) + text[position + 1 :]  # one payload byte
    bad = tmp_path / "tampered.json"
    write(tampered, bad)
    result = run(standalone, str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "REFUSED" in result.stderr and "does not verify" in result.stderr and "altered" in result.stderr


def test_an_export_without_a_budget_or_unreadable_is_refused(tmp_path, standalone):
    from hromada.budget.tests.ledger_export import ExportBuilder

    builder = ExportBuilder(seed=3)
    builder.append("petition.signed", {"petition": "x", "signer": "00"})
    empty = tmp_path / "empty.json"
    write(builder.document(), empty)
    result = run(standalone, str(empty))
    assert result.returncode == 2 and "no budget.cycle_published" in result.stderr
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{", encoding="utf-8")
    assert run(standalone, str(garbage)).returncode == 2


def test_pending_ballots_are_not_counted(tmp_path, standalone):
    from hromada.budget.tests.ledger_export import ExportBuilder, ballot_payload, cycle_payload, sample_cycle

    categories, projects = sample_cycle(random.Random(5))
    builder = ExportBuilder(seed=5)
    builder.append("budget.cycle_published", cycle_payload("2026", categories, projects))
    first = projects[0]
    builder.append("budget.ballot_cast", ballot_payload(Ballot("aa", first.category, (first.id,))))
    builder.append_pending("budget.ballot_cast", ballot_payload(Ballot("bb", first.category, (first.id,))))
    path = tmp_path / "pending.json"
    write(builder.document(), path)
    result = run(standalone, str(path))
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["ledger"]["pending_budget_entries"] == 1 and "not sealed yet" in result.stderr
    assert printed["categories"][0]["votes"][first.id] == 1


def test_projects_published_in_parts_and_the_voting_closed_prefix(tmp_path, standalone):
    """The platform's shape: the categories in budget.cycle_published, the projects in
    numbered budget.projects_published parts; budget.voting_closed names the lot's prefix,
    so entries after it (even a later budget entry) do not move the lot."""
    from hromada.budget.tests.ledger_export import ExportBuilder, ballot_payload, publish, sample_cycle

    categories, projects = sample_cycle(random.Random(11), projects_per_category=7)
    builder = ExportBuilder(seed=11)
    builder.append("petition.signed", {"petition": "x", "signer": "00"})
    publish(builder, "c1", categories, projects, per_part=3)
    ballots = []
    for n, project in enumerate(projects[:10]):
        ballot = Ballot(f"{n:02x}", project.category, (project.id,))
        ballots.append(
            Ballot(
                ballot.voter,
                ballot.category,
                ballot.choices,
                ref=builder.append("budget.ballot_cast", ballot_payload(ballot)),
            )
        )
    size = builder.size
    root = merkle.merkle_root(bytes.fromhex(e["leaf_hash"]) for e in builder.entries[:size]).hex()
    builder.append("budget.voting_closed", {"cycle": "c1", "ballots": 10, "size": size, "root": root})
    builder.append("petition.signed", {"petition": "y", "signer": "01"})
    path = tmp_path / "parts.json"
    write(builder.document(), path)
    result = run(standalone, str(path), "--cycle", "c1")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["ledger"]["lot_root"] == root and printed["ledger"]["lot_tree_size"] == size
    expected = core.tally(categories, projects, ballots, ledger_root=root)
    printed.pop("ledger")
    assert printed == json.loads(json.dumps(expected))
    assert sum(len(c["ranking"]) for c in printed["categories"]) == len(projects)
