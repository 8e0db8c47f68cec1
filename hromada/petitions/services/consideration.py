"""Consideration: the answer workflow (draft → approval → publication → corrections)
and extending the deadline within the law's limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.calendar import add_calendar_days, local_date
from hromada.core.errors import DomainError
from hromada.core.i18n import lazy_format
from hromada.core.uploads import MB, check_upload
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from .. import rules
from ..models import (
    EXTENSION_MAX_DAYS,
    Answer,
    AnswerCorrection,
    AnswerDraft,
    Decision,
    DraftStatus,
    Petition,
    Status,
)
from ._common import _author_and_signers, _clean_text, _forbidden, _locked, _url

ANSWER_DOCUMENT_MAX_BYTES = 10 * MB
ANSWER_DOCUMENT_TYPES = frozenset({"application/pdf"})
ANSWER_MIN = 20
ANSWER_MAX = 20_000


def petition_audience(petition: Petition):
    """Who hears about the answer and its follow-up: the author and co-authors, the
    signers and the followers (selectors.petition_audience, through _common)."""
    return _author_and_signers(petition)


def _check_answer(decision: str, text: str, document) -> tuple[str, object]:
    if decision not in Decision.values:
        raise DomainError("decision_invalid", _("Оберіть рішення зі списку."), field="decision")
    text = _clean_text(text, field="text")
    if len(text) < ANSWER_MIN:
        raise DomainError(
            "answer_too_short", _("Текст відповіді занадто короткий (щонайменше 20 символів)."), field="text"
        )
    if len(text) > ANSWER_MAX:
        raise DomainError(
            "answer_too_long", _("Текст відповіді задовгий (до 20 000 символів)."), field="text"
        )
    checked = None
    if document is not None:
        checked = check_upload(
            document,
            allowed=set(ANSWER_DOCUMENT_TYPES),
            max_bytes=ANSWER_DOCUMENT_MAX_BYTES,
            field="document",
        )
    return text, checked


def _store_document(target, document, checked) -> None:
    target.document_name = os.path.basename(document.name)[:200]
    document.name = f"{uuid.uuid4().hex}.{checked.extension}"
    target.document = document


def _not_in_consideration(message=None) -> DomainError:
    return DomainError(
        "not_in_consideration",
        message or _("Відповісти можна лише на петицію, що перебуває на розгляді."),
        status=409,
    )


def _who_answered(officer, petition: Petition, department_id: int | None) -> dict:
    """The public "who answered": the department and the officer's position, from the
    officer's staff role in that department (or any of their roles)."""
    from hromada.accounts.models import Department, StaffRole

    roles = list(
        StaffRole.objects.filter(hromada=petition.hromada, user=officer).select_related("department")
    )
    role = next((r for r in roles if department_id and r.department_id == department_id), None)
    role = role or next((r for r in roles if r.department_id), None) or (roles[0] if roles else None)
    department = None
    if department_id:
        department = Department.objects.filter(hromada=petition.hromada, pk=department_id).first()
    elif role is not None and role.department_id:
        department = role.department
    return {
        "department_name": department.name if department else "",
        "officer_name": officer.display_name or "",
        "officer_position": role.position if role is not None else "",
    }


def _publish(*, petition: Petition, author, approver, decision, text, department_id, draft=None) -> Answer:
    """Create the Answer from approved content (inside the caller's transaction, on a locked
    petition): status, ledger entry, notifications."""
    now = timezone.now()
    answer = Answer(
        hromada=petition.hromada,
        petition=petition,
        decision=decision,
        text=text,
        answered_by=author,
        approved_by=approver,
        published_at=now,
        **_who_answered(author, petition, department_id),
    )
    if draft is not None and draft.document:
        answer.document = draft.document.name
        answer.document_name = draft.document_name
    return answer


def _finish_publication(*, petition: Petition, answer: Answer) -> None:
    now = answer.published_at
    petition.status = Status.ANSWERED
    petition.closed_at = now
    petition.save(update_fields=["status", "closed_at", "updated_at"])
    ledger_append(
        hromada=petition.hromada,
        kind="petition.answered",
        payload={
            "petition": str(petition.public_id),
            "decision": answer.decision,
            "text_sha256": hashlib.sha256(answer.text.encode()).hexdigest(),
            "on_time": timezone.localdate(now) <= petition.deadline,
            "department": answer.department_name,
            "position": answer.officer_position,
        },
    )
    notify_send(
        hromada=petition.hromada,
        users=petition_audience(petition),
        kind="petition.answered",
        title=lazy_format(_("Опубліковано відповідь на петицію №%(n)d"), n=petition.number),
        body=Decision(answer.decision).label,
        url=_url(petition),
    )


