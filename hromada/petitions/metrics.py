"""Petition gauges for /metrics, read at scrape time with one GROUP BY."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Sum
from prometheus_client.core import GaugeMetricFamily, Metric

from .models import Petition, Status


def collect() -> Iterator[Metric]:
    by_status = GaugeMetricFamily(
        "hromada_petitions", "Petitions by hromada and status", labels=["hromada", "status"]
    )
    signatures = GaugeMetricFamily(
        "hromada_petition_signatures", "Signatures counted on petitions, by hromada", labels=["hromada"]
    )
    totals: dict[str, int] = {}
    # Drafts are their authors' private work and /metrics may be public (no METRICS_TOKEN):
    # they are not counted. Withdrawn petitions are, by their status (moderation's load).
    rows = (
        Petition.objects.exclude(status=Status.DRAFT)
        .order_by()
        .values_list("hromada__slug", "status")
        .annotate(n=Count("id"), signed=Sum("signature_count"))
    )
    for slug, status, n, signed in rows:
        by_status.add_metric([slug, status], n)
        totals[slug] = totals.get(slug, 0) + (signed or 0)
    for slug, signed in sorted(totals.items()):
        signatures.add_metric([slug], signed)
    yield by_status
    yield signatures
