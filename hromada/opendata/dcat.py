"""DCAT-AP 3 for the catalogue and each dataset (ADR 0009 decision 7), built with rdflib
from the published rows and serialised as Turtle, RDF/XML or JSON-LD.

IRIs follow CKAN's habit (ckanext-dcat): a dataset is `<base>/opendata/dataset/<uuid>`
(its page answers by uuid as by name), a distribution hangs under it, and the catalogue
is `<base>/opendata/catalog`. Everything is written against the official 3.0.1 SHACL
shapes kept in `standards/dcat-ap-3.0.1/` (tested with pyshacl)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from hromada.opendata.models import Dataset, DatasetState, Publisher, Resource
from hromada.opendata.vocabularies import EU, format_of, frequency, licence
from hromada.opendata.vocabularies import LANGUAGES as LANGUAGE_URIS

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
IANA = "https://www.iana.org/assignments/media-types/"
# The council is a local authority in the EU publisher-type vocabulary (ADMS).
LOCAL_AUTHORITY = URIRef("http://purl.org/adms/publishertype/LocalAuthority")
STABLE = EU + "planned-availability/STABLE"
PAGE_SIZE = 100

SYNTAXES: dict[str, tuple[str, str]] = {
    # our URL suffix → (rdflib format, media type)
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("pretty-xml", "application/rdf+xml; charset=utf-8"),
    "xml": ("pretty-xml", "application/rdf+xml; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}


class DcatError(ValueError):
    """A bad page or modified_since: the view answers 400 with this message."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Links:
    """Where things live on this site: absolute URLs from the request's base."""

    base: str  # "https://host" without a trailing slash

    def _url(self, name: str, *args: object, fallback: str) -> str:
        try:
            return self.base + reverse(name, args=args)
        except NoReverseMatch:  # the module's pages are not mounted (a kernel-only test run)
            return self.base + fallback

    def catalog(self) -> str:
        return f"{self.base}/opendata/catalog"

    def homepage(self) -> str:
        return self._url("opendata:index", fallback="/opendata/")

    def dataset_iri(self, dataset: Dataset) -> str:
        return f"{self.base}/opendata/dataset/{dataset.public_id}"

    def dataset_page(self, dataset: Dataset) -> str:
        return self._url("opendata:dataset", dataset.name, fallback=f"/opendata/dataset/{dataset.name}/")

    def distribution_iri(self, resource: Resource, dataset: Dataset) -> str:
        return f"{self.dataset_iri(dataset)}/resource/{resource.public_id}"

    def resource_page(self, resource: Resource, dataset: Dataset) -> str:
        return self._url(
            "opendata:resource",
            dataset.name,
            resource.public_id,
            fallback=f"/opendata/dataset/{dataset.name}/resource/{resource.public_id}/",
        )

    def download(self, resource: Resource, dataset: Dataset) -> str:
        return self._url(
            "opendata:download",
            dataset.name,
            resource.public_id,
            fallback=f"/opendata/dataset/{dataset.name}/resource/{resource.public_id}/download",
        )

    def publisher_iri(self, publisher: Publisher) -> str:
        return f"{self.base}/opendata/organization/{publisher.public_id}"


def _graph() -> Graph:
    g = Graph()
    for prefix, ns in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("spdx", SPDX),
        ("skos", SKOS),
        ("hydra", HYDRA),
        ("adms", ADMS),
        ("locn", LOCN),
        ("dcatap", DCATAP),
    ):
        g.bind(prefix, ns)
    return g


def _moment(value: datetime.datetime) -> Literal:
    return Literal(value.astimezone(datetime.UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def published_datasets(hromada) -> QuerySet[Dataset]:
    return (
        Dataset.objects.filter(hromada=hromada, state=DatasetState.PUBLISHED)
        .select_related("publisher")
        .prefetch_related(
            "tags",
            Prefetch(
                "resources",
                queryset=Resource.objects.filter(withdrawn_at__isnull=True)
                .select_related("current")
                .order_by("position", "created_at"),
            ),
        )
        .order_by("-metadata_modified", "pk")
    )


def _publisher_type(g: Graph) -> URIRef:
    node = _concept(g, LOCAL_AUTHORITY, SKOS.Concept)
    g.add((node, SKOS.prefLabel, Literal("Local Authority", lang="en")))
    return node


def _agent(g: Graph, links: Links, publisher: Publisher) -> URIRef:
    agent = URIRef(links.publisher_iri(publisher))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(publisher.title, lang="uk")))
    g.add((agent, DCTERMS.type, _publisher_type(g)))
    if publisher.email:
        g.add((agent, FOAF.mbox, URIRef(f"mailto:{publisher.email}")))
    if publisher.url:
        g.add((agent, FOAF.homepage, URIRef(publisher.url)))
    return agent


