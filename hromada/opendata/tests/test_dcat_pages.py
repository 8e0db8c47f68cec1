"""DCAT-AP through the real pages: the catalogue is announced on the portal's pages, and
every IRI and link it gives answers on this site."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rdflib import Graph
from rdflib.namespace import DCAT, RDF

from hromada.opendata import services
from hromada.opendata.models import PublisherMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(hromada, hromada_admin):
    publisher = services.publisher_create(
        hromada, hromada_admin, name="finance", title="Фінансове управління"
    )
    PublisherMember.objects.get_or_create(hromada=hromada, publisher=publisher, user=hromada_admin)
    dataset = services.dataset_create(
        hromada,
        hromada_admin,
        publisher,
        name="budget-2026",
        title="Бюджет громади на 2026 рік",
        notes="Доходи й видатки.",
        frequency="Щомісяця",
        temporal_start=dt.date(2026, 1, 1),
    )
    services.resource_create(
        dataset,
        hromada_admin,
        name="Виконання",
        upload=SimpleUploadedFile("budget.csv", "місяць,сума\n1,100\n".encode(), content_type="text/csv"),
        format="CSV",
    )
    services.dataset_publish(dataset, hromada_admin)
    return dataset


def test_pages_announce_the_rdf_and_every_link_in_it_answers(client, published):
    page = client.get("/opendata/").content.decode()
    assert 'type="text/turtle" href="/opendata/catalog.ttl"' in page
    detail = client.get(f"/opendata/dataset/{published.name}/").content.decode()
    assert f'href="/opendata/dataset/{published.name}.jsonld"' in detail
    g = Graph().parse(data=client.get("/opendata/catalog.ttl").content, format="turtle")
    [dataset] = list(g.subjects(RDF.type, DCAT.Dataset))
    links = {dataset, *g.objects(None, DCAT.landingPage), *g.objects(None, DCAT.accessURL)}
    links |= set(g.objects(None, DCAT.downloadURL))
    assert len(links) == 4
    for link in links:
        response = client.get(urlsplit(str(link)).path, follow=True)
        assert response.status_code == 200, link
