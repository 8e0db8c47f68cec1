"""Publishing the ballot, closing the vote and counting it from the ledger (ADR 0006,
decision 7; docs/budget-tally.md).

The ledger is the source of the count: `tally_from_ledger` reads the sealed
`budget.cycle_published`, `budget.projects_published` and `budget.ballot_cast` entries,
exactly as tools/budget_tally.py reads them from /ledger/export.json, and returns the
same JSON. So the published results are the ones anyone can recompute.

Every step is idempotent (a guarded UPDATE of the cycle's timestamp in the same
transaction as its ledger entry): the phase tick may repeat it, staff may press twice.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.accounts.rules import has_perm
from hromada.core import phases
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.ledger import merkle
from hromada.ledger.canonical import PAYLOAD_MAX_BYTES, canonical_json, format_time
from hromada.ledger.models import LedgerEntry, LedgerLeaf, LedgerNode, SignedTreeHead
from hromada.ledger.selectors import ledger_public_keys
from hromada.ledger.services import NODE_MIN_LEVEL, ledger_append, ledger_seal

from .. import tally
from ..models import Ballot, Category, Cycle, Outcome, Project, ProjectStatus

logger = logging.getLogger("hromada.budget")

CYCLE_KIND = "budget.cycle_published"
PROJECTS_KIND = "budget.projects_published"
BALLOT_KIND = "budget.ballot_cast"
CLOSED_KIND = "budget.voting_closed"
RESULTS_KIND = "budget.results_published"
# Room left in an entry for its envelope (kind, hromada, uuid, time): a part is split
# well before the ledger's limit.
_PART_BUDGET = PAYLOAD_MAX_BYTES - 2_048


def _require(actor, hromada) -> None:
    if actor is not None and not has_perm(actor, hromada, "budget.manage_cycles"):
        raise PermissionDenied("forbidden", _("Недостатньо прав для цієї дії."))


def _fresh(cycle: Cycle) -> Cycle:
    return Cycle.objects.for_hromada(cycle.hromada_id).select_related("hromada", "plan").get(pk=cycle.pk)


# --- the ballot ------------------------------------------------------------------------------------


def category_payload(category: Category) -> dict[str, Any]:
    return {
        "id": str(category.public_id),
        "title": category.title,
        "pot": int(category.pot),
        "rule": category.rule,
        "max_choices": category.max_choices,
        "min_share": float(category.min_share) if category.min_share is not None else None,
        "tie_rule": category.tie_rule,
    }


def project_payload(project: Project, category: Category) -> dict[str, Any]:
    return {
        "id": str(project.public_id),
        "category": str(category.public_id),
        "title": project.title,
        "cost": project.voted_cost,
        "submitted": format_time(project.submitted_at) if project.submitted_at else "",
    }


def _parts(cycle_id: str, category_id: str, projects: list[dict]) -> list[dict[str, Any]]:
    """One payload per category, split into numbered parts when one would not fit."""
    parts: list[list[dict]] = [[]]
    for item in projects:
        trial = {
            "cycle": cycle_id,
            "category": category_id,
            "part": len(parts),
            "projects": [*parts[-1], item],
        }
        if parts[-1] and len(canonical_json(trial).encode()) > _PART_BUDGET:
            parts.append([])
        parts[-1].append(item)
    return [
        {"cycle": cycle_id, "category": category_id, "part": n, "projects": chunk}
        for n, chunk in enumerate(parts, 1)
    ]


def ballot_projects(cycle: Cycle) -> list[Project]:
    """The projects on the ballot: admitted ones, by number."""
    return list(
        Project.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle, status=ProjectStatus.ADMITTED)
        .select_related("category")
        .order_by("number", "id")
    )


def ballot_publish(*, cycle: Cycle, actor=None) -> bool:
    """Fix the ballot when its phase begins: the categories with their rules and the
    admitted projects with the cost voted on, ledgered (`budget.cycle_published` and one
    `budget.projects_published` per category, or per part of one). Returns whether this
    call published it (False: it already was)."""
    _require(actor, cycle.hromada)
    from ..selectors import categories_of

    with transaction.atomic():
        now = timezone.now()
        claimed = Cycle.objects.filter(pk=cycle.pk, published_at__isnull=True).update(published_at=now)
        if not claimed:
            return False
        cycle.published_at = now
        cycle_id = str(cycle.public_id)
        categories = categories_of(cycle)
        ledger_append(
            hromada=cycle.hromada,
            kind=CYCLE_KIND,
            payload={
                "cycle": cycle_id,
                "title": cycle.title,
                "categories": [category_payload(c) for c in categories],
            },
        )
        projects = ballot_projects(cycle)
        for category in categories:
            mine = [project_payload(p, category) for p in projects if p.category_id == category.pk]
            for payload in _parts(cycle_id, str(category.public_id), mine):
                ledger_append(hromada=cycle.hromada, kind=PROJECTS_KIND, payload=payload)
    _clear_caches()
    return True


# --- reading the cycle back from the ledger --------------------------------------------------------


def _sealed_size(hromada) -> int:
    head = SignedTreeHead.objects.filter(hromada=hromada).order_by("-tree_size").first()
    return head.tree_size if head is not None else 0


def _cycle_entries(cycle: Cycle, size: int) -> list[tuple[int, str, dict]]:
    """(leaf index, kind, payload) of the cycle's sealed budget entries, in ledger order."""
    cycle_id = str(cycle.public_id)
    categories = [
        str(c)
        for c in Category.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle)
        .values_list("public_id", flat=True)
    ]
    rows = (
        LedgerLeaf.objects.filter(hromada_id=cycle.hromada_id, index__lt=size)
        .filter(
            Q(entry__kind__in=(CYCLE_KIND, PROJECTS_KIND, CLOSED_KIND), entry__payload__cycle=cycle_id)
            | Q(entry__kind=BALLOT_KIND, entry__payload__category__in=categories)
        )
        .order_by("index")
        .values_list("index", "entry__kind", "entry__payload")
    )
    return [(int(index), kind, payload) for index, kind, payload in rows.iterator(2000)]


