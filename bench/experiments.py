"""Prototypes of product changes, applied only inside the bench (`run.py --experiments`).

The default bench measures the product exactly as it is. With `--experiments a,b`
the server is bench/experiment_wsgi.py instead, which applies these patches to the
same code before serving, so a proposed change can be measured before anyone
writes it for real (with tests) in the product. Nothing here is imported by the
product; each experiment names the product function it stands in for.

Status (bench/README.md has the figures): token_sql, token_lastused_batch,
petition_sql and server_binding were applied in the product in 3b1f9ec, page_cache
in 24184b9, page_cache_local in 9934b6b; they are kept to reproduce the
before/after on the older trees. no_health_check was measured as no gain for the
Django path and is not applied there; the signing edge (a452ffa, ADR 0003) skips
the check on its own path. server_binding alone never prepared statements: Django
sets psycopg's prepare_threshold to None unless OPTIONS names one (e054c46 does).

Every prototype keeps what a signature means: the token, the account, the identity,
the period and the age are checked exactly as before, and the signature row and its
ledger entry are committed before the 201.
"""

from __future__ import annotations

import threading
import time

EXPERIMENTS = {
    "token_sql": "accounts.api_auth.BearerTokenAuth.authenticate: one hand-written SELECT (token, user, "
    "identity) instead of the ORM query, whose compilation costs more than the query",
    "token_lastused_batch": "accounts.api_auth: last_used_at written in one UPDATE per process every 5 s "
    "instead of one UPDATE (and commit) in the request on a token's first use each minute",
    "petition_sql": "petitions.selectors.petition_for_signing: one hand-written SELECT, and the request's "
    "hromada attached instead of joined",
    "server_binding": "settings.DATABASES OPTIONS server_side_binding=True: psycopg sends parameters "
    "separately and prepares repeated statements, so PostgreSQL plans each statement once per connection",
    "no_health_check": "settings CONN_HEALTH_CHECKS off: no `SELECT 1` round trip at the start of every "
    "request (a connection broken by a PostgreSQL restart then fails one request before it is replaced)",
    "page_cache_local": "hromada.core.middleware.AnonymousPageCache: keep pages in a per-process dict "
    "(no pickling) and let one thread per page re-render when it expires while the others serve the "
    "previous copy (stale-while-revalidate, at most one interval old)",
    "page_cache": "(before 24184b9 added AnonymousPageCache) an anonymous-page micro-cache (LIVE_COUNT_SECONDS) in front of the public pages, with the "
    "CSRF token substituted per request",
}


def check(names: list[str]) -> None:
    unknown = [n for n in names if n not in EXPERIMENTS]
    if unknown:
        raise SystemExit(f"unknown experiments: {', '.join(unknown)} (known: {', '.join(EXPERIMENTS)})")


def apply_settings(names: list[str]) -> None:
    """Before django.setup(): changes to config.settings."""
    from config import settings

    if "server_binding" in names and settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        settings.DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    if "no_health_check" in names:
        settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    if "page_cache" in names:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "experiments.AnonymousPageCacheMiddleware"]


def apply_patches(names: list[str]) -> None:
    """After django.setup(): replace product functions."""
    if "token_sql" in names or "token_lastused_batch" in names:
        _patch_token_auth(sql="token_sql" in names, batch_last_used="token_lastused_batch" in names)
    if "petition_sql" in names:
        _patch_petition_for_signing()
    if "page_cache_local" in names:
        _patch_page_cache_local()


# --- token_sql / token_lastused_batch ------------------------------------------------------------


