"""Manual authorisation by staff (ADR 0006, decision 3): an official confirms that a
person may vote in a cycle although the automatic checks would not say so (an
internally displaced person, a resident without e-ID). The person is named by the keyed
hash of their tax number; the ledger names them by their voter pseudonym only."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.identity import taxnumber
from hromada.accounts.models import Identity
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import Authorisation, AuthorisationReason, Cycle


def _require(actor, cycle: Cycle) -> None:
    if not rules.can_authorise(actor, cycle.hromada):
        raise PermissionDenied("forbidden", _("Недостатньо прав, щоб підтверджувати право голосу."))


def account_of(tax_number: str):
    """The account verified with this tax number, if any (to link the authorisation)."""
    identity = Identity.objects.filter(tax_hash=taxnumber.tax_hash(tax_number)).select_related("user").first()
    return identity.user if identity is not None else None


def authorisation_grant(
    *, cycle: Cycle, actor, tax_number: str, reason: str, document_seen: str, note: str = "", user=None
) -> Authorisation:
    _require(actor, cycle)
    if not cycle.allow_authorisation:
        raise DomainError(
            "authorisation_not_allowed",
            _("Положення цього циклу не передбачає ручного підтвердження права голосу."),
            status=409,
        )
    number = taxnumber.normalise(tax_number)
    if not taxnumber.is_valid(number):
        raise DomainError(
            "tax_number_invalid",
            _("Податковий номер (РНОКПП) має 10 цифр і правильну контрольну цифру: перевірте його."),
            field="tax_number",
        )
    if reason not in AuthorisationReason.values:
        raise DomainError("reason_invalid", _("Оберіть підставу."), field="reason")
    document_seen = (document_seen or "").strip()
    if not document_seen:
        raise DomainError(
            "document_required", _("Зазначте, який документ ви переглянули."), field="document_seen"
        )
    person_key = taxnumber.tax_hash(number)
    if user is not None and not isinstance(user, get_user_model()):
        user = None
    existing = (
        Authorisation.objects.for_hromada(cycle.hromada_id).filter(cycle=cycle, person_key=person_key).first()
    )
    try:
        with transaction.atomic():
            if existing is not None:
                if existing.revoked_at is None:
                    raise DomainError(
                        "already_authorised",
                        _("Цій особі вже підтверджено право голосу в цьому циклі."),
                        field="tax_number",
                        status=409,
                    )
                existing.revoked_at = None
                existing.reason, existing.document_seen, existing.note = (
                    reason,
                    document_seen[:200],
                    note[:500],
                )
                existing.granted_by, existing.user = actor, user
                existing.save()
                row = existing
            else:
                row = Authorisation.objects.create(
                    hromada_id=cycle.hromada_id,
                    cycle=cycle,
                    person_key=person_key,
                    user=user,
                    reason=reason,
                    document_seen=document_seen[:200],
                    note=(note or "")[:500],
                    granted_by=actor,
                )
            ledger_append(
                hromada=cycle.hromada,
                kind="budget.authorisation_granted",
                payload={
                    "cycle": str(cycle.public_id),
                    "person": rules.voter_pseudonym(cycle=cycle, person_key=person_key),
                    "reason": reason,
                },
            )
    except IntegrityError:
        raise DomainError(
            "already_authorised",
            _("Цій особі вже підтверджено право голосу в цьому циклі."),
            field="tax_number",
            status=409,
        ) from None
    return row


def authorisation_revoke(*, authorisation: Authorisation, actor) -> Authorisation:
    """Withdraw an authorisation (a ballot already cast stays: it was final when cast)."""
    cycle = authorisation.cycle
    _require(actor, cycle)
    if authorisation.revoked_at is not None:
        return authorisation
    with transaction.atomic():
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at", "updated_at"])
        ledger_append(
            hromada=cycle.hromada,
            kind="budget.authorisation_granted",
            payload={
                "cycle": str(cycle.public_id),
                "person": rules.voter_pseudonym(cycle=cycle, person_key=authorisation.person_key),
                "reason": authorisation.reason,
                "revoked": True,
            },
        )
    return authorisation
