"""Periodic upkeep run by the worker."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import Role
from hromada.core.i18n import lazy_format
from hromada.notify.services import notify_send

from .. import rules
from ..models import FollowUpStep, Petition, Signature, Status
from ._common import _staff
from .threshold import petition_close_unsuccessful, petition_reach_threshold


def petitions_tick(*, now: dt.datetime | None = None) -> dict:
    """Run by the worker every few seconds: refresh counts, move petitions that
    reached their threshold, close expired ones, flag overdue moderation and answers."""
    now = now or timezone.now()
    moved = closed = flagged = 0
    rows = (
        Signature.objects.filter(petition__status=Status.COLLECTING)
        .values("petition_id")
        .annotate(n=Count("id"))
    )
    counts = {r["petition_id"]: r["n"] for r in rows}
    for petition in Petition.objects.filter(status=Status.COLLECTING).select_related("hromada"):
        count = counts.get(petition.pk, 0)
        if count != petition.signature_count:
            Petition.objects.filter(pk=petition.pk).update(signature_count=count)
        if count >= petition.threshold:
            moved += petition_reach_threshold(petition=petition)
        elif now >= petition.collection_ends_at:
            closed += petition_close_unsuccessful(petition=petition)
    _roll_up_after_threshold(now)
    today = timezone.localdate(now)
    for petition in Petition.objects.filter(
        status=Status.MODERATION, moderation_due__lt=today, moderation_overdue_notified_at__isnull=True
    ).select_related("hromada"):
        with transaction.atomic():
            updated = Petition.objects.filter(
                pk=petition.pk, moderation_overdue_notified_at__isnull=True
            ).update(moderation_overdue_notified_at=now)
            if updated:
                flagged += 1
                notify_send(
                    hromada=petition.hromada,
                    users=_staff(petition.hromada, [Role.ADMIN, Role.MODERATOR]),
                    kind="petition.moderation_overdue",
                    title=lazy_format(_("Прострочено модерацію петиції №%(n)d"), n=petition.number),
                    body=petition.title,
                    url=reverse("staff_petitions:moderation"),
                )
    late = consideration_overdue_flag(now=now)
    followups = followup_overdue_flag(now=now)
    return {
        "moved_to_consideration": moved,
        "closed_unsuccessful": closed,
        "moderation_overdue": flagged,
        "consideration_overdue": late,
        "followup_overdue": followups,
    }


def consideration_overdue_flag(*, now: dt.datetime | None = None) -> int:
    """Tell the administrators and whoever answers the petition, once, that its answer is late."""
    from django.db.models import Q

    from .. import rules

    now = now or timezone.now()
    today = timezone.localdate(now)
    late = Petition.objects.filter(
        status=Status.CONSIDERATION, consideration_overdue_notified_at__isnull=True
    ).filter(
        Q(consideration_extended_until__lt=today)
        | Q(consideration_extended_until__isnull=True, consideration_due__lt=today)
    )
    flagged = 0
    for petition in late.select_related("hromada", "category"):
        with transaction.atomic():
            if not Petition.objects.filter(
                pk=petition.pk, consideration_overdue_notified_at__isnull=True
            ).update(consideration_overdue_notified_at=now):
                continue
            flagged += 1
            users = set(_staff(petition.hromada, [Role.ADMIN]))
            department = rules.answering_department_id(petition)
            officer = getattr(getattr(petition, "assignment", None), "officer", None)
            if officer is not None:
                users.add(officer)
            elif department is not None:
                from django.contrib.auth import get_user_model

                users |= set(
                    get_user_model().objects.filter(
                        staff_roles__hromada=petition.hromada,
                        staff_roles__department_id=department,
                        is_active=True,
                    )
                )
            notify_send(
                hromada=petition.hromada,
                users=list(users),
                kind="petition.consideration_overdue",
                title=lazy_format(_("Прострочено розгляд петиції №%(n)d"), n=petition.number),
                body=petition.title,
                url=reverse("staff_petitions:answer", kwargs={"public_id": petition.public_id}),
            )
    return flagged


def followup_overdue_flag(*, now: dt.datetime | None = None) -> int:
    """Tell the answering staff, once per step, that a promised step is past its date."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    flagged = 0
    steps = FollowUpStep.objects.filter(
        done_at__isnull=True, due_date__lt=today, overdue_notified_at__isnull=True
    ).select_related("hromada", "petition")
    for step in steps:
        with transaction.atomic():
            if not FollowUpStep.objects.filter(pk=step.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=now
            ):
                continue
            flagged += 1
            notify_send(
                hromada=step.hromada,
                users=_staff(step.hromada, [Role.ADMIN, Role.OFFICER]),
                kind="petition.followup_overdue",
                title=lazy_format(_("Прострочено крок виконання петиції №%(n)d"), n=step.petition.number),
                body=step.title,
                url=reverse("staff_petitions:followup") + "?overdue=1",
            )
    return flagged


def _roll_up_after_threshold(now: dt.datetime) -> None:
    """Refresh the counts of petitions that keep collecting after their threshold (and
    once more in the day after their period ends), as lists and open data read them."""
    rows = (
        Signature.objects.filter(
            petition__status__in=rules.AFTER_THRESHOLD_STATUSES,
            petition__sign_after_threshold=True,
            petition__collection_ends_at__gte=now - dt.timedelta(days=1),
        )
        .values("petition_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        Petition.objects.filter(pk=row["petition_id"]).exclude(signature_count=row["n"]).update(
            signature_count=row["n"]
        )