def prefix_root(hromada, size: int) -> str:
    """The RFC 9162 root of the first `size` leaves of the hromada's log, from the stored
    subtree hashes (LedgerNode) and the few leaves beside them."""
    if size <= 0:
        return merkle.merkle_root([]).hex()
    pieces = merkle.perfect_pieces(0, size)
    stored = {
        (level, start): bytes.fromhex(value)
        for level, start, value in LedgerNode.objects.filter(
            hromada=hromada,
            level__in=[lv for lv, _s in pieces if lv >= NODE_MIN_LEVEL],
            start__in=[s for lv, s in pieces if lv >= NODE_MIN_LEVEL],
        ).values_list("level", "start", "hash")
    }
    roots = []
    for level, start in pieces:
        node = stored.get((level, start))
        if node is None:
            leaves = (
                LedgerLeaf.objects.filter(hromada=hromada, index__gte=start, index__lt=start + (1 << level))
                .order_by("index")
                .values_list("entry__leaf_hash", flat=True)
            )
            node = merkle.merkle_root(bytes.fromhex(h) for h in leaves.iterator(2000))
        roots.append(node)
    return merkle.frontier_root(roots).hex()


def _read(cycle: Cycle, size: int) -> dict[str, Any]:
    """The cycle as the ledger states it — the same reading as tools/budget_tally.py's
    read_budget (keep the two in step; test_results checks they agree)."""
    cycle_id = str(cycle.public_id)
    entries = _cycle_entries(cycle, size)
    published = [(i, p) for i, k, p in entries if k == CYCLE_KIND]
    if not published:
        raise DomainError(
            "ballot_not_published",
            _("Бюлетень цього циклу ще не оприлюднено в реєстрі: рахувати нічого."),
            status=409,
        )
    published_at, payload = published[-1]
    last = published_at
    listed = list(payload.get("projects", []))
    for index, kind, part in entries:
        if kind == PROJECTS_KIND and index > published_at:
            listed.extend(part["projects"])
            last = max(last, index)
    categories = [tally.category_from_entry(c) for c in payload["categories"]]
    projects = [tally.project_from_entry(p) for p in listed]
    mine = {c.id for c in categories}
    counted: list[tally.Ballot] = []
    malformed: list[dict[str, Any]] = []
    closed = None
    for index, kind, ballot in entries:
        if kind == CLOSED_KIND:
            closed = closed or ballot
            continue
        if kind != BALLOT_KIND or ballot.get("category") not in mine:
            continue
        category = ballot.get("category")
        last = max(last, index)
        voter, choices = ballot.get("voter"), ballot.get("choices")
        if (
            not isinstance(voter, str)
            or not isinstance(choices, list)
            or not all(isinstance(c, str) for c in choices)
        ):
            malformed.append({"ref": index, "voter": voter, "category": category, "code": "malformed_ballot"})
            continue
        counted.append(tally.Ballot(voter=voter, category=str(category), choices=tuple(choices), ref=index))
    return {
        "cycle": cycle_id,
        "published_at": published_at,
        "categories": categories,
        "projects": projects,
        "ballots": counted,
        "malformed": malformed,
        "last": last,
        "closed": closed,
    }


