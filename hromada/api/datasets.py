"""Open datasets that modules declare (module.py `datasets`), served the same way for
all: a list at /api/v1/datasets and each as CSV or JSON. The open data portal will
list the same registry."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from hromada.core import opendata
from hromada.core.modules import registry, resolve
from hromada.core.pagination import paginated
from hromada.tenancy.http import HromadaRequest
from hromada.tenancy.selectors import module_enabled

router = Router(tags=["open data"])


class FieldOut(Schema):
    name: str
    description: str


class DatasetOut(Schema):
    module: str
    slug: str
    title: str
    description: str
    fields: list[FieldOut]
    csv_url: str
    json_url: str


def _dataset(request: HromadaRequest, module: str, slug: str):
    found = registry.dataset(module, slug)
    if found is None or not module_enabled(request.hromada, module):
        raise Http404
    return found[1]


@router.get("/datasets", response=list[DatasetOut], summary="Open datasets of this hromada")
@paginated(page_size=100)
def list_datasets(request: HromadaRequest):
    out = []
    for module, dataset in registry.datasets():
        if not module_enabled(request.hromada, module.label):
            continue
        base = f"/api/v1/datasets/{module.label}/{dataset.slug}"
        out.append(
            {
                "module": module.label,
                "slug": dataset.slug,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "fields": [{"name": f.name, "description": str(f.description)} for f in dataset.fields],
                "csv_url": f"{base}.csv",
                "json_url": f"{base}.json",
            }
        )
    return out


@router.get("/datasets/{module}/{slug}.json", summary="One open dataset as JSON")
def dataset_json(request: HromadaRequest, module: str, slug: str):
    dataset = _dataset(request, module, slug)
    return opendata.json_response(resolve(dataset.rows)(hromada=request.hromada), filename=dataset.slug)


@router.get("/datasets/{module}/{slug}.csv", summary="One open dataset as CSV")
def dataset_csv(request: HromadaRequest, module: str, slug: str):
    dataset = _dataset(request, module, slug)
    return opendata.csv_response(
        resolve(dataset.rows)(hromada=request.hromada), filename=dataset.slug, fieldnames=dataset.field_names
    )
