"""JSON errors everywhere under /api/.

The API's own errors are JSON already (hromada/api/api.py). What answers before or
around it is not: Django's URL resolver (a malformed path id such as
/api/v1/petitions/not-a-uuid/sign matches no route), the method check (405), the
body-size limit (DATA_UPLOAD_MAX_MEMORY_SIZE, a 400 from Django) and a crash (500).
This middleware, outermost but for the metrics, turns any error response under
/api/ that is not JSON into {"code", "message", "field"} with a stable code, keeping
the status and the headers a client needs (Allow, Retry-After, WWW-Authenticate).
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")

# status → (stable code, message)
ERRORS = {
    400: ("bad_request", _("Неправильний запит.")),
    401: ("authentication_required", _("Потрібно увійти або передати API-токен.")),
    403: ("forbidden", _("Доступ заборонено.")),
    404: ("not_found", _("Не знайдено.")),
    405: ("method_not_allowed", _("Цей метод HTTP тут не підтримується.")),
    413: ("request_too_large", _("Запит завеликий.")),
    429: ("rate_limited", _("Забагато запитів. Спробуйте пізніше.")),
    500: ("server_error", _("Внутрішня помилка сервера. Спробуйте пізніше.")),
}


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and length > limit


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not request.path_info.startswith(PREFIX):
            return response
        if response.get("Content-Type", "").startswith(("application/json", "application/problem+json")):
            return response
        status = response.status_code
        if status == 400 and _too_large(request):
            # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE with a plain 400.
            status = 413
        code, message = ERRORS.get(status, (f"http_{status}", _("Помилка запиту.")))
        answer = JsonResponse({"code": code, "message": str(message), "field": None}, status=status)
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
