"""Petitions API (/api/v1/petitions). Thin: parse, call one service or selector, serialise."""

import datetime as dt
import uuid

from django.utils.translation import gettext as _
from ninja import Body, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core import opendata
from hromada.core.errors import DomainError
from hromada.core.pagination import paginated
from hromada.core.ratelimit import rate_limit
from hromada.tenancy.http import HromadaRequest

from . import selectors, services
from .models import Decision, RejectionReason

router = Router(tags=["petitions"])


class CategoryOut(Schema):
    slug: str
    name: str


class PetitionOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    number: int | None = Field(description="Given at submission; a draft has none")
    title: str
    status: str
    category: CategoryOut | None = Field(description="A draft may have none yet")
    author: str = Field(alias="author_name")
    threshold: int
    signatures: int
    published_at: dt.datetime | None
    collection_ends_at: dt.datetime | None
    consideration_due: dt.date | None = None
    url: str

    @staticmethod
    def resolve_signatures(obj) -> int:
        return selectors.petition_live_count(obj)

    @staticmethod
    def resolve_consideration_due(obj):
        return obj.deadline

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/petitions/{obj.public_id}/"


def _public_answer(obj) -> dict:
    """The petition page's public answer block (staff_selectors.public_answer), read once
    per serialised petition."""
    cached = getattr(obj, "_api_public_answer", None)
    if cached is None:
        from .staff_selectors import public_answer

        cached = obj._api_public_answer = public_answer(obj)
    return cached


class CorrectionOut(Schema):
    date: dt.datetime = Field(alias="created_at", description="When the correction was published")
    reason: str
    text: str = Field(description="The answer's text as corrected")


class AnswerOut(Schema):
    decision: str
    text: str = Field(description="The answer as first published; see corrections for later text")
    current_text: str = Field(description="The text in force: the last correction's, or the original")
    published_at: dt.datetime
    document_url: str | None
    department: str = Field(
        alias="department_name", description="The department that answered, as at publication"
    )
    officer_position: str = Field(description="The answering officer's position, as at publication")
    officer_name: str
    corrections: list[CorrectionOut] = Field(description="Corrections of the published answer, oldest first")

    @staticmethod
    def resolve_document_url(obj):
        return f"/petitions/{obj.petition.public_id}/answer-document" if obj.document else None

    @staticmethod
    def resolve_corrections(obj):
        return list(obj.corrections.order_by("created_at", "id"))

    @staticmethod
    def resolve_current_text(obj) -> str:
        last = obj.corrections.order_by("created_at", "id").last()
        return last.text if last else obj.text


class ExtensionOut(Schema):
    until: dt.date = Field(description="The new deadline of the answer")
    previous_due: dt.date | None = Field(description="The deadline before the extension")
    reason: str
    noticed_at: dt.datetime | None = Field(description="When the extension was published")


class FollowUpStepOut(Schema):
    title: str
    due_date: dt.date
    done_at: dt.datetime | None
    overdue: bool


class FollowUpReportOut(Schema):
    published_at: dt.datetime
    text: str
    step: str | None = Field(description="The promised step the report is about, if any")


class FollowUpOut(Schema):
    steps: list[FollowUpStepOut] = Field(description="The steps promised in the answer, by date")
    reports: list[FollowUpReportOut] = Field(description="Published reports, newest first")