def _concept(g: Graph, uri: str | URIRef, kind: URIRef) -> URIRef:
    node = URIRef(uri)
    g.add((node, RDF.type, kind))
    return node


def add_dataset(g: Graph, links: Links, dataset: Dataset) -> URIRef:
    ds = URIRef(links.dataset_iri(dataset))
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.identifier, Literal(str(dataset.public_id))))
    g.add((ds, DCTERMS.title, Literal(dataset.title, lang="uk")))
    # dct:description is mandatory: a dataset without notes is described by its title.
    g.add((ds, DCTERMS.description, Literal(dataset.notes or dataset.title, lang="uk")))
    g.add((ds, DCTERMS.publisher, _agent(g, links, dataset.publisher)))
    page = URIRef(links.dataset_page(dataset))
    g.add((ds, DCAT.landingPage, page))
    g.add((page, RDF.type, FOAF.Document))
    if dataset.published_at:
        g.add((ds, DCTERMS.issued, _moment(dataset.published_at)))
    g.add((ds, DCTERMS.modified, _moment(dataset.metadata_modified)))
    for tag in dataset.tags.all():
        g.add((ds, DCAT.keyword, Literal(tag.name, lang="uk")))
    lang = LANGUAGE_URIS.get(dataset.language)
    if lang:
        g.add((ds, DCTERMS.language, _concept(g, lang[1], DCTERMS.LinguisticSystem)))
    freq = frequency(dataset.frequency)
    if freq:
        g.add((ds, DCTERMS.accrualPeriodicity, _concept(g, freq.eu_uri, DCTERMS.Frequency)))
    if dataset.maintainer or dataset.maintainer_email:
        contact = BNode()
        g.add((ds, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, Literal(dataset.maintainer or dataset.publisher.title)))
        if dataset.maintainer_email:
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.maintainer_email}")))
    if dataset.spatial:
        place = BNode()
        g.add((ds, DCTERMS.spatial, place))
        g.add((place, RDF.type, DCTERMS.Location))
        g.add((place, SKOS.prefLabel, Literal(dataset.spatial, lang="uk")))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        g.add((ds, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            g.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            g.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
    for resource in dataset.resources.all():
        if resource.withdrawn_at is not None:  # when not prefetched by published_datasets
            continue
        g.add((ds, DCAT.distribution, add_distribution(g, links, dataset, resource)))
    return ds


def add_distribution(g: Graph, links: Links, dataset: Dataset, resource: Resource) -> URIRef:
    dist = URIRef(links.distribution_iri(resource, dataset))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.identifier, Literal(str(resource.public_id))))
    g.add((dist, DCTERMS.title, Literal(resource.name, lang="uk")))
    # dct:description is recommended: a resource without one is described by its title.
    g.add((dist, DCTERMS.description, Literal(resource.description or resource.name, lang="uk")))
    # Every uploaded version is kept and served at a stable address.
    stable = _concept(g, STABLE, SKOS.Concept)
    g.add((stable, SKOS.prefLabel, Literal("stable", lang="en")))
    g.add((dist, DCATAP.availability, stable))
    g.add((dist, DCAT.accessURL, URIRef(links.resource_page(resource, dataset))))
    version = resource.current
    if version is not None:
        g.add((dist, DCAT.downloadURL, URIRef(links.download(resource, dataset))))
        g.add((dist, DCAT.byteSize, Literal(version.size, datatype=XSD.nonNegativeInteger)))
        if version.sha256:
            checksum = BNode()
            g.add((dist, SPDX.checksum, checksum))
            g.add((checksum, RDF.type, SPDX.Checksum))
            g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            g.add((checksum, SPDX.checksumValue, Literal(version.sha256, datatype=XSD.hexBinary)))
    elif resource.url:
        g.add((dist, DCAT.downloadURL, URIRef(resource.url)))
    fmt = format_of(resource.format)
    if fmt:
        g.add((dist, DCTERMS["format"], _concept(g, fmt.eu_uri, DCTERMS.MediaTypeOrExtent)))
        g.add((dist, DCAT.mediaType, _concept(g, IANA + fmt.mimetypes[0], DCTERMS.MediaType)))
    lic = licence(dataset.license_id)
    if lic and lic.eu_uri:
        g.add((dist, DCTERMS.license, _concept(g, lic.eu_uri, DCTERMS.LicenseDocument)))
    g.add((dist, DCTERMS.issued, _moment(resource.created_at)))
    if resource.last_modified:
        g.add((dist, DCTERMS.modified, _moment(resource.last_modified)))
    return dist