def _patch_token_auth(*, sql: bool, batch_last_used: bool) -> None:
    import hashlib

    from django.db import connection
    from django.utils import timezone

    from hromada.accounts import api_auth
    from hromada.accounts.models import ApiToken, Identity, User
    from hromada.core.errors import DomainError

    user_fields = [f for f in User._meta.concrete_fields]
    identity_fields = [f for f in Identity._meta.concrete_fields]
    token_sql = (
        "SELECT t.id, t.last_used_at, "
        + ", ".join(f'u."{f.column}"' for f in user_fields)
        + ", "
        + ", ".join(f'i."{f.column}"' for f in identity_fields)
        + " FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id"
        " LEFT JOIN accounts_identity i ON i.user_id = u.id"
        " WHERE t.token_hash = %s AND t.revoked_at IS NULL AND u.is_active"
    )
    user_names = [f.attname for f in user_fields]
    identity_names = [f.attname for f in identity_fields]
    n_user = len(user_fields)
    pending: dict[int, object] = {}
    lock = threading.Lock()

    def flush_forever() -> None:
        from django.db import connection as flush_connection

        while True:
            time.sleep(5)
            with lock:
                batch = dict(pending)
                pending.clear()
            if not batch:
                continue
            try:
                ids = list(batch)
                ApiToken.objects.filter(pk__in=ids).update(last_used_at=max(batch.values()))
            except Exception:  # the next flush retries nothing: last_used_at is informational
                pass
            finally:
                flush_connection.close()

    if batch_last_used:
        threading.Thread(target=flush_forever, daemon=True, name="last-used-flush").start()

    def authenticate(self, request, token):
        invalid = DomainError(
            "invalid_token", "API-токен недійсний або відкликаний.", field="Authorization", status=401
        )
        if not token or len(token) > 200:
            raise invalid
        digest = hashlib.sha256(token.encode()).hexdigest()
        if sql:
            with connection.cursor() as cursor:
                cursor.execute(token_sql, [digest])
                row = cursor.fetchone()
            if row is None:
                raise invalid
            token_id, last_used = row[0], row[1]
            user = User.from_db("default", user_names, row[2 : 2 + n_user])
            ivalues = row[2 + n_user :]
            identity = (
                Identity.from_db("default", identity_names, ivalues) if ivalues[0] is not None else None
            )
            User.identity.related.set_cached_value(user, identity)
        else:
            found = (
                ApiToken.objects.select_related("user", "user__identity")
                .filter(token_hash=digest, revoked_at__isnull=True, user__is_active=True)
                .first()
            )
            if found is None:
                raise invalid
            token_id, last_used, user = found.pk, found.last_used_at, found.user
        now = timezone.now()
        if last_used is None or now - last_used >= api_auth.LAST_USED_RESOLUTION:
            if batch_last_used:
                with lock:
                    pending[token_id] = now
            else:
                ApiToken.objects.filter(pk=token_id).update(last_used_at=now)
        request.user = user
        request.api_token_id = token_id
        return user

    api_auth.BearerTokenAuth.authenticate = authenticate


# --- petition_sql --------------------------------------------------------------------------------


def _patch_petition_for_signing() -> None:
    import uuid

    from django.db import connection

    from hromada.petitions import rules, selectors
    from hromada.petitions.models import Petition

    wanted = {"id", "public_id", "hromada_id", "status", "collection_ends_at", "threshold", "min_age"}
    wanted |= {"sign_level", "number"}
    # Model.from_db takes the values in the model's field order.
    fields = [f.attname for f in Petition._meta.concrete_fields if f.attname in wanted]
    statuses = sorted(rules.PUBLIC_STATUSES)
    sql = (
        f"SELECT {', '.join(fields)} FROM petitions_petition WHERE hromada_id = %s AND public_id = %s "
        f"AND status IN ({', '.join(['%s'] * len(statuses))})"
    )

    def petition_for_signing(*, hromada, public_id):
        try:
            key = uuid.UUID(str(public_id))
        except ValueError:
            raise selectors._not_found()
        with connection.cursor() as cursor:
            cursor.execute(sql, [hromada.pk, key, *statuses])
            row = cursor.fetchone()
        if row is None:
            raise selectors._not_found()
        petition = Petition.from_db("default", fields, row)
        Petition.hromada.field.set_cached_value(petition, hromada)  # the row's own hromada, by the filter
        return petition

    selectors.petition_for_signing = petition_for_signing


