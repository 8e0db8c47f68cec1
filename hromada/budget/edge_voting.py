"""Casting a ballot at the edge (hromada.core.edge, ADR 0003 and ADR 0006 decision 6):
POST /api/v1/budget/categories/<id>/ballots with a bearer token and a JSON body, the
request the last evening of voting is made of, answered without Django's request cycle
by the same selector and service the API view calls. Anything else — no bearer token,
another content type, an unknown host, a body that is not `{"choices": [...]}`, any
refusal — goes to the API view, which answers with its usual codes. The body read
here is put back for Django."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

from hromada.accounts.api_auth import token_user
from hromada.core.edge import Answer, Route, allowed_host, json_answer
from hromada.core.errors import DomainError
from hromada.core.text import text_problem
from hromada.tenancy.selectors import hromada_for_host, module_enabled

from . import voting_selectors
from .services import voting

BALLOT_PATH = re.compile(r"^/api/v1/budget/categories/(?P<public_id>[0-9a-fA-F-]{32,36})/ballots$")
MAX_BODY = 16_384
MAX_CHOICES = 200


def _body(environ) -> bytes | None:
    if environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() != "application/json":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # Django reads it again if the edge passes
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _choices(body: bytes) -> list[str] | None:
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"choices"}:
        return None
    choices = data["choices"]
    if (
        not isinstance(choices, list)
        or len(choices) > MAX_CHOICES
        or not all(isinstance(c, str) for c in choices)
    ):
        return None
    return choices


def cast(environ, match) -> Answer | None:
    if environ.get("QUERY_STRING"):
        return None  # Django reads a query string (and TextGuardMiddleware checks it)
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.isascii():
        return None
    if text_problem(authorization, multiline=False) is not None:
        return None  # TextGuardMiddleware's 400
    body = _body(environ)
    choices = _choices(body) if body is not None else None
    if choices is None or any(text_problem(c, multiline=False) is not None for c in choices):
        return None
    host = allowed_host(environ)
    hromada = hromada_for_host(host) if host else None
    if hromada is None or not module_enabled(hromada, "budget"):
        return None
    try:
        ctx = voting_selectors.ballot_context(hromada=hromada, public_id=match["public_id"])
        found = token_user(token.strip())
        if found is None:
            return None
        ballot = voting.ballot_cast(category=ctx.category, user=found[0], choices=choices)
    except DomainError:
        return None  # nothing was stored: the API view finds the refusal and says it
    # Stored: from here nothing may fail (the answer is the API view's, field for field).
    return json_answer(
        201,
        {
            "category": str(ctx.category.public_id),
            "channel": ballot.channel,
            "choices": ballot.choices,
            "cast_at": ballot.cast_at.astimezone(dt.UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "receipt": ballot.voter,
        },
    )


ROUTES = [Route("POST", BALLOT_PATH, cast, label="api/v1/budget/categories/<uuid:public_id>/ballots")]
