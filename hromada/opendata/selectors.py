"""Reads of the catalogue, always with hromada=: the public search with facets, dataset,
resource, publisher and group pages, and the staff's queues (their publishers' datasets,
drafts, datasets overdue against their update frequency)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.errors import NotFound
from hromada.core.modules import StaffCounter, registry

from . import checklist
from .models import (
    Dataset,
    DatasetSource,
    DatasetState,
    Group,
    OpenDataSettings,
    Publisher,
    PublisherMember,
    Resource,
    ResourceVersion,
)
from .search import SearchResult, dataset_search
from .services._common import can_manage, can_publish_for
from .vocabularies import DEFAULT_LICENCE, FREQUENCIES, LANGUAGES, frequency, licence

# The public page's facets, in the order they are shown.
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
FACET_TITLES = {
    "organization": gettext_lazy("Розпорядник"),
    "groups": gettext_lazy("Тема"),
    "tags": gettext_lazy("Теги"),
    "res_format": gettext_lazy("Формат"),
    "license_id": gettext_lazy("Ліцензія"),
}
SORT_CHOICES = (
    ("", gettext_lazy("Найвідповідніші")),
    ("metadata_modified desc", gettext_lazy("Нещодавно оновлені")),
    ("metadata_created desc", gettext_lazy("Нещодавно оприлюднені")),
    ("title_string asc", gettext_lazy("За назвою (А–Я)")),
)
PER_PAGE = 20
FACET_SHOWN = 10
PAGE_MAX = 500  # deep pages are for the API (rows/start), not for people


@dataclass
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    title: object
    items: list[FacetItem] = field(default_factory=list)


@dataclass
class DatasetPage:
    result: SearchResult
    facets: list[Facet]
    page: int
    pages: int
    selected: dict[str, list[str]]

    @property
    def count(self) -> int:
        return self.result.count

    @property
    def datasets(self) -> list[Dataset]:
        return self.result.datasets


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def facet_fq(selected: dict[str, list[str]]) -> str:
    """CKAN's fq for the ticked facets: values of one facet ORed, facets ANDed."""
    parts = []
    for name in FACET_FIELDS:
        values = [v for v in selected.get(name, ()) if v]
        if values:
            parts.append(f"{name}:(" + " OR ".join(_quote(v) for v in values) + ")")
    return " AND ".join(parts)


def _facet_labels(hromada, name: str, values: Iterable[str]) -> dict[str, str]:
    values = list(values)
    if name == "organization":
        return dict(
            Publisher.objects.for_hromada(hromada).filter(name__in=values).values_list("name", "title")
        )
    if name == "groups":
        return dict(Group.objects.for_hromada(hromada).filter(name__in=values).values_list("name", "title"))
    if name == "license_id":
        return {v: (lic.title if (lic := licence(v)) else v) for v in values}
    return {v: v for v in values}


