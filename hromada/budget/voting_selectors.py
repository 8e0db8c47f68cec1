"""Reads for voting: the ballot (cached per process for the hot path), the person's
ballots, what they may vote in, and the ledger receipt's description.

The cache holds what a published ballot fixes: the category, its cycle with the voting
phase's dates, and the admitted projects with their voted cost. Each entry carries the
version it was read under (the module-wide counter bumped by `cache_clear`, and the
cycle's `published_at`) and lives at most BALLOT_CACHE_SECONDS, so another process's
change is seen soon after; the ballot INSERT re-reads the phase in SQL anyway, so a
stale phase can never let a ballot in late (ADR 0006, decision 6)."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.errors import NotFound
from hromada.core.models import Phase
from hromada.core.modules import ReceiptSubject

from . import tally
from .models import (
    Ballot,
    Category,
    CategoryKind,
    Channel,
    Cycle,
    Project,
    ProjectStatus,
    Residency,
)

BALLOT_CACHE_SECONDS = 30.0

_lock = threading.Lock()
_version = [0]


@dataclass
class BallotContext:
    """What a ballot is checked against, as one cached unit."""

    category: Category
    cycle: Cycle
    tally_category: tally.Category
    projects: dict[str, tally.Project]
    voting_starts: dt.datetime | None
    voting_ends: dt.datetime | None
    voting_phase_id: int | None
    version: tuple = field(default=())
    expires: float = 0.0

    def voting_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return (
            self.voting_starts is not None
            and self.voting_ends is not None
            and self.voting_starts <= now < self.voting_ends
        )


_contexts: dict[tuple[int, uuid.UUID], BallotContext] = {}


def cache_clear() -> None:
    """Forget every cached ballot (module.py `caches`; called after a change to a cycle,
    its categories or projects)."""
    with _lock:
        _version[0] += 1
        _contexts.clear()


def _load(*, hromada_id: int, public_id: uuid.UUID) -> BallotContext | None:
    category = (
        Category.objects.for_hromada(hromada_id)
        .select_related("cycle", "cycle__plan", "cycle__hromada", "area")
        .filter(public_id=public_id)
        .first()
    )
    if category is None:
        return None
    cycle = category.cycle
    rows = (
        Project.objects.for_hromada(hromada_id)
        .filter(category=category, status=ProjectStatus.ADMITTED)
        .only("public_id", "cost", "reviewed_cost", "title", "submitted_at", "category_id")
        .order_by("number", "id")
    )
    key = str(category.public_id)
    projects = {
        str(p.public_id): tally.Project(
            id=str(p.public_id),
            cost=p.voted_cost,
            title=p.title,
            category=key,
            submitted=p.submitted_at.isoformat() if p.submitted_at else "",
        )
        for p in rows
    }
    phase = Phase.objects.for_hromada(hromada_id).filter(plan_id=cycle.plan_id, code="voting").first()
    return BallotContext(
        category=category,
        cycle=cycle,
        tally_category=category.as_tally(),
        projects=projects,
        voting_starts=phase.starts_at if phase else None,
        voting_ends=phase.ends_at if phase else None,
        voting_phase_id=phase.pk if phase else None,
    )


def ballot_context(*, hromada, public_id) -> BallotContext:
    """The cached ballot of the category `public_id` in `hromada` (NotFound if none)."""
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise NotFound("category_not_found", _("Такої категорії немає.")) from None
    hromada_id = hromada if isinstance(hromada, int) else hromada.pk
    now = time.monotonic()
    hit = _contexts.get((hromada_id, key))
    if hit is not None and hit.expires > now and hit.version[0] == _version[0]:
        return hit
    version = _version[0]
    context = _load(hromada_id=hromada_id, public_id=key)
    if context is None:
        raise NotFound("category_not_found", _("Такої категорії немає."))
    context.version = (version, context.cycle.published_at)
    context.expires = now + BALLOT_CACHE_SECONDS
    # Only a published ballot is kept: before publication nothing is hot, and the
    # moment of publication must be seen at once by every process.
    if context.cycle.published_at is not None:
        with _lock:
            if _version[0] == version:
                _contexts[(hromada_id, key)] = context
    return context


def ballot_projects(category: Category) -> dict[str, tally.Project]:
    """The admitted projects of `category` as the tally sees them (id → tally.Project,
    cost = the voted cost), cached per process."""
    return ballot_context(hromada=category.hromada_id, public_id=category.public_id).projects


def ballot_rows(category: Category) -> list[Project]:
    """The ballot page's projects: admitted, with their photos (not cached: a page)."""
    return list(
        Project.objects.for_hromada(category.hromada_id)
        .filter(category=category, status=ProjectStatus.ADMITTED)
        .prefetch_related("files")
        .order_by("number", "id")
    )


def ballot_of(*, category: Category, voter: str) -> Ballot | None:
    return Ballot.objects.for_hromada(category.hromada_id).filter(category=category, voter=voter).first()


