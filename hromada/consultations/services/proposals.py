"""Participants' proposals (open ones in a consultation, wording for a paragraph in a
draft-act discussion), their support, and staff's answer to each one — accepted, partly
accepted or rejected, always with a reason, which goes into the report. CONSUL's
legislation processes are the model."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.accounts import rules as account_rules
from hromada.accounts.selectors import perm_holder_ids
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.core.text import check_text
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send

from .. import rules
from ..models import (
    ANSWERED,
    REASON_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Consultation,
    Kind,
    Paragraph,
    Proposal,
    ProposalStatus,
    Report,
    Support,
)
from . import participation


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def proposal_url(proposal: Proposal) -> str:
    return _url("consultations:proposal", proposal.consultation.number, proposal.number)


def _text(value: str | None, *, field: str, limit: int, multiline: bool = True) -> str:
    value = check_text((value or "").replace("\r\n", "\n").strip(), field=field, multiline=multiline)
    if len(value) > limit:
        raise DomainError(
            f"{field}_too_long", _("Задовгий текст: до %(n)d символів.") % {"n": limit}, field=field
        )
    return value


def public_name(user, hromada) -> str:
    """How an author is shown: the verified name (first and last), else the account's
    display name — never the e-mail address."""
    identity = account_rules.identity_in(user, hromada=hromada)
    if identity is not None:
        return identity.public_name_full
    return (getattr(user, "display_name", "") or "").strip()[:200] or _("Учасник консультації")


def proposals_refusal(consultation: Consultation, user) -> DomainError | None:
    """Why `user` may not propose in `consultation` now (shown before the form), or None."""
    if not (consultation.allow_proposals or consultation.kind == Kind.DISCUSSION):
        return DomainError(
            "proposals_not_allowed", _("У цій консультації пропозиції не приймаються."), status=409
        )
    return participation.refusal(user, consultation)


def _answerers(hromada, *, exclude=None) -> list:
    ids = set(perm_holder_ids(hromada=hromada, codenames=["consultations.answer"]))
    if exclude is not None:
        ids.discard(exclude.pk)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True))


def proposal_submit(
    *,
    consultation: Consultation,
    user,
    title: str,
    body: str = "",
    wording: str = "",
    paragraph: Paragraph | None = None,
) -> Proposal:
    """A participant's proposal: numbered consecutively in the consultation, ledgered,
    and staff who answer proposals are told after commit."""
    refusal = proposals_refusal(consultation, user)
    if refusal is not None:
        raise refusal
    hromada = consultation.hromada
    if paragraph is not None and (
        paragraph.consultation_id != consultation.pk or paragraph.hromada_id != hromada.pk
    ):
        raise DomainError("paragraph_invalid", _("Такого пункту в тексті проєкту немає."), field="paragraph")
    title = _text(title, field="title", limit=TITLE_MAX, multiline=False)
    if not title:
        raise DomainError("title_required", _("Коротко напишіть суть пропозиції."), field="title")
    body = _text(body, field="body", limit=TEXT_MAX)
    wording = _text(wording, field="wording", limit=TEXT_MAX)
    if consultation.kind == Kind.DISCUSSION and paragraph is not None and not wording:
        raise DomainError(
            "wording_required",
            _("Напишіть, як, на вашу думку, має звучати пункт %(number)s.") % {"number": paragraph.number},
            field="wording",
        )
    participant = rules.pseudonym_of(user, consultation)
    author_name = "" if consultation.anonymous else public_name(user, hromada)
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk, hromada=hromada)
        top = (
            Proposal.objects.for_hromada(hromada).filter(consultation=locked).aggregate(n=Max("number"))["n"]
            or 0
        )
        proposal = Proposal.objects.create(
            hromada=hromada,
            consultation=locked,
            paragraph=paragraph,
            number=top + 1,
            author=user,
            author_name=author_name,
            participant=participant,
            title=title,
            body=body,
            wording=wording,
        )
        ledger_append(
            hromada=hromada,
            kind="consultations.proposal_submitted",
            payload={
                "consultation": str(locked.public_id),
                "proposal": proposal.number,
                "paragraph": paragraph.number if paragraph is not None else None,
                "participant": participant,
                "title": title,
            },
        )
        staff = _answerers(hromada, exclude=user)
        url = _url("staff_consultations:proposal_answer", locked.public_id, proposal.number)
        message = lazy_format(
            gettext_lazy("Нова пропозиція №%(n)s до консультації №%(c)s «%(t)s»"),
            n=proposal.number,
            c=locked.number,
            t=locked.title[:120],
        )
        transaction.on_commit(
            lambda: notify_send(
                hromada=hromada,
                users=staff,
                kind="consultations.proposal_new",
                title=message,
                body=title,
                url=url,
            )
        )
    proposal.consultation = locked
    return proposal


def is_author(proposal: Proposal, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if proposal.author_id is not None and proposal.author_id == user.pk:
        return True
    return proposal.participant == rules.pseudonym_of(user, proposal.consultation)


def proposal_withdraw(*, proposal: Proposal, user) -> Proposal:
    """The author takes back a proposal not yet answered."""
    if not is_author(proposal, user):
        raise PermissionDenied(message=_("Відкликати пропозицію може лише її автор."))
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk, hromada=proposal.hromada_id)
        if locked.status != ProposalStatus.PENDING:
            raise DomainError(
                "not_pending", _("Пропозицію вже розглянуто: відкликати її не можна."), status=409
            )
        locked.status = ProposalStatus.WITHDRAWN
        locked.save(update_fields=["status", "updated_at"])
        ledger_append(
            hromada=locked.hromada,
            kind="consultations.proposal_withdrawn",
            payload={
                "consultation": str(proposal.consultation.public_id),
                "proposal": locked.number,
                "participant": locked.participant,
            },
        )
    return locked


def support_refusal(proposal: Proposal, user) -> DomainError | None:
    """Why `user` may not support `proposal` now (shown before the button), or None."""
    if proposal.status in (ProposalStatus.WITHDRAWN, ProposalStatus.HIDDEN):
        return DomainError("support_closed", _("Цю пропозицію вже не можна підтримати."), status=409)
    refusal = participation.refusal(user, proposal.consultation)
    if refusal is not None:
        return refusal
    if is_author(proposal, user):
        return DomainError("own_proposal", _("Не можна підтримати власну пропозицію."), status=409)
    return None


def has_supported(proposal: Proposal, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        Support.objects.for_hromada(proposal.hromada_id)
        .filter(proposal=proposal, participant=rules.pseudonym_of(user, proposal.consultation))
        .exists()
    )


def proposal_support(*, proposal: Proposal, user) -> Support:
    """One support per person per proposal (the pseudonym under a unique constraint)."""
    refusal = support_refusal(proposal, user)
    if refusal is not None:
        raise refusal
    participant = rules.pseudonym_of(user, proposal.consultation)
    try:
        with transaction.atomic():
            support = Support.objects.create(
                hromada_id=proposal.hromada_id,
                proposal=proposal,
                participant=participant,
                user=user,
                at=timezone.now(),
            )
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            ledger_append(
                hromada=proposal.hromada,
                kind="consultations.proposal_supported",
                payload={
                    "consultation": str(proposal.consultation.public_id),
                    "proposal": proposal.number,
                    "participant": participant,
                },
            )
    except IntegrityError:
        raise DomainError("already_supported", _("Ви вже підтримали цю пропозицію."), status=409) from None
    proposal.refresh_from_db(fields=["support_count"])
    return support


def report_published(consultation: Consultation) -> bool:
    return (
        Report.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, published_at__isnull=False)
        .exists()
    )


def proposal_answer(*, proposal: Proposal, actor, status: str, reason: str) -> Proposal:
    """Staff's answer: accepted, partly accepted or rejected, with the reason. Given any
    time after publication (mostly after closing); changed until the report is published
    (each answer ledgered). The author is told after commit."""
    consultation = proposal.consultation
    hromada = consultation.hromada
    if not rules.can_answer(actor, hromada):
        raise PermissionDenied(message=_("Немає права відповідати на пропозиції."))
    if status not in ANSWERED:
        raise DomainError(
            "status_invalid",
            _("Оберіть рішення: враховано, враховано частково чи відхилено."),
            field="status",
        )
    reason = _text(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise DomainError(
            "reason_required",
            _("Напишіть обґрунтування рішення: воно буде у звіті про результати."),
            field="reason",
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk, hromada=hromada)
        if locked.status not in (ProposalStatus.PENDING, *ANSWERED):
            raise DomainError(
                "not_answerable",
                _("Пропозицію відкликано чи приховано: відповідь на неї не потрібна."),
                status=409,
            )
        if report_published(consultation):
            raise DomainError(
                "report_published",
                _("Звіт про результати вже оприлюднено: рішення щодо пропозицій змінювати не можна."),
                status=409,
            )
        previous = locked.status if locked.status in ANSWERED else None
        locked.status = status
        locked.reason = reason
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "reason", "answered_by", "answered_at", "updated_at"])
        ledger_append(
            hromada=hromada,
            kind="consultations.proposal_answered",
            payload={
                "consultation": str(consultation.public_id),
                "proposal": locked.number,
                "status": status,
                "reason": reason,
                "previous": previous,
            },
        )
        if locked.author_id is not None:
            author_id = locked.author_id
            label = dict(ProposalStatus.choices)[status]
            message = lazy_format(
                gettext_lazy("Відповідь на вашу пропозицію №%(n)s «%(t)s»: %(s)s"),
                n=locked.number,
                t=locked.title[:120],
                s=label,
            )
            url = proposal_url(locked)
            transaction.on_commit(
                lambda: notify_send(
                    hromada=hromada,
                    users=[author_id],
                    kind="consultations.proposal_answered",
                    title=message,
                    body=reason,
                    url=url,
                )
            )
    locked.consultation = consultation
    return locked
