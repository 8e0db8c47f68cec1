"""The Action API's one view (ADR 0009 decision 6), at /api/3/action/<name> and
/api/action/<name>: read the request as CKAN does (GET's query string for actions
without side effects; POST's JSON body, a form, or multipart with files), call the
action, answer CKAN's envelope

    {"help": "<base>/api/3/action/help_show?name=<action>", "success": true, "result": …}
    {"help": …, "success": false, "error": {"__type": "Not Found Error", "message": …}}

with CKAN's status codes. Every failure is that envelope, never a page and never a 500:
DomainErrors from the services and selectors are mapped to CKAN's error types here.

POST is CSRF-exempt: writes authenticate with an API token in the Authorization header
(CKAN's way: the bare token; "Bearer <token>" and X-CKAN-API-Key are read too), never
with the browser's session, so there is no session for a forged request to ride on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from hromada.core.errors import DomainError

log = logging.getLogger(__name__)

HELP_PATH = "/api/3/action/help_show"


# --- CKAN's error types -------------------------------------------------------------------


class ActionError(Exception):
    """An error in CKAN's shape: `error` is the envelope's error dict."""

    status = 400

    def __init__(self, error: dict[str, Any], status: int | None = None) -> None:
        super().__init__(error.get("message", ""))
        self.error = error
        if status is not None:
            self.status = status


class NotFound(ActionError):
    def __init__(self, what: str = "") -> None:
        message = "Not found" + (f": {what}" if what else "")
        super().__init__({"__type": "Not Found Error", "message": message}, 404)


class NotAuthorized(ActionError):
    def __init__(self, why: str = "") -> None:
        message = "Access denied" + (f": {why}" if why else "")
        super().__init__({"__type": "Authorization Error", "message": message}, 403)


class ValidationError(ActionError):
    """CKAN's field errors: {"name": ["That URL is already in use."]}."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__({**errors, "__type": "Validation Error"}, 409)


class SearchQueryError(ActionError):
    def __init__(self, message: str) -> None:
        # 409 as ADR 0009 decision 3 agreed (CKAN answers a bad Solr query with 409 too).
        super().__init__(
            {"__type": "Search Query Error", "message": f"Search Query is invalid: {message}"}, 409
        )


class BadRequest(ActionError):
    def __init__(self, message: str) -> None:
        super().__init__({"__type": "Bad request - JSON Error", "message": f"Bad request - {message}"}, 400)


def from_domain(exc: DomainError) -> ActionError:
    """A DomainError of the catalogue, search or DataStore as CKAN's error type."""
    message = str(exc.message)
    if exc.code == "search_query_error":
        return SearchQueryError(message)
    if exc.status == 404 or exc.code.endswith("not_found"):
        return NotFound(message)
    if exc.status in (401, 403) or exc.code.endswith(("forbidden", "sql_forbidden")):
        return NotAuthorized(message)
    return ValidationError({exc.field or "message": [message]} if exc.field else {"message": message})


# --- the actions' registry ----------------------------------------------------------------


@dataclass
class Context:
    request: HttpRequest
    hromada: Any
    base_url: str
    user: Any = None  # the API token's user, or None


@dataclass(frozen=True)
class Action:
    name: str
    function: Callable[[Context, dict], Any]
    side_effect_free: bool


ACTIONS: dict[str, Action] = {}


def action(*, side_effect_free: bool) -> Callable:
    """Register an action function `(context, data_dict) -> result`; its docstring is
    what help_show answers."""

    def decorate(function: Callable) -> Callable:
        ACTIONS[function.__name__] = Action(function.__name__, function, side_effect_free)
        return function

    return decorate


# --- reading the request ------------------------------------------------------------------


def _mixed(query) -> dict[str, Any]:
    """A QueryDict as CKAN reads one: a list where a key repeats, else the string."""
    return {k: (v[0] if len(v) == 1 else v) for k, v in query.lists()}


def request_data(request: HttpRequest, *, try_url_params: bool) -> dict[str, Any]:
    if request.method == "GET" and not try_url_params:
        raise BadRequest("JSON Error: Invalid request. Please use POST method for your request")
    content_type = request.content_type or ""
    data: Any = {}
    if request.method == "POST" and content_type in (
        "multipart/form-data",
        "application/x-www-form-urlencoded",
    ):
        form = request.POST
        values = [v for _k, v in form.items()]
        if len(values) == 1 and values[0] in ("1", "") and not request.FILES:
            # CKAN's old clients post the JSON as a form's only key.
            try:
                data = json.loads(next(iter(form.keys())))
            except ValueError as exc:
                raise BadRequest(f"JSON Error: Error decoding JSON data. Error: {exc}") from None
        else:
            data = _mixed(form)
        if isinstance(data, dict):
            for name, upload in request.FILES.items():
                data[name] = upload
    elif request.method == "GET":
        data = _mixed(request.GET)
    elif request.body:
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest(f"JSON Error: Error decoding JSON data. Error: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest(
            f"JSON Error: Request data JSON decoded to {str(data)[:100]!r} but it needs to be a dictionary."
        )
    data.pop("callback", None)
    return data


def token_of(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "") or request.headers.get("X-CKAN-API-Key", "")
    header = header.strip()
    scheme, _sep, rest = header.partition(" ")
    if scheme.lower() == "bearer" and rest:
        return rest.strip()
    return header


def authenticated_user(request: HttpRequest):
    """The user of the request's API token; None without one. A token that is unknown or
    revoked is refused (403) rather than read as anonymous."""
    token = token_of(request)
    if not token:
        return None
    from hromada.accounts.api_auth import token_user

    found = token_user(token)
    if found is None:
        raise NotAuthorized("the API token is unknown or revoked")
    user, token_id = found
    request.api_token_id = token_id  # type: ignore[attr-defined]
    return user


# --- the view -----------------------------------------------------------------------------


def _answer(help_url: str, status: int, **body) -> JsonResponse:
    return JsonResponse(
        {"help": help_url, **body},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
def dispatch(request: HttpRequest, name: str = "") -> JsonResponse:
    from . import actions_read, actions_write  # noqa: F401  (they register their actions)

    base_url = request.build_absolute_uri("/").rstrip("/")
    help_url = f"{base_url}{HELP_PATH}?name={quote(name[:100], safe='')}"
    if request.method not in ("GET", "POST", "HEAD"):
        return _answer(
            help_url, 400, success=False, error=BadRequest(f"Method {request.method} is not supported").error
        )
    known = ACTIONS.get(name)
    if known is None:
        unknown = {"__type": "Bad Request", "message": f"Bad request - Action name not known: {name[:100]}"}
        return _answer(help_url, 400, success=False, error=unknown)
    try:
        data = request_data(request, try_url_params=known.side_effect_free)
        user = None if known.side_effect_free else authenticated_user(request)
        context = Context(request=request, hromada=request.hromada, base_url=base_url, user=user)  # type: ignore[attr-defined]
        result = known.function(context, data)
    except ActionError as exc:
        return _answer(help_url, exc.status, success=False, error=exc.error)
    except DomainError as exc:
        mapped = from_domain(exc)
        return _answer(help_url, mapped.status, success=False, error=mapped.error)
    except Exception:  # CKAN's last resort, in its shape, never the HTML page
        log.exception("CKAN action %s failed", name)
        crash = {"__type": "Internal Server Error", "message": "Internal Server Error"}
        return _answer(help_url, 500, success=False, error=crash)
    return _answer(help_url, 200, success=True, result=result)
