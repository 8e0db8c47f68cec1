"""A person's data in appeals: the export and the erasure (module.py personal_*).

Users are install-wide: both functions cover every hromada. The export holds every case
the person brought (drafts too) with its answer, its public history and its files'
names; the collective appeals they co-signed; what they follow.

The erasure runs inside the account deletion's transaction:
- drafts (never received, so no record) are deleted with their files;
- registered cases are KEPT — the council must keep the record of appeals and of
  information requests with their answers (the appeals' record-keeping instruction of
  the Cabinet's resolution No 348 of 14.04.1997 keeps them for years; the Law "Про
  доступ до публічної інформації", art. 14, obliges a record of requests) — but
  unlinked from the account (applicant=None), as are the person's own steps (confirm,
  reopen, rate: the event's actor) and the files they uploaded;
- on appeals and information requests the applicant's name, address and contacts stay:
  they are part of that statutory record (and of the answer sent);
- on problem reports — service requests, not statutory appeals — the name and contacts
  are blanked (the report, its place, photos and answer stay on the map);
- co-signatures stay on the appeal as signed (name and address are the appeal's), with
  the account link removed;
- subscriptions (what the person follows, "me too" included) are deleted; a report's
  supporters count goes down by those withdrawn, as unfollowing does.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q

from .models import Attachment, Case, CaseEvent, CaseKind, CaseStatus, CoSigner, EventKind, Subscription


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _case(case: Case, events: list[CaseEvent], files: list[Attachment]) -> dict[str, Any]:
    return {
        "hromada": case.hromada.slug,
        "id": str(case.public_id),
        "number": case.number,
        "kind": case.kind,
        "appeal_type": case.appeal_type or None,
        "collective": case.collective,
        "channel": case.channel,
        "status": case.status,
        "category": case.category.name if case.category else None,
        "department": case.department.name if case.department else None,
        "title": case.title,
        "text": case.text,
        "applicant_name": case.applicant_name,
        "applicant_address": case.applicant_address,
        "applicant_email": case.applicant_email,
        "applicant_phone": case.applicant_phone,
        "address": case.address,
        "lat": case.lat,
        "lon": case.lon,
        "anonymous": case.anonymous,
        "attributes": case.attributes,
        "urgent": case.urgent,
        "answer_form": case.answer_form,
        "registered_at": _iso(case.registered_at),
        "due_at": _iso(case.due_at),
        "extended_at": _iso(case.extended_at),
        "extension_reason": case.extension_reason,
        "answered_at": _iso(case.answered_at),
        "answer": case.answer,
        "close_reason": case.close_reason,
        "forwarded_to": case.forwarded_to,
        "duplicate_of": str(case.duplicate_of.public_id) if case.duplicate_of else None,
        "confirmed_at": _iso(case.confirmed_at),
        "reopened_count": case.reopened_count,
        "rating": case.rating,
        "rating_comment": case.rating_comment,
        # The public history only: internal comments are the officials' working notes.
        "history": [
            {"at": _iso(e.created_at), "step": e.kind, "status": e.status, "text": e.text} for e in events
        ],
        "files": [
            {"name": f.original_name, "kind": f.kind, "content_type": f.content_type, "size": f.size}
            for f in files
        ],
    }


def personal_data(*, user) -> dict[str, Any]:
    cases = list(
        Case.objects.filter(applicant=user)
        .select_related("hromada", "category", "department", "duplicate_of")
        .order_by("created_at", "id")
    )
    events: dict[int, list[CaseEvent]] = {}
    for e in CaseEvent.objects.filter(case__in=cases, public=True).order_by("created_at", "id"):
        events.setdefault(e.case_id, []).append(e)
    files: dict[int, list[Attachment]] = {}
    for a in Attachment.objects.filter(case__in=cases).filter(uploaded_by=user).order_by("id"):
        files.setdefault(a.case_id, []).append(a)
    for a in Attachment.objects.filter(case__in=cases, public=True).exclude(uploaded_by=user).order_by("id"):
        files.setdefault(a.case_id, []).append(a)  # the answer's documents sent to the person
    return {
        "cases": [_case(c, events.get(c.pk, []), files.get(c.pk, [])) for c in cases],
        "cosignatures": [
            {
                "hromada": s.hromada.slug,
                "case": str(s.case.public_id),
                "number": s.case.number,
                "title": s.case.title,
                "name": s.name,
                "address": s.address,
                "signed_at": _iso(s.created_at),
            }
            for s in CoSigner.objects.filter(user=user).select_related("hromada", "case").order_by("id")
        ],
        "subscriptions": [
            {
                "hromada": s.hromada.slug,
                "case": str(s.case.public_id) if s.case_id else None,
                "case_number": s.case.number if s.case_id else None,
                "area": s.area.name if s.area_id else None,
                "category": s.category.name if s.category_id else None,
                "joined": s.joined,
                "since": _iso(s.created_at),
            }
            for s in Subscription.objects.filter(user=user)
            .select_related("hromada", "case", "area", "category")
            .order_by("id")
        ],
    }


def personal_data_erase(*, user) -> None:
    with transaction.atomic():
        drafts = Case.objects.filter(applicant=user, status=CaseStatus.DRAFT)
        stored = [a.file for a in Attachment.objects.filter(case__in=drafts)]
        drafts.delete()
        for f in stored:
            transaction.on_commit(partial(f.delete, save=False))
        # The person's own steps and files (an official's acts of office keep their name).
        own = Case.objects.filter(applicant=user)
        CaseEvent.objects.filter(Q(case__in=own) | Q(kind=EventKind.JOINED), actor=user).update(actor=None)
        Attachment.objects.filter(case__in=own, uploaded_by=user).update(uploaded_by=None)
        Case.objects.filter(applicant=user, kind=CaseKind.REPORT).update(
            applicant=None, applicant_name="", applicant_address="", applicant_email="", applicant_phone=""
        )
        Case.objects.filter(applicant=user).update(applicant=None)
        CoSigner.objects.filter(user=user).update(user=None)
        joined = (
            Subscription.objects.filter(user=user, joined=True)
            .values("case_id")
            .annotate(n=Count("id"))
            .values_list("case_id", "n")
        )
        for case_id, n in joined:
            Case.objects.filter(pk=case_id, supporters__gte=n).update(supporters=F("supporters") - n)
        Subscription.objects.filter(user=user).delete()
