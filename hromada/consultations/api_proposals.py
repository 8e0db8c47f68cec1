"""Proposals part of the consultations API (/api/v1/consultations/{number}/…): the draft
act's text, proposals (list, one, submit) and support. Thin: parse, call a selector or
service, serialise; errors carry the services' stable codes."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core.errors import DomainError
from hromada.core.pagination import paginated
from hromada.core.ratelimit import rate_limit
from hromada.tenancy.http import HromadaRequest

from . import proposal_selectors as ps
from . import selectors
from .models import ProposalStatus
from .services import proposals as svc

router = Router()

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ParagraphOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    number: str
    heading: bool
    text: str
    proposals: int = 0


class TextOut(Schema):
    consultation: int
    title: str
    paragraphs: list[ParagraphOut]


class ProposalOut(Schema):
    number: int
    paragraph: str | None = Field(description="The paragraph's number, or null for the whole act")
    title: str
    body: str
    wording: str
    author: str = Field(description="Empty when the consultation is anonymous")
    status: str = Field(description="pending, accepted, partly, rejected or withdrawn")
    reason: str = Field(description="The staff's reason for the decision")
    answered_at: dt.datetime | None
    support_count: int
    created_at: dt.datetime

    @staticmethod
    def resolve_paragraph(obj) -> str | None:
        return obj.paragraph.number if obj.paragraph_id else None

    @staticmethod
    def resolve_author(obj) -> str:
        return obj.author_name

    @staticmethod
    def resolve_reason(obj) -> str:
        return obj.reason if obj.status != ProposalStatus.HIDDEN else ""


class ProposalIn(Schema):
    title: str = Field(max_length=200)
    body: str = Field("", max_length=20_000)
    wording: str = Field("", max_length=20_000)
    paragraph: uuid.UUID | None = Field(None, description="The paragraph's id (from …/text)")


class ProposalQuery(Schema):
    status: str | None = Field(None, description="pending, accepted, partly, rejected, withdrawn or answered")
    paragraph: uuid.UUID | None = None
    order: str = Field("new", description="new or supported")


class SupportOut(Schema):
    supported: bool
    support_count: int
    receipt: str


@router.get(
    "/consultations/{int:number}/text",
    response={200: TextOut, 404: ErrorOut},
    summary="The draft act under discussion as numbered paragraphs",
)
def get_text(request: HromadaRequest, number: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    counts = ps.paragraph_counts(consultation)
    paragraphs = [
        {
            "public_id": p.public_id,
            "number": p.number,
            "heading": p.heading,
            "text": p.text,
            "proposals": counts.get(p.pk, 0),
        }
        for p in ps.paragraphs_of(consultation)
    ]
    return {"consultation": consultation.number, "title": consultation.title, "paragraphs": paragraphs}


@router.get(
    "/consultations/{int:number}/proposals",
    response=list[ProposalOut],
    summary="A consultation's public proposals with their answers",
)
@paginated(page_size=20)
def list_proposals(request: HromadaRequest, number: int, filters: Query[ProposalQuery]):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    paragraph = ps.paragraph_get(consultation, filters.paragraph) if filters.paragraph else None
    status = filters.status if filters.status in (*ProposalStatus.values, "answered") else None
    if status == ProposalStatus.HIDDEN:
        status = None
    order = filters.order if filters.order in ("new", "supported") else "new"
    return ps.proposals_of(consultation, paragraph=paragraph, status=status, order=order)


@router.get(
    "/consultations/{int:number}/proposals/{int:n}",
    response={200: ProposalOut, 404: ErrorOut},
    summary="One proposal with its answer",
)
def get_proposal(request: HromadaRequest, number: int, n: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    return ps.proposal_get(consultation, n, user=request.user)


@router.post(
    "/consultations/{int:number}/proposals",
    auth=session_or_token,
    response={201: ProposalOut, **ERRORS},
    summary="Submit a proposal (with `wording` for a paragraph of a draft act)",
    description="Codes: `proposals_not_allowed`, `closed`, `not_open_yet`, `wording_required`, "
    "`title_required`, `paragraph_invalid`, and the participation refusals (`identity_required`, …).",
)
def submit_proposal(request: ApiRequest, number: int, payload: ProposalIn):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    paragraph = None
    if payload.paragraph is not None:
        try:
            paragraph = ps.paragraph_get(consultation, payload.paragraph)
        except DomainError:
            raise DomainError(
                "paragraph_invalid", _("Такого пункту в тексті проєкту немає."), field="paragraph"
            ) from None
    with rate_limit(request, "consultations.propose"):
        proposal = svc.proposal_submit(
            consultation=consultation,
            user=request.auth,
            title=payload.title,
            body=payload.body,
            wording=payload.wording,
            paragraph=paragraph,
        )
    return Status(201, proposal)


@router.post(
    "/consultations/{int:number}/proposals/{int:n}/support",
    auth=session_or_token,
    response={201: SupportOut, **ERRORS},
    summary="Support a proposal (one per person; not one's own)",
    throttle=[],  # one person, one support is the limit
)
def support_proposal(request: ApiRequest, number: int, n: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    proposal = ps.proposal_get(consultation, n, user=request.auth)
    support = svc.proposal_support(proposal=proposal, user=request.auth)
    return Status(
        201, {"supported": True, "support_count": proposal.support_count, "receipt": support.participant}
    )
