"""Shared reads of consultations (each part has its own selectors file beside it)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from hromada.core.errors import NotFound
from hromada.core.modules import ReceiptSubject

from .models import Consultation, Status


def consultations_public(*, hromada) -> QuerySet[Consultation]:
    """Published and cancelled consultations (never drafts), newest first."""
    return (
        Consultation.objects.for_hromada(hromada)
        .exclude(status=Status.DRAFT)
        .select_related("plan", "area")
        .order_by("-opens_at", "-number")
    )


def consultations_open(*, hromada, now=None) -> list[Consultation]:
    now = now or timezone.now()
    return list(
        consultations_public(hromada=hromada).filter(
            status=Status.PUBLISHED,
            opens_at__lte=now,
            plan__phases__code="open",
            plan__phases__ends_at__gt=now,
        )
    )


def consultation_get(*, hromada, number: int) -> Consultation:
    """A public consultation by its number (404 for drafts and other hromadas)."""
    found = consultations_public(hromada=hromada).filter(number=number).first()
    if found is None:
        raise NotFound("consultation_not_found")
    return found


def consultation_for_staff(*, hromada, public_id) -> Consultation:
    """Any consultation of the hromada, drafts included (staff pages)."""
    found = (
        Consultation.objects.for_hromada(hromada)
        .select_related("plan", "area")
        .filter(public_id=public_id)
        .first()
    )
    if found is None:
        raise NotFound("consultation_not_found")
    return found


def home_summary(*, hromada) -> dict:
    """The home page's block: consultations open now (filled by the lifecycle part)."""
    return {"open": consultations_open(hromada=hromada)[:3]}


def describe_response(*, hromada, payload) -> ReceiptSubject | None:
    """The receipt's words: "Your answers in poll №3 «…»" (module.py ledger_receipts)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    consultation = (
        Consultation.objects.for_hromada(hromada).filter(public_id=payload.get("consultation")).first()
    )
    if consultation is None or consultation.number is None:
        return None
    return ReceiptSubject(
        _("Ваші відповіді в консультації №%(number)d «%(title)s»")
        % {"number": consultation.number, "title": consultation.title},
        reverse("consultations:detail", args=[consultation.number]),
    )