class PetitionDetailOut(PetitionOut):
    text: str
    submitted_at: dt.datetime | None
    revision: int = Field(
        description="Bumped by every edit before moderation; send it with publish/reject so the "
        "decision applies to the text you read (409 petition_changed otherwise)"
    )
    threshold_reached_at: dt.datetime | None
    extension_notice: str = Field(description="The extension's reason (also in extension.reason)")
    extension: ExtensionOut | None = Field(None, description="The deadline's extension, if any")
    rejection_reason: str
    answer: AnswerOut | None = None
    follow_up: FollowUpOut | None = Field(
        None, description="After a supported answer: the promised steps and the published reports"
    )
    sign_after_threshold: bool = Field(
        description="Signatures are still collected after the threshold, until collection_ends_at "
        "(the rule in force when the petition was submitted)"
    )
    signing_open: bool = Field(False, description="Whether the petition takes signatures now")

    @staticmethod
    def resolve_signing_open(obj) -> bool:
        from . import rules

        return rules.signing_open(obj)

    @staticmethod
    def resolve_answer(obj):
        return _public_answer(obj)["answer"]

    @staticmethod
    def resolve_extension(obj):
        if obj.consideration_extended_until is None:
            return None
        return {
            "until": obj.consideration_extended_until,
            "previous_due": obj.consideration_due,
            "reason": obj.extension_notice,
            "noticed_at": obj.extension_noticed_at,
        }

    @staticmethod
    def resolve_follow_up(obj):
        pa = _public_answer(obj)
        if pa["answer"] is None or not (pa["steps"] or pa["updates"]):
            return None
        return {
            "steps": [
                {
                    "title": s["step"].title,
                    "due_date": s["step"].due_date,
                    "done_at": s["step"].done_at,
                    "overdue": s["overdue"],
                }
                for s in pa["steps"]
            ],
            "reports": [
                {"published_at": u.published_at, "text": u.text, "step": u.step.title if u.step else None}
                for u in pa["updates"]
            ],
        }


class SignatureOut(Schema):
    name: str
    signed_at: dt.datetime


class SignResult(Schema):
    signed: bool
    signatures: int
    receipt: str = Field(description="Your pseudonymous signer id, as written in the public ledger")


class ListQuery(Schema):
    q: str = ""
    status: str = ""
    category: str = ""
    sort: str = "newest"


class SubmitIn(Schema):
    title: str
    text: str
    category: str = Field("", description="Category slug (a draft may leave it empty)")
    draft: bool = Field(
        False, description="Save as a draft (not public, not moderated) instead of submitting"
    )


class EditIn(Schema):
    """The fields to change; those left out keep their value."""

    title: str | None = None
    text: str | None = None
    category: str | None = Field(None, description="Category slug")


REVISION_HELP = (
    "The petition's revision you read (PetitionDetailOut.revision). When given, the decision "
    "applies only if the authors have not edited it since: 409 petition_changed otherwise."
)


class PublishIn(Schema):
    revision: int | None = Field(None, ge=1, description=REVISION_HELP)


NO_REVISION = PublishIn(revision=None)  # an empty body: publish whatever revision is current


class RejectIn(Schema):
    reason: RejectionReason
    comment: str = ""
    revision: int | None = Field(None, ge=1, description=REVISION_HELP)


class AnswerIn(Schema):
    decision: Decision
    text: str


class ExtendIn(Schema):
    until: dt.date
    notice: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


@router.get("/petitions", response=list[PetitionOut], summary="List published petitions")
@paginated(page_size=20)
def list_petitions(request: HromadaRequest, filters: Query[ListQuery]):
    return selectors.petition_list(
        hromada=request.hromada, filters=selectors.PetitionFilters(**filters.dict())
    )


@router.get("/petitions/export.json", summary="Open data: all published petitions with counts (JSON)")
def export_json(request: HromadaRequest):
    return opendata.json_response(
        selectors.petition_export_rows(hromada=request.hromada), filename="petitions"
    )


@router.get("/petitions/export.csv", summary="Open data: all published petitions with counts (CSV)")
def export_csv(request: HromadaRequest):
    return opendata.csv_response(
        selectors.petition_export_rows(hromada=request.hromada), filename="petitions"
    )


@router.get("/petitions/{uuid:public_id}", response={200: PetitionDetailOut, 404: ErrorOut})
def get_petition(request: HromadaRequest, public_id: uuid.UUID):
    return selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.user)


