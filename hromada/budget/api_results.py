"""Budget API: results and turnout (public reads). The results are the tally JSON that
tools/budget_tally.py prints from the ledger export, plus titles and turnout."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from hromada.api.schemas import ErrorOut
from hromada.core.errors import DomainError
from hromada.tenancy.http import HromadaRequest

from . import result_selectors, selectors

router = Router(tags=["budget"])


class CycleRef(Schema):
    slug: str
    id: str = Field(description="The cycle's id on the ledger (--cycle of tools/budget_tally.py)")
    title: str


class TurnoutRow(Schema):
    key: str
    label: str
    ballots: int | None = Field(description="null: fewer than `small_cell` ballots, not shown")


class TurnoutOut(Schema):
    cycle: str
    ballots: int
    voters: int = Field(description="Distinct voters (per-cycle pseudonyms) in all categories")
    population: int
    population_share: float | None
    small_cell: int
    by_category: list[TurnoutRow]
    by_channel: list[TurnoutRow]
    by_age_group: list[TurnoutRow]
    by_district: list[TurnoutRow]


class ResultsOut(Schema):
    cycle: CycleRef
    published_at: dt.datetime | None
    voting_closed_at: dt.datetime | None
    tally: dict[str, Any] = Field(description="Exactly what tools/budget_tally.py prints for this cycle")
    titles: dict[str, str] = Field(description="Project titles by project id")
    turnout: TurnoutOut


@router.get(
    "/budget/cycles/{slug}/results",
    response={200: ResultsOut, 404: ErrorOut, 409: ErrorOut},
    summary="A cycle's results, recounted from the ledger (after they are published)",
)
def cycle_results(request: HromadaRequest, slug: str):
    cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    if not result_selectors.results_public(cycle):
        raise DomainError("results_not_published", _("Підсумки цього циклу ще не оприлюднено."), status=409)
    return result_selectors.results_document(cycle)


@router.get(
    "/budget/cycles/{slug}/turnout",
    response={200: TurnoutOut, 404: ErrorOut},
    summary="A cycle's turnout so far: ballots by category, channel, age group and district",
)
def cycle_turnout(request: HromadaRequest, slug: str):
    cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    return result_selectors.turnout_document(cycle)
