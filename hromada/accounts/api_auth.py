"""Authentication for the Ninja API: `auth=session_or_token` on an operation.

1. "Authorization: Bearer <token>": a personal API token (see ApiToken). One
   indexed query finds the token, its user and the user's identity; the
   last-used time is written at most once a minute. A token that is unknown,
   revoked or belongs to a disabled account is refused with 401 rather than
   falling back to the session.
2. Otherwise the Django session cookie, with the CSRF check enforced for unsafe
   methods (POST, PUT, PATCH, DELETE), exactly as for a form post.

The authenticated user is `request.auth` (and `request.user`).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from hromada.core.errors import DomainError

from .models import ApiToken

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BearerTokenAuth(HttpBearer):
    def __call__(self, request):
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        invalid = DomainError(
            "invalid_token", _("API-токен недійсний або відкликаний."), field="Authorization", status=401
        )
        if not token or len(token) > 200:
            raise invalid
        digest = hashlib.sha256(token.encode()).hexdigest()
        row = (
            ApiToken.objects.select_related("user", "user__identity")
            .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            raise invalid
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        user = row.user
        request.user = user
        request.api_token = row
        return user


class CsrfSessionAuth(APIKeyCookie):
    """The browser's session; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def _get_key(self, request):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        if not key:
            return None
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in _SAFE_METHODS and not getattr(request, "_ninja_csrf_exempt", False):
            if check_csrf(request) is not None:
                raise DomainError(
                    "csrf_failed",
                    _("Запит без дійсного CSRF-токена. Оновіть сторінку й спробуйте знову."),
                    status=403,
                )
        return user


bearer_token = BearerTokenAuth()
session = CsrfSessionAuth()
# Bearer first: a token request never touches the session table.
session_or_token = [bearer_token, session]
