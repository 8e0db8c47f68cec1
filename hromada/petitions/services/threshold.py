"""Reaching the signature threshold, or closing a petition that fell short."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import Role
from hromada.core.calendar import deadline_for
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from ..models import Petition, Signature, Status
from ..selectors import petition_audience, petition_authors
from ._common import _locked, _staff, _url


def _enqueue_threshold_check(petition_pk: int) -> None:
    from django.core.cache import cache

    from ..tasks import petition_check_threshold

    # One queued check per petition every few seconds, however many sign at once.
    if cache.add(f"petition:{petition_pk}:threshold-check", 1, 3):
        petition_check_threshold.enqueue(petition_pk)


def petition_reach_threshold(*, petition: Petition) -> bool:
    """Move a collecting petition whose signatures reached the threshold to
    consideration. Idempotent; returns True when it moved."""
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.COLLECTING:
            return False
        count = Signature.objects.filter(petition=petition).count()
        if count < petition.threshold:
            return False
        now = timezone.now()
        petition.status = Status.CONSIDERATION
        petition.signature_count = count
        petition.threshold_reached_at = now
        petition.consideration_due = deadline_for(start=now, working_days=petition.consideration_days)
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.threshold_reached",
            payload={
                "petition": str(petition.public_id),
                "signatures": count,
                "consideration_due": petition.consideration_due.isoformat(),
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=petition_authors(petition),
            kind="petition.threshold_reached",
            title=lazy_format(_("Петиція №%(n)d набрала необхідні підписи"), n=petition.number),
            body=lazy_format(
                _("Петицію передано на розгляд. Відповідь має бути до %(d)s."),
                d=petition.consideration_due.strftime("%d.%m.%Y"),
            ),
            url=_url(petition),
        )
        # Signers and followers (selectors.petition_audience) hear of it too.
        notify_send(
            hromada=petition.hromada,
            users=petition_audience(petition).exclude(pk__in=petition_authors(petition).values("pk")),
            kind="petition.threshold_reached",
            title=lazy_format(_("Петиція №%(n)d набрала необхідні підписи"), n=petition.number),
            body=lazy_format(
                _("Петиція «%(t)s» передана на розгляд. Відповідь має бути до %(d)s."),
                t=petition.title,
                d=petition.consideration_due.strftime("%d.%m.%Y"),
            ),
            url=_url(petition),
        )
        notify_send(
            hromada=petition.hromada,
            users=_staff(petition.hromada, [Role.ADMIN, Role.OFFICER]),
            kind="petition.threshold_reached",
            title=lazy_format(_("Нова петиція на розгляді: №%(n)d"), n=petition.number),
            body=petition.title,
            url=reverse("staff_petitions:consideration"),
        )
    return True


def petition_close_unsuccessful(*, petition: Petition) -> bool:
    """Close a petition whose collection period ended short of the threshold."""
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.COLLECTING:
            return False
        assert petition.collection_ends_at is not None  # set when it was published
        if timezone.now() < petition.collection_ends_at:
            return False
        count = Signature.objects.filter(petition=petition).count()
        if count >= petition.threshold:
            # Reached in the last seconds: it goes to consideration instead.
            transaction.on_commit(lambda: petition_reach_threshold(petition=petition))
            return False
        petition.status = Status.UNSUCCESSFUL
        petition.signature_count = count
        petition.closed_at = timezone.now()
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.closed_unsuccessful",
            payload={
                "petition": str(petition.public_id),
                "signatures": count,
                "threshold": petition.threshold,
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=petition_authors(petition),
            kind="petition.closed_unsuccessful",
            title=lazy_format(_("Збір підписів під петицією №%(n)d завершено"), n=petition.number),
            body=lazy_format(
                _("Петиція зібрала %(c)d з %(t)d необхідних підписів."), c=count, t=petition.threshold
            ),
            url=_url(petition),
        )
    return True
