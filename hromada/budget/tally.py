"""The participatory budget's voting rules and tally: pure Python, standard library only.

This file is the one copy of the rules. The platform imports it as
``hromada.budget.tally``; the auditor's ``tools/budget_tally.py`` loads it by path (from
its own directory, or from ``../hromada/budget/tally.py`` in a checkout), so it must
never import Django or anything outside the standard library, nor import by relative
path. ``tools/tests`` checks that.

Money is whole hryvnias (``int``): project costs in a participatory budget are estimates
stated in hryvnias, and integers keep sums exact. ``format_uah`` writes an amount the
Ukrainian way, digits grouped by a no-break space (U+00A0), "1 250 грн".

Messages for people are plain Ukrainian strings (this core has no gettext); the stable
``code`` of a ``BallotInvalid`` is what callers match on and translate.

Rules, per category:
  * ``approval``  — choose from 1 to ``max_choices`` projects; cost does not matter;
  * ``knapsack``  — the chosen projects' total cost fits the pot (CONSUL);
  * ``min_share`` — the total fits the pot and is at least ``min_share`` of it (Decidim's
    "minimum budget" rule); ``min_share`` is a fraction, 0.7 meaning 70 %.
``max_choices``, when set, limits the number of projects under every rule.

Checks run in this order and the first failure is reported: ``empty_ballot``,
``duplicate_choice``, ``unknown_project``, ``too_many_choices``, ``over_pot``,
``under_min_share``; a ballot for a category the cycle does not have is ``unknown_category``.

Winners: projects ranked by votes, most first, ties broken by the category's tie rule;
then, down the ranking, each project that still fits the money left is taken (CONSUL's
rule). A project with no votes never wins. Tie rules, each ending with the project id so
that the order is total:
  * ``lower_cost``        — the cheaper project first, then the earlier submitted;
  * ``earlier_submitted`` — the earlier ``submitted`` (ISO 8601 UTC) first;
  * ``lot``               — a lot anyone can redraw: seed = SHA-256(UTF-8 of
    ``category id + "\\n" + ledger root hex``), and projects in ascending order of
    SHA-256(seed || UTF-8 of project id).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

RULES = ("approval", "knapsack", "min_share")
TIE_RULES = ("lower_cost", "earlier_submitted", "lot")
RESULT_FORMAT = "hromada-budget-tally/1"


@dataclass(frozen=True)
class Project:
    id: str
    cost: int  # whole hryvnias
    title: str = ""
    category: str = ""
    submitted: str = ""  # ISO 8601 UTC, used by the "earlier_submitted" tie rule

    def __post_init__(self) -> None:
        if not isinstance(self.cost, int) or isinstance(self.cost, bool) or self.cost < 0:
            raise ValueError(f"project {self.id!r}: cost must be a whole number of hryvnias >= 0")


@dataclass(frozen=True)
class Category:
    id: str
    pot: int  # whole hryvnias
    rule: str
    max_choices: int | None = None
    min_share: float | None = None
    tie_rule: str = "lower_cost"
    title: str = ""

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"category {self.id!r}: rule {self.rule!r} is not one of {RULES}")
        if self.tie_rule not in TIE_RULES:
            raise ValueError(f"category {self.id!r}: tie rule {self.tie_rule!r} is not one of {TIE_RULES}")
        if not isinstance(self.pot, int) or isinstance(self.pot, bool) or self.pot < 0:
            raise ValueError(f"category {self.id!r}: pot must be a whole number of hryvnias >= 0")
        if self.max_choices is not None and self.max_choices < 1:
            raise ValueError(f"category {self.id!r}: max_choices must be at least 1")
        if self.rule == "approval" and self.max_choices is None:
            raise ValueError(f"category {self.id!r}: the approval rule needs max_choices")
        if self.rule == "min_share":
            if self.min_share is None or not 0 < self.min_share <= 1:
                raise ValueError(
                    f"category {self.id!r}: min_share must be a fraction in (0, 1], e.g. 0.7 for 70 %"
                )

    def required_spend(self) -> int:
        """The least total a min_share ballot must reach, rounded up to a hryvnia.
        The float is read by its decimal spelling, so 0.1 means exactly one tenth."""
        if self.min_share is None:
            return 0
        return math.ceil(Fraction(str(self.min_share)) * self.pot)


@dataclass(frozen=True)
class Ballot:
    voter: str  # pseudonymous voter id, hex
    category: str
    choices: tuple[str, ...]
    ref: Any = None  # where it came from (a ledger index), for reports only


@dataclass
class BallotInvalid(Exception):
    code: str
    message_uk: str
    over_by: int | None = None
    project: str | None = field(default=None)

    def __str__(self) -> str:
        return f"{self.code}: {self.message_uk}"


# --- Ukrainian wording -------------------------------------------------------------------------------

NBSP = "\u00a0"


def category_from_entry(c: Mapping[str, Any]) -> Category:
    """A category as a `budget.cycle_published` ledger entry lists it."""
    return Category(
        id=str(c["id"]),
        title=str(c.get("title", "")),
        pot=c["pot"],
        rule=c["rule"],
        max_choices=c.get("max_choices"),
        min_share=c.get("min_share"),
        tie_rule=c.get("tie_rule", "lower_cost"),
    )


def project_from_entry(p: Mapping[str, Any]) -> Project:
    """A project as a `budget.projects_published` ledger entry lists it."""
    return Project(
        id=str(p["id"]),
        category=str(p["category"]),
        title=str(p.get("title", "")),
        cost=p["cost"],
        submitted=str(p.get("submitted", "")),
    )


def format_uah(amount: int) -> str:
    """1250 -> "1 250 грн" (no-break spaces between digit groups and before грн)."""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount):,}".replace(",", NBSP) + NBSP + "грн"


def plural_uk(n: int, one: str, few: str, many: str) -> str:
    """Ukrainian plural: 1 проєкт, 2 проєкти, 5 проєктів, 21 проєкт, 11 проєктів."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _projects_uk(n: int) -> str:
    return f"{n} {plural_uk(n, 'проєкт', 'проєкти', 'проєктів')}"


