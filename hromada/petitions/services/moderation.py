"""Moderation: publishing a submitted petition or rejecting it."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from .. import rules
from ..models import Petition, RejectionReason, Status
from ._common import _clean_text, _forbidden, _locked, _url


def petition_publish(*, petition: Petition, moderator) -> Petition:
    if not rules.can_moderate(moderator, petition):
        raise _forbidden(_("Публікувати петиції можуть лише модератори цієї громади."))
    now = timezone.now()
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.MODERATION:
            raise DomainError("not_in_moderation", _("Петицію вже розглянуто модератором."), status=409)
        petition.status = Status.COLLECTING
        petition.moderated_at = now
        petition.moderated_by = moderator
        petition.published_at = now
        petition.collection_ends_at = now + dt.timedelta(days=petition.collection_days)
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.published",
            payload={
                "petition": str(petition.public_id),
                "number": petition.number,
                "title": petition.title,
                "text_sha256": hashlib.sha256(petition.text.encode()).hexdigest(),
                "threshold": petition.threshold,
                "collection_ends_at": petition.collection_ends_at.isoformat(),
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=[petition.author],
            kind="petition.moderated",
            title=lazy_format(_("Вашу петицію №%(n)d опубліковано"), n=petition.number),
            body=lazy_format(
                _("Петиція «%(t)s» збирає підписи до %(d)s."),
                t=petition.title,
                d=timezone.localtime(petition.collection_ends_at).strftime("%d.%m.%Y"),
            ),
            url=_url(petition),
        )
    return petition


def petition_reject(*, petition: Petition, moderator, reason: str, comment: str = "") -> Petition:
    if not rules.can_moderate(moderator, petition):
        raise _forbidden(_("Відхиляти петиції можуть лише модератори цієї громади."))
    if reason not in RejectionReason.values:
        raise DomainError("reason_invalid", _("Оберіть причину відхилення зі списку."), field="reason")
    comment = _clean_text(comment, field="comment")
    if len(comment) > 2000:
        raise DomainError("comment_too_long", _("Коментар задовгий (до 2000 символів)."), field="comment")
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.MODERATION:
            raise DomainError("not_in_moderation", _("Петицію вже розглянуто модератором."), status=409)
        petition.status = Status.REJECTED
        petition.rejection_reason = reason
        petition.rejection_comment = comment
        petition.moderated_at = timezone.now()
        petition.moderated_by = moderator
        petition.closed_at = petition.moderated_at
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.rejected",
            payload={"petition": str(petition.public_id), "number": petition.number, "reason": reason},
        )
        notify_send(
            hromada=petition.hromada,
            users=[petition.author],
            kind="petition.moderated",
            title=lazy_format(_("Вашу петицію №%(n)d відхилено"), n=petition.number),
            body=lazy_format(
                "%(reason)s. %(comment)s" if comment else "%(reason)s.",
                reason=RejectionReason(reason).label,
                comment=comment,
            ),
            url=_url(petition),
        )
    return petition
