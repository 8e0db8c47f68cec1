"""The spec's errors everywhere under /open311/.

Open311's views answer their own errors in the spec's format. What answers before or
around them is the platform's: the tenant middleware (a host no hromada serves), the
module gate (appeals switched off: 404), the text guard (400), the query-string limit
(414), the body-size limit, a crash (500). Those are HTML pages; a GeoReport client must
get `[{"code", "description"}]` (or the XML `<errors>`) instead, in the format the
path's extension asks for. Outermost but for the metrics, like the API's
ApiJsonErrorsMiddleware.
"""

from __future__ import annotations

from django.conf import settings

from .errors import STATUS_CODES, Problem, language_of
from .render import JSON_TYPE, XML_TYPE, error_response, format_of_path

PREFIX = "/open311/"
KEPT_HEADERS = ("Allow", "Retry-After")


def _too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit is not None and length > limit


class Open311ErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not request.path_info.startswith(PREFIX):
            return response
        if response.get("Content-Type", "") in (JSON_TYPE, XML_TYPE):
            return response  # Open311's own answer
        status = response.status_code
        if status == 400 and _too_large(request):
            status = 413
        code = STATUS_CODES.get(status, "bad_request" if status < 500 else "server_error")
        params = {}
        if code == "method_not_allowed":
            params = {"method": request.method, "allowed": response.get("Allow", "GET")}
        elif code == "rate_limited":
            params = {"seconds": response.get("Retry-After", "60")}
        problem = Problem(code, params)
        answer = error_response(
            [{"code": status, "description": problem.description(language_of(request))}],
            format_of_path(request.path_info),
            status=status,
        )
        for header in KEPT_HEADERS:
            if header in response:
                answer[header] = response[header]
        return answer
