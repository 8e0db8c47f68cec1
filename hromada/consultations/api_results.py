"""results part: API (/api/v1/consultations/{number}/results, …/report). Thin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from ninja import Router

from hromada.core.errors import DomainError

from . import exports, result_selectors, rules, selectors
from .services.reports import report_of

router = Router()


@router.get("consultations/{number}/results", response=dict[str, Any], url_name="consultations_results")
def results(request, number: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    if not rules.results_visible(consultation, request.user):
        raise DomainError(
            "results_hidden", _("Результати буде оприлюднено після завершення консультації."), status=403
        )
    snapshot = result_selectors.snapshot_of(consultation)
    return {
        "consultation": str(consultation.public_id),
        "number": consultation.number,
        "responses": snapshot.results.respondents,
        "computed_at": snapshot.computed_at.isoformat(),
        "final": snapshot.final,
        "rows": list(exports.question_rows(consultation, snapshot=snapshot)),
    }


@router.get("consultations/{number}/report", response=dict[str, Any], url_name="consultations_report")
def report(request, number: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    found = report_of(consultation)
    if found is None or found.published_at is None:
        raise DomainError("report_not_published", _("Звіт про результати ще не оприлюднено."), status=404)
    return {
        "consultation": str(consultation.public_id),
        "number": consultation.number,
        "text": found.text,
        "outcome": found.outcome,
        "decision_url": found.decision_url,
        "figures": found.figures,
        "published_at": found.published_at.isoformat(),
    }