# --- page_cache ----------------------------------------------------------------------------------


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs of public pages from a short-lived per-process cache.

    Placed last (inside sessions, CSRF, auth, locale and tenancy). A page is cached
    only when the visitor is anonymous, has no pending messages and the response is a
    plain 200 HTML page. The CSRF token is the only per-visitor part of an anonymous
    page: it is stored as a placeholder and each hit gets the visitor's own token
    (get_token also makes CsrfViewMiddleware set the cookie, exactly as a render does).
    The TTL is the petition count's own refresh interval, so no figure gets older."""

    PLACEHOLDER = "__BENCH_CSRF_TOKEN_PLACEHOLDER__"
    PREFIXES = ("/petitions/", "/ledger/")

    def __init__(self, get_response):
        from django.core.cache import cache

        from hromada.petitions.selectors import LIVE_COUNT_SECONDS

        self.get_response = get_response
        self.cache = cache
        self.ttl = LIVE_COUNT_SECONDS

    def _cacheable_request(self, request) -> bool:
        return (
            request.method == "GET"
            and (request.path == "/" or request.path.startswith(self.PREFIXES))
            and not request.path.endswith(("/sign", "/new/", "/mine/"))
            and "messages" not in request.COOKIES
            and not request.user.is_authenticated
            and not request.headers.get("HX-Request")
        )

    def __call__(self, request):
        from django.http import HttpResponse
        from django.middleware.csrf import get_token
        from django.utils.translation import get_language

        if not self._cacheable_request(request):
            return self.get_response(request)
        hromada = getattr(request, "hromada", None)
        key = f"bench-page:{getattr(hromada, 'pk', 0)}:{get_language()}:{request.get_full_path()}"
        hit = self.cache.get(key)
        if hit is not None:
            body, headers = hit
            response = HttpResponse(body.replace(self.PLACEHOLDER, get_token(request)))
            for name, value in headers:
                response[name] = value
            return response
        response = self.get_response(request)
        token = request.META.get("CSRF_COOKIE")
        if (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and token
        ):
            body = response.content.decode(response.charset)
            masked = [t for t in _masked_tokens(body)]
            for t in masked:
                body = body.replace(t, self.PLACEHOLDER)
            headers = [
                (k, v)
                for k, v in response.items()
                if k.lower() in ("content-type", "vary", "content-language")
            ]
            self.cache.set(key, (body, headers), self.ttl)
        return response


def _masked_tokens(body: str) -> set[str]:
    """The CSRF tokens rendered into a page (hidden inputs and the htmx header)."""
    import re

    found = set(re.findall(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', body))
    found |= set(re.findall(r'"X-CSRFToken": "([A-Za-z0-9]{64})"', body))
    return found


# --- page_cache_local ----------------------------------------------------------------------------


def _patch_page_cache_local() -> None:
    from collections import OrderedDict

    from django.http import HttpResponse

    from hromada.core import middleware

    pages: OrderedDict = OrderedDict()  # key -> (fresh_until, content, status, headers)
    rendering: set[str] = set()
    lock = threading.Lock()
    max_pages = 1000

    def call(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        now = time.monotonic()
        with lock:
            hit = pages.get(key)
            if hit is not None and hit[0] + self.seconds <= now:
                hit = None  # more than one interval past its time: never served
            stale = hit is not None and hit[0] <= now
            # Exactly one thread re-renders an expired page; the others keep serving the
            # previous copy, which is then at most two intervals old.
            render = hit is None or (stale and key not in rendering)
            if render:
                rendering.add(key)
        if not render:
            _fresh, content, status, headers = hit
            request.metrics_route = "page-cache"
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        try:
            response = self.get_response(request)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not response.has_header("Cache-Control")
            ):
                with lock:
                    pages[key] = (
                        time.monotonic() + self.seconds,
                        response.content,
                        200,
                        list(response.items()),
                    )
                    pages.move_to_end(key)
                    while len(pages) > max_pages:
                        pages.popitem(last=False)
            return response
        finally:
            with lock:
                rendering.discard(key)

    middleware.AnonymousPageCache.__call__ = call
