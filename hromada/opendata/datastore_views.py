"""/datastore/dump/<resource_id>: a published resource's DataStore table as a file,
at the address CKAN serves it (mounted through Module.standard_urls)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError

from .datastore import published_table
from .datastore.dump import csv_chunks, json_chunks
from .datastore.status import load_status
from .models import DatastoreTable

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "tsv"),
    "json": ("application/json; charset=utf-8", "json"),
}


def _error(exc: DomainError) -> HttpResponse:
    return HttpResponse(str(exc.message), status=exc.status, content_type="text/plain; charset=utf-8")


def _count(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise DomainError(
            "datastore_validation",
            _("Параметр «%(p)s» має бути цілим невід’ємним числом.") % {"p": name},
            status=400,
        )
    return int(raw)


@require_GET
def dump(request, resource_id: str):
    fmt = request.GET.get("format", "csv").lower()
    try:
        if fmt not in FORMATS:
            raise DomainError(
                "datastore_validation",
                _("Формат «%(f)s» не підтримується: csv, tsv або json.") % {"f": fmt[:20]},
                status=400,
            )
        limit = _count(request, "limit")
        offset = _count(request, "offset") or 0
        resource, table = published_table(request.hromada, resource_id)
    except DomainError as e:
        return _error(e)
    page = {"limit": limit, "offset": offset}
    bom = request.GET.get("bom", "").lower() in ("1", "true", "yes")
    if fmt == "json":
        chunks = json_chunks(table, **page)
    else:
        chunks = csv_chunks(table, delimiter="\t" if fmt == "tsv" else ",", bom=bom, **page)
    content_type, ext = FORMATS[fmt]
    response = StreamingHttpResponse(chunks, content_type=content_type)
    disposition = "inline" if fmt == "json" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{resource.public_id}.{ext}"'
    return response


@never_cache
@login_required
@require_GET
def load_status_fragment(request, table_id: int):
    """The load's status block alone, polled by htmx while it runs (for the staff
    resource page: mount it in the staff urls and pass its address as `poll_url`)."""
    table = (
        DatastoreTable.objects.for_hromada(request.hromada)
        .select_related("version__resource")
        .filter(pk=table_id)
        .first()
    )
    if table is None:
        return HttpResponse(status=404)
    if not (
        has_perm(request.user, request.hromada, "opendata.publish")
        or has_perm(request.user, request.hromada, "opendata.manage")
    ):
        return HttpResponse(status=403)
    return render(
        request,
        "opendata/datastore/_load_status.html",
        {"status": load_status(table), "poll_url": request.path},
    )