@router.get("/petitions/{uuid:public_id}/signatures", response=list[SignatureOut])
@paginated(page_size=50)
def list_signatures(request: HromadaRequest, public_id: uuid.UUID):
    petition = selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.user)
    hromada = request.hromada
    return [
        {"name": selectors.signer_display_name(s.signer_name, hromada=hromada), "signed_at": s.signed_at}
        for s in selectors.petition_signers(petition=petition)
    ]


@router.post(
    "/petitions/{uuid:public_id}/sign",
    auth=session_or_token,
    response={201: SignResult, **ERRORS},
    summary="Sign a petition (one signature per verified person)",
    throttle=[],  # not rate-limited: one person, one signature is the limit
)
def sign_petition(request: ApiRequest, public_id: uuid.UUID):
    petition = selectors.petition_for_signing(hromada=request.hromada, public_id=public_id)
    signature = services.petition_sign(petition=petition, user=request.auth)
    return Status(
        201,
        {
            "signed": True,
            "signatures": selectors.petition_live_count(petition),
            "receipt": services.signer_pseudonym(petition=petition, person_key=signature.person_key),
        },
    )


class FollowResult(Schema):
    following: bool


@router.post(
    "/petitions/{uuid:public_id}/follow",
    auth=session_or_token,
    response={200: FollowResult, **ERRORS},
    summary="Follow a petition without signing it (told of its consideration and answer)",
)
def follow_petition(request: ApiRequest, public_id: uuid.UUID):
    petition = selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.auth)
    services.petition_follow(petition=petition, user=request.auth)
    return {"following": True}


@router.delete(
    "/petitions/{uuid:public_id}/follow",
    auth=session_or_token,
    response={200: FollowResult, **ERRORS},
    summary="Stop following a petition",
)
def unfollow_petition(request: ApiRequest, public_id: uuid.UUID):
    petition = selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.auth)
    services.petition_unfollow(petition=petition, user=request.auth)
    return {"following": False}


@router.post("/petitions", auth=session_or_token, response={201: PetitionDetailOut, **ERRORS})
@router.post(
    "/petitions",
    auth=session_or_token,
    response={201: PetitionDetailOut, **ERRORS},
    summary="Submit a petition for moderation, or save a draft",
    description=(
        'With "draft": true the petition is saved as a draft: only its authors see it, it has no '
        "number and is not moderated until submitted (POST …/submit). An invalid petition is "
        "answered 400 with its first problem's code and field."
    ),
)
def submit_petition(request: ApiRequest, payload: SubmitIn):
    category = (
        selectors.category_get(hromada=request.hromada, slug_or_id=payload.category)
        if payload.category
        else None
    )
    if payload.draft:
        return Status(
            201,
            services.petition_draft_create(
                hromada=request.hromada,
                author=request.auth,
                title=payload.title,
                text=payload.text,
                category=category,
            ),
        )
    with rate_limit(request, "petition.submit"):  # a refused submission is given back
        petition = services.petition_submit(
            hromada=request.hromada,
            author=request.auth,
            title=payload.title,
            text=payload.text,
            category=category,
        )
    return Status(201, petition)


def _authored(request: ApiRequest, public_id: uuid.UUID):
    """A petition the caller wrote or co-authors; 404 for anyone else (as on the pages)."""
    from . import rules

    petition = selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.auth)
    if not rules.is_editor(request.auth, petition):
        raise selectors._not_found()
    return petition


@router.patch(
    "/petitions/{uuid:public_id}",
    auth=session_or_token,
    response={200: PetitionDetailOut, **ERRORS},
    summary="Edit a draft, or a petition in moderation before a moderator acts",
    description="409 `not_editable` once a moderator has acted: nothing is changed then.",
)
def edit_petition(request: ApiRequest, public_id: uuid.UUID, payload: EditIn):
    petition = _authored(request, public_id)
    category = (
        petition.category
        if payload.category is None
        else selectors.category_get(hromada=request.hromada, slug_or_id=payload.category)
    )
    return services.petition_update(
        petition=petition,
        editor=request.auth,
        title=petition.title if payload.title is None else payload.title,
        text=petition.text if payload.text is None else payload.text,
        category=category,
    )


