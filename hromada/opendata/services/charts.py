"""Charts a publisher configures over a resource's DataStore table (ADR 0009 decision
10): create, change, delete, each checked against the columns of the table the
resource publishes now, in one transaction with its ledger entry.

As with the catalogue's other writes, a draft dataset's charts change unrecorded; once
the dataset is public every change is in the ledger (opendata.chart_saved)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.ledger.services import ledger_append

from ..datastore.infer import INT, NUMERIC
from ..datastore.query import current_table
from ..models import Aggregate, Chart, ChartKind, DatasetState, Resource
from ._common import clean_title, require_publisher

LIMIT_MIN, LIMIT_MAX = 2, 50
CHARTS_MAX = 20  # per resource: a page of charts, not a dashboard builder
NUMERIC_TYPES = frozenset({INT, NUMERIC})
FIELDS = frozenset({"kind", "title", "x", "y", "aggregate", "limit", "position"})


def table_columns(resource: Resource) -> list[dict] | None:
    """The columns of the table the resource publishes now ({"id", "type", "label"}),
    or None when it has no loaded table."""
    table = current_table(resource) if resource.datastore_active else None
    if table is None:
        return None
    return [{"id": c["id"], "type": c["type"], "label": c.get("source") or c["id"]} for c in table.columns]


def _clean(resource: Resource, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - FIELDS
    if unknown:
        raise DomainError(
            "chart_field_unknown", _("Невідоме поле графіка: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    columns = table_columns(resource)
    if columns is None:
        raise DomainError(
            "chart_no_table",
            _("Графік можна побудувати лише за таблицею, завантаженою до сховища даних (CSV чи XLSX)."),
            status=409,
        )
    by_id = {c["id"]: c for c in columns}
    kind = str(data.get("kind") or ChartKind.BAR)
    if kind not in ChartKind.values:
        raise DomainError(
            "chart_kind_invalid", _("Невідомий вид графіка «%(k)s».") % {"k": kind[:20]}, field="kind"
        )
    aggregate = str(data.get("aggregate") or Aggregate.COUNT)
    if aggregate not in Aggregate.values:
        raise DomainError(
            "chart_aggregate_invalid",
            _("Невідомий спосіб підсумку «%(a)s».") % {"a": aggregate[:20]},
            field="aggregate",
        )
    x = str(data.get("x") or "").strip()
    if not x:
        raise DomainError("chart_x_required", _("Виберіть стовпець категорій (вісь X)."), field="x")
    if x not in by_id:
        raise DomainError(
            "chart_x_unknown", _("У таблиці немає стовпця «%(c)s».") % {"c": x[:100]}, field="x"
        )
    y = str(data.get("y") or "").strip()
    if aggregate == Aggregate.COUNT:
        y = ""  # counting rows needs no value column
    else:
        if not y:
            raise DomainError(
                "chart_y_required",
                _("Для суми чи середнього виберіть стовпець значень (вісь Y)."),
                field="y",
            )
        if y not in by_id:
            raise DomainError(
                "chart_y_unknown", _("У таблиці немає стовпця «%(c)s».") % {"c": y[:100]}, field="y"
            )
        if by_id[y]["type"] not in NUMERIC_TYPES:
            raise DomainError(
                "chart_y_not_numeric",
                _("Стовпець «%(c)s» не числовий: суму чи середнє можна рахувати лише за числами.")
                % {"c": by_id[y]["label"]},
                field="y",
            )
    if kind == ChartKind.PIE and aggregate == Aggregate.MEAN:
        raise DomainError(
            "chart_pie_mean",
            _("Кругова діаграма показує частки цілого: виберіть кількість чи суму, а не середнє."),
            field="aggregate",
        )
    try:
        limit = int(data.get("limit") or 12)
    except (TypeError, ValueError):
        raise DomainError(
            "chart_limit_invalid", _("Кількість категорій має бути числом."), field="limit"
        ) from None
    if not LIMIT_MIN <= limit <= LIMIT_MAX:
        raise DomainError(
            "chart_limit_invalid",
            _("Кількість категорій — від %(a)d до %(b)d.") % {"a": LIMIT_MIN, "b": LIMIT_MAX},
            field="limit",
        )
    out = {
        "kind": kind,
        "title": clean_title(data.get("title")),
        "x": x,
        "y": y,
        "aggregate": aggregate,
        "limit": limit,
    }
    if data.get("position") not in (None, ""):
        try:
            out["position"] = max(0, min(int(data["position"]), 32000))
        except (TypeError, ValueError):
            raise DomainError(
                "chart_position_invalid", _("Порядок має бути числом."), field="position"
            ) from None
    return out


def _record(chart: Chart, actor, action: str) -> None:
    dataset = chart.resource.dataset
    if dataset.state == DatasetState.DRAFT:
        return
    ledger_append(
        hromada=chart.hromada,
        kind="opendata.chart_saved",
        payload={
            "dataset": str(dataset.public_id),
            "name": dataset.name,
            "resource": str(chart.resource.public_id),
            "chart": str(chart.public_id),
            "action": action,
            "chart_kind": chart.kind,
            "title": chart.title,
            "x": chart.x,
            "y": chart.y,
            "aggregate": chart.aggregate,
            "limit": chart.limit,
        },
    )


def chart_preview(resource: Resource, actor, **data) -> Chart:
    """An unsaved chart checked as chart_create checks it: the console draws it before
    the publisher saves it."""
    require_publisher(actor, resource.dataset.publisher)
    fields = _clean(resource, data)
    return Chart(hromada_id=resource.hromada_id, resource=resource, **fields)


def chart_create(resource: Resource, actor, **data) -> Chart:
    require_publisher(actor, resource.dataset.publisher)
    fields = _clean(resource, data)
    with transaction.atomic():
        # Lock the resource so two editors adding charts at once count and order them right.
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
        existing = Chart.objects.filter(hromada_id=resource.hromada_id, resource=resource)
        if existing.count() >= CHARTS_MAX:
            raise DomainError(
                "chart_too_many", _("У ресурсу може бути до %(n)d графіків.") % {"n": CHARTS_MAX}, status=409
            )
        if "position" not in fields:
            fields["position"] = (existing.aggregate(m=Max("position"))["m"] or 0) + 1
        chart = Chart.objects.create(hromada_id=resource.hromada_id, resource=resource, **fields)
        _record(chart, actor, "created")
    return chart


def chart_update(chart: Chart, actor, **data) -> Chart:
    resource = chart.resource
    require_publisher(actor, resource.dataset.publisher)
    current = {f: getattr(chart, f) for f in FIELDS}
    fields = _clean(resource, {**current, **data})
    with transaction.atomic():
        changed = [f for f, v in fields.items() if getattr(chart, f) != v]
        if not changed:
            return chart
        for name in changed:
            setattr(chart, name, fields[name])
        chart.save(update_fields=[*changed, "updated_at"])
        _record(chart, actor, "updated")
    return chart


def chart_delete(chart: Chart, actor) -> None:
    resource = chart.resource
    require_publisher(actor, resource.dataset.publisher)
    with transaction.atomic():
        _record(chart, actor, "deleted")
        chart.delete()
