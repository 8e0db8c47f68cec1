"""Consideration: the official answer and extending its deadline."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.core.i18n import lazy_format
from hromada.core.uploads import MB, check_upload
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from .. import rules
from ..models import Answer, Decision, Petition, Status
from ._common import _author_and_signers, _clean_text, _forbidden, _locked, _url

ANSWER_DOCUMENT_MAX_BYTES = 10 * MB


def petition_answer(*, petition: Petition, officer, decision: str, text: str, document=None) -> Answer:
    if not rules.can_answer(officer, petition):
        raise _forbidden(_("Публікувати відповіді можуть лише посадові особи цієї громади."))
    if decision not in Decision.values:
        raise DomainError("decision_invalid", _("Оберіть рішення зі списку."), field="decision")
    text = _clean_text(text, field="text")
    if len(text) < 20:
        raise DomainError(
            "answer_too_short", _("Текст відповіді занадто короткий (щонайменше 20 символів)."), field="text"
        )
    if len(text) > 20_000:
        raise DomainError(
            "answer_too_long", _("Текст відповіді задовгий (до 20 000 символів)."), field="text"
        )
    checked = None
    if document is not None:
        checked = check_upload(
            document, allowed={"application/pdf"}, max_bytes=ANSWER_DOCUMENT_MAX_BYTES, field="document"
        )
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.CONSIDERATION:
            raise DomainError(
                "not_in_consideration",
                _("Відповісти можна лише на петицію, що перебуває на розгляді."),
                status=409,
            )
        now = timezone.now()
        answer = Answer(
            hromada=petition.hromada,
            petition=petition,
            decision=decision,
            text=text,
            answered_by=officer,
            published_at=now,
        )
        if document is not None and checked is not None:
            answer.document_name = os.path.basename(document.name)[:200]
            document.name = f"{uuid.uuid4().hex}.{checked.extension}"
            answer.document = document
        answer.save()
        petition.status = Status.ANSWERED
        petition.closed_at = now
        petition.save(update_fields=["status", "closed_at", "updated_at"])
        ledger_append(
            hromada=petition.hromada,
            kind="petition.answered",
            payload={
                "petition": str(petition.public_id),
                "decision": decision,
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                "on_time": timezone.localdate(now) <= petition.deadline,
            },
        )
        title = lazy_format(_("Опубліковано відповідь на петицію №%(n)d"), n=petition.number)
        notify_send(
            hromada=petition.hromada,
            users=_author_and_signers(petition),
            kind="petition.answered",
            title=title,
            body=Decision(decision).label,
            url=_url(petition),
        )
    return answer


def petition_extend_deadline(*, petition: Petition, officer, until: dt.date, notice: str) -> Petition:
    """Record that the consideration deadline is extended, with the notice sent."""
    if not rules.can_extend(officer, petition):
        raise _forbidden(_("Продовжувати строк розгляду можуть лише посадові особи цієї громади."))
    notice = _clean_text(notice, field="notice")
    if len(notice) < 20:
        raise DomainError(
            "notice_required",
            _("Поясніть причину продовження строку (щонайменше 20 символів)."),
            field="notice",
        )
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.CONSIDERATION:
            raise DomainError(
                "not_in_consideration",
                _("Продовжити можна лише строк петиції, що перебуває на розгляді."),
                status=409,
            )
        if until <= petition.deadline:
            raise DomainError(
                "extension_not_later",
                _("Нова дата має бути пізнішою за чинний строк (%(d)s).")
                % {"d": petition.deadline.strftime("%d.%m.%Y")},
                field="until",
            )
        petition.consideration_extended_until = until
        petition.extension_notice = notice
        petition.extension_noticed_at = timezone.now()
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.deadline_extended",
            payload={"petition": str(petition.public_id), "until": until.isoformat()},
        )
        notify_send(
            hromada=petition.hromada,
            users=_author_and_signers(petition),
            kind="petition.deadline_extended",
            title=lazy_format(
                _("Строк розгляду петиції №%(n)d продовжено до %(d)s"),
                n=petition.number,
                d=until.strftime("%d.%m.%Y"),
            ),
            body=notice,
            url=_url(petition),
        )
    return petition
