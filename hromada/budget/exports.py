"""Open datasets (module.py `datasets`): public records and aggregates only.

Projects are the public ones (submitted and on; never drafts or withdrawn ones), with
the author's published name only. Results appear once a cycle's results are published.
Turnout is counts of ballots by category, channel, age group and district, and a cell of
fewer than 5 ballots is published as null, so that no small group (a class of pupils, a
village's few voters) can be told apart."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count

from .models import PUBLIC_STATUSES, Ballot, Cycle, Project, Review
from .result_selectors import SMALL_CELL, cycle_tally


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def project_rows(*, hromada) -> Iterator[dict[str, Any]]:
    rows = (
        Project.objects.for_hromada(hromada)
        .filter(status__in=PUBLIC_STATUSES)
        .select_related("cycle", "category")
        .order_by("cycle__created_at", "cycle_id", "number")
    )
    for p in rows.iterator(chunk_size=500):
        published = p.cycle.results_published_at is not None
        yield {
            "id": str(p.public_id),
            "cycle": p.cycle.slug,
            "number": p.number,
            "title": p.title,
            "category": p.category.title,
            "status": p.status,
            "author": p.author_name,
            "cost": int(p.cost),
            "reviewed_cost": int(p.reviewed_cost) if p.reviewed_cost is not None else None,
            "cofunding_amount": int(p.cofunding_amount),
            "cofunding_partner": p.cofunding_partner,
            "lat": p.lat,
            "lon": p.lon,
            "submitted_at": _iso(p.submitted_at),
            "votes": p.vote_count if published else None,
            "outcome": p.outcome or None,
        }


def review_rows(*, hromada) -> Iterator[dict[str, Any]]:
    """Decided reviews of public projects: the decision and its public reasons."""
    rows = (
        Review.objects.for_hromada(hromada)
        .exclude(decision="")
        .filter(project__status__in=PUBLIC_STATUSES)
        .select_related("project", "department")
        .order_by("project__cycle_id", "project__number")
    )
    for r in rows.iterator(chunk_size=500):
        yield {
            "project": str(r.project.public_id),
            "number": r.project.number,
            "department": r.department.name if r.department else None,
            "decision": r.decision,
            "reasons": r.reasons,
            "decided_at": _iso(r.decided_at),
            "checklist": dict(r.checklist or {}),
        }


def result_rows(*, hromada) -> Iterator[dict[str, Any]]:
    """Each project's votes, rank and whether it won, per category of every cycle whose
    results are published: the tally recounted from the ledger."""
    cycles = (
        Cycle.objects.for_hromada(hromada).filter(results_published_at__isnull=False).order_by("created_at")
    )
    for cycle in cycles.select_related("hromada", "plan"):
        projects = {str(p.public_id): p for p in Project.objects.for_hromada(hromada).filter(cycle=cycle)}
        for category in cycle_tally(cycle)["categories"]:
            for rank, item in enumerate(category["ranking"], 1):
                project = projects.get(item["project"])
                yield {
                    "cycle": cycle.slug,
                    "category": category["title"],
                    "project": item["project"],
                    "number": project.number if project else None,
                    "title": project.title if project else "",
                    "cost": item["cost"],
                    "votes": item["votes"],
                    "rank": rank,
                    "winner": item["winner"],
                }


def turnout_rows(*, hromada) -> Iterator[dict[str, Any]]:
    """Ballots by cycle, category, channel, age group and district; cells under 5 null."""
    rows = (
        Ballot.objects.for_hromada(hromada)
        .order_by()
        .values_list("category__cycle__slug", "category__title", "channel", "age_group", "district__name")
        .annotate(n=Count("id"))
        .order_by("category__cycle__slug", "category__title", "channel", "age_group", "district__name")
    )
    for cycle, category, channel, age_group, district, n in rows:
        yield {
            "cycle": cycle,
            "category": category,
            "channel": channel,
            "age_group": age_group or None,
            "district": district,
            "ballots": n if n >= SMALL_CELL else None,
        }
