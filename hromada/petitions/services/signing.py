"""Signing a petition (the hot path): the checks, the pseudonym, the refusal."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.ledger.services import ledger_entry_new

from .. import rules
from ..models import Petition, Signature, Status
from ..selectors import petition_count_bump, petition_live_count, signing_cache_clear
from .signing_sql import _store_signature
from .threshold import _enqueue_threshold_check


def signer_pseudonym(*, petition: Petition, person_key: str) -> str:
    """A per-petition pseudonym: the same person gets unlinkable ids on different petitions."""
    key = settings.IDENTITY_HASH_KEY.encode()
    return hmac.new(key, f"{petition.public_id}:{person_key}".encode(), hashlib.sha256).hexdigest()[:32]


def petition_sign(*, petition: Petition, user) -> Signature:
    """Sign a petition. Checked here: the period, the identity level, the age; the
    database's unique constraints make "one person, one signature" hold under races,
    and the INSERT itself re-reads the petition's status and end, so a signature
    cannot slip in after the petition moved on while this process held it cached.
    No counter row is touched, so a thousand concurrent signers do not queue on one row."""
    now = timezone.now()
    identity = _check_can_sign(petition=petition, user=user, now=now)
    person_key = identity.tax_hash if identity is not None else f"user:{user.public_id}"
    signature = Signature(
        hromada_id=petition.hromada_id,
        petition=petition,
        user=user,
        person_key=person_key,
        signer_name=identity.public_name_full if identity is not None else (user.display_name or "—"),
        created_at=now,
    )
    entry = ledger_entry_new(
        hromada=petition.hromada,
        kind="petition.signed",
        payload={
            "petition": str(petition.public_id),
            "signer": signer_pseudonym(petition=petition, person_key=person_key),
        },
    )
    if not _store_signature(signature, entry, now):
        _explain_refused_signature(petition=petition, user=user, person_key=person_key)
    # The signature is stored: nothing after this point may turn it into an error.
    petition_count_bump(petition)
    # Moving to consideration is checked off the signer's critical path (and by the
    # worker's periodic tick, should this enqueue fail).
    if petition.status == Status.COLLECTING and petition_live_count(petition) >= petition.threshold:
        transaction.on_commit(lambda: _enqueue_threshold_check(petition.pk), robust=True)
    return signature


def _check_can_sign(*, petition: Petition, user, now: dt.datetime):
    """Raise the DomainError that refuses this signature, if any; return the identity.
    The checks are rules.sign_refusal's, which the petition page shows beforehand."""
    refusal, identity = rules.sign_refusal(user, petition, now)
    if refusal is not None:
        raise refusal
    return identity


def _closed() -> DomainError:
    return rules.closed_refusal()


def _explain_refused_signature(*, petition: Petition, user, person_key: str) -> None:
    if Signature.objects.filter(petition=petition, person_key=person_key).exists() or (
        Signature.objects.filter(petition=petition, user=user).exists()
    ):
        raise DomainError("already_signed", _("Ви вже підписали цю петицію."), status=409)
    # The row says the petition no longer collects: forget this process's copy.
    signing_cache_clear(petition)
    raise _closed()
