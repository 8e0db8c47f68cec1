"""Consultations gauges for /metrics, read at scrape time with one GROUP BY each."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric

from .models import PHASE_OPEN, Proposal, ProposalStatus, Response, Status


def collect() -> Iterator[Metric]:
    now = timezone.now()
    open_now = {
        "consultation__status": Status.PUBLISHED,
        "consultation__plan__phases__code": PHASE_OPEN,
        "consultation__plan__phases__starts_at__lte": now,
        "consultation__plan__phases__ends_at__gt": now,
    }
    responses = GaugeMetricFamily(
        "hromada_consultations_responses",
        "Responses to the questionnaires of consultations open now, by hromada, consultation and status",
        labels=["hromada", "consultation", "status"],
    )
    for slug, number, status, n in (
        Response.objects.filter(**open_now)
        .order_by()
        .values_list("hromada__slug", "consultation__number", "status")
        .annotate(n=Count("id"))
    ):
        responses.add_metric([slug, str(number), status], n)
    pending = GaugeMetricFamily(
        "hromada_consultations_proposals_pending",
        "Proposals waiting for staff's answer, by hromada",
        labels=["hromada"],
    )
    for slug, n in (
        Proposal.objects.filter(status=ProposalStatus.PENDING)
        .order_by()
        .values_list("hromada__slug")
        .annotate(n=Count("id"))
    ):
        pending.add_metric([slug], n)
    yield responses
    yield pending
