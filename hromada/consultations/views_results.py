"""The public results page, its exports and the published report. Thin: the reads are
in result_selectors, the report in services.reports."""

from __future__ import annotations

from typing import Any

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hromada.core.errors import NotFound
from hromada.core.opendata import csv_response, json_response

from . import exports, result_selectors, rules, selectors
from .models import CHOICE_KINDS, QuestionKind, Report
from .services.reports import report_of

EXPORT_FIELDS = [
    "consultation",
    "number",
    "question",
    "question_kind",
    "option",
    "answers",
    "share",
    "mean",
    "median",
]


def _consultation(request, number: int):
    try:
        return selectors.consultation_get(hromada=request.hromada, number=number)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def results_context(request, consultation, *, staff: bool = False) -> dict:
    """What the results page shows (the staff view shares it): all from the results
    snapshot, except the page of moderated texts being read."""
    by = request.GET.get("by", "")
    by = by if by in result_selectors.BY_CHOICES else ""
    snapshot = result_selectors.snapshot_of(consultation)
    results = snapshot.results
    questions = []
    for q in results.questions:
        item: dict[str, Any] = {"result": q, "crosstab": None, "texts": None, "layers": None}
        if by and (q.kind in CHOICE_KINDS or q.kind == QuestionKind.SCALE):
            item["crosstab"] = result_selectors.crosstab_from(snapshot, q, by)
        if q.is_text:
            item["texts"] = result_selectors.text_answers(
                consultation, q.pk, page=request.GET.get(f"p{q.order}", 1), shown=q.shown_texts
            )
        if q.kind == QuestionKind.POINT and q.points and q.points["features"] and consultation.number:
            url = reverse("consultations:results_points", args=[consultation.number, q.id])
            item["layers"] = [{"name": q.text, "url": url, "kind": "points"}]
        questions.append(item)
    report = report_of(consultation)
    return {
        "consultation": consultation,
        "results": results,
        "computed_at": snapshot.computed_at,
        "final": snapshot.final,
        "questions": questions,
        "by": by,
        "staff": staff,
        "phase": rules.phase_code(consultation),
        "report": report if report is not None and report.published_at else None,
    }


@require_GET
def results(request, number: int):
    consultation = _consultation(request, number)
    if not rules.results_visible(consultation, request.user):
        return render(
            request,
            "consultations/results/hidden.html",
            {"consultation": consultation, "phase": rules.phase_code(consultation)},
        )
    return render(request, "consultations/results/results.html", results_context(request, consultation))


@require_GET
def results_points(request, number: int, qid):
    consultation = _consultation(request, number)
    if not rules.results_visible(consultation, request.user):
        raise Http404
    found = result_selectors.results_of(consultation).question(qid)
    if found is None or found.points is None:
        raise Http404
    return JsonResponse(found.points)


@require_GET
def results_export(request, number: int, fmt: str):
    consultation = _consultation(request, number)
    if fmt not in ("csv", "json") or not rules.results_visible(consultation, request.user):
        raise Http404
    rows = exports.question_rows(consultation)
    filename = f"consultation-{consultation.number}-results"
    if fmt == "csv":
        return csv_response(rows, filename=filename, fieldnames=EXPORT_FIELDS)
    return json_response(rows, filename=filename)


@require_GET
def report(request, number: int):
    consultation = _consultation(request, number)
    found: Report | None = report_of(consultation)
    if found is None or found.published_at is None:
        raise Http404
    return render(
        request, "consultations/results/report.html", {"consultation": consultation, "report": found}
    )
