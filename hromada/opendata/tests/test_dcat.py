"""DCAT-AP 3: the catalogue and each dataset in three syntaxes, valid against the
official SHACL shapes, paged and filtered by modified_since."""

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from hromada.opendata import dcat
from hromada.opendata.models import Dataset, Publisher, Resource, ResourceVersion, Tag
from hromada.opendata.search import search_text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("dcat_urls")]

SHAPES = Path(__file__).resolve().parents[1] / "standards" / "dcat-ap-3.0.1"
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
EU = "http://publications.europa.eu/resource/authority/"


@pytest.fixture
def dcat_urls():
    with override_settings(ROOT_URLCONF="hromada.opendata.tests.dcat_urls_for_tests"):
        yield


def _dataset(hromada, publisher, name, *, state="published", days_ago=0, **kw):
    moment = NOW - dt.timedelta(days=days_ago)
    d = Dataset.objects.create(
        hromada=hromada,
        publisher=publisher,
        name=name,
        title=kw.pop("title", f"Набір {name}"),
        state=state,
        published_at=moment if state != "draft" else None,
        metadata_modified=moment,
        **kw,
    )
    d.search_text = search_text_of(d)
    d.save(update_fields=["search_text"])
    return d


@pytest.fixture
def full(hromada):
    """A dataset with every optional field and a file resource with a version."""
    council = Publisher.objects.create(
        hromada=hromada, name="finance", title="Фінансове управління", email="fin@example.org"
    )
    d = _dataset(
        hromada,
        council,
        "budget-2026",
        title="Бюджет громади на 2026 рік",
        notes="Доходи й видатки за місяцями.",
        frequency="Щомісяця",
        language="uk",
        maintainer="Олена Коваль",
        maintainer_email="koval@example.org",
        spatial="Слов'янська міська територіальна громада",
        temporal_start=dt.date(2026, 1, 1),
        temporal_end=dt.date(2026, 12, 31),
        license_id="CC-BY-4.0",
    )
    d.tags.add(Tag.objects.create(hromada=hromada, name="бюджет"))
    r = Resource.objects.create(hromada=hromada, dataset=d, name="Виконання бюджету", format="CSV")
    content = "місяць,сума\n1,100\n".encode()
    v = ResourceVersion.objects.create(
        hromada=hromada,
        resource=r,
        number=1,
        file=ContentFile(content, name="budget.csv"),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        mimetype="text/csv",
    )
    r.current = v
    r.last_modified = NOW
    r.save()
    Resource.objects.create(
        hromada=hromada, dataset=d, name="Звіт", format="PDF", url="https://example.org/report.pdf"
    )
    return d


def _conforms(data: bytes, syntax: str) -> tuple[bool, str]:
    shapes = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        shapes.parse(SHAPES / name, format="turtle")
    graph = Graph().parse(data=data, format=syntax)
    ok, _, text = validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    return ok, text


