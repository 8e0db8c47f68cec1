"""Moderation of problem reports' public side: a report's text (title and description)
and each photo are pending until a moderator shows or hides them (appeals.moderate).
Hiding needs a reason; a hidden report stays a case for staff in every other way; only
what the public map and report page show changes (they read `moderation=shown`).

A moderator may also edit personal data out of the public text: the original is kept
for staff in an internal event. Every decision is a non-public MODERATED event and a
ledger entry `appeals.moderated` whose payload carries hashes, never texts."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.core.text import text_problem

from .. import rules
from ..models import (
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Attachment,
    AttachmentKind,
    Case,
    CaseKind,
    CaseStatus,
    EventKind,
    Moderation,
)
from .cases import applicant_tell, event_add, ledger_case
from .setup import SetupInvalid

DECISIONS = (Moderation.SHOWN, Moderation.HIDDEN)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _require_moderate(actor, hromada) -> None:
    if not has_perm(actor, hromada, rules.PERM_MODERATE):
        raise PermissionDenied(message=_("Модерувати повідомлення може лише модератор громади."))


def _reason(decision: str, reason: str) -> str:
    reason = (reason or "").strip()
    if decision not in DECISIONS:
        raise DomainError("decision_invalid", _("Оберіть: показати чи приховати."), field="decision")
    if decision == Moderation.HIDDEN and not reason:
        raise DomainError(
            "reason_required",
            _("Напишіть, чому приховано: причину побачать працівники й заявник."),
            field="reason",
        )
    if len(reason) > REASON_MAX or text_problem(reason) is not None:
        raise DomainError(
            "reason_invalid", _("Причина — текст до %(n)d символів.") % {"n": REASON_MAX}, field="reason"
        )
    return reason


def _lock(case: Case) -> Case:
    # No join under FOR UPDATE (PostgreSQL refuses it on a nullable relation).
    locked = Case.objects.select_for_update().get(pk=case.pk, hromada_id=case.hromada_id)
    if locked.kind != CaseKind.REPORT:
        raise DomainError("not_report", _("Модерують лише повідомлення про проблеми."), status=409)
    if locked.status == CaseStatus.DRAFT:
        raise DomainError("case_draft", _("Чернетку ще не подано: модерувати нічого."), status=409)
    return locked


def _area_notify(case: Case) -> None:
    """Tell who follows the report's area (services/follows.py)."""
    from .follows import area_subscribers_notify

    area_subscribers_notify(case)


def case_moderate(*, case: Case, actor, decision: str, reason: str = "", photos: bool = False) -> Case:
    """Show or hide the report's text. With photos=True the pending photos get the same
    decision (the common "approve all" of one report)."""
    hromada = case.hromada
    _require_moderate(actor, hromada)
    reason = _reason(decision, reason)
    with transaction.atomic():
        locked = _lock(case)
        before = locked.moderation
        photo_ids: list[int] = []
        if photos:
            pending = Attachment.objects.for_hromada(hromada).filter(
                case=locked, public=True, moderation=Moderation.PENDING
            )
            photo_ids = list(pending.values_list("pk", flat=True))
            pending.update(moderation=decision)
        if before == decision and not photo_ids:
            raise DomainError(
                "already",
                _("Повідомлення вже показано.")
                if decision == Moderation.SHOWN
                else _("Повідомлення вже приховано."),
                status=409,
            )
        locked.moderation = decision
        locked.save(update_fields=["moderation", "updated_at"])
        event_add(
            case=locked,
            kind=EventKind.MODERATED,
            actor=actor,
            public=False,
            text=reason,
            data={"target": "text", "moderation": decision, "before": before, "photos": photo_ids},
        )
        ledger_case(
            locked,
            "appeals.moderated",
            target="text",
            decision=decision,
            before=before,
            photos=photo_ids,
            text_sha256=sha256(f"{locked.title}\n{locked.text}"),
            reason_sha256=sha256(reason) if reason else None,
        )
        if decision == Moderation.HIDDEN and before != Moderation.HIDDEN:
            applicant_tell(
                case=locked,
                kind="appeals.updated",
                title=lazy_format(
                    gettext_lazy("Повідомлення №%(n)s не показано на публічній карті"), n=locked.number
                ),
                body=lazy_format(
                    gettext_lazy("Працівники громади розглядають його як звичайно. Причина: %(reason)s"),
                    reason=reason,
                ),
            )
        if decision == Moderation.SHOWN and before != Moderation.SHOWN:
            _area_notify(locked)
    return locked


