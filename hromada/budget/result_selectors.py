"""Reads for the results: the tally from the ledger (cached per sealed tree), turnout
aggregates from the Ballot table (never a person: counts only, small cells hidden), the
population for the share of voters, and the page's rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Sum

from hromada.ledger.models import SignedTreeHead

from .models import AgeGroup, Ballot, Channel, Cycle, Project, ProjectStatus
from .selectors import categories_of

# A turnout cell of fewer people than this is shown as "fewer than 5": a class of pupils
# or a small village must not be told apart (docs/budget.md, "Open data").
SMALL_CELL = 5
_VERSION_KEY = "budget:results:version"
_TTL = 3600


def cache_clear() -> None:
    """Forget the cached tallies (a cycle was published, closed or counted)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 1, None)


def _sealed_size(hromada_id: int) -> int:
    head = SignedTreeHead.objects.filter(hromada_id=hromada_id).order_by("-tree_size").first()
    return head.tree_size if head is not None else 0


def cycle_tally(cycle: Cycle) -> dict[str, Any]:
    """services.results.tally_from_ledger, cached until the next seal or state change:
    the results API and page read it during the rush without recounting each time."""
    from .services.results import tally_from_ledger

    version = cache.get(_VERSION_KEY, 0)
    key = f"budget:tally:{version}:{cycle.pk}:{_sealed_size(cycle.hromada_id)}:{cycle.voting_closed_size}"
    found = cache.get(key)
    if found is None:
        found = tally_from_ledger(cycle=cycle)
        cache.set(key, found, _TTL)
    return found


def results_public(cycle: Cycle) -> bool:
    return cycle.results_published_at is not None


# --- turnout --------------------------------------------------------------------------------------------


def suppress(n: int) -> int | None:
    """A count for the public: None (shown "fewer than 5") for 1–4."""
    return None if 0 < n < SMALL_CELL else n


@dataclass
class Bar:
    key: str
    label: str
    count: int | None  # None: a small cell, hidden
    share: float = 0.0  # of the largest bar, 0..1, for the chart's width

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class Turnout:
    ballots: int = 0
    voters: int = 0
    population: int = 0
    by_category: list[Bar] = field(default_factory=list)
    by_channel: list[Bar] = field(default_factory=list)
    by_age: list[Bar] = field(default_factory=list)
    by_district: list[Bar] = field(default_factory=list)

    @property
    def population_share(self) -> float | None:
        return self.voters / self.population if self.population else None

    @property
    def population_percent(self) -> str:
        share = self.population_share
        return f"{share * 100:.1f}".replace(".", ",") if share is not None else ""


def _bars(pairs: list[tuple[str, str, int]]) -> list[Bar]:
    top = max((n for _k, _l, n in pairs), default=0)
    return [
        Bar(k, label, suppress(n), (n / top) if top and suppress(n) is not None else 0.0)
        for k, label, n in pairs
    ]


def population(*, hromada) -> int:
    """The hromada's people: its settlements' population summed (places), else the
    figure on the hromada itself."""
    from hromada.places.selectors import settlement_list

    total = settlement_list(hromada=hromada).order_by().aggregate(n=Sum("population"))["n"]
    return int(total or getattr(hromada, "population", 0) or 0)


def turnout(cycle: Cycle) -> Turnout:
    """Ballots so far by category, channel, age group and district; distinct voters
    (the per-cycle pseudonym) against the population."""
    rows = Ballot.objects.for_hromada(cycle.hromada_id).filter(category__cycle=cycle)
    result = Turnout()
    result.ballots = rows.count()
    result.voters = rows.values("voter").distinct().count()
    result.population = population(hromada=cycle.hromada)
    per_category = dict(rows.order_by().values_list("category_id").annotate(n=Count("id")))
    result.by_category = _bars(
        [(str(c.public_id), c.title, per_category.get(c.pk, 0)) for c in categories_of(cycle)]
    )
    per_channel = dict(rows.order_by().values_list("channel").annotate(n=Count("id")))
    result.by_channel = _bars(
        [
            (value, str(label), per_channel.get(value, 0))
            for value, label in Channel.choices
            if per_channel.get(value)
        ]
    )
    per_age = dict(rows.order_by().values_list("age_group").annotate(n=Count("id")))
    ages = [(v, str(label)) for v, label in AgeGroup.choices if v] + [("", str(AgeGroup.UNKNOWN.label))]
    result.by_age = _bars([(v, label, per_age.get(v, 0)) for v, label in ages if per_age.get(v)])
    districts = (
        rows.order_by()
        .values_list("district__slug", "district__name")
        .annotate(n=Count("id"))
        .order_by("district__name")
    )
    pairs = [(slug or "", name or "", n) for slug, name, n in districts]
    named = [(s, n, c) for s, n, c in pairs if s]
    unknown = sum(c for s, _n, c in pairs if not s)
    if unknown:
        named.append(("", str(AgeGroup.UNKNOWN.label), unknown))
    result.by_district = _bars(named)
    return result


