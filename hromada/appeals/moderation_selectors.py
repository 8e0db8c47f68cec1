"""Reads of the moderation queue: problem reports whose text or photos wait for a
moderator, and the recent decisions (to undo one)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import Attachment, AttachmentKind, Case, CaseKind, CaseStatus, Moderation

VIEWS = ("pending", "hidden", "shown")


def _photos() -> Prefetch:
    return Prefetch(
        "attachments",
        queryset=Attachment.objects.filter(public=True, kind=AttachmentKind.PHOTO).order_by("id"),
        to_attr="photos",
    )


def reports(*, hromada) -> QuerySet[Case]:
    return Case.objects.for_hromada(hromada).filter(kind=CaseKind.REPORT).exclude(status=CaseStatus.DRAFT)


def moderation_queue(*, hromada, view: str = "pending") -> QuerySet[Case]:
    """pending: text or any photo awaiting a decision, oldest first (the order people
    wait in); hidden / shown: the latest decisions first."""
    pending_photo = Attachment.objects.filter(
        case=OuterRef("pk"), public=True, kind=AttachmentKind.PHOTO, moderation=Moderation.PENDING
    )
    qs = reports(hromada=hromada).select_related("category", "area").prefetch_related(_photos())
    if view == "pending":
        qs = qs.annotate(photo_pending=Exists(pending_photo))
        return qs.filter(Q(moderation=Moderation.PENDING) | Q(photo_pending=True)).order_by(
            "registered_at", "id"
        )
    moderation = Moderation.HIDDEN if view == "hidden" else Moderation.SHOWN
    return qs.filter(moderation=moderation).order_by("-updated_at", "-id")


def pending_count(*, hromada) -> int:
    return moderation_queue(hromada=hromada).count()


def moderation_case(*, hromada, public_id) -> Case | None:
    return (
        reports(hromada=hromada)
        .filter(public_id=public_id)
        .select_related("category", "area")
        .prefetch_related(_photos())
        .first()
    )


def photo_get(*, hromada, case: Case, pk) -> Attachment | None:
    return (
        Attachment.objects.for_hromada(hromada)
        .filter(case=case, pk=pk, public=True, kind=AttachmentKind.PHOTO)
        .first()
    )


def redactions(*, case: Case):
    """The internal events that keep a report's original text (staff only)."""
    from .models import CaseEvent, EventKind

    return (
        CaseEvent.objects.for_hromada(case.hromada)
        .filter(case=case, kind=EventKind.MODERATED, data__target="redacted")
        .select_related("actor")
    )
