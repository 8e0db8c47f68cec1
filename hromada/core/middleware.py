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
