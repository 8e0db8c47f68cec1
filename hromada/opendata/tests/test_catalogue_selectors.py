# ruff: noqa: F811  (the shared fixtures are imported by name)
"""The catalogue's reads: facets as the page shows them, and the staff's queues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import staff_user
from hromada.opendata import selectors, services
from hromada.opendata.models import Resource

from .test_catalogue_fixtures import csv_file, dataset, editor, publisher  # noqa: F401

pytestmark = pytest.mark.django_db


def test_facets_count_the_whole_match_and_keep_ticked_values(hromada, publisher, editor):
    for n in range(3):
        made = services.dataset_create(
            hromada, editor, publisher, name=f"d{n}", title=f"Набір {n}", tags=["бюджет"] if n else ["освіта"]
        )
        services.resource_create(made, editor, name="Таблиця", upload=csv_file())
        services.dataset_publish(made, editor)
    page = selectors.dataset_list(hromada=hromada, selected={"tags": ["бюджет"]})
    assert page.count == 2
    tags = {f.name: f for f in page.facets}["tags"]
    assert {i.value: (i.count, i.selected) for i in tags.items} == {"бюджет": (2, True)}
    organizations = {f.name: f for f in page.facets}["organization"]
    assert [(i.label, i.count) for i in organizations.items] == [("Фінансове управління", 2)]
    nothing = selectors.dataset_list(hromada=hromada, selected={"tags": ["немає"]})
    assert nothing.count == 0
    assert [(i.value, i.count) for i in {f.name: f for f in nothing.facets}["tags"].items] == [("немає", 0)]


def test_stale_datasets_and_the_staff_summary(hromada, editor, dataset):
    resource = services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    services.dataset_publish(dataset, editor)
    assert selectors.stale_datasets(hromada=hromada, user=editor) == []
    long_ago = timezone.now() - dt.timedelta(days=400)
    Resource.objects.filter(pk=resource.pk).update(last_modified=long_ago)
    stale = selectors.stale_datasets(hromada=hromada, user=editor)
    assert [s.dataset.pk for s in stale] == [dataset.pk]
    assert stale[0].due == long_ago + dt.timedelta(days=366)
    counters = {str(c.label): c for c in selectors.staff_summary(hromada=hromada, user=editor)}
    assert counters["Набори даних, які пора оновити"].value == 1
    assert counters["Чернетки наборів даних"].value == 0
    outsider = staff_user(hromada, "officer")
    assert selectors.staff_summary(hromada=hromada, user=outsider) == []
    assert selectors.stale_datasets(hromada=hromada, user=outsider) == []


def test_a_new_version_makes_a_stale_dataset_current(hromada, editor, dataset):
    resource = services.resource_create(dataset, editor, name="Бюджет", upload=csv_file())
    services.dataset_publish(dataset, editor)
    Resource.objects.filter(pk=resource.pk).update(last_modified=timezone.now() - dt.timedelta(days=400))
    resource.refresh_from_db()
    services.resource_upload_version(resource, editor, csv_file(), note="Новий рік")
    assert selectors.stale_datasets(hromada=hromada, user=editor) == []
