"""Moderation: publishing a submitted petition or rejecting it.

The authors may edit a petition until a moderator acts (services.drafts), and every edit
bumps `Petition.revision`. A moderator's page sends the revision they read; the decision
is then a guarded UPDATE … WHERE revision = <read> AND status = 'moderation', so a
decision never applies to a text the moderator has not seen (409 `petition_changed`)."""

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
from ..selectors import petition_authors
from ._common import _clean_text, _forbidden, _locked, _url


def _changed_meanwhile() -> DomainError:
    return DomainError(
        "petition_changed",
        _(
            "Поки ви читали петицію, автор її змінив. Рішення не збережено: перечитайте "
            "новий текст нижче й ухваліть рішення знову."
        ),
        status=409,
    )


def _decide(petition: Petition, revision: int | None, **fields) -> None:
    """Write the decision only if the petition is still in moderation (and, when the
    moderator's page named one, still at the revision they read)."""
    if revision is not None and petition.revision != revision:
        raise _changed_meanwhile()
    # Without a revision from the caller, the one just read is guarded: the ledger entry
    # hashes the text read, so the row written must still hold that text.
    fields["updated_at"] = timezone.now()
    changed = Petition.objects.filter(
        pk=petition.pk, status=Status.MODERATION, revision=petition.revision
    ).update(**fields)
    if not changed:  # an edit or a withdrawal slipped in between the read and the write
        now_status = Petition.objects.filter(pk=petition.pk).values_list("status", flat=True).first()
        raise _changed_meanwhile() if now_status == Status.MODERATION else _already_moderated(now_status)
    for name, value in fields.items():
        setattr(petition, name, value)


def _already_moderated(status: str | None) -> DomainError:
    if status == Status.WITHDRAWN:
        return DomainError(
            "not_in_moderation", _("Автор відкликав петицію, тож рішення щодо неї не потрібне."), status=409
        )
    return DomainError("not_in_moderation", _("Петицію вже розглянуто модератором."), status=409)


def petition_publish(*, petition: Petition, moderator, revision: int | None = None) -> Petition:
    if not rules.can_moderate(moderator, petition):
        raise _forbidden(_("Публікувати петиції можуть лише модератори цієї громади."))
    now = timezone.now()
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.MODERATION:
            raise _already_moderated(petition.status)
        ends = now + dt.timedelta(days=petition.collection_days)
        _decide(
            petition,
            revision,
            status=Status.COLLECTING,
            moderated_at=now,
            moderated_by=moderator,
            published_at=now,
            collection_ends_at=ends,
        )
        ledger_append(
            hromada=petition.hromada,
            kind="petition.published",
            payload={
                "petition": str(petition.public_id),
                "number": petition.number,
                "title": petition.title,
                "text_sha256": hashlib.sha256(petition.text.encode()).hexdigest(),
                "threshold": petition.threshold,
                "collection_ends_at": ends.isoformat(),
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=petition_authors(petition),
            kind="petition.moderated",
            title=lazy_format(_("Вашу петицію №%(n)d опубліковано"), n=petition.number),
            body=lazy_format(
                _("Петиція «%(t)s» збирає підписи до %(d)s."),
                t=petition.title,
                d=timezone.localtime(ends).strftime("%d.%m.%Y"),
            ),
            url=_url(petition),
        )
    return petition


def petition_reject(
    *, petition: Petition, moderator, reason: str, comment: str = "", revision: int | None = None
) -> Petition:
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
            raise _already_moderated(petition.status)
        now = timezone.now()
        _decide(
            petition,
            revision,
            status=Status.REJECTED,
            rejection_reason=reason,
            rejection_comment=comment,
            moderated_at=now,
            moderated_by=moderator,
            closed_at=now,
        )
        ledger_append(
            hromada=petition.hromada,
            kind="petition.rejected",
            payload={"petition": str(petition.public_id), "number": petition.number, "reason": reason},
        )
        notify_send(
            hromada=petition.hromada,
            users=petition_authors(petition),
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