def attachment_moderate(*, attachment: Attachment, actor, decision: str, reason: str = "") -> Attachment:
    """Show or hide one photo of a report (a face, a number plate, something offensive)."""
    hromada = attachment.hromada
    _require_moderate(actor, hromada)
    reason = _reason(decision, reason)
    with transaction.atomic():
        case = _lock(attachment.case)
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk, hromada=hromada, case=case)
        if not locked.public or locked.kind != AttachmentKind.PHOTO:
            raise DomainError("not_public_photo", _("Це не фото заявника: його не показують."), status=409)
        if locked.moderation == decision:
            raise DomainError(
                "already",
                _("Фото вже показано.") if decision == Moderation.SHOWN else _("Фото вже приховано."),
                status=409,
            )
        before = locked.moderation
        locked.moderation = decision
        locked.save(update_fields=["moderation", "updated_at"])
        event_add(
            case=case,
            kind=EventKind.MODERATED,
            actor=actor,
            public=False,
            text=reason,
            data={"target": "photo", "attachment": locked.pk, "moderation": decision, "before": before},
        )
        ledger_case(
            case,
            "appeals.moderated",
            target="photo",
            attachment=locked.pk,
            decision=decision,
            before=before,
            file_sha256=locked.sha256,
            reason_sha256=sha256(reason) if reason else None,
        )
    return locked


def case_redact(*, case: Case, actor, title: str, text: str, reason: str = "") -> Case:
    """Replace the report's public title and text with an edited version (personal data
    taken out). The original is kept in an internal event, for staff only."""
    hromada = case.hromada
    _require_moderate(actor, hromada)
    title = (title or "").strip()
    text = (text or "").strip()
    reason = (reason or "").strip()
    errors: list[DomainError] = []
    if len(title) > TITLE_MAX or text_problem(title, multiline=False) is not None:
        errors.append(
            DomainError(
                "title_invalid",
                _("Заголовок — один рядок до %(n)d символів.") % {"n": TITLE_MAX},
                field="title",
            )
        )
    if not text:
        errors.append(
            DomainError("text_required", _("Текст повідомлення не може бути порожнім."), field="text")
        )
    elif len(text) > TEXT_MAX or text_problem(text) is not None:
        errors.append(
            DomainError("text_invalid", _("Текст — до %(n)d символів.") % {"n": TEXT_MAX}, field="text")
        )
    if len(reason) > REASON_MAX or text_problem(reason) is not None:
        errors.append(
            DomainError(
                "reason_invalid", _("Причина — до %(n)d символів.") % {"n": REASON_MAX}, field="reason"
            )
        )
    if errors:
        raise SetupInvalid(errors)
    with transaction.atomic():
        locked = _lock(case)
        if locked.title == title and locked.text == text:
            raise DomainError("nothing_changed", _("Текст не змінено."), field="text", status=409)
        before = sha256(f"{locked.title}\n{locked.text}")
        event_add(
            case=locked,
            kind=EventKind.MODERATED,
            actor=actor,
            public=False,
            text=locked.text,
            data={"target": "redacted", "original_title": locked.title, "reason": reason},
        )
        locked.title = title
        locked.text = text
        locked.save(update_fields=["title", "text", "updated_at"])
        ledger_case(
            locked,
            "appeals.moderated",
            target="redacted",
            decision=locked.moderation,
            before_sha256=before,
            after_sha256=sha256(f"{title}\n{text}"),
        )
    return locked
