"""Budget API: voting. Thin: parse, call one service or selector, serialise. Errors are
the services' DomainErrors with their stable codes (ErrorOut)."""

from __future__ import annotations

import datetime as dt
import uuid

from ninja import Router, Schema, Status
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core.pagination import paginated
from hromada.core.ratelimit import rate_limit

from . import rules, selectors, voting_selectors
from .services import residency as residency_service
from .services import school_codes, voting

router = Router(tags=["budget"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class BallotIn(Schema):
    choices: list[str] = Field(
        description="Public ids of the chosen projects of this category", max_length=200
    )


class SchoolBallotIn(BallotIn):
    code: str = Field(description="The printed single-use code (with or without the dash)", max_length=40)


class BallotOut(Schema):
    category: uuid.UUID
    channel: str
    choices: list[str]
    cast_at: dt.datetime
    receipt: str = Field(description="The voter's pseudonym on the ledger entry: find it at /ledger/receipt/")


class MyBallotOut(Schema):
    category: uuid.UUID
    category_title: str
    channel: str
    choices: list[str]
    cast_at: dt.datetime
    receipt: str


class ResidencyIn(Schema):
    address: str = Field(max_length=300, description="The address the person lives at, as people type it")


class AreaOut(Schema):
    name: str
    kind: str


class ResidencyOut(Schema):
    address: str
    inside_hromada: bool
    areas: list[AreaOut]


def _ballot_out(ballot, category) -> dict:
    return {
        "category": category.public_id,
        "channel": ballot.channel,
        "choices": ballot.choices,
        "cast_at": ballot.cast_at,
        "receipt": ballot.voter,
    }


@router.post(
    "/budget/categories/{uuid:public_id}/ballots",
    auth=session_or_token,
    response={201: BallotOut, **ERRORS},
    summary="Cast a ballot in a category (one per person, whichever channel; final when cast)",
    throttle=[],  # not rate-limited: one person, one ballot is the limit
)
def cast_ballot(request: ApiRequest, public_id: uuid.UUID, payload: BallotIn):
    ctx = voting_selectors.ballot_context(hromada=request.hromada, public_id=public_id)
    ballot = voting.ballot_cast(category=ctx.category, user=request.auth, choices=payload.choices)
    return Status(201, _ballot_out(ballot, ctx.category))


@router.post(
    "/budget/categories/{uuid:public_id}/school-ballots",
    response={201: BallotOut, **ERRORS},
    summary="Cast a pupil's ballot with a printed school code (no account)",
)
def cast_school_ballot(request: ApiRequest, public_id: uuid.UUID, payload: SchoolBallotIn):
    ctx = voting_selectors.ballot_context(hromada=request.hromada, public_id=public_id)
    # Every attempt counts, a refused one too: guessing codes is slowed down.
    rate_limit(request, "budget.school_vote")
    ballot = school_codes.school_ballot_cast(
        category=ctx.category, code=payload.code, choices=payload.choices
    )
    return Status(201, _ballot_out(ballot, ctx.category))


@router.get(
    "/budget/cycles/{slug}/my-ballots",
    auth=session_or_token,
    response={200: list[MyBallotOut], **ERRORS},
    summary="My ballots in a cycle (online, and those entered for me on paper)",
)
@paginated(page_size=50)
def my_ballots(request: ApiRequest, slug: str):
    cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    _refusal, standing = rules.participant_refusal(request.auth, cycle)
    voter = rules.voter_pseudonym(cycle=cycle, person_key=standing.person_key)
    ballots = voting_selectors.voted_categories(cycle=cycle, voter=voter, user=request.auth)
    titles = {c.pk: c for c in selectors.categories_of(cycle)}
    return [
        {
            "category": titles[b.category_id].public_id,
            "category_title": titles[b.category_id].title,
            "channel": b.channel,
            "choices": b.choices,
            "cast_at": b.cast_at,
            "receipt": b.voter,
        }
        for b in sorted(ballots.values(), key=lambda b: b.cast_at)
        if b.category_id in titles
    ]


@router.post(
    "/budget/cycles/{slug}/residency",
    auth=session_or_token,
    response={200: ResidencyOut, **ERRORS},
    summary="Declare the address I live at for a cycle (decides the district pots; changeable until I vote)",
)
def declare_residency(request: ApiRequest, slug: str, payload: ResidencyIn):
    cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    with rate_limit(request, "budget.residency"):
        row = residency_service.residency_declare(cycle=cycle, user=request.auth, address=payload.address)
    return {
        "address": row.address,
        "inside_hromada": row.inside_hromada,
        "areas": [{"name": a.name, "kind": a.kind} for a in row.areas.all()],
    }