def parse_modified_since(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise DcatError(
            "modified_since_invalid",
            "modified_since має бути датою й часом ISO 8601, наприклад 2026-01-31T00:00:00Z.",
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def parse_page(value: str | None) -> int:
    if not value:
        return 1
    try:
        page = int(value)
    except ValueError:
        page = 0
    if page < 1:
        raise DcatError("page_invalid", "Сторінка має бути цілим числом від 1.")
    return page


def catalog_graph(
    hromada, links: Links, *, page: int = 1, modified_since: datetime.datetime | None = None, url: str = ""
) -> Graph:
    """The catalogue, one page of datasets at a time (newest change first, as CKAN's
    harvesters read it), with Hydra paging links like ckanext-dcat's."""
    g = _graph()
    cat = URIRef(links.catalog())
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal(f"Відкриті дані: {hromada.name}", lang="uk")))
    if hromada.name_en:
        g.add((cat, DCTERMS.title, Literal(f"Open data: {hromada.name_en}", lang="en")))
    g.add(
        (
            cat,
            DCTERMS.description,
            Literal(f"Набори відкритих даних, які оприлюднює {hromada.name}.", lang="uk"),
        )
    )
    council = URIRef(f"{links.base}/")
    g.add((council, RDF.type, FOAF.Agent))
    g.add((council, FOAF.name, Literal(hromada.name, lang="uk")))
    g.add((council, DCTERMS.type, _publisher_type(g)))
    g.add((cat, DCTERMS.publisher, council))
    home = URIRef(links.homepage())
    g.add((cat, FOAF.homepage, home))
    g.add((home, RDF.type, FOAF.Document))
    g.add((cat, DCTERMS.language, _concept(g, EU + "language/UKR", DCTERMS.LinguisticSystem)))

    datasets = published_datasets(hromada)
    if modified_since:
        datasets = datasets.filter(metadata_modified__gte=modified_since)
    latest = datasets.aggregate(m=Max("metadata_modified"))["m"]
    if latest:
        g.add((cat, DCTERMS.modified, _moment(latest)))
    total = datasets.count()
    last = max(1, -(-total // PAGE_SIZE))
    if page > last:
        raise DcatError("page_out_of_range", f"Сторінки {page} немає: усього сторінок {last}.")
    for dataset in datasets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        g.add((cat, DCAT.dataset, add_dataset(g, links, dataset)))
    if url:
        _paging(g, url, page=page, last=last, total=total)
    return g


def _paging(g: Graph, url: str, *, page: int, last: int, total: int) -> None:
    def at(n: int) -> Literal:
        sep = "&" if "?" in url else "?"
        return Literal(f"{url}{sep}page={n}")

    node = URIRef(str(at(page)))
    g.add((node, RDF.type, HYDRA.PagedCollection))
    g.add((node, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    g.add((node, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    g.add((node, HYDRA.firstPage, at(1)))
    g.add((node, HYDRA.lastPage, at(last)))
    if page > 1:
        g.add((node, HYDRA.previousPage, at(page - 1)))
    if page < last:
        g.add((node, HYDRA.nextPage, at(page + 1)))


def dataset_graph(dataset: Dataset, links: Links) -> Graph:
    g = _graph()
    add_dataset(g, links, dataset)
    return g


def serialise(g: Graph, syntax: str) -> tuple[bytes, str]:
    fmt, media = SYNTAXES[syntax]
    if fmt == "json-ld":
        data = g.serialize(format="json-ld", auto_compact=True, encoding="utf-8")
    else:
        data = g.serialize(format=fmt, encoding="utf-8")
    return data, media


def syntaxes() -> Iterable[str]:
    return SYNTAXES.keys()
