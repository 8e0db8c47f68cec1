"""The console's «Графіки» of a resource, /staff/opendata/d/<name>/r/<rid>/charts/…:
the resource's charts drawn as the public sees them, a form to add one, and each
chart's edit and delete. Thin: parse, call a service, render; after a save the page
shows the chart drawn (the preview needs no script)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import chart_selectors, selectors
from .chart_forms import ChartForm
from .charts_svg import chart_table, render_chart
from .services import charts as chart_services
from .staff_views import _editable_dataset, _not_found, publisher_perm
from .templatetags.opendata_charts import chart_blocks


def _resource(request, name: str, rid):
    dataset = _editable_dataset(request, name)
    if dataset is None:
        return None
    try:
        return selectors.resource_get(dataset=dataset, resource_id=rid)
    except NotFound:
        return None


def _to_charts(resource, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("staff_opendata:charts", kwargs={"name": resource.dataset.name, "rid": resource.public_id})
    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))


def _fields(form: ChartForm) -> dict:
    return {k: form.cleaned_data[k] for k in ("title", "kind", "x", "aggregate", "y", "limit")}


def _preview(request, resource, form) -> dict | None:
    """The chart as the form describes it, drawn but not saved («Переглянути»)."""
    try:
        chart = chart_services.chart_preview(resource, request.user, **_fields(form))
    except DomainError as exc:
        apply_domain_error(request, form, exc)
        return None
    data = chart_selectors.chart_data(chart)
    return {
        "chart": chart,
        "data": data,
        "svg": "" if data["error"] else render_chart(chart, data),
        "table": chart_table(data),
    }


def _page(request, resource, form, *, editing=None, preview=None, status=200):
    columns = chart_services.table_columns(resource)
    return render(
        request,
        "opendata/staff/charts.html",
        {
            "dataset": resource.dataset,
            "resource": resource,
            "columns": columns,
            "charts": chart_blocks(resource),
            "form": form,
            "editing": editing,
            "preview": preview,
        },
        status=status,
    )


@publisher_perm
@require_http_methods(["GET", "POST"])
def charts(request, name: str, rid):
    resource = _resource(request, name, rid)
    if resource is None:
        return _not_found(request)
    columns = chart_services.table_columns(resource) or []
    form = ChartForm(request.POST or None, columns=columns) if columns else None
    if request.method == "POST" and form is not None and form.is_valid() and "preview" in request.POST:
        preview = _preview(request, resource, form)
        return _page(request, resource, form, preview=preview, status=400 if form.errors else 200)
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            chart = chart_services.chart_create(resource, request.user, **_fields(form))
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(
                request, _("Графік «%(t)s» збережено. Ось як його бачать відвідувачі.") % {"t": chart.title}
            )
            return _to_charts(resource, f"chart-{chart.public_id}")
    return _page(request, resource, form, status=400 if form is not None and form.errors else 200)


@publisher_perm
@require_http_methods(["GET", "POST"])
def chart_edit(request, name: str, rid, cid):
    resource = _resource(request, name, rid)
    chart = chart_selectors.chart_get(resource, cid) if resource is not None else None
    if chart is None:
        return _not_found(request)
    columns = chart_services.table_columns(resource) or []
    if not columns:
        return _to_charts(resource)
    if request.method == "POST":
        form = ChartForm(request.POST, columns=columns)
        if form.is_valid() and "preview" in request.POST:
            preview = _preview(request, resource, form)
            return _page(
                request, resource, form, editing=chart, preview=preview, status=400 if form.errors else 200
            )
        if form.is_valid():
            try:
                chart_services.chart_update(chart, request.user, **_fields(form))
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("Зміни графіка збережено."))
                return _to_charts(resource, f"chart-{chart.public_id}")
    else:
        form = ChartForm(initial=ChartForm.initial_of(chart), columns=columns)
    return _page(request, resource, form, editing=chart, status=400 if form.errors else 200)


@publisher_perm
@require_POST
def chart_delete(request, name: str, rid, cid):
    resource = _resource(request, name, rid)
    chart = chart_selectors.chart_get(resource, cid) if resource is not None else None
    if chart is None:
        return _not_found(request)
    try:
        chart_services.chart_delete(chart, request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Графік «%(t)s» вилучено.") % {"t": chart.title})
    return _to_charts(resource)
