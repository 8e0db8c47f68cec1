"""Consultations API (/api/v1/consultations/…): every public read and every participant's
action. Each part has its own router; thin: parse, call a selector or service."""

from __future__ import annotations

from ninja import Router

from . import api_lifecycle, api_proposals, api_questionnaire, api_results

router = Router(tags=["consultations"])
router.add_router("", api_lifecycle.router)
router.add_router("", api_questionnaire.router)
router.add_router("", api_proposals.router)
router.add_router("", api_results.router)
