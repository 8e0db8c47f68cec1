"""A person's budget data: the export and the erasure (module.py personal_*).

Users are install-wide (ADR 0001): both functions cover every hromada. The erasure runs
inside the account deletion's transaction."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction

from .models import Authorisation, Ballot, CoAuthor, Project, ProjectFile, ProjectStatus, Residency, Support


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def personal_data(*, user) -> dict[str, Any]:
    """The person's projects, co-authorships, supports, residencies, the staff
    authorisations about them and their online ballots (category and choices)."""
    return {
        "projects": [
            {
                "hromada": p.hromada.slug,
                "cycle": p.cycle.slug,
                "id": str(p.public_id),
                "number": p.number,
                "title": p.title,
                "status": p.status,
                "author_name": p.author_name,
                "submitted_at": _iso(p.submitted_at),
                # A draft's text is shown nowhere else: it goes with the export.
                "summary": p.summary if p.status in (ProjectStatus.DRAFT, ProjectStatus.WITHDRAWN) else None,
                "description": p.description
                if p.status in (ProjectStatus.DRAFT, ProjectStatus.WITHDRAWN)
                else None,
            }
            for p in Project.objects.filter(author=user)
            .select_related("hromada", "cycle")
            .order_by("created_at")
        ],
        "coauthorships": [
            {
                "hromada": c.project.hromada.slug,
                "project": str(c.project.public_id),
                "project_title": c.project.title,
                "invited_at": _iso(c.created_at),
                "accepted_at": _iso(c.accepted_at),
            }
            for c in CoAuthor.objects.filter(user=user).select_related("project__hromada").order_by("id")
        ],
        "supports": [
            {
                "hromada": s.project.hromada.slug,
                "project": str(s.project.public_id),
                "project_title": s.project.title,
                "supported_at": _iso(s.created_at),
            }
            for s in Support.objects.filter(user=user)
            .select_related("project__hromada")
            .order_by("created_at")
        ],
        "residencies": [
            {
                "hromada": r.hromada.slug,
                "cycle": r.cycle.slug,
                "address": r.address,
                "inside_hromada": r.inside_hromada,
                "areas": [a.name for a in r.areas.all()],
                "declared_at": _iso(r.created_at),
            }
            for r in Residency.objects.filter(user=user).select_related("hromada", "cycle").order_by("id")
        ],
        "authorisations": [
            {
                "hromada": a.hromada.slug,
                "cycle": a.cycle.slug,
                "reason": a.reason,
                "document_seen": a.document_seen,
                "note": a.note,
                "granted_at": _iso(a.created_at),
                "revoked_at": _iso(a.revoked_at),
            }
            for a in Authorisation.objects.filter(user=user).select_related("hromada", "cycle").order_by("id")
        ],
        "ballots": [
            {
                "hromada": b.hromada.slug,
                "cycle": b.category.cycle.slug,
                "category": b.category.title,
                "category_id": str(b.category.public_id),
                "channel": b.channel,
                "choices": list(b.choices),
                "cast_at": _iso(b.cast_at),
            }
            for b in Ballot.objects.filter(user=user)
            .select_related("hromada", "category__cycle")
            .order_by("cast_at")
        ],
    }


def personal_data_erase(*, user) -> None:
    """The budget part of deleting an account: drafts (never public) and their files,
    residencies and invitations not accepted go; ballots and supports stay counted
    under their pseudonyms, with the link to the account removed; submitted projects
    keep the author's public name (module.py kept_on_erase)."""
    drafts = Project.objects.filter(author=user, status=ProjectStatus.DRAFT)
    for item in ProjectFile.objects.filter(project__in=drafts):
        transaction.on_commit(partial(item.file.delete, save=False))
    drafts.delete()
    Residency.objects.filter(user=user).delete()
    CoAuthor.objects.filter(user=user, accepted_at__isnull=True).delete()
    Ballot.objects.filter(user=user).update(user=None)
    Support.objects.filter(user=user).update(user=None)
    Authorisation.objects.filter(user=user).update(user=None)
