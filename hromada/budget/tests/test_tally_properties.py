"""Properties of the tally core under random projects, costs, votes and ballots, for
each voting rule and tie rule (hypothesis). No database."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from hromada.budget import tally as core
from hromada.budget.tally import Ballot, BallotInvalid, Category, Project

ROOT = "cd" * 32


@st.composite
def categories(draw, rule=None):
    rule = rule or draw(st.sampled_from(core.RULES))
    pot = draw(st.integers(min_value=0, max_value=5_000))
    max_choices = (
        draw(st.integers(min_value=1, max_value=6))
        if rule == "approval"
        else draw(st.none() | st.integers(min_value=1, max_value=6))
    )
    min_share = draw(st.sampled_from([0.05, 0.3, 0.5, 0.7, 1.0])) if rule == "min_share" else None
    return Category(
        "c",
        pot,
        rule,
        max_choices=max_choices,
        min_share=min_share,
        tie_rule=draw(st.sampled_from(core.TIE_RULES)),
    )


@st.composite
def contests(draw):
    category = draw(categories())
    n = draw(st.integers(min_value=0, max_value=10))
    projects = [
        Project(
            f"p{i}",
            draw(st.integers(min_value=0, max_value=3_000)),
            category="c",
            submitted=f"2026-05-{draw(st.integers(min_value=10, max_value=12))}T00:00:00.000000Z",
        )
        for i in range(n)
    ]
    votes = {p.id: draw(st.integers(min_value=0, max_value=5)) for p in projects}
    return category, projects, votes


@given(contests())
@settings(max_examples=500, deadline=None)
def test_winners_never_exceed_the_pot_and_never_skip_a_fitting_project_for_fewer_votes(contest):
    category, projects, votes = contest
    by_id = {p.id: p for p in projects}
    won = core.winners(category, projects, votes, ledger_root=ROOT)
    assert sum(by_id[w].cost for w in won) <= category.pot
    assert len(set(won)) == len(won)
    ranked = core.ranking(category, projects, votes, ledger_root=ROOT)
    position = {p.id: i for i, p in enumerate(ranked)}
    for loser in projects:
        if loser.id in won or votes[loser.id] == 0:
            continue
        above = [w for w in won if position[w] < position[loser.id]]
        # Only projects with at least as many votes are ranked above it, and they left
        # too little: it was never passed over for a project with fewer votes.
        assert all(votes[w] >= votes[loser.id] for w in above)
        assert loser.cost > category.pot - sum(by_id[w].cost for w in above)
    # A winner below a loser got money only because it was cheaper than what was left.
    for w in won:
        assert votes[w] > 0


@given(contests(), st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_the_tie_rules_give_a_total_order(contest, rnd):
    category, projects, votes = contest
    ranked = core.ranking(category, projects, votes, ledger_root=ROOT)
    assert sorted(p.id for p in ranked) == sorted(p.id for p in projects)
    shuffled = list(projects)
    rnd.shuffle(shuffled)
    assert core.ranking(category, shuffled, votes, ledger_root=ROOT) == ranked, (
        "the input order never matters"
    )
    # Any pair decides the same way alone as in the full ranking: the order is total and
    # consistent, never "equal".
    position = {p.id: i for i, p in enumerate(ranked)}
    for a, b in itertools.combinations(projects, 2):
        pair = core.ranking(category, [b, a], votes, ledger_root=ROOT)
        assert (position[pair[0].id] < position[pair[1].id]) and pair[0].id != pair[1].id


def valid_sets(category: Category, projects: list[Project]) -> set[frozenset[str]]:
    """Brute force: every non-empty subset of the category's projects that the
    regulation allows, enumerated."""
    required = category.required_spend()
    allowed = set()
    for k in range(1, len(projects) + 1):
        for combo in itertools.combinations(projects, k):
            if category.max_choices is not None and k > category.max_choices:
                continue
            total = sum(p.cost for p in combo)
            if category.rule in ("knapsack", "min_share") and total > category.pot:
                continue
            if category.rule == "min_share" and total < required:
                continue
            allowed.add(frozenset(p.id for p in combo))
    return allowed


@st.composite
def ballots_for(draw):
    category = draw(categories())
    n = draw(st.integers(min_value=1, max_value=6))
    projects = [
        Project(f"p{i}", draw(st.integers(min_value=0, max_value=2_000)), category="c") for i in range(n)
    ]
    foreign = Project("x", 1, category="other")
    choices = draw(st.lists(st.sampled_from([p.id for p in projects] + ["x", "nope"]), max_size=7))
    return category, projects, foreign, choices


@given(ballots_for())
@settings(max_examples=800, deadline=None)
def test_check_ballot_agrees_with_the_brute_force_definition(case):
    category, projects, foreign, choices = case
    by_id = {p.id: p for p in [*projects, foreign]}
    expected_valid = len(set(choices)) == len(choices) and frozenset(choices) in valid_sets(
        category, projects
    )
    try:
        core.check_ballot(category, by_id, choices)
        accepted = True
    except BallotInvalid:
        accepted = False
    assert accepted == expected_valid, (category, choices)


@st.composite
def elections(draw):
    cats = [draw(categories(rule=rule)) for rule in core.RULES]
    cats = [
        Category(f"c{i}", c.pot, c.rule, c.max_choices, c.min_share, c.tie_rule) for i, c in enumerate(cats)
    ]
    projects = [
        Project(f"c{i}-p{j}", draw(st.integers(min_value=0, max_value=2_000)), category=f"c{i}")
        for i in range(len(cats))
        for j in range(draw(st.integers(min_value=1, max_value=5)))
    ]
    ballots = []
    for v in range(draw(st.integers(min_value=0, max_value=40))):
        cat = draw(st.sampled_from(cats))
        mine = [p.id for p in projects if p.category == cat.id]
        choice = draw(st.lists(st.sampled_from(mine), max_size=4, unique=True))
        ballots.append(Ballot(f"v{v}", cat.id, tuple(choice), ref=v))
    return cats, projects, ballots, draw(st.randoms(use_true_random=False))


@given(elections())
@settings(max_examples=300, deadline=None)
def test_shuffling_duplicate_free_ballots_changes_nothing(election):
    cats, projects, ballots, rnd = election
    first = core.tally(cats, projects, ballots, ledger_root=ROOT)
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    again = core.tally(cats, projects, shuffled, ledger_root=ROOT)
    assert again["categories"] == first["categories"]
    assert sorted(r["ref"] for r in again["refused"]) == sorted(r["ref"] for r in first["refused"])
    assert again["duplicates"] == first["duplicates"] == []
    for c in first["categories"]:
        assert c["allocated"] <= c["pot"] and c["left"] == c["pot"] - c["allocated"]


def test_a_duplicate_counts_the_first_in_ledger_order_only():
    category = Category("c", 10, "approval", max_choices=1)
    projects = [Project("a", 1, category="c"), Project("b", 1, category="c")]
    ballots = [Ballot("v", "c", ("a",), ref=1), Ballot("v", "c", ("b",), ref=2)]
    assert core.tally([category], projects, ballots)["categories"][0]["votes"] == {"a": 1, "b": 0}
    reordered = core.tally([category], projects, list(reversed(ballots)))
    assert reordered["categories"][0]["votes"] == {"b": 1, "a": 0}
    assert random.Random(0).random() < 1