def _pending_budget_entries(hromada, size: int) -> int:
    return (
        LedgerEntry.objects.filter(hromada=hromada, kind__startswith="budget.")
        .exclude(leaf__index__lt=size)
        .count()
    )


def tally_from_ledger(*, cycle: Cycle) -> dict[str, Any]:
    """Count the cycle from its sealed ledger entries: the JSON tools/budget_tally.py
    prints for an export taken now (same keys, same order)."""
    hromada = cycle.hromada
    head = SignedTreeHead.objects.filter(hromada=hromada).order_by("-tree_size").first()
    size = head.tree_size if head is not None else 0
    budget = _read(cycle, size)
    if cycle.voting_closed_root and cycle.voting_closed_size:
        lot_size, lot_root = int(cycle.voting_closed_size), cycle.voting_closed_root
    elif budget["closed"] is not None:
        lot_size, lot_root = int(budget["closed"]["size"]), str(budget["closed"]["root"])
    else:
        lot_size = budget["last"] + 1
        lot_root = prefix_root(hromada, lot_size)
    result = tally.tally(budget["categories"], budget["projects"], budget["ballots"], ledger_root=lot_root)
    result["refused"] = budget["malformed"] + result["refused"]
    result["ledger"] = {
        "hromada": hromada.slug,
        "tree_size": size,
        "root_hash": head.root_hash if head is not None else merkle.merkle_root([]).hex(),
        "key_ids": sorted(k.key_id for k in ledger_public_keys(hromada=hromada)),
        "cycle": budget["cycle"],
        "cycle_published_at": budget["published_at"],
        "lot_tree_size": lot_size,
        "lot_root": lot_root,
        "pending_budget_entries": _pending_budget_entries(hromada, size),
    }
    return result


# --- closing and counting ---------------------------------------------------------------------------


def _voting_phase(cycle: Cycle):
    return next((p for p in phases.plan_phases(cycle.plan) if p.code == "voting"), None)


def voting_ended(cycle: Cycle, now=None) -> bool:
    phase = _voting_phase(cycle)
    return phase is not None and (now or timezone.now()) >= phase.ends_at


