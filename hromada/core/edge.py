"""The WSGI application in front of Django: a few hot routes answered without
Django's request cycle.

At a signing peak, Django's own per-request work (request object, middleware,
URL resolution, the API framework's parsing and rendering) costs more CPU than the
signature itself. A route registered here gets the WSGI environ and returns a
complete answer for its common case, calling the same selectors and services that
the Django view calls; for anything else (no bearer token, an unknown host, any
refusal, a database error) it returns None and the request goes to Django, which
answers it exactly as it always does (precise error texts, codes, logging). The
edge therefore never invents an answer Django would not give; a test compares them.

The edge handles what Django's request_started/request_finished would: it closes a
database connection older than CONN_MAX_AGE before use and one that failed during
the request. It skips the per-request health check (a `SELECT 1` round trip): a
request whose connection turns out to be broken is handed to Django, which checks
and reconnects.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection
from django.http.request import split_domain_port, validate_host

from . import csp, metrics

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    # handler(environ, match) -> Answer, or None to let Django answer
    handler: Callable[[dict, re.Match], Answer | None]
    # the label /metrics uses for this route: Django's route pattern for the same URL
    label: str


_REASONS = {200: "OK", 201: "Created", 400: "Bad Request"}

# What Django's middleware adds to every answer (SecurityMiddleware, XFrameOptions,
# LanguageMiddleware); tests/test_edge.py checks the edge sends each of them.
_COMMON_HEADERS = [
    ("Vary", "Cookie, Accept-Language"),  # every edge route is under /api/
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
]


def _language(environ) -> str:
    """The language LanguageMiddleware would pick under /api/: the cookie, else
    Accept-Language, else Ukrainian (every edge route is under /api/)."""
    cookie = environ.get("HTTP_COOKIE", "")
    if settings.LANGUAGE_COOKIE_NAME not in cookie:
        cookie = ""  # a session cookie alone says nothing of the language
    return _language_of(cookie, environ.get("HTTP_ACCEPT_LANGUAGE", ""))


@functools.lru_cache(maxsize=256)
def _language_of(cookie: str, accept: str) -> str:
    # Cached: on the signing path most requests carry the same few header values, and
    # parsing them was a measurable share of an edge signature (bench/README.md).
    from django.http.cookie import parse_cookie

    from .middleware import _accepted_language

    languages = dict(settings.LANGUAGES)
    chosen = parse_cookie(cookie).get(settings.LANGUAGE_COOKIE_NAME, "") if cookie else ""
    if chosen not in languages:
        chosen = _accepted_language(accept) if accept else ""
    return chosen if chosen in languages else settings.LANGUAGE_CODE


def json_answer(status: int, data) -> Answer:
    return Answer(status, json.dumps(data, ensure_ascii=False).encode())


class Edge:
    def __init__(self, app, routes: Iterable[Route] = ()) -> None:
        self.app = app
        self.routes: dict[str, list[Route]] = {}
        for route in routes:
            self.routes.setdefault(route.method, []).append(route)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.isascii() and not _wsgi_string(path):
            # Not a WSGI string (PEP 3333: bytes as latin-1), e.g. a lone surrogate from a
            # server that decoded the path itself: Django cannot even read it.
            from django.utils.translation import gettext as _

            message = _("Адреса запиту містить недійсні символи.")
            refusal = json_answer(400, {"code": "invalid_text", "message": message, "field": "path"})
            return self._respond(refusal, start_response)
        routes = self.routes.get(environ.get("REQUEST_METHOD", ""))
        if routes:
            for route in routes:
                match = route.pattern.match(path)
                if match is not None:
                    answer = self._answer(route, environ, match)
                    if answer is not None:
                        return self._respond(answer, start_response, environ)
                    break
        return self.app(environ, start_response)

    def _answer(self, route: Route, environ, match) -> Answer | None:
        started = time.perf_counter()
        _expire_connection()
        try:
            answer = route.handler(environ, match)
        except IntegrityError:
            answer = None  # a constraint refused it: Django finds the reason and says it
        except DatabaseError:
            # The connection may be broken (a database restart); Django checks it,
            # reconnects and answers.
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            answer = None
        except Exception:
            logger.exception("edge route %s failed; handing the request to Django", route.label)
            answer = None
        if answer is not None:
            metrics.observe_request(
                method=route.method,
                route=route.label,
                status=answer.status,
                seconds=time.perf_counter() - started,
            )
        return answer

    @staticmethod
    def _respond(answer: Answer, start_response, environ=None):
        language = _language(environ or {})
        headers = [
            ("Content-Type", answer.content_type),
            ("Content-Length", str(len(answer.body))),
            ("Content-Language", language),
            *_COMMON_HEADERS,
        ]
        if csp.policy():  # as ContentSecurityPolicyMiddleware sends it
            headers.append((csp.HEADER, csp.policy()))
        start_response(f"{answer.status} {_REASONS.get(answer.status, '')}".rstrip(), headers)
        return [answer.body]


def _wsgi_string(value: str) -> bool:
    try:
        value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _expire_connection() -> None:
    # As close_old_connections does at a request's start, without the health check.
    # Never inside a transaction: a request is served in autocommit; a caller's
    # atomic block (a test's) is not the edge's to end.
    if connection.in_atomic_block:
        return
    if connection.connection is not None and connection.close_at is not None:
        if time.monotonic() >= connection.close_at:
            connection.close()


_hosts: dict[str, bool] = {}
_hosts_lock = threading.Lock()


def allowed_host(environ) -> str | None:
    """The request's host if Django would accept it (ALLOWED_HOSTS), else None."""
    # As HttpRequest.get_host() reads it.
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        host = environ["HTTP_X_FORWARDED_HOST"]
    else:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    ok = _hosts.get(host)
    if ok is None:
        domain, _port = split_domain_port(host)
        allowed = list(settings.ALLOWED_HOSTS)
        if settings.DEBUG and not allowed:
            allowed = [".localhost", "127.0.0.1", "[::1]"]
        ok = bool(domain) and validate_host(domain, allowed)
        with _hosts_lock:
            if len(_hosts) > 1000:
                _hosts.clear()
            _hosts[host] = ok
    return host if ok else None


def edge_cache_clear() -> None:
    with _hosts_lock:
        _hosts.clear()
