"""The module's open datasets (module.py `datasets`): public records and aggregates only.

Consultations are the published and cancelled ones (never drafts). Results are counts
per option and means/medians per question, only where the results are public
(`rules.results_visible` for an anonymous reader); no row names a person. Proposals are
the public ones (not withdrawn or hidden), without their authors' names."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse

from . import result_selectors, rules
from .models import (
    ANSWERED,
    CHOICE_KINDS,
    Consultation,
    Proposal,
    ProposalStatus,
    QuestionKind,
    Report,
    Status,
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _public(hromada):
    return (
        Consultation.objects.for_hromada(hromada)
        .exclude(status=Status.DRAFT)
        .select_related("plan", "hromada")
    )


def consultation_rows(*, hromada) -> Iterator[dict[str, Any]]:
    counts = {
        row["consultation_id"]: row
        for row in Proposal.objects.for_hromada(hromada)
        .exclude(status__in=[ProposalStatus.WITHDRAWN, ProposalStatus.HIDDEN])
        .order_by()
        .values("consultation_id")
        .annotate(n=Count("id"), accepted=Count("id", filter=Q(status__in=["accepted", "partly"])))
    }
    reports = dict(
        Report.objects.for_hromada(hromada)
        .filter(published_at__isnull=False)
        .values_list("consultation_id", "published_at")
    )
    for c in _public(hromada).order_by("number"):
        row = counts.get(c.pk, {})
        yield {
            "id": str(c.public_id),
            "number": c.number,
            "kind": c.kind,
            "title": c.title,
            "initiator": c.initiator,
            "opens_at": _iso(c.opens_at),
            "closes_at": _iso(c.closes_at),
            "participants": c.response_count,
            "proposals": row.get("n", 0),
            "accepted": row.get("accepted", 0),
            "report_published_at": _iso(reports.get(c.pk)),
            "url": _url("consultations:detail", c.number),
        }


def question_rows(
    consultation: Consultation, *, snapshot: result_selectors.Snapshot | None = None
) -> Iterator[dict[str, Any]]:
    """One consultation's result rows (the dataset's fields; the results page's CSV/JSON),
    from its results snapshot."""
    results = (snapshot or result_selectors.snapshot_of(consultation)).results
    for q in results.questions:
        base = {
            "consultation": str(consultation.public_id),
            "number": consultation.number,
            "question": q.text,
            "question_kind": q.kind,
        }
        if q.kind in CHOICE_KINDS:
            for o in q.options:
                mean = o.mean_rank if q.kind == QuestionKind.RANKING else None
                yield base | {
                    "option": o.label,
                    "answers": o.count,
                    "share": round(o.share, 4),
                    "mean": mean,
                    "median": None,
                }
        elif q.kind == QuestionKind.SCALE:
            for value, n in q.distribution:
                share = round(n / q.answered, 4) if q.answered else 0.0
                yield base | {
                    "option": str(value),
                    "answers": n,
                    "share": share,
                    "mean": q.mean,
                    "median": q.median,
                }
        elif q.kind == QuestionKind.NUMBER:
            yield base | {
                "option": "",
                "answers": q.answered,
                "share": None,
                "mean": q.mean,
                "median": q.median,
            }
        else:  # text and point answers: how many, never what or where
            yield base | {"option": "", "answers": q.answered, "share": None, "mean": None, "median": None}


def result_rows(*, hromada) -> Iterator[dict[str, Any]]:
    for c in _public(hromada).filter(status=Status.PUBLISHED).order_by("number"):
        if rules.results_visible(c, None):
            yield from question_rows(c)


def proposal_rows(*, hromada) -> Iterator[dict[str, Any]]:
    rows = (
        Proposal.objects.for_hromada(hromada)
        .exclude(status__in=[ProposalStatus.WITHDRAWN, ProposalStatus.HIDDEN])
        .exclude(consultation__status=Status.DRAFT)
        .select_related("consultation", "paragraph")
        .order_by("consultation__number", "number")
    )
    for p in rows.iterator(chunk_size=500):
        yield {
            "consultation": str(p.consultation.public_id),
            "number": p.consultation.number,
            "proposal": p.number,
            "paragraph": p.paragraph.number if p.paragraph_id else "",
            "title": p.title,
            "wording": p.wording,
            "supports": p.support_count,
            "status": p.status,
            "reason": p.reason if p.status in ANSWERED else "",
        }