def turnout_document(cycle: Cycle) -> dict[str, Any]:
    """The turnout as JSON for the API (small cells are null)."""
    t = turnout(cycle)

    def rows(bars: list[Bar]) -> list[dict[str, Any]]:
        return [{"key": b.key, "label": b.label, "ballots": b.count} for b in bars]

    return {
        "cycle": cycle.slug,
        "ballots": t.ballots,
        "voters": t.voters,
        "population": t.population,
        "population_share": round(t.population_share, 4) if t.population_share is not None else None,
        "small_cell": SMALL_CELL,
        "by_category": rows(t.by_category),
        "by_channel": rows(t.by_channel),
        "by_age_group": rows(t.by_age),
        "by_district": rows(t.by_district),
    }


# --- the results page -----------------------------------------------------------------------------------


@dataclass
class Row:
    rank: int
    project: Project | None
    id: str
    title: str
    cost: int
    votes: int
    winner: bool
    share: float  # of the most votes, for the bar

    @property
    def percent(self) -> int:
        return round(self.share * 100)


@dataclass
class CategoryResult:
    id: str
    title: str
    rule: str
    rule_label: str
    tie_rule: str
    pot: int
    ballots: int
    allocated: int
    left: int
    rows: list[Row]
    lot_seed: str = ""


def _rule_labels() -> dict[str, str]:
    from .models import TieRule, VotingRule

    return {
        **{v: str(label) for v, label in VotingRule.choices},
        **{v: str(label) for v, label in TieRule.choices},
    }


def category_results(cycle: Cycle, result: dict[str, Any]) -> list[CategoryResult]:
    """The tally's categories with the projects' rows (title, link) for the page."""
    projects = {
        str(p.public_id): p
        for p in Project.objects.for_hromada(cycle.hromada_id).filter(cycle=cycle).select_related("category")
    }
    labels = _rule_labels()
    out = []
    for category in result["categories"]:
        top = max((r["votes"] for r in category["ranking"]), default=0)
        rows = []
        for rank, item in enumerate(category["ranking"], 1):
            project = projects.get(item["project"])
            rows.append(
                Row(
                    rank=rank,
                    project=project,
                    id=item["project"],
                    title=project.title if project is not None else item["project"],
                    cost=item["cost"],
                    votes=item["votes"],
                    winner=item["winner"],
                    share=item["votes"] / top if top else 0.0,
                )
            )
        out.append(
            CategoryResult(
                id=category["id"],
                title=category["title"],
                rule=category["rule"],
                rule_label=labels.get(category["rule"], category["rule"]),
                tie_rule=labels.get(category["tie_rule"], category["tie_rule"]),
                pot=category["pot"],
                ballots=category["ballots"],
                allocated=category["allocated"],
                left=category["left"],
                rows=rows,
                lot_seed=category.get("lot_seed", ""),
            )
        )
    return out


def results_document(cycle: Cycle) -> dict[str, Any]:
    """The results API's body: the tally JSON with titles and the turnout."""
    result = cycle_tally(cycle)
    titles = {
        str(p.public_id): p.title
        for p in Project.objects.for_hromada(cycle.hromada_id).filter(
            cycle=cycle, status=ProjectStatus.ADMITTED
        )
    }
    return {
        "cycle": {"slug": cycle.slug, "id": str(cycle.public_id), "title": cycle.title},
        "published_at": cycle.results_published_at,
        "voting_closed_at": cycle.voting_closed_at,
        "tally": result,
        "titles": titles,
        "turnout": turnout_document(cycle),
    }


def staff_recount(cycle: Cycle) -> dict[str, Any]:
    """The staff page's check: the ledger's count next to the Ballot table's, per category."""
    from .services.results import tally_from_ledger

    result = tally_from_ledger(cycle=cycle)
    table = dict(
        Ballot.objects.for_hromada(cycle.hromada_id)
        .filter(category__cycle=cycle)
        .order_by()
        .values_list("category__public_id")
        .annotate(n=Count("id"))
    )
    table = {str(k): v for k, v in table.items()}
    rows = []
    for category in result["categories"]:
        refused = sum(1 for r in result["refused"] if r["category"] == category["id"])
        duplicates = sum(1 for r in result["duplicates"] if r["category"] == category["id"])
        in_table = table.get(category["id"], 0)
        rows.append(
            {
                "id": category["id"],
                "title": category["title"],
                "ledger": category["ballots"],
                "refused": refused,
                "duplicates": duplicates,
                "table": in_table,
                "agree": in_table == category["ballots"],
            }
        )
    ledger_total = sum(r["ledger"] for r in rows)
    table_total = sum(table.values())
    return {
        "tally": result,
        "rows": rows,
        "ledger_total": ledger_total,
        "table_total": table_total,
        "agree": ledger_total == table_total and all(r["agree"] for r in rows),
        "pending": result["ledger"]["pending_budget_entries"],
    }


def verify_box(cycle: Cycle) -> dict[str, Any]:
    """What an auditor needs to recount: the files, the command, the root at close."""
    return {
        "cycle_id": str(cycle.public_id),
        "root": cycle.voting_closed_root,
        "size": cycle.voting_closed_size,
        "closed_at": cycle.voting_closed_at,
        "command": f"python3 budget_tally.py export.json --cycle {cycle.public_id}",
    }