# --- one ballot --------------------------------------------------------------------------------------


def check_ballot(category: Category, projects_by_id: Mapping[str, Project], choices: Sequence[str]) -> None:
    """Raise BallotInvalid unless `choices` is a valid ballot in `category`.

    `projects_by_id` may hold other categories' projects: a project counts as known only
    when its ``category`` is this one (or is left empty)."""
    if not choices:
        raise BallotInvalid("empty_ballot", "Бюлетень порожній: оберіть принаймні один проєкт.")
    seen: set[str] = set()
    for choice in choices:
        if choice in seen:
            raise BallotInvalid(
                "duplicate_choice",
                f"Проєкт «{_title(projects_by_id, choice)}» обрано двічі: кожен проєкт можна обрати лише раз.",
                project=choice,
            )
        seen.add(choice)
    for choice in choices:
        project = projects_by_id.get(choice)
        if project is None or project.category not in ("", category.id):
            raise BallotInvalid(
                "unknown_project",
                f"Проєкту «{choice}» немає серед проєктів категорії «{category.title or category.id}».",
                project=choice,
            )
    if category.max_choices is not None and len(choices) > category.max_choices:
        over = len(choices) - category.max_choices
        raise BallotInvalid(
            "too_many_choices",
            f"Можна обрати не більше ніж {_projects_uk(category.max_choices)}, а обрано {len(choices)}: "
            f"це на {over} більше. Зніміть зайві позначки.",
            over_by=over,
        )
    if category.rule == "approval":
        return
    total = sum(projects_by_id[c].cost for c in choices)
    if total > category.pot:
        over = total - category.pot
        raise BallotInvalid(
            "over_pot",
            f"Обрані проєкти коштують {format_uah(total)}, а бюджет категорії — {format_uah(category.pot)}: "
            f"це на {format_uah(over)} більше. Зніміть позначку з одного з проєктів.",
            over_by=over,
        )
    if category.rule == "min_share":
        required = category.required_spend()
        if total < required:
            missing = required - total
            share = Fraction(str(category.min_share)) * 100
            percent = f"{float(share):g}".replace(".", ",")
            raise BallotInvalid(
                "under_min_share",
                f"Обрані проєкти коштують {format_uah(total)}, а треба обрати проєкти щонайменше на "
                f"{format_uah(required)} ({percent} % бюджету категорії): бракує {format_uah(missing)}.",
                over_by=missing,
            )


def _title(projects_by_id: Mapping[str, Project], project_id: str) -> str:
    project = projects_by_id.get(project_id)
    return project.title if project is not None and project.title else project_id


# --- counting and winners ------------------------------------------------------------------------------


def count(ballots: Iterable[Ballot]) -> dict[str, Counter[str]]:
    """Votes per project, per category. Counts what it is given: check and de-duplicate first."""
    votes: dict[str, Counter[str]] = {}
    for ballot in ballots:
        counter = votes.get(ballot.category)
        if counter is None:
            counter = votes[ballot.category] = Counter()
        counter.update(ballot.choices)
    return votes


def lot_seed(category_id: str, ledger_root: str) -> bytes:
    return hashlib.sha256(f"{category_id}\n{ledger_root}".encode()).digest()


