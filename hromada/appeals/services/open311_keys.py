"""Open311 API keys: issued to a client (a city app, a partner's service) by the
hromada's administrator, shown once, stored only as SHA-256.

A key belongs to one hromada: it posts requests there and nowhere else. Revoking is
immediate (the next POST with it is refused). The staff page is the setup part's; it
calls these. Ledger payloads name the client by id and name (an organisation or app,
not a person) and never carry the key or its hint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import NAME_MAX, ApiClient

KEY_PREFIX = "h311_"
HINT_CHARS = 6
# last_used_at is written at most this often per client (a busy app posts many a minute).
USE_WRITE_EVERY = dt.timedelta(minutes=5)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _require_manage(actor, hromada) -> None:
    from hromada.accounts.rules import has_perm

    if not has_perm(actor, hromada, rules.PERM_MANAGE):
        raise PermissionDenied("forbidden", _("Немає права керувати ключами Open311."))


def api_key_issue(*, hromada, actor, name: str) -> tuple[ApiClient, str]:
    """A new client `name` with a fresh key: (client, key). The key is returned only
    here; the database keeps its SHA-256 and its last characters (to tell keys apart)."""
    _require_manage(actor, hromada)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(
            "api_client_name_required", _("Вкажіть назву застосунку чи організації."), field="name"
        )
    if len(name) > NAME_MAX:
        raise DomainError(
            "api_client_name_too_long", _("Назва задовга: до %(n)d знаків.") % {"n": NAME_MAX}, field="name"
        )
    with transaction.atomic():
        if ApiClient.objects.for_hromada(hromada).filter(name__iexact=name, active=True).exists():
            # The name goes on every case the client posts: two live clients must differ.
            raise DomainError(
                "api_client_name_taken",
                _("Уже є чинний ключ із назвою «%(name)s».") % {"name": name},
                field="name",
                status=409,
            )
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        client = ApiClient.objects.create(
            hromada=hromada,
            name=name,
            key_hash=key_digest(key),
            key_hint=key[-HINT_CHARS:],
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        ledger_append(
            hromada=hromada,
            kind="appeals.setup_changed",
            payload={"object": "api_client", "action": "issued", "ref": str(client.pk), "fields": ["name"]},
        )
    return client, key


def api_key_revoke(*, client: ApiClient, actor) -> ApiClient:
    """Revoke a client's key at once (an already revoked one is left as it is)."""
    _require_manage(actor, client.hromada)
    with transaction.atomic():
        updated = (
            ApiClient.objects.for_hromada(client.hromada)
            .filter(pk=client.pk, active=True)
            .update(active=False, updated_at=timezone.now())
        )
        if updated:
            ledger_append(
                hromada=client.hromada,
                kind="appeals.setup_changed",
                payload={
                    "object": "api_client",
                    "action": "revoked",
                    "ref": str(client.pk),
                    "fields": ["active"],
                },
            )
    client.active = False
    return client


def api_client_for(*, hromada, key: str, now=None) -> ApiClient | None:
    """The hromada's live client whose key this is, or None (unknown, revoked, or
    another hromada's key). Notes its use, at most every USE_WRITE_EVERY."""
    key = (key or "").strip()
    if not key or len(key) > 200:
        return None
    client = ApiClient.objects.for_hromada(hromada).filter(key_hash=key_digest(key), active=True).first()
    if client is None:
        return None
    now = now or timezone.now()
    if client.last_used_at is None or client.last_used_at < now - USE_WRITE_EVERY:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