def petition_answer(*, petition: Petition, officer, decision: str, text: str, document=None) -> Answer:
    """Write and publish an answer in one step: for those who may approve answers (the
    head of the answering department, petitions.approve_answer), who need no one else's
    approval. Officers prepare a draft instead (answer_draft_save)."""
    if not rules.can_answer(officer, petition) and not rules.can_approve(officer, petition):
        raise _forbidden(_("Публікувати відповіді можуть лише посадові особи цієї громади."))
    if not rules.can_approve(officer, petition):
        raise _forbidden(
            _("Відповідь оприлюднює керівник підрозділу: збережіть проєкт і надішліть його на затвердження.")
        )
    text, checked = _check_answer(decision, text, document)
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.CONSIDERATION:
            raise _not_in_consideration()
        answer = _publish(
            petition=petition,
            author=officer,
            approver=officer,
            decision=decision,
            text=text,
            department_id=rules.answering_department_id(petition),
        )
        if document is not None and checked is not None:
            _store_document(answer, document, checked)
        answer.save()
        AnswerDraft.objects.filter(petition=petition, status__in=["draft", "submitted", "returned"]).update(
            status=DraftStatus.WITHDRAWN, updated_at=timezone.now()
        )
        _finish_publication(petition=petition, answer=answer)
    return answer


# --- drafts and approval ------------------------------------------------------------------------


def answer_draft_active(petition: Petition) -> AnswerDraft | None:
    return (
        AnswerDraft.objects.filter(petition=petition, status__in=["draft", "submitted", "returned"])
        .order_by("-id")
        .first()
    )


def answer_draft_save(
    *, petition: Petition, officer, decision: str, text: str, document=None, submit: bool = False
) -> AnswerDraft:
    """Create or update the petition's draft answer; with `submit`, send it to the head
    of the department for approval."""
    if not rules.can_answer(officer, petition):
        raise _forbidden(_("Готувати відповідь можна лише на петицію, призначену вам або вашому підрозділу."))
    text, checked = _check_answer(decision, text, document)
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.CONSIDERATION:
            raise _not_in_consideration()
        draft = answer_draft_active(petition)
        if draft is not None and draft.status == DraftStatus.SUBMITTED and draft.author_id != officer.pk:
            raise DomainError(
                "draft_under_review",
                _("Проєкт відповіді вже на затвердженні; дочекайтеся рішення керівника."),
                status=409,
            )
        if draft is None:
            draft = AnswerDraft(hromada=petition.hromada, petition=petition, author=officer)
        draft.decision = decision
        draft.text = text
        draft.department_id = rules.answering_department_id(petition) or _first_department(officer, petition)
        if document is not None and checked is not None:
            _store_document(draft, document, checked)
        draft.status = DraftStatus.SUBMITTED if submit else DraftStatus.DRAFT
        if submit:
            draft.submitted_at = timezone.now()
        try:
            with transaction.atomic():
                draft.save()
        except IntegrityError:
            raise DomainError(
                "draft_exists", _("Інша посадова особа вже готує відповідь на цю петицію."), status=409
            )
        if submit:
            notify_send(
                hromada=petition.hromada,
                users=_approvers(petition, draft.department_id, exclude=officer),
                kind="petition.answer_for_approval",
                title=lazy_format(
                    _("Проєкт відповіді на петицію №%(n)d чекає на затвердження"), n=petition.number
                ),
                body=petition.title,
                url=reverse("staff_petitions:answer", kwargs={"public_id": petition.public_id}),
            )
    return draft


def _first_department(officer, petition: Petition) -> int | None:
    departments = sorted(rules.departments_of(officer, petition.hromada))
    return departments[0] if departments else None


def _approvers(petition: Petition, department_id: int | None, *, exclude=None):
    from django.contrib.auth import get_user_model

    from hromada.accounts.models import StaffRole
    from hromada.core.modules import registry

    roles = registry.permission("petitions.approve_answer").roles  # type: ignore[union-attr]
    ids = set(
        StaffRole.objects.filter(hromada=petition.hromada, role__in=roles).values_list("user_id", flat=True)
    )
    if department_id:
        ids |= set(
            StaffRole.objects.filter(
                hromada=petition.hromada, department_id=department_id, is_head=True
            ).values_list("user_id", flat=True)
        )
    if exclude is not None:
        ids.discard(exclude.pk)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def _draft_locked(draft: AnswerDraft) -> tuple[AnswerDraft, Petition]:
    petition = _locked(draft.petition)
    return AnswerDraft.objects.select_for_update().get(pk=draft.pk), petition


