"""Public reads beside a resource's page: a chart's figures as CSV and the GeoJSON
layers of its map preview. Thin: find the resource as its page does (a draft for its
editors only, nothing of a withdrawn dataset), call a selector, answer."""

from __future__ import annotations

from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from hromada.core.errors import NotFound
from hromada.core.opendata import csv_table_stream

from . import chart_selectors, selectors
from .models import DatasetState


def _resource(request, name: str, rid):
    try:
        dataset = selectors.dataset_get(hromada=request.hromada, name=name, viewer=request.user)
        if dataset.state == DatasetState.WITHDRAWN:
            raise Http404
        return selectors.resource_get(dataset=dataset, resource_id=rid)
    except NotFound:
        raise Http404 from None


@require_GET
def chart_csv(request, name: str, rid, cid):
    resource = _resource(request, name, rid)
    chart = chart_selectors.chart_get(resource, cid)
    if chart is None:
        raise Http404
    data = chart_selectors.chart_data(chart)
    if data["error"]:
        raise Http404
    header, rows = chart_selectors.chart_csv_rows(chart, data)
    response = StreamingHttpResponse(csv_table_stream(header, [rows]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="chart-{chart.public_id}.csv"'
    return response


@require_GET
def map_geojson(request, name: str, rid, kind: str):
    if kind not in ("points", "areas"):
        raise Http404
    resource = _resource(request, name, rid)
    response = JsonResponse(
        chart_selectors.map_layer_geojson(resource, kind), content_type="application/geo+json"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
