"""DCAT-AP 3 answers: the catalogue (paged, `modified_since`) and each dataset, as
Turtle, RDF/XML or JSON-LD. Thin: the graphs are built in dcat.py."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from hromada.opendata import dcat
from hromada.opendata.models import Dataset, DatasetState


def _links(request) -> dcat.Links:
    return dcat.Links(base=request.build_absolute_uri("/").rstrip("/"))


def _answer(graph, syntax: str) -> HttpResponse:
    body, media = dcat.serialise(graph, syntax)
    return HttpResponse(body, content_type=media)


def _refusal(status: int, code: str, message: str) -> HttpResponse:
    response = HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")
    response["X-Error-Code"] = code
    return response


@require_GET
def catalog(request, syntax: str) -> HttpResponse:
    if syntax not in dcat.SYNTAXES:
        raise Http404
    try:
        page = dcat.parse_page(request.GET.get("page"))
        since = dcat.parse_modified_since(request.GET.get("modified_since"))
        kept = {k: v for k, v in request.GET.items() if k == "modified_since"}
        url = request.build_absolute_uri(request.path) + (f"?{urlencode(kept)}" if kept else "")
        graph = dcat.catalog_graph(request.hromada, _links(request), page=page, modified_since=since, url=url)
    except dcat.DcatError as error:
        return _refusal(400, error.code, error.message)
    return _answer(graph, syntax)


@require_GET
def dataset(request, ref: str, syntax: str) -> HttpResponse:
    if syntax not in dcat.SYNTAXES:
        raise Http404
    # CKAN's habit: a dataset answers by its id as well as by its name.
    lookup: dict[str, object]
    try:
        lookup = {"public_id": uuid.UUID(ref)}
    except ValueError:
        lookup = {"name": ref}
    found = Dataset.objects.filter(hromada=request.hromada, **lookup).first()
    if found is None or found.state == DatasetState.DRAFT:
        raise Http404
    if found.state == DatasetState.WITHDRAWN:
        return _refusal(410, "dataset_withdrawn", "Набір даних знято з оприлюднення.")
    one: Dataset = dcat.published_datasets(request.hromada).get(pk=found.pk)
    return _answer(dcat.dataset_graph(one, _links(request)), syntax)