def answer_draft_approve(*, draft: AnswerDraft, reviewer) -> Answer:
    """The head approves the submitted draft: it is published as the petition's answer."""
    if not rules.can_approve(reviewer, draft.petition, draft.department_id):
        raise _forbidden(_("Затверджувати відповіді може керівник підрозділу, що відповідає на петицію."))
    with transaction.atomic():
        draft, petition = _draft_locked(draft)
        if draft.status != DraftStatus.SUBMITTED:
            raise DomainError(
                "draft_not_submitted", _("Цей проєкт відповіді не надіслано на затвердження."), status=409
            )
        if draft.author_id == reviewer.pk and not rules.account_rules.has_perm(
            reviewer, petition.hromada, "petitions.approve_answer"
        ):
            raise _forbidden(_("Власний проєкт відповіді затверджує інша особа."))
        if petition.status != Status.CONSIDERATION:
            raise _not_in_consideration()
        answer = _publish(
            petition=petition,
            author=draft.author,
            approver=reviewer,
            decision=draft.decision,
            text=draft.text,
            department_id=draft.department_id,
            draft=draft,
        )
        answer.save()
        draft.status = DraftStatus.PUBLISHED
        draft.reviewed_by = reviewer
        draft.reviewed_at = answer.published_at
        draft.save()
        _finish_publication(petition=petition, answer=answer)
    return answer


def answer_draft_return(*, draft: AnswerDraft, reviewer, comment: str) -> AnswerDraft:
    """The head sends the draft back to its author with a comment."""
    if not rules.can_approve(reviewer, draft.petition, draft.department_id):
        raise _forbidden(
            _("Повертати проєкти відповідей може керівник підрозділу, що відповідає на петицію.")
        )
    comment = _clean_text(comment, field="comment")
    if len(comment) < 5:
        raise DomainError(
            "comment_required", _("Напишіть, що потрібно виправити (щонайменше 5 символів)."), field="comment"
        )
    if len(comment) > 2000:
        raise DomainError("comment_too_long", _("Коментар задовгий (до 2000 символів)."), field="comment")
    with transaction.atomic():
        draft, petition = _draft_locked(draft)
        if draft.status != DraftStatus.SUBMITTED:
            raise DomainError(
                "draft_not_submitted", _("Цей проєкт відповіді не надіслано на затвердження."), status=409
            )
        draft.status = DraftStatus.RETURNED
        draft.review_comment = comment
        draft.reviewed_by = reviewer
        draft.reviewed_at = timezone.now()
        draft.save()
        notify_send(
            hromada=petition.hromada,
            users=[draft.author],
            kind="petition.answer_returned",
            title=lazy_format(_("Проєкт відповіді на петицію №%(n)d повернуто"), n=petition.number),
            body=comment,
            url=reverse("staff_petitions:answer", kwargs={"public_id": petition.public_id}),
        )
    return draft


def answer_draft_withdraw(*, draft: AnswerDraft, officer) -> AnswerDraft:
    """Discard a draft (its author, or whoever may approve it)."""
    if draft.author_id != officer.pk and not rules.can_approve(officer, draft.petition, draft.department_id):
        raise _forbidden(_("Відкликати проєкт відповіді може його автор або керівник підрозділу."))
    with transaction.atomic():
        draft, _petition = _draft_locked(draft)
        if draft.status not in (DraftStatus.DRAFT, DraftStatus.SUBMITTED, DraftStatus.RETURNED):
            raise DomainError("draft_closed", _("Цей проєкт відповіді вже закрито."), status=409)
        draft.status = DraftStatus.WITHDRAWN
        draft.save()
    return draft