def dataset_list(
    *, hromada, q: str = "", selected: dict[str, list[str]] | None = None, sort: str = "", page: int = 1
) -> DatasetPage:
    """The public search: published datasets matching `q` and the ticked facets, a page
    of them, and each facet's counts over the whole match (SearchQueryError for a
    query the search cannot read)."""
    selected = {k: [v for v in vs if v][:20] for k, vs in (selected or {}).items() if k in FACET_FIELDS}
    if sort not in dict(SORT_CHOICES):
        sort = ""
    if not sort and not (q or "").strip():
        sort = "metadata_modified desc"
    page = max(1, min(page, PAGE_MAX))
    result = dataset_search(
        hromada=hromada,
        q=q,
        fq=facet_fq(selected),
        sort=sort,
        rows=PER_PAGE,
        start=(page - 1) * PER_PAGE,
        facet_fields=FACET_FIELDS,
    )
    facets = []
    for name in FACET_FIELDS:
        counts = result.facets.get(name, {})
        chosen = selected.get(name, [])
        shown = dict(list(counts.items())[:FACET_SHOWN])
        for value in chosen:  # a ticked value stays visible (count 0 when nothing matches)
            shown.setdefault(value, counts.get(value, 0))
        labels = _facet_labels(hromada, name, shown)
        facets.append(
            Facet(
                name,
                FACET_TITLES[name],
                [FacetItem(v, labels.get(v, v), n, v in chosen) for v, n in shown.items()],
            )
        )
    pages = max(1, -(-result.count // PER_PAGE))
    return DatasetPage(result=result, facets=facets, page=page, pages=min(pages, PAGE_MAX), selected=selected)


# --- a dataset and its resources ------------------------------------------------------------


def dataset_get(*, hromada, name: str, viewer=None) -> Dataset:
    """A published or withdrawn dataset by its address — or by its id, as CKAN answers
    and as the DCAT-AP IRIs name it (the page answers 410 for a withdrawn one); a draft
    only for those who may edit it. NotFound otherwise."""
    found = (
        Dataset.objects.for_hromada(hromada).select_related("publisher").prefetch_related("tags", "groups")
    )
    dataset = found.filter(name=name).first()
    if dataset is None:
        try:
            dataset = found.filter(public_id=uuid.UUID(name)).first()
        except ValueError:
            pass
    if dataset is None:
        raise NotFound("dataset_not_found", _("Такого набору даних немає."))
    if dataset.state == DatasetState.DRAFT and not can_publish_for(viewer, dataset.publisher):
        raise NotFound("dataset_not_found", _("Такого набору даних немає."))
    return dataset


def dataset_resources(dataset: Dataset, *, withdrawn: bool = False) -> list[Resource]:
    """The dataset's resources; the withdrawn ones too with `withdrawn` (the console)."""
    found = Resource.objects.for_hromada(dataset.hromada).filter(dataset=dataset)
    if not withdrawn:
        found = found.filter(withdrawn_at__isnull=True)
    return list(
        found.select_related("current")
        .annotate(version_count=Count("versions"))
        .order_by("position", "created_at")
    )


def resource_get(*, dataset: Dataset, resource_id) -> Resource:
    try:
        rid = uuid.UUID(str(resource_id))
    except ValueError:
        raise NotFound("resource_not_found", _("Такого ресурсу немає.")) from None
    resource = (
        Resource.objects.for_hromada(dataset.hromada)
        .filter(dataset=dataset, public_id=rid)
        .select_related("current", "dataset__publisher")
        .first()
    )
    if resource is None:
        raise NotFound("resource_not_found", _("Такого ресурсу немає."))
    return resource


def resource_versions(resource: Resource) -> list[ResourceVersion]:
    return list(
        ResourceVersion.objects.for_hromada(resource.hromada)
        .filter(resource=resource)
        .select_related("uploaded_by")
        .order_by("-number")
    )


def version_get(*, resource: Resource, number: int) -> ResourceVersion:
    version = (
        ResourceVersion.objects.for_hromada(resource.hromada).filter(resource=resource, number=number).first()
    )
    if version is None:
        raise NotFound("version_not_found", _("Такої версії немає."))
    return version


PREVIEW_ROWS = 20


def resource_preview(resource: Resource):
    """The table preview of a resource loaded into the DataStore: its first rows, as
    lists in the columns' order (templates cannot index dicts), or None when it has no
    loaded table."""
    if not resource.datastore_active:
        return None
    from .datastore import table_rows

    data = table_rows(resource, PREVIEW_ROWS)
    if data is None:
        return None
    fields = [f for f in data["fields"] if f["id"] != "_id"]
    rows = [[record.get(f["id"]) for f in fields] for record in data["records"]]
    return {"fields": fields, "rows": rows, "total": data["total"]}


def last_update(dataset: Dataset) -> dt.datetime | None:
    """When the dataset's data last changed: its newest resource file or link."""
    newest = Resource.objects.filter(dataset=dataset, withdrawn_at__isnull=True).aggregate(
        m=Max("last_modified")
    )["m"]
    return newest or dataset.published_at


def dataset_facts(dataset: Dataset) -> dict:
    """What the dataset page's metadata table shows, in people's words."""
    lic = licence(dataset.license_id)
    freq = frequency(dataset.frequency)
    language = LANGUAGES.get(dataset.language)
    return {
        "licence": lic,
        "licence_title": lic.title if lic else dataset.license_id,
        "frequency": freq.label if freq else dataset.frequency,
        "language": language[0] if language else dataset.language,
        "last_update": last_update(dataset),
        "due": due_date(dataset),
    }


def platform_origin(dataset: Dataset) -> dict | None:
    """For a dataset the platform publishes itself (services.platform): its module, a
    link to the module's pages, and when its files were last regenerated."""
    if dataset.source != DatasetSource.PLATFORM:
        return None
    module = registry.get(dataset.module_label)
    url = ""
    if module is not None and module.urls:
        url = f"/{module.url_prefix}/"
    return {
        "module_name": module.name if module is not None else dataset.module_label,
        "module_url": url,
        "regenerated_at": Resource.objects.filter(dataset=dataset, url="").aggregate(m=Max("last_modified"))[
            "m"
        ],
    }


def due_date(dataset: Dataset) -> dt.datetime | None:
    """When the next update falls due by the dataset's frequency (None: no term)."""
    freq = frequency(dataset.frequency)
    if freq is None or freq.period is None or dataset.state != DatasetState.PUBLISHED:
        return None
    updated = last_update(dataset)
    return updated + freq.period if updated else None


# --- publishers and groups ------------------------------------------------------------------


def _published_count() -> Count:
    return Count("datasets", filter=Q(datasets__state=DatasetState.PUBLISHED), distinct=True)


def publisher_list(*, hromada) -> QuerySet[Publisher]:
    return (
        Publisher.objects.for_hromada(hromada)
        .filter(active=True)
        .annotate(dataset_count=_published_count())
        .order_by("title")
    )


def publisher_get(*, hromada, name: str) -> Publisher:
    found = Publisher.objects.for_hromada(hromada).filter(name=name).first()
    if found is None:
        raise NotFound("publisher_not_found", _("Такого розпорядника немає."))
    return found


def group_list(*, hromada) -> QuerySet[Group]:
    return Group.objects.for_hromada(hromada).annotate(dataset_count=_published_count()).order_by("title")


def group_get(*, hromada, name: str) -> Group:
    found = Group.objects.for_hromada(hromada).filter(name=name).first()
    if found is None:
        raise NotFound("group_not_found", _("Такої теми немає."))
    return found


def home_summary(*, hromada) -> dict:
    """The home page's block: how many datasets, the newest updates."""
    found = dataset_search(hromada=hromada, sort="metadata_modified desc", rows=3)
    return {"opendata_count": found.count, "opendata_latest": found.datasets}


# --- the staff's queues ---------------------------------------------------------------------


def default_license(hromada) -> str:
    """The hromada's default licence; CC BY 4.0 while its settings row does not exist."""
    chosen = (
        OpenDataSettings.objects.filter(hromada=hromada).values_list("default_license", flat=True).first()
    )
    return chosen or DEFAULT_LICENCE


def my_publishers(*, hromada, user) -> QuerySet[Publisher]:
    """The publishers `user` may publish for: all of them for opendata.manage."""
    base = Publisher.objects.for_hromada(hromada).filter(active=True)
    if can_manage(user, hromada):
        return base.order_by("title")
    ids = PublisherMember.objects.for_hromada(hromada).filter(user=user).values("publisher_id")
    return base.filter(pk__in=ids).order_by("title")


def staff_datasets(*, hromada, user, state: str = "") -> QuerySet[Dataset]:
    found = (
        Dataset.objects.for_hromada(hromada)
        .filter(publisher__in=my_publishers(hromada=hromada, user=user))
        .select_related("publisher")
        .annotate(resource_count=Count("resources"), data_modified=Max("resources__last_modified"))
        .order_by("-metadata_modified")
    )
    if state:
        found = found.filter(state=state)
    return found


@dataclass
class Stale:
    dataset: Dataset
    updated: dt.datetime | None
    due: dt.datetime


def stale_datasets(*, hromada, user, now: dt.datetime | None = None) -> list[Stale]:
    """Published datasets of `user`'s publishers whose update is overdue against their
    frequency (the time since their data's last change exceeds its period), most
    overdue first."""
    now = now or timezone.now()
    periods = {f.value: f.period for f in FREQUENCIES if f.period is not None}
    out = []
    rows = staff_datasets(hromada=hromada, user=user, state=DatasetState.PUBLISHED).filter(
        frequency__in=list(periods)
    )
    for dataset in rows:
        updated = getattr(dataset, "data_modified", None) or dataset.published_at
        if updated is None:
            continue
        due = updated + periods[dataset.frequency]
        if due < now:
            out.append(Stale(dataset, updated, due))
    return sorted(out, key=lambda s: s.due)


def _url(url_name: str, **kwargs) -> str:
    try:
        return reverse(url_name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def staff_summary(*, hromada, user) -> list[StaffCounter]:
    """Drafts and overdue updates of the user's publishers; for the open data
    administrator, the Resolution 835 datasets whose update is overdue too."""
    counters = _checklist_counters(hromada=hromada, user=user)
    if not my_publishers(hromada=hromada, user=user).exists():
        return counters
    drafts = staff_datasets(hromada=hromada, user=user, state=DatasetState.DRAFT)
    stale = stale_datasets(hromada=hromada, user=user)
    base = _url("staff_opendata:index")
    return [
        StaffCounter(
            _("Чернетки наборів даних"),
            drafts.count(),
            base + "?state=draft" if base else "",
            items=tuple((d.title[:80], _url("staff_opendata:dataset", name=d.name)) for d in drafts[:5]),
        ),
        StaffCounter(
            _("Набори даних, які пора оновити"),
            len(stale),
            base + "#stale" if base else "",
            overdue=True,
            items=tuple(
                (s.dataset.title[:80], _url("staff_opendata:dataset", name=s.dataset.name)) for s in stale[:5]
            ),
        ),
        *counters,
    ]


def _checklist_counters(*, hromada, user) -> list[StaffCounter]:
    if not can_manage(user, hromada):
        return []
    overdue = [r for r in checklist.checklist(hromada) if r.status == checklist.Status.OVERDUE]
    base = _url("staff_opendata:checklist")
    return [
        StaffCounter(
            _("Набори з переліку Постанови № 835, які пора оновити"),
            len(overdue),
            base + "?status=overdue" if base else "",
            overdue=True,
            items=tuple(
                (r.dataset.title[:80], _url("staff_opendata:dataset", name=r.dataset.name))
                for r in overdue[:5]
                if r.dataset is not None
            ),
        )
    ]
