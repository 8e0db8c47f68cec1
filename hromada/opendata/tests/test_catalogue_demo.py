"""The demo's portal, built through the services as demo_seed runs it (events in time
order on the travelled clock)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hromada.core.clock import travel_to
from hromada.ledger.models import LedgerEntry
from hromada.opendata import demo, selectors
from hromada.opendata.models import Dataset, DatasetState, Publisher, ResourceVersion

pytestmark = pytest.mark.django_db


def test_the_demo_portal(client, hromada, hromada_admin, officer):
    start = timezone.now() - dt.timedelta(days=90)
    events = demo.seed(hromada=hromada, people={"admin": hromada_admin, "officer": officer}, start=start)
    for moment, action in sorted(events, key=lambda e: e[0]):
        with travel_to(moment):
            action()
    assert Publisher.objects.for_hromada(hromada).exclude(kind="platform").count() == 4
    states = dict(Dataset.objects.for_hromada(hromada).filter(source="manual").values_list("name", "state"))
    assert 8 <= list(states.values()).count(DatasetState.PUBLISHED) <= 12
    assert states["remonty-dorih-2027"] == DatasetState.DRAFT
    assert states["taryfy-tpv-2025"] == DatasetState.WITHDRAWN
    execution = ResourceVersion.objects.filter(resource__dataset__name="budget-execution-2026")
    assert sorted(execution.values_list("number", flat=True)) == [1, 2, 3]
    stops = ResourceVersion.objects.get(resource__dataset__name="zupynky-transportu").file.read().decode()
    assert stops.splitlines()[0] == "id,назва,широта,довгота,павільйон,маршрути"
    stale = [s.dataset.name for s in selectors.stale_datasets(hromada=hromada, user=officer)]
    assert "vulychne-osvitlennia" in stale
    published = LedgerEntry.objects.filter(hromada=hromada, kind="opendata.dataset_published").count()
    platform = Dataset.objects.for_hromada(hromada).filter(source="platform")
    assert platform.exists() and all(d.state == DatasetState.PUBLISHED for d in platform)
    # The hand-made ones (and the withdrawn one), and each platform dataset once.
    assert published == list(states.values()).count(DatasetState.PUBLISHED) + 1 + platform.count()
    page = client.get("/opendata/", {"q": "зупинки"})
    assert "Зупинки громадського транспорту" in page.content.decode()
