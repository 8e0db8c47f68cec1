"""Prometheus metrics. Under gunicorn with several workers, set
PROMETHEUS_MULTIPROC_DIR so that /metrics sums every worker's figures."""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter("hromada_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "hromada_http_request_seconds",
    "HTTP request latency",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def observe_request(*, method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(route).observe(seconds)


def render(extra_lines: list[str] | None = None) -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        body = generate_latest(REGISTRY)
    if extra_lines:
        body += ("\n".join(extra_lines) + "\n").encode()
    return body, CONTENT_TYPE_LATEST
