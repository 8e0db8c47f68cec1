"""Comments API (/api/v1/comments…): a target's comments, posting and replying, the
author's edit and delete, abuse reports. Thin: parse, call a selector or a service,
serialise; errors carry the services' stable codes."""

import datetime as dt
import uuid

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core.errors import DomainError
from hromada.core.pagination import paginated
from hromada.tenancy.http import HromadaRequest

from . import selectors, services
from .models import BODY_MAX, Comment, CommentStatus

router = Router(tags=["comments"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}


class CommentOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    target: str = Field(description="<kind>:<key>")
    parent: uuid.UUID | None = Field(description="The thread's top-level comment (replies only)")
    reply_to: uuid.UUID | None = Field(description="The comment this reply answers")
    author: str = Field(description="The name shown")
    text: str | None = Field(description="None when deleted by its author or hidden by a moderator")
    status: str = Field(description="visible, hidden or deleted")
    moderation_reason: str | None
    created_at: dt.datetime
    edited_at: dt.datetime | None

    @staticmethod
    def resolve_target(obj: Comment) -> str:
        return f"{obj.target_kind}:{obj.target_key}"

    @staticmethod
    def resolve_parent(obj: Comment) -> uuid.UUID | None:
        return obj.parent.public_id if obj.parent_id and obj.parent else None

    @staticmethod
    def resolve_reply_to(obj: Comment) -> uuid.UUID | None:
        return obj.reply_to.public_id if obj.reply_to_id and obj.reply_to else None

    @staticmethod
    def resolve_author(obj: Comment) -> str:
        return obj.author_name

    @staticmethod
    def resolve_text(obj: Comment) -> str | None:
        return obj.body if obj.status == CommentStatus.VISIBLE else None

    @staticmethod
    def resolve_moderation_reason(obj: Comment) -> str | None:
        return obj.moderation_reason if obj.status == CommentStatus.HIDDEN else None


class TargetQuery(Schema):
    target: str = Field(max_length=200, description="<kind>:<key>, e.g. petitions.petition:<uuid>")


class CommentIn(Schema):
    target: str = Field(max_length=200, description="<kind>:<key>")
    text: str = Field(max_length=BODY_MAX * 2)
    parent: uuid.UUID | None = Field(
        None, description="Reply to this comment (a reply to a reply joins its thread)"
    )


class CommentPatch(Schema):
    text: str = Field(max_length=BODY_MAX * 2)


class ReportIn(Schema):
    reason: str = Field(max_length=20, description="spam, offensive, personal, off_topic or other")
    details: str = Field("", max_length=1000)


class ReportOut(Schema):
    reported: bool
    comment: uuid.UUID


def _target(hromada, value: str):
    kind, key = selectors.parse_ref(value)
    if not kind:
        raise DomainError(
            "target_invalid",
            _("Вкажіть ціль як <вид>:<ключ>, напр. petitions.petition:<id>."),
            field="target",
        )
    return selectors.target_get(hromada=hromada, kind=kind, key=key)


@router.get(
    "/comments",
    response={200: list[CommentOut], 400: ErrorOut, 404: ErrorOut},
    summary="A target's comments and replies, oldest first",
)
@paginated(page_size=50)
def list_comments(request: HromadaRequest, query: Query[TargetQuery]):
    resolved = _target(request.hromada, query.target)
    return selectors.comments_of(hromada=request.hromada, target_kind=resolved.kind, target_key=resolved.key)


@router.post(
    "/comments", auth=session_or_token, response={201: CommentOut, **ERRORS}, summary="Comment, or reply"
)
def post_comment(request: ApiRequest, payload: CommentIn):
    resolved = _target(request.hromada, payload.target)
    parent = (
        selectors.comment_get(hromada=request.hromada, public_id=payload.parent) if payload.parent else None
    )
    comment = services.comment_post(
        hromada=request.hromada,
        target_kind=resolved.kind,
        target_key=resolved.key,
        author=request.auth,
        body=payload.text,
        parent=parent,
    )
    return Status(201, comment)


def _comment(request, comment_id: uuid.UUID) -> Comment:
    comment = selectors.comment_get(hromada=request.hromada, public_id=comment_id)
    selectors.target_get(hromada=request.hromada, kind=comment.target_kind, key=comment.target_key)
    return comment


@router.patch(
    "/comments/{uuid:comment_id}",
    auth=session_or_token,
    response={200: CommentOut, **ERRORS},
    summary="Edit one's comment (within the edit window)",
    description="409 `edit_window_closed` after COMMENTS_EDIT_MINUTES; 403 `not_author`.",
)
def edit_comment(request: ApiRequest, comment_id: uuid.UUID, payload: CommentPatch):
    return services.comment_edit(comment=_comment(request, comment_id), user=request.auth, body=payload.text)


@router.delete(
    "/comments/{uuid:comment_id}",
    auth=session_or_token,
    response={200: CommentOut, **ERRORS},
    summary="Delete one's comment (its replies stay)",
)
def delete_comment(request: ApiRequest, comment_id: uuid.UUID):
    return services.comment_delete(comment=_comment(request, comment_id), user=request.auth)


@router.post(
    "/comments/{uuid:comment_id}/report",
    auth=session_or_token,
    response={201: ReportOut, **ERRORS},
    summary="Report a comment to the moderators (once per person)",
    description="409 `already_reported` for a second report.",
)
def report_comment(request: ApiRequest, comment_id: uuid.UUID, payload: ReportIn):
    comment = _comment(request, comment_id)
    services.comment_report(
        comment=comment, user=request.auth, reason=payload.reason, details=payload.details
    )
    return Status(201, {"reported": True, "comment": comment.public_id})