def voting_close(*, cycle: Cycle, actor=None) -> bool:
    """Once, after voting ends: seal the ledger and record the root and size of the log
    prefix that ends with the cycle's last budget entry — the lot's seed — in a
    `budget.voting_closed` entry. Returns whether this call closed it."""
    _require(actor, cycle.hromada)
    cycle = _fresh(cycle)
    if cycle.voting_closed_at is not None:
        return False
    if cycle.published_at is None:
        ballot_publish(cycle=cycle)
    hromada = cycle.hromada
    # Every ballot committed so far gets its leaf (a full scan picks up stragglers).
    ledger_seal(hromada=hromada, full_scan=True)
    size = _sealed_size(hromada)
    budget = _read(cycle, size)
    lot_size = budget["last"] + 1
    root = prefix_root(hromada, lot_size)
    with transaction.atomic():
        now = timezone.now()
        claimed = Cycle.objects.filter(pk=cycle.pk, voting_closed_at__isnull=True).update(
            voting_closed_at=now, voting_closed_root=root, voting_closed_size=lot_size
        )
        if not claimed:
            return False
        ledger_append(
            hromada=hromada,
            kind=CLOSED_KIND,
            payload={
                "cycle": str(cycle.public_id),
                "ballots": len(budget["ballots"]) + len(budget["malformed"]),
                "size": lot_size,
                "root": root,
            },
        )
    _clear_caches()
    return True


def results_publish(*, cycle: Cycle, actor=None) -> bool:
    """Count from the ledger and publish: each project's votes and outcome, the
    `budget.results_published` entry, and a notice to the projects' authors and the
    people who voted online. Returns whether this call published them."""
    _require(actor, cycle.hromada)
    cycle = _fresh(cycle)
    if cycle.results_published_at is not None:
        return False
    if not voting_ended(cycle):
        raise DomainError(
            "voting_not_ended",
            _("Голосування ще триває: підсумки можна оприлюднити після його завершення."),
            status=409,
        )
    voting_close(cycle=cycle)
    cycle = _fresh(cycle)
    result = tally_from_ledger(cycle=cycle)
    with transaction.atomic():
        now = timezone.now()
        claimed = Cycle.objects.filter(pk=cycle.pk, results_published_at__isnull=True).update(
            results_published_at=now
        )
        if not claimed:
            return False
        projects = {
            str(p.public_id): p
            for p in Project.objects.for_hromada(cycle.hromada_id).filter(
                cycle=cycle, status=ProjectStatus.ADMITTED
            )
        }
        for category in result["categories"]:
            won = set(category["winners"])
            for project_id, votes in category["votes"].items():
                project = projects.get(project_id)
                if project is None:
                    continue
                fields: dict[str, Any] = {"vote_count": votes}
                if project.outcome in (Outcome.NONE, Outcome.NOT_SELECTED, Outcome.WINNER):
                    fields["outcome"] = Outcome.WINNER if project_id in won else Outcome.NOT_SELECTED
                Project.objects.filter(pk=project.pk).update(**fields)
        ledger_append(
            hromada=cycle.hromada,
            kind=RESULTS_KIND,
            payload={
                "cycle": str(cycle.public_id),
                "categories": [
                    {"id": c["id"], "winners": c["winners"], "votes": c["votes"]}
                    for c in result["categories"]
                ],
            },
        )
        _notify(cycle)
    _clear_caches()
    return True


def _notify(cycle: Cycle) -> None:
    from hromada.notify.services import notify_send

    authors = Project.objects.for_hromada(cycle.hromada_id).filter(
        cycle=cycle, author__isnull=False, status__in=(ProjectStatus.ADMITTED, ProjectStatus.REJECTED)
    )
    voters = Ballot.objects.for_hromada(cycle.hromada_id).filter(category__cycle=cycle, user__isnull=False)
    users = set(authors.values_list("author_id", flat=True)) | set(voters.values_list("user_id", flat=True))
    if not users:
        return
    notify_send(
        hromada=cycle.hromada,
        users=sorted(users),
        kind=RESULTS_KIND,
        title=lazy_format(gettext_lazy("Оприлюднено підсумки: «%(cycle)s»"), cycle=cycle.title),
        body=gettext_lazy("Подивіться, які проєкти перемогли, і перевірте підрахунок самостійно."),
        url=reverse("budget:results", args=[cycle.slug]),
    )


def _clear_caches() -> None:
    from .. import result_selectors

    result_selectors.cache_clear()