@pytest.mark.parametrize(
    "suffix,rdflib_format,media",
    [
        ("ttl", "turtle", "text/turtle"),
        ("rdf", "xml", "application/rdf+xml"),
        ("jsonld", "json-ld", "application/ld+json"),
    ],
)
def test_catalogue_in_each_syntax_is_valid_dcat_ap(client, full, suffix, rdflib_format, media):
    response = client.get(f"/opendata/catalog.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media)
    ok, report = _conforms(response.content, rdflib_format)
    assert ok, report
    g = Graph().parse(data=response.content, format=rdflib_format)
    datasets = list(g.subjects(RDF.type, DCAT.Dataset))
    assert datasets == [URIRef(f"http://testserver/opendata/dataset/{full.public_id}")]
    assert len(list(g.objects(datasets[0], DCAT.distribution))) == 2


def test_dataset_carries_eu_vocabularies_and_its_fields(client, full):
    response = client.get(f"/opendata/dataset/{full.name}.ttl")
    assert response.status_code == 200
    ok, report = _conforms(response.content, "turtle")
    assert ok, report
    g = Graph().parse(data=response.content, format="turtle")
    ds = URIRef(f"http://testserver/opendata/dataset/{full.public_id}")
    assert (ds, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/MONTHLY")) in g
    assert (ds, DCTERMS.language, URIRef(EU + "language/UKR")) in g
    assert (ds, DCAT.keyword, Literal("бюджет", lang="uk")) in g
    formats = set(g.objects(None, DCTERMS["format"]))
    assert formats == {URIRef(EU + "file-type/CSV"), URIRef(EU + "file-type/PDF")}
    assert set(g.objects(None, DCTERMS.license)) == {URIRef(EU + "licence/CC_BY_4_0")}
    sizes = [int(s) for s in g.objects(None, DCAT.byteSize)]
    assert sizes == [full.resources.get(format="CSV").current.size]
    downloads = {str(u) for u in g.objects(None, DCAT.downloadURL)}
    assert "https://example.org/report.pdf" in downloads
    assert any(u.endswith("/download") for u in downloads)
    # the same dataset by its id, as CKAN answers
    again = client.get(f"/opendata/dataset/{full.public_id}.ttl")
    assert again.status_code == 200
    assert Graph().parse(data=again.content, format="turtle").isomorphic(g)


def test_recommended_properties_present(full):
    """shapes_recommended.ttl names what a good catalogue should also say; ours says it
    for a fully described dataset (warnings only where the data truly lacks it)."""
    g = dcat.dataset_graph(Dataset.objects.get(pk=full.pk), dcat.Links("http://testserver"))
    shapes = Graph().parse(SHAPES / "shapes_recommended.ttl", format="turtle")
    ok, results, text = validate(g, shacl_graph=shapes, inference="none")
    paths = {str(p) for p in results.objects(None, URIRef("http://www.w3.org/ns/shacl#resultPath"))}
    # What the portal cannot know yet: EU data themes (publishers choose local groups), the
    # geometry of the coverage (a place name only) and the licence's ADMS type.
    unknown = {str(DCAT.theme), str(DCAT.centroid), str(DCAT.bbox), str(DCTERMS.type)}
    assert paths <= unknown, text


def test_minimal_dataset_is_still_valid(client, hromada):
    p = Publisher.objects.create(hromada=hromada, name="rada", title="Рада")
    d = _dataset(hromada, p, "bare", title="Лише назва", language="xx", license_id="notspecified")
    Resource.objects.create(hromada=hromada, dataset=d, name="Посилання", url="https://example.org/data")
    response = client.get("/opendata/dataset/bare.rdf")
    ok, report = _conforms(response.content, "xml")
    assert ok, report


def test_drafts_other_hromadas_and_withdrawn(client, hromada, other_hromada):
    p = Publisher.objects.create(hromada=hromada, name="rada", title="Рада")
    _dataset(hromada, p, "draft", state="draft")
    gone = _dataset(hromada, p, "gone", state="withdrawn", withdrawn_reason="застарів")
    theirs = Publisher.objects.create(hromada=other_hromada, name="rada", title="Інша")
    _dataset(other_hromada, theirs, "foreign")
    assert client.get("/opendata/dataset/draft.ttl").status_code == 404
    assert client.get("/opendata/dataset/foreign.ttl").status_code == 404
    assert client.get("/opendata/dataset/nope.ttl").status_code == 404
    assert client.get(f"/opendata/dataset/{gone.name}.ttl").status_code == 410
    assert client.get("/opendata/dataset/gone.exe").status_code == 404
    g = Graph().parse(data=client.get("/opendata/catalog.ttl").content, format="turtle")
    assert list(g.subjects(RDF.type, DCAT.Dataset)) == []


def test_paging_and_modified_since(client, hromada):
    p = Publisher.objects.create(hromada=hromada, name="rada", title="Рада")
    for i in range(dcat.PAGE_SIZE + 5):
        _dataset(hromada, p, f"d{i:03}", days_ago=i)
    hydra = "http://www.w3.org/ns/hydra/core#"

    def page(q):
        r = client.get("/opendata/catalog.jsonld" + q)
        assert r.status_code == 200
        json.loads(r.content)
        return Graph().parse(data=r.content, format="json-ld")

    first = page("")
    assert len(list(first.subjects(RDF.type, DCAT.Dataset))) == dcat.PAGE_SIZE
    assert int(next(first.objects(None, URIRef(hydra + "totalItems")))) == dcat.PAGE_SIZE + 5
    assert str(next(first.objects(None, URIRef(hydra + "nextPage")))).endswith("page=2")
    second = page("?page=2")
    names = {str(o) for o in second.objects(None, DCTERMS.identifier)}
    assert len(list(second.subjects(RDF.type, DCAT.Dataset))) == 5
    assert names  # the oldest five, not repeated from page 1
    assert not names & {str(o) for o in first.objects(None, DCTERMS.identifier)}
    # the harvester's incremental read: only what changed since a moment
    since = (NOW - dt.timedelta(days=2, hours=1)).isoformat()
    recent = page("?modified_since=" + since.replace("+", "%2B"))
    assert len(list(recent.subjects(RDF.type, DCAT.Dataset))) == 3
    nxt = [str(o) for o in recent.objects(None, URIRef(hydra + "firstPage"))]
    assert nxt and "modified_since=" in nxt[0]


@pytest.mark.parametrize(
    "query,code",
    [
        ("?page=0", "page_invalid"),
        ("?page=x", "page_invalid"),
        ("?page=9", "page_out_of_range"),
        ("?modified_since=yesterday", "modified_since_invalid"),
    ],
)
def test_bad_parameters_are_clear_400s(client, hromada, query, code):
    response = client.get("/opendata/catalog.ttl" + query)
    assert response.status_code == 400
    assert response["X-Error-Code"] == code
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode().strip()
