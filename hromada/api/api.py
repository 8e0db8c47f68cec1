"""The v1 API root: mounts each app's router and turns every error into
{"code", "message", "field"} with a stable code."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from hromada.core.errors import DomainError
from hromada.core.modules import registry
from hromada.core.ratelimit import ApiWriteBudget, RateLimited

from .docs import ApiDocs
from .middleware import ERRORS
from .openapi import HromadaAPI
from .validation import summary, translate_errors

api = HromadaAPI(
    title="Hromada API",
    version="1.0.0",
    description=(
        "Public and staff API of the Hromada platform. Every error is a JSON object "
        '`{"code": "...", "message": "...", "field": null}`; codes are stable, messages are for people.'
    ),
    urls_namespace="api-v1",
    docs=ApiDocs(),  # Swagger UI from the install, not a CDN (hromada/api/docs.py)
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
    # An error about several fields at once (a questionnaire's answers) lists each in
    # `errors`, like a validation error: the exception gives them as `details`.
    details = getattr(exc, "details", None)
    if details:
        body = {"code": exc.code, "message": str(exc.message), "field": exc.field, "errors": details}
        return api.create_response(request, body, status=exc.status)
    return _error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    errors = translate_errors(exc.errors) or [
        {"field": None, "code": "invalid", "message": str(_("Неправильне значення."))}
    ]
    first = errors[0]
    return api.create_response(
        request,
        {"code": "validation_error", "message": summary(first), "field": first["field"], "errors": errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(request, 401, "authentication_required", _("Потрібно увійти або передати API-токен."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Не знайдено."))


@api.exception_handler(DjangoPermissionDenied)
def permission_denied(request, exc):
    # django.core.exceptions.PermissionDenied raised by a helper an operation calls.
    return _error(request, 403, "forbidden", _("Доступ заборонено."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    # Raised by Ninja itself, in English: "Cannot parse request body" (a body that is not
    # JSON), "Method not allowed"… Answer with the platform's code and message instead.
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        return _error(
            request, 400, "invalid_body", _("Тіло запиту не вдалося прочитати: очікується правильний JSON.")
        )
    if exc.status_code == 403 and "CSRF" in str(exc):
        return _error(
            request, 403, "csrf_failed", _("Перевірка CSRF не пройшла: оновіть сторінку й повторіть.")
        )
    code, message = ERRORS.get(exc.status_code, (f"http_{exc.status_code}", _("Помилка запиту.")))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(RawPostDataException)
def form_body_on_a_json_operation(request, exc):
    # A form (multipart) body sent to an operation that reads JSON: the platform's text
    # guard has read the form already, so Ninja cannot read the body again. Say what to send.
    return _error(
        request,
        400,
        "invalid_body",
        _("Тіло запиту не вдалося прочитати: надсилайте JSON (Content-Type: application/json)."),
    )


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
api.add_router("/", "hromada.comments.api.router")  # a kernel app: always mounted
for _module in registry.modules(kernel=False):
    if _module.api_router:
        api.add_router("/", _module.api_router)
