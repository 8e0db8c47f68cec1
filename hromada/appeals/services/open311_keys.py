"""Open311 API keys: issued to a named client (a mobile app, a partner's system) and
revoked by the hromada's administrator (appeals.manage). Only the key's SHA-256 is
stored; the key itself is shown once. Ledgered as appeals.setup_changed."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.text import text_problem
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import NAME_MAX, ApiClient


def _require_manage(actor, hromada) -> None:
    if not has_perm(actor, hromada, rules.PERM_MANAGE):
        raise PermissionDenied(message=_("Ключі Open311 видає лише адміністратор громади."))


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_key_issue(*, hromada, actor, name: str) -> tuple[ApiClient, str]:
    """A new client and its key (returned once, never stored)."""
    _require_manage(actor, hromada)
    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _("Вкажіть, для кого ключ (назва застосунку)."), field="name")
    if len(name) > NAME_MAX or text_problem(name, multiline=False) is not None:
        raise DomainError(
            "name_invalid", _("Назва — один рядок до %(n)d символів.") % {"n": NAME_MAX}, field="name"
        )
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        client = ApiClient.objects.create(
            hromada=hromada, name=name, key_hash=key_hash(key), key_hint=key[-4:], created_by=actor
        )
        ledger_append(
            hromada=hromada,
            kind="appeals.setup_changed",
            payload={"object": "api_client", "action": "issued", "ref": str(client.pk), "fields": ["name"]},
        )
    return client, key


def api_key_revoke(*, client: ApiClient, actor) -> ApiClient:
    """The key stops working at once; the client's row stays (its requests name it)."""
    hromada = client.hromada
    _require_manage(actor, hromada)
    with transaction.atomic():
        locked = ApiClient.objects.select_for_update().get(pk=client.pk, hromada=hromada)
        if not locked.active:
            raise DomainError("key_revoked", _("Цей ключ уже відкликано."), status=409)
        locked.active = False
        locked.save(update_fields=["active", "updated_at"])
        ledger_append(
            hromada=hromada,
            kind="appeals.setup_changed",
            payload={
                "object": "api_client",
                "action": "revoked",
                "ref": str(locked.pk),
                "fields": ["active"],
            },
        )
    return locked
