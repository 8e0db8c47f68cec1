"""Prometheus metrics.

Request counts and latency are recorded by MetricsMiddleware in this process. Under
gunicorn with several workers, PROMETHEUS_MULTIPROC_DIR (set by scripts/serve) makes
every worker write its figures to files in that directory, and /metrics sums them.

Business gauges are read from the database when /metrics is scraped, each with one
cheap query (each module's, e.g. a GROUP BY over petitions; the ready part of the task queue through its
partial index, pending e-mails through theirs, the heartbeat row), so they are right
whichever process answers the scrape.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

from .modules import registry, resolve

logger = logging.getLogger(__name__)

REQUESTS = Counter("hromada_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "hromada_http_request_seconds",
    "HTTP request latency",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def observe_request(*, method: str, route: str, status: int, seconds: float) -> None:
    method = method if method in _METHODS else "OTHER"  # clients choose methods; keep labels bounded
    REQUESTS.labels(method, route, str(status)).inc()
    LATENCY.labels(route).observe(seconds)


class BusinessCollector:
    """Gauges computed from the database at scrape time."""

    def collect(self) -> Iterator[Metric]:
        parts: list[tuple[str, Callable[[], Iterable[Metric]]]] = [
            ("tasks", self._tasks),
            ("emails", self._emails),
            ("worker", self._worker),
        ]
        # Each module's gauges (module.py `metrics`).
        parts += [(m.label, resolve(m.metrics)) for m in registry if m.metrics]
        for name, part in parts:
            try:
                yield from part()
            except DatabaseError:
                logger.warning("metrics: %s could not be read", name, exc_info=True)

    def _tasks(self) -> Iterator[Metric]:
        from django_tasks_db.models import DBTaskResult

        ready = GaugeMetricFamily("hromada_tasks_ready", "Background tasks waiting to run", labels=["queue"])
        oldest = GaugeMetricFamily(
            "hromada_tasks_oldest_ready_age_seconds", "Age of the oldest waiting background task"
        )
        now = timezone.now()
        age = 0.0
        rows = (
            DBTaskResult.objects.filter(status="READY")
            .order_by()
            .values_list("queue_name")
            .annotate(n=Count("id"), first=Min("enqueued_at"))
        )
        for queue, n, first in rows:
            ready.add_metric([queue], n)
            if first is not None:
                age = max(age, (now - first).total_seconds())
        oldest.add_metric([], age)
        yield ready
        yield oldest

    def _emails(self) -> Iterator[Metric]:
        from hromada.notify.models import Notification

        pending = GaugeMetricFamily(
            "hromada_notification_emails_pending", "Notification e-mails not yet sent"
        )
        pending.add_metric([], Notification.objects.filter(email_pending=True).count())
        yield pending

    def _worker(self) -> Iterator[Metric]:
        from .models import Heartbeat

        beat = Heartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
        if beat is None:
            return
        gauge = GaugeMetricFamily(
            "hromada_worker_heartbeat_age_seconds", "Seconds since the background worker last beat"
        )
        gauge.add_metric([], round((timezone.now() - beat).total_seconds(), 1))
        yield gauge


def render() -> tuple[bytes, str]:
    """The whole /metrics page: this process's (or all processes') request metrics and
    the business gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    business = CollectorRegistry(auto_describe=False)
    business.register(BusinessCollector())
    return generate_latest(registry) + generate_latest(business), CONTENT_TYPE_LATEST
