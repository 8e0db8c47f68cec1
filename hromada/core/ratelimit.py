"""The one rate limiter: abuse limits per account and per client address.

Limits are named (``"petition.submit"``) and set in one setting, ``RATE_LIMITS``:
``{"petition.submit": "5/h", "petition.submit:address": "30/h", ...}`` — a count per
second, minute, hour or day (``s m h d``), or ``"off"``. ``<name>`` limits an account,
``<name>:address`` a client address. ``RATE_LIMITS_ENABLED`` turns every limit off.

Modules use it through this kernel module, never their own copy:

    rate_limit(request, "petition.submit")            # raises RateLimited when over
    with rate_limit(request, "petition.submit"):      # ...and gives the attempt back
        services.petition_submit(...)                 # if the block raises

A refusal is ``RateLimited``: under /api/ the API root answers it with 429, a
``Retry-After`` header and ``{"code": "rate_limited", "message", "field": null}``;
on pages ``RateLimitMiddleware`` renders a page with the same status and header.
API writes in general have a per-token budget (``"api.write"``), charged by
``ApiWriteBudget``, a throttle on the API root that an operation leaves out with
``throttle=[]`` (signing: one person, one signature is its own limit).

State lives in the database (``core.RateCounter``), so every worker process and every
app server sees the same counts; the install has no shared cache. One row per limit
and key holds a fixed window that starts with its first hit; one upsert statement
counts a hit only while the window has room (or opens a new window once it has
expired), atomically on SQLite and PostgreSQL alike. Keys are keyed hashes, so the
table holds no address or e-mail in clear; expired rows are purged by a periodic job
(hromada/core/module.py).
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from ninja.throttling import BaseThrottle

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(value: str) -> Rate | None:
    """'5/h' → Rate(5, 3600); '10/15m' → Rate(10, 900); 'off' → None."""
    if value is None or str(value).strip().lower() in ("", "off", "none"):
        return None
    match = RATE_RE.match(str(value))
    if not match:
        raise ImproperlyConfigured(f"RATE_LIMITS: {value!r} is not '<count>/<s|m|h|d>' or 'off'")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * PERIODS[unit])


def parse_rates(text: str) -> dict[str, str]:
    """The RATE_LIMITS environment variable: 'petition.submit=10/h,signup:address=off'."""
    out: dict[str, str] = {}
    for item in text.split(","):
        if item.strip():
            name, sep, value = item.partition("=")
            if not sep:
                raise ImproperlyConfigured(f"RATE_LIMITS: {item!r} is not '<name>=<rate>'")
            parse_rate(value)
            out[name.strip()] = value.strip()
    return out


def _rate(name: str) -> Rate | None:
    limits = getattr(settings, "RATE_LIMITS", {})
    return parse_rate(limits.get(name, "off"))


class RateLimited(Exception):
    """A limit is reached: answered with 429 and `Retry-After` (seconds)."""

    code = "rate_limited"
    status = 429

    def __init__(self, name: str, retry_after: int) -> None:
        self.name = name
        self.retry_after = max(1, int(retry_after))
        super().__init__(f"{name}: retry after {self.retry_after} s")

    @property
    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        return _("Забагато запитів. Спробуйте знову за %(minutes)d хв.") % {"minutes": minutes}

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": None}


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind the TLS proxy (BEHIND_TLS_PROXY) the
    hop the proxy appended to X-Forwarded-For — the same rule as the log-in lock-out's,
    so both count the same client. The one place the limiter reads it."""
    from hromada.accounts.lockout import client_ip

    return client_ip(request)


def _key(name: str, scope: str, ident: Any) -> str:
    digest = salted_hmac("hromada.core.ratelimit", f"{scope}:{ident}").hexdigest()[:32]
    return f"{name}|{scope}|{digest}"


# --- the counter: one statement ------------------------------------------------------------

_statements: dict[str, str] = {}


def _hit_statement() -> str:
    sql = _statements.get(connection.vendor)
    if sql is None:
        from .models import RateCounter, column_field

        q = connection.ops.quote_name
        table = q(RateCounter._meta.db_table)
        key, hits, expires = (q(column_field(RateCounter, n).column) for n in ("key", "hits", "expires"))
        sql = _statements[connection.vendor] = (
            f"INSERT INTO {table} ({key}, {hits}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608 - names from model metadata
            f"ON CONFLICT ({key}) DO UPDATE SET "
            f"{hits} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{hits} + 1 END, "
            f"{expires} = CASE WHEN {table}.{expires} <= %s THEN excluded.{expires} ELSE {table}.{expires} END "
            f"WHERE {table}.{expires} <= %s OR {table}.{hits} < %s"
        )
    return sql


