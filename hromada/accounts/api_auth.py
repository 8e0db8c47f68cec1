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
import threading
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from hromada.core.errors import DomainError

from .models import ApiToken, Identity, User

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
        found = token_user(token)
        if found is None:
            raise invalid
        user, token_id = found
        request.user = user
        request.api_token_id = token_id
        return user


def token_user(token: str):
    """(user with identity attached, token id) for a valid personal API token, else None.
    Shared by the API's authentication and the edge's hot routes (hromada.core.edge)."""
    if not token or len(token) > 200:
        return None
    found = _token_owner(hashlib.sha256(token.encode()).hexdigest())
    if found is None:
        return None
    token_id, last_used_at, user = found
    _note_use(token_id, last_used_at)
    return user, token_id


# The token lookup runs on every API call (a thousand signatures a second at a peak).
# One fixed statement, no ORM compilation: token, user and identity in one row.
_token_query: tuple[str, list[str], list[str]] | None = None


def _token_statement() -> tuple[str, list[str], list[str]]:
    global _token_query
    if _token_query is None:
        from django.db import connection

        q = connection.ops.quote_name
        user_fields = [f.column for f in User._meta.concrete_fields]
        identity_fields = [f.column for f in Identity._meta.concrete_fields]
        sql = (
            "SELECT t.id, t.last_used_at, "  # noqa: S608 - names from model metadata, values bound
            + ", ".join(f"u.{q(c)}" for c in user_fields)
            + ", "
            + ", ".join(f"i.{q(c)}" for c in identity_fields)
            + f" FROM {q(ApiToken._meta.db_table)} t"
            + f" JOIN {q(User._meta.db_table)} u ON u.id = t.user_id"
            + f" LEFT JOIN {q(Identity._meta.db_table)} i ON i.user_id = u.id"
            + " WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active = %s"
        )
        _token_query = (
            sql,
            [f.attname for f in User._meta.concrete_fields],
            [f.attname for f in Identity._meta.concrete_fields],
        )
    return _token_query


def _token_owner(digest: str):
    from django.db import DEFAULT_DB_ALIAS, connections

    conn = connections[DEFAULT_DB_ALIAS]  # once: every access through the proxy costs
    sql, user_names, identity_names = _token_statement()
    with conn.cursor() as cursor:
        cursor.execute(sql, [digest, True])
        row = cursor.fetchone()
    if row is None:
        return None
    token_id, last_used_at = row[0], row[1]
    n = len(user_names)
    user = User.from_db(DEFAULT_DB_ALIAS, user_names, _convert(User, user_names, row[2 : 2 + n], conn))
    identity_values = row[2 + n :]
    related = User.identity.related
    if identity_values[0] is None:
        related.set_cached_value(user, None)
    else:
        identity = Identity.from_db(
            DEFAULT_DB_ALIAS, identity_names, _convert(Identity, identity_names, identity_values, conn)
        )
        Identity.user.field.set_cached_value(identity, user)
        related.set_cached_value(user, identity)
    (last_used_at,) = _convert(ApiToken, ["last_used_at"], [last_used_at], conn)
    return token_id, last_used_at, user


# (vendor, model, columns) → per column None or (expression, converters): the
# backend's and the field's converters, as the ORM would apply them (SQLite returns
# dates as text, UUIDs as hex, booleans as integers). On PostgreSQL most are empty.
_converters: dict[tuple, list] = {}


def _convert(model, names, values, conn) -> list:
    key = (conn.vendor, model._meta.label, tuple(names))
    plan = _converters.get(key)
    if plan is None:
        plan = []
        for name in names:
            field = model._meta.pk if name == "id" else model._meta.get_field(name)
            expression = field.get_col(model._meta.db_table)
            converters = conn.ops.get_db_converters(expression) + field.get_db_converters(conn)
            plan.append((expression, converters) if converters else None)
        _converters[key] = plan
    out = list(values)
    for i, step in enumerate(plan):
        if step is not None:
            expression, converters = step
            for converter in converters:
                out[i] = converter(out[i], expression, conn)
    return out


# last_used_at: informational, so it is written in one UPDATE per process every few
# seconds instead of a write (and a commit) inside the request.
_pending_use: dict[int, dt.datetime] = {}
_pending_lock = threading.Lock()
_last_flush = [0.0]
FLUSH_SECONDS = 5.0


def _note_use(token_id: int, last_used_at) -> None:
    now = timezone.now()
    if last_used_at is not None and now - last_used_at < LAST_USED_RESOLUTION:
        return
    with _pending_lock:
        _pending_use[token_id] = now
        due = time.monotonic() - _last_flush[0] >= FLUSH_SECONDS
        if not due:
            return
        batch = dict(_pending_use)
        _pending_use.clear()
        _last_flush[0] = time.monotonic()
    flush_token_use(batch)


def flush_token_use(batch: dict[int, dt.datetime] | None = None) -> int:
    """Write the buffered last-used times (called from requests; also by tests)."""
    if batch is None:
        with _pending_lock:
            batch = dict(_pending_use)
            _pending_use.clear()
    if not batch:
        return 0
    from django.db import DatabaseError

    try:
        return ApiToken.objects.filter(pk__in=list(batch)).update(last_used_at=max(batch.values()))
    except DatabaseError:
        return 0  # informational only: never fail a request over it


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
