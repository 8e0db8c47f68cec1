"""A person's consultations data: the export and the erasure (module.py personal_*).

Users are install-wide: both functions cover every hromada. The erasure runs inside
the account deletion's transaction: submitted responses stay counted under their
pseudonym with the account unlinked (results still add up, and the same person cannot
answer twice); drafts are deleted; proposals stay in the public record with the
author's name replaced by a neutral label; supports are unlinked; follows deleted."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .models import Answer, Follow, Proposal, Response, ResponseStatus, Support

ERASED_NAME = "Учасник консультації"


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _answer(a: Answer) -> dict[str, Any]:
    return {
        "question": a.question.text,
        "option": a.option.label if a.option is not None else None,
        "rank": a.rank,
        "number": str(a.number) if a.number is not None else None,
        "text": a.text or None,
        "lat": a.lat,
        "lon": a.lon,
    }


def personal_data(*, user) -> dict[str, Any]:
    responses = list(
        Response.objects.filter(user=user).select_related("hromada", "consultation").order_by("created_at")
    )
    answers: dict[int, list] = {}
    for a in (
        Answer.objects.filter(response__in=responses)
        .select_related("question", "option")
        .order_by("response_id", "question__order", "rank", "id")
    ):
        answers.setdefault(a.response_id, []).append(_answer(a))
    return {
        "responses": [
            {
                "hromada": r.hromada.slug,
                "consultation": str(r.consultation.public_id),
                "consultation_title": r.consultation.title,
                "status": r.status,
                "receipt": r.participant,
                "submitted_at": _iso(r.submitted_at),
                "age_group": r.age_group,
                "answers": answers.get(r.pk, []),
            }
            for r in responses
        ],
        "proposals": [
            {
                "hromada": p.hromada.slug,
                "consultation": str(p.consultation.public_id),
                "number": p.number,
                "title": p.title,
                "body": p.body,
                "wording": p.wording,
                "author_name": p.author_name,
                "status": p.status,
                "reason": p.reason,
                "submitted_at": _iso(p.created_at),
            }
            for p in Proposal.objects.filter(author=user)
            .select_related("hromada", "consultation")
            .order_by("created_at")
        ],
        "supports": [
            {
                "hromada": s.hromada.slug,
                "consultation": str(s.proposal.consultation.public_id),
                "proposal": s.proposal.number,
                "proposal_title": s.proposal.title,
                "supported_at": _iso(s.at),
            }
            for s in Support.objects.filter(user=user)
            .select_related("hromada", "proposal__consultation")
            .order_by("at")
        ],
        "follows": [
            {
                "hromada": f.hromada.slug,
                "consultation": str(f.consultation.public_id) if f.consultation_id else None,
                "consultation_title": f.consultation.title
                if f.consultation_id
                else _("усі нові консультації"),
                "since": _iso(f.at),
            }
            for f in Follow.objects.filter(user=user).select_related("hromada", "consultation").order_by("at")
        ],
    }


def personal_data_erase(*, user) -> None:
    with transaction.atomic():
        Response.objects.filter(user=user, status=ResponseStatus.DRAFT).delete()
        Response.objects.filter(user=user).update(user=None)
        Proposal.objects.filter(author=user).update(author=None, author_name=ERASED_NAME)
        Support.objects.filter(user=user).update(user=None)
        Follow.objects.filter(user=user).delete()
