"""Moderation: hiding a proposal (and showing it again) with a reason, and letting
questionnaires' free-text answers into the public results (`Answer.text_state`:
pending → shown or hidden). Permission consultations.moderate; every decision ledgered
as consultations.moderated."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import REASON_MAX, Answer, Consultation, Proposal, ProposalStatus, TextState
from .proposals import _text
from .snapshots import snapshot_invalidate


def _require_moderate(actor, hromada) -> None:
    if not rules.can_moderate(actor, hromada):
        raise PermissionDenied(message=_("Немає права модерувати консультації."))


def proposal_hide(*, proposal: Proposal, actor, reason: str) -> Proposal:
    """Hide a proposal not yet answered (abuse, personal data, off topic). An answered
    proposal is part of the report's record and stays."""
    hromada = proposal.consultation.hromada
    _require_moderate(actor, hromada)
    reason = _text(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise DomainError(
            "reason_required", _("Напишіть, чому пропозицію приховано: це побачить автор."), field="reason"
        )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk, hromada=hromada)
        if locked.status != ProposalStatus.PENDING:
            raise DomainError(
                "not_pending",
                _("Приховати можна лише пропозицію, яку ще не розглянуто й не відкликано."),
                status=409,
            )
        locked.status = ProposalStatus.HIDDEN
        locked.reason = reason
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "reason", "answered_by", "answered_at", "updated_at"])
        ledger_append(
            hromada=hromada,
            kind="consultations.moderated",
            payload={
                "consultation": str(proposal.consultation.public_id),
                "proposal": locked.number,
                "action": "hidden",
                "reason": reason,
            },
        )
    locked.consultation = proposal.consultation
    return locked


def proposal_show(*, proposal: Proposal, actor, reason: str) -> Proposal:
    """Show a hidden proposal again: it is pending once more, to be answered."""
    hromada = proposal.consultation.hromada
    _require_moderate(actor, hromada)
    reason = _text(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise DomainError("reason_required", _("Напишіть, чому пропозицію знову показано."), field="reason")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk, hromada=hromada)
        if locked.status != ProposalStatus.HIDDEN:
            raise DomainError("not_hidden", _("Ця пропозиція не прихована."), status=409)
        locked.status = ProposalStatus.PENDING
        locked.reason = ""
        locked.answered_by = None
        locked.answered_at = None
        locked.save(update_fields=["status", "reason", "answered_by", "answered_at", "updated_at"])
        ledger_append(
            hromada=hromada,
            kind="consultations.moderated",
            payload={
                "consultation": str(proposal.consultation.public_id),
                "proposal": locked.number,
                "action": "shown",
                "reason": reason,
            },
        )
    locked.consultation = proposal.consultation
    return locked


def answers_moderate(*, consultation: Consultation, actor, answer_ids: Iterable[int], state: str) -> int:
    """Set free-text answers of `consultation` to `state` ("shown" or "hidden"); the
    bulk approval is state="shown" over the queue. Returns how many changed."""
    hromada = consultation.hromada
    _require_moderate(actor, hromada)
    if state not in (TextState.SHOWN, TextState.HIDDEN):
        raise DomainError("state_invalid", _("Оберіть: показати чи приховати."), field="state")
    ids = sorted({int(i) for i in answer_ids})
    if not ids:
        raise DomainError("answers_required", _("Позначте хоча б одну відповідь."), field="answers")
    with transaction.atomic():
        rows = (
            Answer.objects.for_hromada(hromada)
            .filter(pk__in=ids, response__consultation=consultation)
            .exclude(text_state="")
            .exclude(text_state=state)
        )
        changed = list(rows.values_list("pk", flat=True))
        if not changed:
            return 0
        Answer.objects.for_hromada(hromada).filter(pk__in=changed).update(text_state=state)
        ledger_append(
            hromada=hromada,
            kind="consultations.moderated",
            payload={
                "consultation": str(consultation.public_id),
                "answers": changed,
                "action": state,
            },
        )
        # The public texts' count is the results snapshot's: a final one is redone.
        snapshot_invalidate(consultation=consultation)
    return len(changed)
