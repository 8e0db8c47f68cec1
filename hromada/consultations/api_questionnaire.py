"""Questionnaire API (/api/v1/consultations/{number}/…): the questionnaire, my draft
(PUT: saved, invalid answers come back in `errors` and the earlier ones are kept), my
submission (POST: final, one per person) and my response (GET). Thin: parse, call one
service or selector, serialise. Answering is not throttled by the per-token write
budget: one response per person is the limit (like budget's ballots)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut, FieldErrorOut
from hromada.core.errors import DomainError, NotFound
from hromada.places import selectors as places

from . import selectors
from .questionnaire_selectors import questionnaire_of, response_raw
from .services import participation, responses

router = Router(tags=["consultations"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class OptionOut(Schema):
    id: uuid.UUID
    label: str


class QuestionOut(Schema):
    id: uuid.UUID
    number: int = Field(description="Its place in the questionnaire, 1-based")
    kind: str = Field(description="single, multiple, ranking, scale, number, short, long, point")
    text: str
    help: str
    required: bool
    options: list[OptionOut]
    conditions: list[uuid.UUID] = Field(
        description="Shown only when an earlier answer includes any of these option ids (empty: always)"
    )
    min_choices: int
    max_choices: int = Field(description="multiple: the most choices (0: no limit)")
    rank_count: int = Field(description="ranking: how many options to rank")
    scale_min: int
    scale_max: int
    scale_min_label: str
    scale_max_label: str
    number_min: Decimal | None
    number_max: Decimal | None


class SectionOut(Schema):
    title: str
    description: str
    questions: list[QuestionOut]


class QuestionnaireOut(Schema):
    consultation: uuid.UUID
    number: int
    title: str
    sections: list[SectionOut]


class ResponseIn(Schema):
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description=(
            "{question id: value}: an option id (single), a list of option ids (multiple; ranking in "
            'rank order), a number (scale, number), text (short, long), {"lat": …, "lon": …} (point)'
        ),
    )
    address: str = Field("", max_length=300, description="For a consultation limited to a district or okrug")
    area: uuid.UUID | None = Field(None, description="My district or okrug (optional, for the results)")


class DraftOut(Schema):
    status: str
    receipt: str
    answers: dict[str, Any]
    errors: list[FieldErrorOut] = Field(description="Answers not saved (the earlier ones are kept)")


class SubmittedOut(Schema):
    status: str
    submitted_at: dt.datetime
    receipt: str = Field(description="The participant's pseudonym on the ledger entry: /ledger/receipt/")
    answers: int = Field(description="How many questions were answered")


class MineOut(Schema):
    status: str
    submitted_at: dt.datetime | None
    receipt: str
    answers: dict[str, Any]


def _question(q) -> dict:
    return {
        "id": q.id,
        "number": q.number,
        "kind": q.kind,
        "text": q.text,
        "help": q.help,
        "required": q.required,
        "options": [{"id": o.id, "label": o.label} for o in q.options],
        "conditions": list(q.conditions),
        "min_choices": q.min_choices,
        "max_choices": q.max_choices,
        "rank_count": q.rank_count,
        "scale_min": q.scale_min,
        "scale_max": q.scale_max,
        "scale_min_label": q.scale_min_label,
        "scale_max_label": q.scale_max_label,
        "number_min": q.number_min,
        "number_max": q.number_max,
    }


def _area(request: ApiRequest, key: uuid.UUID | None):
    if key is None:
        return None
    found = places.area_list(hromada=request.hromada).filter(public_id=key).first()
    if found is None:
        raise DomainError("area_invalid", _("Такого району чи округу в громаді немає."), field="area")
    return found


def _raw_json(raw: dict) -> dict:
    return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in raw.items()}


@router.get(
    "/consultations/{int:number}/questionnaire",
    response={200: QuestionnaireOut, **ERRORS},
    summary="The questionnaire of a consultation: sections, questions, options, conditions",
)
def questionnaire(request: ApiRequest, number: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    tree = questionnaire_of(consultation)
    return {
        "consultation": consultation.public_id,
        "number": consultation.number,
        "title": consultation.title,
        "sections": [
            {"title": s.title, "description": s.description, "questions": [_question(q) for q in s.questions]}
            for s in tree.sections
        ],
    }


@router.put(
    "/consultations/{int:number}/response",
    auth=session_or_token,
    response={200: DraftOut, **ERRORS},
    summary="Save my draft (partial answers allowed; invalid ones are listed in errors, not saved)",
    throttle=[],
)
def response_save(request: ApiRequest, number: int, payload: ResponseIn):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    saved = responses.response_save(
        consultation=consultation,
        user=request.auth,
        raw=payload.answers,
        address=payload.address,
        area=_area(request, payload.area),
    )
    return {
        "status": saved.response.status,
        "receipt": saved.response.participant,
        "answers": _raw_json(response_raw(saved.response, questionnaire_of(consultation))),
        "errors": [
            {"field": qid, "code": saved.codes.get(qid, "invalid"), "message": message}
            for qid, message in saved.errors.items()
        ],
    }


@router.post(
    "/consultations/{int:number}/response",
    auth=session_or_token,
    response={201: SubmittedOut, **ERRORS},
    summary="Submit my answers (final; one per person — a second is already_answered 409)",
    throttle=[],  # not rate-limited: one person, one response is the limit
)
def response_submit(request: ApiRequest, number: int, payload: ResponseIn):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    response = responses.response_submit(
        consultation=consultation,
        user=request.auth,
        raw=payload.answers,
        address=payload.address,
        area=_area(request, payload.area),
    )
    return Status(
        201,
        {
            "status": response.status,
            "submitted_at": response.submitted_at,
            "receipt": response.participant,
            "answers": response.answers.values("question_id").distinct().count(),
        },
    )


@router.get(
    "/consultations/{int:number}/response",
    auth=session_or_token,
    response={200: MineOut, **ERRORS},
    summary="My response: the draft or what I submitted",
)
def response_mine(request: ApiRequest, number: int):
    consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    response = participation.response_of(consultation, request.auth)
    if response is None:
        raise NotFound("no_response", _("Ви ще не відповідали на це опитування."))
    return {
        "status": response.status,
        "submitted_at": response.submitted_at,
        "receipt": response.participant,
        "answers": _raw_json(response_raw(response, questionnaire_of(consultation))),
    }
