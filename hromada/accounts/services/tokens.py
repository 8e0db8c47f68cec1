"""Personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError

from ..models import ApiToken, User
from ._common import _forbidden

MAX_API_TOKENS = 20
API_TOKEN_PREFIX = "hrm_"


def api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal API token. Returns the row and the token, which is shown
    once and never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Назвіть токен, щоб потім його впізнати."), field="name")
    if len(name) > 100:
        raise DomainError("name_too_long", _("Назва токена — до 100 символів."), field="name")
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_API_TOKENS:
            raise DomainError(
                "too_many_tokens",
                _("Можна мати щонайбільше %(n)d активних токенів. Відкличте непотрібні.")
                % {"n": MAX_API_TOKENS},
                field="name",
            )
        raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = ApiToken.objects.create(user=user, name=name, token_hash=api_token_hash(raw))
    return token, raw


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise _forbidden()
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token