def answer_correct(*, answer: Answer, actor, text: str, reason: str) -> AnswerCorrection:
    """Correct a published answer: the original stays, the correction is shown after it
    with its date and reason, and both the ledger and the audience hear of it."""
    petition = answer.petition
    if not rules.can_approve(actor, petition):
        raise _forbidden(_("Виправляти оприлюднені відповіді може керівник підрозділу."))
    text = _clean_text(text, field="text")
    if len(text) < ANSWER_MIN:
        raise DomainError(
            "answer_too_short", _("Текст відповіді занадто короткий (щонайменше 20 символів)."), field="text"
        )
    if len(text) > ANSWER_MAX:
        raise DomainError(
            "answer_too_long", _("Текст відповіді задовгий (до 20 000 символів)."), field="text"
        )
    reason = _clean_text(reason, field="reason")
    if len(reason) < 10:
        raise DomainError(
            "reason_required",
            _("Поясніть, що і чому виправлено (щонайменше 10 символів)."),
            field="reason",
        )
    if len(reason) > 2000:
        raise DomainError("reason_too_long", _("Пояснення задовге (до 2000 символів)."), field="reason")
    with transaction.atomic():
        petition = _locked(petition)
        current = answer.corrections.order_by("-created_at", "-id").first()
        if text == (current.text if current else answer.text):
            raise DomainError("correction_unchanged", _("Текст не змінився."), field="text")
        correction = AnswerCorrection.objects.create(
            hromada=petition.hromada,
            answer=answer,
            text=text,
            reason=reason,
            corrected_by=actor,
            created_at=timezone.now(),
        )
        ledger_append(
            hromada=petition.hromada,
            kind="petition.answer_corrected",
            payload={
                "petition": str(petition.public_id),
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
                "reason": reason,
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=petition_audience(petition),
            kind="petition.answer_corrected",
            title=lazy_format(_("Виправлено відповідь на петицію №%(n)d"), n=petition.number),
            body=reason,
            url=_url(petition),
        )
    return correction


# --- the deadline -------------------------------------------------------------------------------


def _extension_days(petition: Petition) -> int:
    from ..selectors import petition_settings

    return min(petition_settings(hromada=petition.hromada).extension_max_days, EXTENSION_MAX_DAYS)


def extension_limit(petition: Petition) -> dt.date | None:
    """The latest date the consideration may be extended to: the statute's maximum (at
    most 45 calendar days) counted from the day the threshold was reached."""
    if petition.threshold_reached_at is None:
        return None
    days = _extension_days(petition)
    # A term whose last day is a day off ends on the next working day (Civil Code art. 254).
    return add_calendar_days(local_date(petition.threshold_reached_at), days, roll_to_working_day=True)


def petition_extend_deadline(*, petition: Petition, officer, until: dt.date, notice: str) -> Petition:
    """Extend the consideration once, before the deadline passes, to no later than
    extension_limit(), with the reason published on the petition's page."""
    if not rules.can_extend(officer, petition):
        raise _forbidden(_("Продовжувати строк розгляду можуть лише посадові особи цієї громади."))
    notice = _clean_text(notice, field="notice")
    if len(notice) < 20:
        raise DomainError(
            "notice_required",
            _("Поясніть причину продовження строку (щонайменше 20 символів)."),
            field="notice",
        )
    if len(notice) > 2000:
        raise DomainError("notice_too_long", _("Пояснення задовге (до 2000 символів)."), field="notice")
    with transaction.atomic():
        petition = _locked(petition)
        if petition.status != Status.CONSIDERATION:
            raise DomainError(
                "not_in_consideration",
                _("Продовжити можна лише строк петиції, що перебуває на розгляді."),
                status=409,
            )
        if petition.consideration_extended_until is not None:
            raise DomainError(
                "extension_once",
                _("Строк розгляду вже продовжено до %(d)s; продовжити його можна лише один раз.")
                % {"d": petition.consideration_extended_until.strftime("%d.%m.%Y")},
                field="until",
                status=409,
            )
        today = timezone.localdate()
        if today > petition.deadline:
            raise DomainError(
                "extension_too_late",
                _("Строк розгляду минув %(d)s; продовжити можна лише до його закінчення.")
                % {"d": petition.deadline.strftime("%d.%m.%Y")},
                field="until",
                status=409,
            )
        if until <= petition.deadline:
            raise DomainError(
                "extension_not_later",
                _("Нова дата має бути пізнішою за чинний строк (%(d)s).")
                % {"d": petition.deadline.strftime("%d.%m.%Y")},
                field="until",
            )
        limit = extension_limit(petition)
        if limit is not None and petition.threshold_reached_at is not None and until > limit:
            raise DomainError(
                "extension_too_long",
                _(
                    "Продовжити можна щонайбільше до %(d)s: загальний строк розгляду — не більше "
                    "%(n)d календарних днів від дня, коли петиція набрала підписи."
                )
                % {
                    "d": limit.strftime("%d.%m.%Y"),
                    "n": _extension_days(petition),
                },
                field="until",
            )
        petition.consideration_extended_until = until
        petition.extension_notice = notice
        petition.extension_noticed_at = timezone.now()
        petition.save()
        ledger_append(
            hromada=petition.hromada,
            kind="petition.deadline_extended",
            payload={"petition": str(petition.public_id), "until": until.isoformat(), "reason": notice},
        )
        notify_send(
            hromada=petition.hromada,
            users=petition_audience(petition),
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