def hit(key: str, rate: Rate, *, now: float | None = None) -> int | None:
    """Count one hit of `key` against `rate`: None when counted, else the seconds until
    the window has room again (nothing counted)."""
    from .models import RateCounter

    now_s = int(now if now is not None else time.time())
    with connection.cursor() as cursor:
        cursor.execute(_hit_statement(), [key, now_s + rate.seconds, now_s, now_s, now_s, rate.count])
        counted = cursor.rowcount == 1
    if counted:
        return None
    expires = RateCounter.objects.filter(key=key).values_list("expires", flat=True).first()
    return max(1, (expires or now_s + 1) - now_s)


def once_per(name: str, ident: Any, seconds: int) -> int | None:
    """A debounce every process shares ("one confirmation e-mail a minute"): None the
    first time in `seconds` for `ident`, else the seconds left. Always on: it is part of
    a feature's behaviour, not an abuse limit that RATE_LIMITS may turn off."""
    return hit(_key(name, "once", ident), Rate(1, seconds))


def once_per_reset(name: str, ident: Any) -> None:
    """Forget a once_per (the thing it guarded did not happen: let them retry at once)."""
    give_back(_key(name, "once", ident))


def give_back(key: str, *, now: float | None = None) -> None:
    """Undo one counted hit (the attempt it counted did nothing)."""
    from django.db.models import F

    from .models import RateCounter

    now_s = int(now if now is not None else time.time())
    RateCounter.objects.filter(key=key, hits__gt=0, expires__gt=now_s).update(hits=F("hits") - 1)


def rate_counters_purge() -> int:
    """Delete expired windows (a periodic job, hromada/core/module.py)."""
    from .models import RateCounter

    deleted, _rows = RateCounter.objects.filter(expires__lte=int(time.time())).delete()
    return deleted


# --- the kernel's interface ------------------------------------------------------------------


class Charge:
    """The hits one `rate_limit` call counted; as a context manager it gives them
    back when the block raises (a refused submission does not use up the limit)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys

    def give_back(self) -> None:
        for key in self.keys:
            give_back(key)
        self.keys = []

    def __enter__(self) -> Charge:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            self.give_back()


def _user_of(request: HttpRequest) -> Any:
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def rate_limit(request_or_user: Any, name: str, *, account: Any = None, address: str | None = None) -> Charge:
    """Count one `name` event for the account and for the client address, or raise
    RateLimited (then nothing is counted for the limit that refused).

    `request_or_user` is a request (its user or API token is the account, its
    REMOTE_ADDR the address) or a user. `account` names another account (e.g. the
    e-mail address a password reset is asked for; it is hashed, never stored)."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return Charge([])
    if isinstance(request_or_user, HttpRequest):
        request = request_or_user
        if account is None:
            user = _user_of(request)
            account = f"user:{user.pk}" if user is not None else None
        if address is None:
            address = client_address(request)
    elif account is None and request_or_user is not None:
        account = f"user:{request_or_user.pk}"
    checks = []
    account_rate = _rate(name)
    if account is not None and account_rate is not None:
        checks.append((_key(name, "account", account), account_rate))
    address_rate = _rate(f"{name}:address")
    if address is not None and address_rate is not None:
        checks.append((_key(name, "address", address), address_rate))
    counted: list[str] = []
    for key, rate in checks:
        wait = hit(key, rate)
        if wait is not None:
            for done in counted:
                give_back(done)
            raise RateLimited(name, wait)
        counted.append(key)
    return Charge(counted)


class ApiWriteBudget(BaseThrottle):
    """The per-token budget of API writes (`api.write`): a throttle on the API root,
    run after authentication. Safe methods are free. Keyed by the API token (or by the
    account for the browser's session) and by the client address."""

    name = "api.write"

    def __init__(self) -> None:
        import threading

        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        self._local.wait = None
        if request.method in SAFE_METHODS:
            return True
        token_id = getattr(request, "api_token_id", None)
        user = _user_of(request)
        if token_id is not None:
            account = f"token:{token_id}"
        elif user is not None:
            account = f"user:{user.pk}"
        else:
            account = None
        try:
            rate_limit(request, self.name, account=account)
        except RateLimited as exc:
            self._local.wait = exc.retry_after
            return False
        return True

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)


def rate_limited_response(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    """The page (or, under /api/, the JSON) that answers a refusal."""
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse(exc.as_dict(), status=429, json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "core/rate_limited.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


class RateLimitMiddleware:
    """Answers RateLimited raised by a view with 429 and Retry-After."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return rate_limited_response(request, exception)
        return None


def check_rate_limits(app_configs=None, **kwargs) -> list:
    """hromada.E005: a RATE_LIMITS value that is not a rate (checked at start-up)."""
    from django.core import checks

    errors = []
    for name, value in getattr(settings, "RATE_LIMITS", {}).items():
        try:
            parse_rate(value)
        except ImproperlyConfigured as exc:
            errors.append(checks.Error(f"RATE_LIMITS[{name!r}]: {exc}", id="hromada.E005"))
    return errors
