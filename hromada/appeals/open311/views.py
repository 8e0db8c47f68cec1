"""Open311 GeoReport v2 endpoints: thin — find the jurisdiction, call a selector or a
service, answer in the format the extension asks for (.json or .xml).

Every failure is the spec's error list with its HTTP status, never a page: Open311's
own errors here, the platform's around them in middleware.py. POST is CSRF-exempt —
the api_key authenticates it, not a browser's session — and limited per key and per
client address (RATE_LIMITS "appeals.open311").
"""

from __future__ import annotations

import functools

from django.db.models import Max
from django.utils import timezone, translation
from django.views.decorators.csrf import csrf_exempt

from hromada.core.errors import DomainError
from hromada.core.ratelimit import RateLimited, rate_limit

from ..models import Category, CategoryAttribute
from ..services import open311 as service
from ..services.open311_keys import api_client_for
from . import selectors
from .errors import Open311Error, Problem, language_of
from .render import FORMATS, error_response, format_of_path, respond

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _errors(request, fmt: str, exc: Open311Error):
    return error_response(exc.as_list(language_of(request)), fmt, status=exc.status)


def endpoint(*methods: str):
    """An Open311 view: format and method checked, errors in the spec's format, the
    language of the answer's texts from Accept-Language."""
    allowed = tuple(methods) + (("HEAD",) if "GET" in methods else ())

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, fmt: str, **kwargs):
            fmt = fmt.lower()
            if fmt not in FORMATS:
                return _errors(request, "json", Open311Error("format_unsupported", format=fmt[:20]))
            language = language_of(request)
            if request.method not in allowed:
                response = _errors(
                    request,
                    fmt,
                    Open311Error("method_not_allowed", method=request.method, allowed=", ".join(methods)),
                )
                response["Allow"] = ", ".join(allowed)
                return response
            try:
                with translation.override(language):
                    response = view(request, fmt, language, **kwargs)
            except Open311Error as exc:
                return _errors(request, fmt, exc)
            except RateLimited as exc:
                response = _errors(request, fmt, Open311Error("rate_limited", seconds=exc.retry_after))
                response["Retry-After"] = str(exc.retry_after)
                return response
            except DomainError as exc:
                return _errors(request, fmt, Open311Error(Problem(_code_of_status(exc.status))))
            if request.method in ("GET", "HEAD"):
                # Public data: a web client on another site may read it.
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapper

    return decorate


def _code_of_status(status: int) -> str:
    return {403: "forbidden", 404: "not_found", 429: "rate_limited"}.get(status, "bad_request")


def _absolute(request):
    return request.build_absolute_uri


@endpoint("GET")
def discovery(request, fmt, language):
    """The service discovery document: where the GeoReport v2 endpoint is, its formats."""
    hromada = request.hromada
    base = request.build_absolute_uri("/open311/v2/")
    changed = [
        Category.objects.for_hromada(hromada).aggregate(m=Max("updated_at"))["m"],
        CategoryAttribute.objects.for_hromada(hromada).aggregate(m=Max("updated_at"))["m"],
    ]
    changeset = selectors.w3c(max((c for c in changed if c), default=None) or hromada.updated_at)
    contact = (
        f"{hromada.name_en or hromada.name}: appeals administrator (staff console → Налаштування звернень)"
        if language == "en"
        else f"{hromada.name}: адміністратор звернень (консоль працівника → Налаштування звернень)"
    )
    key_service = (
        "POST requests needs an api_key issued by the hromada's administrator on the staff page "
        "«Налаштування звернень → Ключі Open311»."
        if language == "en"
        else "Для POST requests потрібен api_key, який видає адміністратор громади на сторінці "
        "«Налаштування звернень → Ключі Open311»."
    )
    data = {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": selectors.SPECIFICATION,
                "url": base,
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return respond(data, fmt, root="discovery")


@endpoint("GET")
def services(request, fmt, language):
    hromada = selectors.jurisdiction(request)
    rows = selectors.services_list(hromada=hromada, language=language)
    return respond(rows, fmt, root="services", item="service")


@endpoint("GET")
def service_definition(request, fmt, language, code):
    hromada = selectors.jurisdiction(request)
    data = selectors.service_definition(hromada=hromada, code=code, language=language)
    return respond(data, fmt, root="service_definition")


@endpoint("GET", "POST")
def requests(request, fmt, language):
    if request.method == "POST":
        return _post_request(request, fmt, language)
    hromada = selectors.jurisdiction(request)
    now = timezone.now()
    rows = selectors.requests_rows(
        hromada=hromada, params=request.GET, language=language, absolute=_absolute(request), now=now
    )
    return respond(rows, fmt, root="service_requests", item="request")


def _post_request(request, fmt, language):
    content_type = (request.content_type or "").lower()
    if content_type not in FORM_TYPES:
        raise Open311Error("unsupported_media_type")
    hromada = selectors.jurisdiction(request)
    key = (request.POST.get("api_key") or "").strip()
    if not key:
        raise Open311Error("api_key_missing")
    client = api_client_for(hromada=hromada, key=key)
    if client is None:
        raise Open311Error("api_key_invalid")
    with rate_limit(request, "appeals.open311", account=f"open311:{client.pk}"):
        case = service.request_create(hromada=hromada, client=client, form=request.POST)
    rows = [
        {
            "service_request_id": str(case.number),
            "token": str(case.public_id),
            "service_notice": service.service_notice(case, language),
            "account_id": None,
        }
    ]
    return respond(rows, fmt, root="service_requests", item="request", status=201)


@endpoint("GET")
def request_detail(request, fmt, language, service_request_id):
    hromada = selectors.jurisdiction(request)
    case = selectors.request_get(hromada=hromada, service_request_id=service_request_id)
    now = timezone.now()
    row = selectors.request_row(case, language=language, absolute=_absolute(request), now=now)
    return respond([row], fmt, root="service_requests", item="request")


@endpoint("GET")
def token(request, fmt, language, token):
    hromada = selectors.jurisdiction(request)
    case = selectors.token_get(hromada=hromada, token=token)
    rows = [{"service_request_id": str(case.number), "token": str(case.public_id)}]
    return respond(rows, fmt, root="service_requests", item="request")


@csrf_exempt
def not_found(request, rest: str = ""):
    """Any other address under /open311/: the spec's 404, never a page."""
    fmt = format_of_path(request.path_info)
    return error_response(Open311Error("not_found").as_list(language_of(request)), fmt, status=404)
