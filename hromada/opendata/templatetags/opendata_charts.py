"""The charts and the map preview of a resource, for the dataset and resource pages:
`{% load opendata_charts %}{% resource_charts resource dataset %}{% resource_map resource dataset %}`."""

from __future__ import annotations

from django import template
from django.urls import reverse

from .. import chart_selectors
from ..charts_svg import chart_table, render_chart

register = template.Library()


def chart_blocks(resource) -> list[dict]:
    """Each chart of the resource with its drawing, its table and its CSV's address."""
    dataset = resource.dataset
    out = []
    for chart in chart_selectors.resource_charts(resource):
        data = chart_selectors.chart_data(chart)
        out.append(
            {
                "chart": chart,
                "data": data,
                "svg": "" if data["error"] else render_chart(chart, data),
                "table": chart_table(data),
                "csv_url": reverse(
                    "opendata:chart_csv",
                    kwargs={"name": dataset.name, "rid": resource.public_id, "cid": chart.public_id},
                ),
            }
        )
    return out


@register.inclusion_tag("opendata/_charts.html", takes_context=True)
def resource_charts(context, resource, heading_level: int = 3):
    return {
        "request": context.get("request"),
        "resource": resource,
        "charts": chart_blocks(resource),
        "h": heading_level,
    }


@register.inclusion_tag("opendata/_map_preview.html", takes_context=True)
def resource_map(context, resource, heading_level: int = 3):
    found = chart_selectors.map_features(resource)
    ctx = {"request": context.get("request"), "resource": resource, "found": found, "h": heading_level}
    if found:
        dataset = resource.dataset
        ctx["layers"] = [
            {
                "name": resource.name,
                "url": reverse(
                    "opendata:map_geojson",
                    kwargs={"name": dataset.name, "rid": resource.public_id, "kind": kind},
                ),
                "kind": kind,
            }
            for kind in ("areas", "points")
            if kind in found["kinds"]
        ]
        ctx["shown"] = len(found["features"])
        ctx["map_id"] = f"map-{resource.public_id}"
        ctx["download_url"] = reverse(
            "opendata:download", kwargs={"name": dataset.name, "rid": resource.public_id}
        )
    return ctx
