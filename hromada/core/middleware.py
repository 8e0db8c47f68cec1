import time

from . import metrics


class MetricsMiddleware:
    """Counts requests and their latency for /metrics, by route pattern rather than raw
    path (and unknown methods as OTHER) so the label set stays small. First in
    MIDDLEWARE, so the time includes every other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match else "unmatched"
        metrics.observe_request(
            method=request.method,
            route=route,
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response


class LanguageMiddleware:
    """Ukrainian unless the visitor chose otherwise.

    The Law on the state language (art. 27) requires the Ukrainian version of a public
    website to open by default, so the browser's Accept-Language is not consulted: only
    the language cookie that the header's switch (or the profile) sets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
