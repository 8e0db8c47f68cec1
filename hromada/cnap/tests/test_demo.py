"""The demo builds a real centre through the services."""

import pytest

from hromada.cnap import demo
from hromada.cnap.models import Office, Service, ServiceStatus, WeeklyHours, Workplace
from hromada.core.clock import travel_to
from hromada.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_the_demo_catalogue_and_offices(hromada, hromada_admin):
    events = demo.seed(hromada=hromada, people={"admin": hromada_admin})
    assert [moment for moment, _ in events] == sorted(moment for moment, _ in events)
    for moment, action in events:  # as demo_seed runs them, each on its moment's clock
        with travel_to(moment):
            action()
    published = Service.objects.filter(hromada=hromada, status=ServiceStatus.PUBLISHED)
    assert published.count() >= 40
    assert published.values("category").distinct().count() == 7
    assert all(s.documents.exists() for s in published)
    kinds = set(Office.objects.filter(hromada=hromada).values_list("kind", flat=True))
    assert kinds == {"centre", "remote", "mobile"}
    assert Office.objects.filter(hromada=hromada, kind="remote").count() == 2
    centre = Office.objects.get(hromada=hromada, kind="centre")
    assert WeeklyHours.objects.filter(office=centre, closes__gte="20:00").exists()  # the evening day
    # Every published service is served at some window.
    served = set(Workplace.objects.filter(hromada=hromada).values_list("services", flat=True))
    assert set(published.values_list("pk", flat=True)) <= served
    assert (
        LedgerEntry.objects.filter(hromada=hromada, kind="cnap.service_published").count()
        == published.count()
    )
