"""Budget gauges for /metrics, read at scrape time with one GROUP BY each."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily, Metric

from .models import Ballot, Project, ProjectStatus


def collect() -> Iterator[Metric]:
    ballots = GaugeMetricFamily(
        "hromada_budget_ballots",
        "Participatory budget ballots by hromada and channel",
        labels=["hromada", "channel"],
    )
    for slug, channel, n in (
        Ballot.objects.order_by().values_list("hromada__slug", "channel").annotate(n=Count("id"))
    ):
        ballots.add_metric([slug, channel], n)
    projects = GaugeMetricFamily(
        "hromada_budget_projects",
        "Participatory budget projects by hromada and status",
        labels=["hromada", "status"],
    )
    # Drafts are their authors' private work and /metrics may be public: not counted.
    for slug, status, n in (
        Project.objects.exclude(status=ProjectStatus.DRAFT)
        .order_by()
        .values_list("hromada__slug", "status")
        .annotate(n=Count("id"))
    ):
        projects.add_metric([slug, status], n)
    yield ballots
    yield projects