@router.post(
    "/petitions/{uuid:public_id}/submit",
    auth=session_or_token,
    response={200: PetitionDetailOut, **ERRORS},
    summary="Submit a draft for moderation (it gets its number now)",
)
def submit_draft(request: ApiRequest, public_id: uuid.UUID):
    petition = _authored(request, public_id)
    with rate_limit(request, "petition.submit"):
        return services.petition_draft_submit(petition=petition, author=request.auth)


@router.post(
    "/petitions/{uuid:public_id}/withdraw",
    auth=session_or_token,
    response={200: PetitionDetailOut, **ERRORS},
    summary="Withdraw a petition still in moderation (author only)",
)
def withdraw_petition(request: ApiRequest, public_id: uuid.UUID):
    return services.petition_withdraw(petition=_authored(request, public_id), author=request.auth)


def _staff_petition(request: ApiRequest, public_id: uuid.UUID):
    return selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.auth)


@router.post(
    "/petitions/{uuid:public_id}/publish",
    auth=session_or_token,
    response={200: PetitionDetailOut, **ERRORS},
    tags=["staff"],
    summary="Publish a petition in moderation (moderators)",
    description="With `revision`, only the text of that revision is published (409 `petition_changed`).",
)
def publish_petition(request: ApiRequest, public_id: uuid.UUID, payload: Body[PublishIn] = NO_REVISION):
    return services.petition_publish(
        petition=_staff_petition(request, public_id), moderator=request.auth, revision=payload.revision
    )


@router.post(
    "/petitions/{uuid:public_id}/reject",
    auth=session_or_token,
    response={200: PetitionDetailOut, **ERRORS},
    tags=["staff"],
    summary="Reject a petition in moderation (moderators)",
    description="With `revision`, only that revision is rejected (409 `petition_changed`).",
)
def reject_petition(request: ApiRequest, public_id: uuid.UUID, payload: RejectIn):
    return services.petition_reject(
        petition=_staff_petition(request, public_id),
        moderator=request.auth,
        reason=payload.reason.value,
        comment=payload.comment,
        revision=payload.revision,
    )


@router.post(
    "/petitions/{uuid:public_id}/answer",
    auth=session_or_token,
    response={200: PetitionDetailOut, **ERRORS},
    tags=["staff"],
)
def answer_petition(
    request: ApiRequest,
    public_id: uuid.UUID,
    payload: Form[AnswerIn],
    # An optional file part. `UploadedFile | None` would add a null branch to the published
    # OpenAPI schema, so the annotation stays as Ninja documents it.
    document: File[UploadedFile] = None,  # type: ignore[assignment]
):
    petition = _staff_petition(request, public_id)
    services.petition_answer(
        petition=petition,
        officer=request.auth,
        decision=payload.decision.value,
        text=payload.text,
        document=document,
    )
    return selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.auth)


@router.post(
    "/petitions/{uuid:public_id}/extend",
    auth=session_or_token,
    response={200: PetitionDetailOut, **ERRORS},
    tags=["staff"],
)
def extend_deadline(request: ApiRequest, public_id: uuid.UUID, payload: ExtendIn):
    return services.petition_extend_deadline(
        petition=_staff_petition(request, public_id),
        officer=request.auth,
        until=payload.until,
        notice=payload.notice,
    )


@router.get(
    "/staff/petitions/moderation",
    auth=session_or_token,
    response={200: list[PetitionDetailOut], **ERRORS},
    tags=["staff"],
)
@paginated(page_size=20)
def staff_moderation_queue(request: ApiRequest):
    from . import rules

    if not rules.can_view_staff_queues(request.auth, request.hromada):
        raise DomainError("forbidden", _("Черга доступна лише працівникам цієї громади."), status=403)
    return selectors.moderation_queue(hromada=request.hromada)