def ranking(
    category: Category, projects: Iterable[Project], votes: Mapping[str, int], *, ledger_root: str = ""
) -> list[Project]:
    """The category's projects, most votes first, ties broken by the tie rule."""
    mine = [p for p in projects if p.category in ("", category.id)]
    if category.tie_rule == "lower_cost":

        def key(p: Project) -> tuple:
            return (-votes.get(p.id, 0), p.cost, p.submitted, p.id)

    elif category.tie_rule == "earlier_submitted":

        def key(p: Project) -> tuple:
            return (-votes.get(p.id, 0), p.submitted, p.id)

    else:
        if not ledger_root:
            raise ValueError(f"category {category.id!r}: the lot needs the ledger root as its seed")
        seed = lot_seed(category.id, ledger_root)

        def key(p: Project) -> tuple:
            return (-votes.get(p.id, 0), hashlib.sha256(seed + p.id.encode()).digest(), p.id)

    return sorted(mine, key=key)


def winners(
    category: Category, projects: Iterable[Project], votes: Mapping[str, int], *, ledger_root: str = ""
) -> list[str]:
    """Greedy down the ranking: take each project with votes that still fits the money left."""
    left = category.pot
    chosen: list[str] = []
    for project in ranking(category, projects, votes, ledger_root=ledger_root):
        if votes.get(project.id, 0) <= 0:
            break
        if project.cost <= left:
            chosen.append(project.id)
            left -= project.cost
    return chosen


def tally(
    categories: Sequence[Category],
    projects: Sequence[Project],
    ballots: Iterable[Ballot],
    *,
    ledger_root: str = "",
) -> dict[str, Any]:
    """Check, de-duplicate and count the ballots; choose each category's winners.

    A voter's first ballot in a category (in the order given — the ledger's) is their
    ballot: later ones are listed under "duplicates" and not counted, even when the first
    was refused. Refused ballots are listed with their code and amount. The result is
    JSON-able and its order is deterministic."""
    by_category = {c.id: c for c in categories}
    projects_by_id = {p.id: p for p in projects}
    seen: set[tuple[str, str]] = set()
    accepted: list[Ballot] = []
    refused: list[dict[str, Any]] = []
    duplicates: list[dict[str, Any]] = []
    valid_cache: dict[tuple[str, tuple[str, ...]], BallotInvalid | None] = {}
    for ballot in ballots:
        category = by_category.get(ballot.category)
        if category is None:
            refused.append(
                {
                    "ref": ballot.ref,
                    "voter": ballot.voter,
                    "category": ballot.category,
                    "code": "unknown_category",
                    "over_by": None,
                }
            )
            continue
        key = (ballot.voter, ballot.category)
        if key in seen:
            duplicates.append({"ref": ballot.ref, "voter": ballot.voter, "category": ballot.category})
            continue
        seen.add(key)
        cache_key = (ballot.category, ballot.choices)
        if cache_key in valid_cache:
            problem = valid_cache[cache_key]
        else:
            try:
                check_ballot(category, projects_by_id, ballot.choices)
                problem = None
            except BallotInvalid as exc:
                problem = exc
            valid_cache[cache_key] = problem
        if problem is not None:
            refused.append(
                {
                    "ref": ballot.ref,
                    "voter": ballot.voter,
                    "category": ballot.category,
                    "code": problem.code,
                    "over_by": problem.over_by,
                }
            )
            continue
        accepted.append(ballot)
    votes = count(accepted)
    ballots_per_category = Counter(b.category for b in accepted)
    results = []
    for category in categories:
        counter = votes.get(category.id, Counter())
        ranked = ranking(category, projects, counter, ledger_root=ledger_root)
        won = winners(category, ranked, counter, ledger_root=ledger_root)
        won_set = set(won)
        allocated = sum(projects_by_id[p].cost for p in won)
        result: dict[str, Any] = {
            "id": category.id,
            "title": category.title,
            "rule": category.rule,
            "tie_rule": category.tie_rule,
            "pot": category.pot,
            "ballots": ballots_per_category.get(category.id, 0),
            "votes": {p.id: counter.get(p.id, 0) for p in ranked},
            "ranking": [
                {"project": p.id, "votes": counter.get(p.id, 0), "cost": p.cost, "winner": p.id in won_set}
                for p in ranked
            ],
            "winners": won,
            "allocated": allocated,
            "left": category.pot - allocated,
        }
        if category.tie_rule == "lot":
            result["lot_seed"] = lot_seed(category.id, ledger_root).hex()
        results.append(result)
    return {
        "format": RESULT_FORMAT,
        "categories": results,
        "refused": refused,
        "duplicates": duplicates,
    }
