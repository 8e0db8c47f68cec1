"""The v1 API root: mounts each app's router and turns every error into
{"code", "message", "field"} with a stable code."""

from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from hromada.core.errors import DomainError
from hromada.core.modules import registry
from hromada.core.ratelimit import ApiWriteBudget, RateLimited

from .openapi import HromadaAPI

api = HromadaAPI(
    title="Hromada API",
    version="1.0.0",
    description=(
        "Public and staff API of the Hromada platform. Every error is a JSON object "
        '`{"code": "...", "message": "...", "field": null}`; codes are stable, messages are for people.'
    ),
    urls_namespace="api-v1",
    # Every write has a per-token budget (RATE_LIMITS "api.write"); an operation that must
    # not be limited (signing) says throttle=[].
    throttle=[ApiWriteBudget()],
)


def _error(request, status: int, code: str, message: str | Promise, field: str | None = None):
    return api.create_response(
        request, {"code": code, "message": str(message), "field": field}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    first = exc.errors[0] if exc.errors else {}
    loc = [
        str(p)
        for p in first.get("loc", [])
        if p not in ("body", "query", "path", "form", "payload", "filters")
    ]
    field = ".".join(loc) or None
    message = _("Неправильне значення поля «%(field)s»: %(msg)s") % {
        "field": field or "?",
        "msg": first.get("msg", ""),
    }
    return _error(request, 422, "validation_error", message, field)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(request, 401, "authentication_required", _("Потрібно увійти або передати API-токен."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Не знайдено."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, f"http_{exc.status_code}", str(exc))


@api.exception_handler(RateLimited)
def rate_limited(request, exc: RateLimited):
    response = _error(request, 429, exc.code, exc.message)
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Throttled)
def throttled(request, exc: Throttled):
    # The API write budget refused (ApiWriteBudget); Ninja adds Retry-After itself.
    return _error(request, 429, RateLimited.code, RateLimited("api.write", exc.wait or 1).message)


api.add_router("/", "hromada.api.datasets.router")
api.add_router("/", "hromada.ledger.api.router")  # a kernel app: always mounted
for _module in registry.modules(kernel=False):
    if _module.api_router:
        api.add_router("/", _module.api_router)
