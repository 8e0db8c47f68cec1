"""Appeals gauges for /metrics, read at scrape time with one GROUP BY each: open cases
and overdue open cases by hromada and kind (no personal data, no drafts)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from .models import OPEN_STATUSES, Case


def collect() -> Iterator[Metric]:
    now = timezone.now()
    open_cases = GaugeMetricFamily(
        "hromada_appeals_open_cases",
        "Appeals, information requests and problem reports being worked on, by hromada and kind",
        labels=["hromada", "kind"],
    )
    rows = Case.objects.filter(status__in=OPEN_STATUSES).order_by()
    for slug, kind, n in rows.values_list("hromada__slug", "kind").annotate(n=Count("id")):
        open_cases.add_metric([slug, kind], n)
    overdue = GaugeMetricFamily(
        "hromada_appeals_overdue_cases",
        "Open cases past their deadline, by hromada and kind",
        labels=["hromada", "kind"],
    )
    late = rows.filter(due_at__lt=now)
    for slug, kind, n in late.values_list("hromada__slug", "kind").annotate(n=Count("id")):
        overdue.add_metric([slug, kind], n)
    yield open_cases
    yield overdue