def voted_categories(*, cycle: Cycle, voter: str, user=None) -> dict[int, Ballot]:
    """{category pk: ballot} of this person in the cycle (by pseudonym; by account too)."""
    rows = Ballot.objects.for_hromada(cycle.hromada_id).filter(category__cycle=cycle)
    found = {b.category_id: b for b in rows.filter(voter=voter)}
    if user is not None and user.is_authenticated:
        for b in rows.filter(user=user):
            found.setdefault(b.category_id, b)
    return found


def my_ballots(*, hromada, user) -> list[Ballot]:
    """The online ballots cast from this account (newest first)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Ballot.objects.for_hromada(hromada)
        .filter(user=user)
        .select_related("category", "category__cycle")
        .order_by("-cast_at", "-id")
    )


@dataclass
class CategoryChoice:
    """One line of "what may I vote in": the category, whether already voted, why not."""

    category: Category
    ballot: Ballot | None
    refusal: object | None
    school: bool


def categories_for(*, cycle: Cycle, user) -> list[CategoryChoice]:
    """The categories the person sees on the voting page: every general pot, the area
    pots of their district or okrug only, school pots (voted with codes) as pointers."""
    from . import rules
    from .selectors import categories_of

    refusal, standing = rules.participant_refusal(user, cycle)
    voter = rules.voter_pseudonym(cycle=cycle, person_key=standing.person_key) if standing.person_key else ""
    ballots = voted_categories(cycle=cycle, voter=voter, user=user) if voter else {}
    area_ids = set()
    if standing.residency is not None:
        area_ids = set(standing.residency.areas.values_list("pk", flat=True))
    out = []
    for category in categories_of(cycle):
        if category.kind == CategoryKind.SCHOOL:
            out.append(CategoryChoice(category, None, None, True))
            continue
        if category.kind == CategoryKind.AREA and category.area_id not in area_ids:
            if standing.authorisation is None or standing.residency is not None:
                continue
        category_refusal = refusal
        if refusal is None:
            category_refusal, _standing = rules.participant_refusal(user, cycle, category=category)
        out.append(CategoryChoice(category, ballots.get(category.pk), category_refusal, False))
    return out


def residency_of(*, cycle: Cycle, user) -> Residency | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        Residency.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle, user=user)
        .prefetch_related("areas")
        .first()
    )


def channel_label(channel: str) -> str:
    if channel == Channel.ONLINE:
        return _("онлайн")
    if channel == Channel.SCHOOL:
        return _("шкільним кодом")
    return _("на папері в ЦНАП")


def describe_ballot(*, hromada, payload) -> ReceiptSubject | None:
    """The ledger receipt page's words for a `budget.ballot_cast` entry."""
    category = (
        Category.objects.for_hromada(hromada)
        .select_related("cycle")
        .filter(public_id=payload.get("category"))
        .first()
        if _is_uuid(payload.get("category"))
        else None
    )
    if category is None:
        return None
    text = _("Ваш бюлетень у категорії «%(category)s» циклу «%(cycle)s»") % {
        "category": category.title,
        "cycle": category.cycle.title,
    }
    return ReceiptSubject(text, f"/budget/{category.cycle.slug}/")


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- staff pages (authorisations, school codes) ----------------------------------------------


def authorisations_of(cycle, *, limit: int = 200) -> list:
    from .models import Authorisation

    return list(
        Authorisation.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle)
        .select_related("granted_by", "user")
        .order_by("-created_at")[:limit]
    )


def authorisation_get(*, hromada, pk: int):
    from .models import Authorisation

    return (
        Authorisation.objects.for_hromada(hromada)
        .select_related("cycle", "cycle__hromada")
        .filter(pk=pk)
        .first()
    )


def school_categories(*, hromada) -> list:
    from .models import Category, CategoryKind

    return list(
        Category.objects.for_hromada(hromada)
        .filter(kind=CategoryKind.SCHOOL)
        .select_related("cycle")
        .order_by("-cycle__created_at", "order")
    )


def code_batches(*, hromada, categories, limit: int = 100) -> list:
    """The latest batches of these school pots, each with `used`: how many of its codes
    have voted (one aggregate query, not one per batch)."""
    from django.db.models import Count, Q

    from .models import SchoolCodeBatch

    return list(
        SchoolCodeBatch.objects.for_hromada(hromada)
        .filter(category__in=categories)
        .select_related("category", "category__cycle")
        .annotate(used=Count("codes", filter=Q(codes__used_at__isnull=False)))
        .order_by("-created_at")[:limit]
    )


def code_batch_get(*, hromada, public_id):
    from .models import SchoolCodeBatch

    try:
        return (
            SchoolCodeBatch.objects.for_hromada(hromada)
            .select_related("category", "category__hromada")
            .filter(public_id=public_id)
            .first()
        )
    except (ValueError, TypeError):
        return None
