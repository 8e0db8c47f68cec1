"""The portal's public pages, /opendata/…: search with facets, a dataset, a resource
with its versions, downloads (counted), publishers and groups. Thin: parse, call a
selector or the download counter, render."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hromada.core.errors import DomainError, NotFound

from . import selectors, services
from .models import Dataset, DatasetState
from .search import SearchResult
from .vocabularies import format_of


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_GET
def index(request):
    q = request.GET.get("q", "").strip()[:200]
    selected = {name: request.GET.getlist(name) for name in selectors.FACET_FIELDS}
    sort = request.GET.get("sort", "")
    error = None
    try:
        found = selectors.dataset_list(
            hromada=request.hromada, q=q, selected=selected, sort=sort, page=_page_number(request)
        )
    except DomainError as exc:  # a query the search cannot read: say so, show nothing
        error = exc.message
        found = selectors.DatasetPage(SearchResult(count=0, datasets=[]), [], 1, 1, {})
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "opendata/index.html",
        {
            "found": found,
            "q": q,
            "sort": found.result.sort if found.result.sort in dict(selectors.SORT_CHOICES) else "",
            "selected_count": sum(len(v) for v in found.selected.values()),
            "sorts": selectors.SORT_CHOICES,
            "error": error,
            "query": query.urlencode(),
            "filtered": any(found.selected.values()) or bool(q),
        },
        status=400 if error else 200,
    )


def _dataset(request, name: str) -> Dataset:
    try:
        return selectors.dataset_get(hromada=request.hromada, name=name, viewer=request.user)
    except NotFound:
        raise Http404 from None


def _gone(request, dataset: Dataset):
    return render(request, "opendata/gone.html", {"dataset": dataset}, status=410)


@require_GET
def dataset_detail(request, name: str):
    dataset = _dataset(request, name)
    if dataset.state == DatasetState.WITHDRAWN:
        return _gone(request, dataset)
    resources = selectors.dataset_resources(dataset)
    for resource in resources:
        resource.preview = selectors.resource_preview(resource)  # type: ignore[attr-defined]
        resource.format_info = format_of(resource.format)  # type: ignore[attr-defined]
    return render(
        request,
        "opendata/dataset.html",
        {
            "dataset": dataset,
            "facts": selectors.dataset_facts(dataset),
            "platform": selectors.platform_origin(dataset),
            "resources": resources,
            "can_edit": services.can_publish_for(request.user, dataset.publisher),
        },
    )


def _resource(request, name: str, rid):
    dataset = _dataset(request, name)
    if dataset.state == DatasetState.WITHDRAWN:
        return dataset, None
    try:
        return dataset, selectors.resource_get(dataset=dataset, resource_id=rid)
    except NotFound:
        raise Http404 from None


def _resource_gone(request, dataset: Dataset, resource):
    """A withdrawn resource: 410 with the reason (its versions are kept, not served)."""
    return render(
        request, "opendata/resource_gone.html", {"dataset": dataset, "resource": resource}, status=410
    )


@require_GET
def resource_detail(request, name: str, rid):
    dataset, resource = _resource(request, name, rid)
    if resource is None:
        return _gone(request, dataset)
    if resource.withdrawn_at is not None:
        return _resource_gone(request, dataset, resource)
    resource.preview = selectors.resource_preview(resource)
    return render(
        request,
        "opendata/resource.html",
        {
            "dataset": dataset,
            "resource": resource,
            "versions": selectors.resource_versions(resource),
            "format_info": format_of(resource.format),
            "can_edit": services.can_publish_for(request.user, dataset.publisher),
        },
    )


def _serve(version):
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name or version.file.name.rsplit("/", 1)[-1],
        content_type=version.mimetype or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def download(request, name: str, rid):
    """The current file (or the link it stands for), counted."""
    dataset, resource = _resource(request, name, rid)
    if resource is None:
        return _gone(request, dataset)
    if resource.withdrawn_at is not None:
        return _resource_gone(request, dataset, resource)
    if resource.url:
        services.resource_download_count(resource)
        return HttpResponseRedirect(resource.url)
    if resource.current is None:
        raise Http404
    services.resource_download_count(resource)
    return _serve(resource.current)


@require_GET
def version_download(request, name: str, rid, number: int):
    dataset, resource = _resource(request, name, rid)
    if resource is None:
        return _gone(request, dataset)
    if resource.withdrawn_at is not None:
        return _resource_gone(request, dataset, resource)
    try:
        version = selectors.version_get(resource=resource, number=number)
    except NotFound:
        raise Http404 from None
    services.resource_download_count(resource)
    return _serve(version)


@require_GET
def publisher_list(request):
    return render(
        request, "opendata/publishers.html", {"publishers": selectors.publisher_list(hromada=request.hromada)}
    )


def _browse(request, template: str, context: dict, facet: str, value: str):
    found = selectors.dataset_list(
        hromada=request.hromada,
        selected={facet: [value]},
        sort=request.GET.get("sort", "metadata_modified desc"),
        page=_page_number(request),
    )
    return render(request, template, {**context, "found": found, "query": ""})


@require_GET
def publisher_detail(request, name: str):
    try:
        publisher = selectors.publisher_get(hromada=request.hromada, name=name)
    except NotFound:
        raise Http404 from None
    return _browse(
        request, "opendata/publisher.html", {"publisher": publisher}, "organization", publisher.name
    )


@require_GET
def group_list(request):
    return render(request, "opendata/groups.html", {"groups": selectors.group_list(hromada=request.hromada)})


@require_GET
def group_detail(request, name: str):
    try:
        group = selectors.group_get(hromada=request.hromada, name=name)
    except NotFound:
        raise Http404 from None
    return _browse(request, "opendata/group.html", {"group": group}, "groups", group.name)
