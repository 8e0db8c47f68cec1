"""Lifecycle part: API (/api/v1/consultations…): the list with its filters, one
consultation (phase, dates, documents, audience, links), following. Thin."""

import datetime as dt
import uuid

from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core.pagination import paginated
from hromada.tenancy.http import HromadaRequest

from . import rules, selectors
from .services import follows
from .staff_common import safe_url

router = Router()

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ConsultationFilters(Schema):
    kind: str = Field("", description="survey, consultation or discussion")
    state: str = Field("", description="upcoming, open or closed (cancelled ones count as closed)")
    q: str = Field("", max_length=100, description="Words in the title")


class ConsultationOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    number: int
    kind: str
    title: str
    summary: str
    phase: str = Field(description="upcoming, open, report (closed, report due), closed or cancelled")
    opens_at: dt.datetime
    closes_at: dt.datetime
    participants: int = Field(description="Submitted responses")
    url: str

    @staticmethod
    def resolve_phase(obj) -> str:
        return rules.phase_code(obj)

    @staticmethod
    def resolve_participants(obj) -> int:
        return obj.response_count

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("consultations:detail", args=[obj.number])


class StepOut(Schema):
    code: str = Field(description="open, report or report_published")
    name: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None
    state: str = Field(description="past, current, future or cancelled")


class DocumentOut(Schema):
    title: str
    url: str
    content_type: str
    size: int


class AudienceOut(Schema):
    audience: str = Field(description="account, email or verified")
    min_age: int
    area: str | None = Field(description="The district or okrug whose residents take part, if limited")


class ExtensionOut(Schema):
    old_ends_at: dt.datetime
    new_ends_at: dt.datetime
    reason: str


class ConsultationDetailOut(ConsultationOut):
    question: str
    body: str
    initiator: str
    contact: str
    cancelled_reason: str
    anonymous: bool
    results_visibility: str
    allow_proposals: bool
    allow_comments: bool
    timeline: list[StepOut]
    extensions: list[ExtensionOut]
    documents: list[DocumentOut]
    who: AudienceOut
    links: dict[str, str] = Field(description="Pages of the consultation's parts that exist: answer, text, …")

    @staticmethod
    def resolve_timeline(obj) -> list:
        return selectors.timeline(obj)

    @staticmethod
    def resolve_extensions(obj) -> list:
        return selectors.extensions_of(obj)

    @staticmethod
    def resolve_documents(obj) -> list[dict]:
        return [
            {
                "title": d.title,
                "url": d.file.url if d.file else d.url,
                "content_type": d.content_type,
                "size": d.size,
            }
            for d in selectors.documents_of(obj)
        ]

    @staticmethod
    def resolve_who(obj) -> dict:
        return {
            "audience": obj.audience,
            "min_age": obj.min_age,
            "area": obj.area.name if obj.area_id else None,
        }

    @staticmethod
    def resolve_links(obj) -> dict[str, str]:
        names = {
            "page": "consultations:detail",
            "answer": "consultations:answer",
            "text": "consultations:text",
            "proposals": "consultations:proposals",
            "results": "consultations:results",
            "report": "consultations:report",
        }
        links = {key: safe_url(name, obj.number) for key, name in names.items()}
        if selectors.report_of(obj) is None:
            links.pop("report", None)
        return {k: v for k, v in links.items() if v}


class FollowOut(Schema):
    following: bool


@router.get("/consultations", response=list[ConsultationOut], summary="Consultations and polls, newest first")
@paginated(page_size=20)
def list_consultations(request: HromadaRequest, filters: Query[ConsultationFilters]):
    return selectors.consultation_list(
        hromada=request.hromada, kind=filters.kind, state=filters.state, q=filters.q
    )


@router.get(
    "/consultations/{int:number}",
    response={200: ConsultationDetailOut, 404: ErrorOut},
    summary="One consultation: its phase, dates, documents, who may take part, links",
)
def get_consultation(request: HromadaRequest, number: int):
    return selectors.consultation_get(hromada=request.hromada, number=number)


@router.post(
    "/consultations/{int:number}/follow",
    auth=session_or_token,
    response={200: FollowOut, **ERRORS},
    summary="Follow a consultation (told of extensions and the report)",
)
def follow_consultation(request: ApiRequest, number: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    follows.follow_add(consultation=consultation, user=request.auth)
    return Status(200, {"following": True})


@router.delete(
    "/consultations/{int:number}/follow",
    auth=session_or_token,
    response={200: FollowOut, **ERRORS},
    summary="Stop following a consultation",
)
def unfollow_consultation(request: ApiRequest, number: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    follows.follow_remove(consultation=consultation, user=request.auth)
    return Status(200, {"following": False})
