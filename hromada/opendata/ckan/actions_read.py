"""CKAN's read actions over the catalogue (published datasets only; a withdrawn one is
shown by package_show with `state: deleted`, as CKAN shows a deleted package; a draft
is not found except by a member of its publisher with a token). Each docstring is the
action's help_show text."""

from __future__ import annotations

import importlib
import inspect
import json
import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet, prefetch_related_objects

from .. import search
from ..models import Dataset, DatasetState, Group, Publisher, Resource, Tag
from ..vocabularies import LICENCES
from . import dicts
from .dispatch import ACTIONS, Context, NotAuthorized, NotFound, ValidationError, action
from .dispatch import SearchQueryError as CkanSearchQueryError

CKAN_VERSION = "2.10.4"  # the CKAN whose API this one answers as
LIST_LIMIT_MAX = 1000

# --- parameters ---------------------------------------------------------------------------


def _str(data: dict, key: str, default: str = "") -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, list):
        value = value[0] if value else default
    if not isinstance(value, str | int | float):
        raise ValidationError({key: ["Must be a string"]})
    return str(value)


def _int(data: dict, key: str, default: int, *, maximum: int | None = None) -> int:
    value = data.get(key)
    if value in (None, ""):
        return default
    if isinstance(value, bool):
        raise ValidationError({key: ["Invalid integer"]})
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError({key: ["Invalid integer"]}) from None
    if number < 0:
        raise ValidationError({key: ["Must be a natural number"]})
    # CKAN caps silently (limit_to_configured_maximum), it does not refuse.
    return min(number, maximum) if maximum is not None else number


def _bool(data: dict, key: str, default: bool = False) -> bool:
    value = data.get(key)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on", "t", "y"):
        return True
    if text in ("false", "0", "no", "off", "f", "n"):
        return False
    raise ValidationError({key: [f"Value must be one of ['true', 'false'], got {str(value)[:50]!r}"]})


def _json_list(data: dict, key: str) -> list[str]:
    """A list given as a list, a JSON list string (CKAN's `facet.field`), or one name."""
    value = data.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                raise ValidationError({key: ["Could not parse as valid JSON"]}) from None
        else:
            value = [text]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({key: ["Must be a list of strings"]})
    return value


def _required(data: dict, *keys: str) -> str:
    for key in keys:
        value = _str(data, key).strip()
        if value:
            return value
    raise ValidationError({keys[0]: ["Missing value"]})


# --- lookups ------------------------------------------------------------------------------


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except (ValueError, AttributeError):
        return None


def _by_id_or_name(qs: QuerySet, value: str):
    key = _uuid(value)
    row = qs.filter(public_id=key).first() if key else None
    return row or qs.filter(name=value).first()


def may_edit(user, dataset: Dataset) -> bool:
    """A member of the dataset's publisher holding opendata.publish, or opendata.manage."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    from hromada.accounts.rules import has_perm

    if has_perm(user, dataset.hromada, "opendata.manage"):
        return True
    return (
        has_perm(user, dataset.hromada, "opendata.publish")
        and dataset.publisher.memberships.filter(user=user).exists()
    )


def _dataset_for(context: Context, value: str) -> Dataset:
    qs = Dataset.objects.for_hromada(context.hromada).select_related("publisher", "hromada")
    dataset = _by_id_or_name(qs, value)
    if dataset is None:
        raise NotFound("Dataset not found")
    if dataset.state == DatasetState.DRAFT and not may_edit(context.user or _token_user(context), dataset):
        raise NotFound("Dataset not found")
    return dataset


def _token_user(context: Context):
    """A read action looks at a token only to show drafts to their publisher."""
    from .dispatch import authenticated_user

    try:
        context.user = authenticated_user(context.request)
    except NotAuthorized:  # an invalid token on a read is the anonymous visitor, as in CKAN
        context.user = None
    return context.user


def _with_resources(datasets: list[Dataset]) -> list[Dataset]:
    prefetch_related_objects(datasets, "tags", "groups", "resources__current")
    return datasets


def _published(context: Context) -> QuerySet[Dataset]:
    return search.published(hromada=context.hromada)


# --- site ---------------------------------------------------------------------------------


@action(side_effect_free=True)
def status_show(context: Context, data: dict) -> dict:
    """Return the site's status: the CKAN version it answers as, its URL and title, and
    the extensions it offers (datastore).

    :rtype: dictionary
    """
    return {
        "site_title": str(getattr(context.hromada, "name", "")),
        "site_description": "",
        "site_url": context.base_url,
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "uk",
        "extensions": ["datastore"],
    }


@action(side_effect_free=True)
def site_read(context: Context, data: dict) -> bool:
    """Return ``True``: the site may be read.

    :rtype: bool
    """
    return True


@action(side_effect_free=True)
def help_show(context: Context, data: dict) -> str:
    """Return the help string of an action.

    :param name: the action's name (e.g. ``'package_create'``)
    :type name: string
    :rtype: string
    """
    name = _required(data, "name")
    found = ACTIONS.get(name)
    if found is None:
        raise NotFound(f"Action function not found: {name[:100]}")
    return inspect.getdoc(found.function) or ""


@action(side_effect_free=True)
def license_list(context: Context, data: dict) -> list[dict]:
    """Return the licences a dataset may have.

    :rtype: list of dictionaries
    """
    return [
        {
            "id": lic.id,
            "title": lic.title,
            "url": lic.url,
            "od_conformance": lic.od_conformance,
            "osd_conformance": "not reviewed",
            "domain_content": False,
            "domain_data": lic.domain_data,
            "domain_software": False,
            "family": "",
            "maintainer": "",
            "status": "active",
            "is_generic": lic.id in ("other-open", "notspecified"),
            "is_okd_compliant": lic.od_conformance == "approved",
            "is_osi_compliant": False,
        }
        for lic in LICENCES
    ]


# --- packages -----------------------------------------------------------------------------


@action(side_effect_free=True)
def package_list(context: Context, data: dict) -> list[str]:
    """Return the names of the site's published datasets, in name order.

    :param limit: how many names at most (optional)
    :type limit: int
    :param offset: where the list starts, with limit (optional)
    :type offset: int
    :rtype: list of strings
    """
    limit = _int(data, "limit", -1) if "limit" in data else None
    offset = _int(data, "offset", 0)
    names = _published(context).order_by("name").values_list("name", flat=True)
    return list(names[offset : offset + limit] if limit is not None else names[offset:])


@action(side_effect_free=True)
def package_show(context: Context, data: dict) -> dict:
    """Return the metadata of a dataset and its resources.

    :param id: the id or name of the dataset
    :type id: string
    :rtype: dictionary
    """
    dataset = _dataset_for(context, _required(data, "id", "name_or_id"))
    _with_resources([dataset])
    return dicts.package_dict(dataset, context.base_url)


@action(side_effect_free=True)
def package_search(context: Context, data: dict) -> dict:
    """Search the published datasets.

    :param q: the query, free text or Solr syntax over the fields below (optional)
    :type q: string
    :param fq: a filter query in Solr syntax: ``tags:``, ``organization:``,
        ``groups:``, ``res_format:``, ``license_id:``, ``name:``, ``id:``,
        ``update_frequency:``, ``metadata_modified:[2024-01-01T00:00:00Z TO *]`` … (optional)
    :type fq: string
    :param sort: e.g. ``'metadata_modified desc'``, ``'name asc'``, ``'title_string asc'``
        (optional, default ``'score desc, metadata_modified desc'``)
    :type sort: string
    :param rows: how many datasets (optional, default 10, at most 1000)
    :type rows: int
    :param start: the offset of the first dataset (optional)
    :type start: int
    :param facet.field: the fields to count values of, a JSON list (optional):
        organization, groups, tags, res_format, license_id, update_frequency
    :type facet.field: list of strings
    :param facet.limit: how many values of each facet (optional, default 50, -1 all)
    :type facet.limit: int
    :rtype: dictionary with ``count``, ``results``, ``facets``, ``search_facets``, ``sort``
    """
    rows = _int(data, "rows", 10, maximum=search.ROWS_MAX)
    start = _int(data, "start", 0)
    facet_fields = _json_list(data, "facet.field")
    raw_limit = data.get("facet.limit", search.FACET_LIMIT)
    try:
        facet_limit = int(raw_limit)
    except (TypeError, ValueError):
        raise ValidationError({"facet.limit": ["Invalid integer"]}) from None
    facet_mincount = _int(data, "facet.mincount", 1)
    fq = _str(data, "fq")
    fq_list = data.get("fq_list")
    if isinstance(fq_list, list):
        fq = " AND ".join(f"({part})" for part in [fq, *map(str, fq_list)] if part.strip())
    sort = _str(data, "sort")
    if sort in ("rank",):
        sort = ""
    try:
        found = search.dataset_search(
            hromada=context.hromada,
            q=_str(data, "q"),
            fq=fq,
            sort=sort,
            rows=rows,
            start=start,
            facet_fields=facet_fields,
            facet_limit=facet_limit,
        )
    except search.SearchQueryError as exc:
        raise CkanSearchQueryError(str(exc.message)) from None
    datasets = _with_resources(found.datasets)
    facets = {
        name: {value: count for value, count in counts.items() if count >= facet_mincount}
        for name, counts in found.facets.items()
    }
    return {
        "count": found.count,
        "results": [dicts.package_dict(d, context.base_url) for d in datasets],
        "facets": facets,
        "search_facets": _search_facets(context, facets),
        "sort": found.sort,
    }


def _search_facets(context: Context, facets: dict[str, dict[str, int]]) -> dict[str, Any]:
    """CKAN's `search_facets`: each facet's items with display names (titles of
    organizations and groups, licence titles)."""
    titles: dict[str, dict[str, str]] = {}
    if facets.get("organization"):
        titles["organization"] = dict(
            Publisher.objects.for_hromada(context.hromada)
            .filter(name__in=list(facets["organization"]))
            .values_list("name", "title")
        )
    if facets.get("groups"):
        titles["groups"] = dict(
            Group.objects.for_hromada(context.hromada)
            .filter(name__in=list(facets["groups"]))
            .values_list("name", "title")
        )
    titles["license_id"] = {lic.id: lic.title for lic in LICENCES}
    out: dict[str, Any] = {}
    for name, counts in facets.items():
        names = titles.get(name, {})
        out[name] = {
            "title": name,
            "items": [
                {"name": value, "display_name": (names.get(value) or value), "count": count}
                for value, count in counts.items()
            ],
        }
    return out


@action(side_effect_free=True)
def resource_show(context: Context, data: dict) -> dict:
    """Return the metadata of a resource.

    :param id: the id of the resource
    :type id: string
    :rtype: dictionary
    """
    key = _uuid(_required(data, "id"))
    resource = (
        Resource.objects.for_hromada(context.hromada)
        .filter(public_id=key, withdrawn_at__isnull=True)
        .select_related("dataset", "dataset__publisher", "dataset__hromada", "current")
        .first()
        if key
        else None
    )
    if resource is None:
        raise NotFound("Resource was not found.")
    dataset = resource.dataset
    if dataset.state == DatasetState.DRAFT and not may_edit(context.user or _token_user(context), dataset):
        raise NotFound("Resource was not found.")
    return dicts.resource_dict(resource, context.base_url, dataset=dataset)


# --- organizations and groups -------------------------------------------------------------

_LIST_SORTS = {
    "name": ["name"],
    "name asc": ["name"],
    "name desc": ["-name"],
    "title": ["title", "name"],
    "title asc": ["title", "name"],
    "title desc": ["-title", "-name"],
    "package_count": ["-package_count", "name"],
    "package_count desc": ["-package_count", "name"],
    "package_count asc": ["package_count", "name"],
}


def _counted(qs: QuerySet, relation: str) -> QuerySet:
    return qs.annotate(
        package_count=Count(
            relation, filter=Q(**{f"{relation}__state": DatasetState.PUBLISHED}), distinct=True
        )
    )


def _list_of(context: Context, data: dict, qs: QuerySet, relation: str, kind: str) -> list:
    sort = " ".join(_str(data, "sort", "title asc").lower().split())
    if sort not in _LIST_SORTS:
        raise ValidationError({"sort": [f"Cannot sort by field `{sort[:50]}`"]})
    names = _json_list(data, "organizations" if kind == "organization" else "groups")
    if names:
        qs = qs.filter(name__in=names)
    qs = _counted(qs, relation).order_by(*_LIST_SORTS[sort])
    offset = _int(data, "offset", 0)
    limit = _int(data, "limit", LIST_LIMIT_MAX, maximum=LIST_LIMIT_MAX)
    rows = list(qs[offset : offset + limit])
    if not _bool(data, "all_fields"):
        return [row.name for row in rows]
    with_count = _bool(data, "include_dataset_count", True)
    if kind == "organization":
        return [
            dicts.organization_dict(p, package_count=p.package_count if with_count else None) for p in rows
        ]
    return [
        dicts.group_dict(g, package_count=g.package_count if with_count else None, full=True) for g in rows
    ]


def _show(context: Context, data: dict, datasets: QuerySet[Dataset], out: dict) -> dict:
    published = datasets.filter(state=DatasetState.PUBLISHED)
    out["package_count"] = published.count()
    out.update({"users": [], "extras": [], "tags": [], "groups": [], "num_followers": 0})
    if _bool(data, "include_datasets"):
        # CKAN gives the first page of the datasets (ckan.search.default_package_limit).
        limit = _int(data, "limit", 10, maximum=search.ROWS_MAX)
        page = _with_resources(
            list(published.select_related("publisher").order_by("-metadata_modified", "-id")[:limit])
        )
        out["packages"] = [dicts.package_dict(d, context.base_url) for d in page]
    return out


@action(side_effect_free=True)
def organization_list(context: Context, data: dict) -> list:
    """Return the publishers (organizations): their names, or with ``all_fields`` their
    dictionaries with ``package_count``.

    :param all_fields: dictionaries instead of names (optional, default False)
    :type all_fields: bool
    :param sort: ``'title asc'`` (default), ``'name'``, ``'package_count'`` (optional)
    :type sort: string
    :param limit: at most (optional, 1000)
    :type limit: int
    :param offset: (optional)
    :type offset: int
    :param organizations: only these names, a JSON list (optional)
    :type organizations: list of strings
    :rtype: list of strings or dictionaries
    """
    qs = Publisher.objects.for_hromada(context.hromada).filter(active=True)
    return _list_of(context, data, qs, "datasets", "organization")


@action(side_effect_free=True)
def organization_show(context: Context, data: dict) -> dict:
    """Return a publisher (organization).

    :param id: its id or name
    :type id: string
    :param include_datasets: with its first datasets (optional, default False)
    :type include_datasets: bool
    :rtype: dictionary
    """
    value = _required(data, "id")
    publisher = _by_id_or_name(Publisher.objects.for_hromada(context.hromada), value)
    if publisher is None:
        raise NotFound("Organization was not found.")
    return _show(context, data, publisher.datasets.all(), dicts.organization_dict(publisher))


@action(side_effect_free=True)
def group_list(context: Context, data: dict) -> list:
    """Return the groups (themes): their names, or with ``all_fields`` their
    dictionaries with ``package_count``.

    :param all_fields: dictionaries instead of names (optional, default False)
    :type all_fields: bool
    :param sort: ``'title asc'`` (default), ``'name'``, ``'package_count'`` (optional)
    :type sort: string
    :param groups: only these names, a JSON list (optional)
    :type groups: list of strings
    :rtype: list of strings or dictionaries
    """
    qs = Group.objects.for_hromada(context.hromada)
    return _list_of(context, data, qs, "datasets", "group")


@action(side_effect_free=True)
def group_show(context: Context, data: dict) -> dict:
    """Return a group (theme).

    :param id: its id or name
    :type id: string
    :param include_datasets: with its first datasets (optional, default False)
    :type include_datasets: bool
    :rtype: dictionary
    """
    value = _required(data, "id")
    group = _by_id_or_name(Group.objects.for_hromada(context.hromada), value)
    if group is None:
        raise NotFound("Group was not found.")
    return _show(context, data, group.datasets.all(), dicts.group_dict(group, full=True))


@action(side_effect_free=True)
def tag_list(context: Context, data: dict) -> list:
    """Return the tags of published datasets: names, or with ``all_fields`` dictionaries.

    :param query: only tags containing this (optional)
    :type query: string
    :param all_fields: dictionaries instead of names (optional, default False)
    :type all_fields: bool
    :rtype: list of strings or dictionaries
    """
    qs = Tag.objects.for_hromada(context.hromada).filter(datasets__state=DatasetState.PUBLISHED).distinct()
    query = _str(data, "query") or _str(data, "q")
    if query:
        qs = qs.filter(name__icontains=query)
    tags = list(qs.order_by("name")[: _int(data, "limit", 10_000, maximum=10_000)])
    if _bool(data, "all_fields"):
        return [dicts.tag_dict(t) for t in tags]
    return [t.name for t in tags]


# --- the DataStore (hromada.opendata.datastore, imported when asked) ----------------------


def _datastore():
    # The DataStore helper's package (hromada.opendata.datastore), imported on use.
    try:
        return importlib.import_module("hromada.opendata.datastore")
    except ImportError:
        raise NotFound("the DataStore is not available") from None


def _json_value(data: dict, key: str):
    value = data.get(key)
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            raise ValidationError({key: ["Could not parse as valid JSON"]}) from None
    return value


@action(side_effect_free=True)
def datastore_search(context: Context, data: dict) -> dict:
    """Search a DataStore table (a tabular resource's rows).

    :param resource_id: the resource's id
    :type resource_id: string
    :param filters: exact matches, e.g. ``{"district": "Центральний"}`` (optional)
    :type filters: dictionary
    :param q: full-text search, a string or a dictionary of column to text (optional)
    :type q: string or dictionary
    :param fields: the columns to return, a list or comma-separated (optional)
    :type fields: list or string
    :param sort: e.g. ``'amount desc, name'`` (optional)
    :type sort: string
    :param limit: rows (optional, default 100, at most 32000)
    :type limit: int
    :param offset: (optional)
    :type offset: int
    :param include_total: count the matches (optional, default True)
    :type include_total: bool
    :param distinct: distinct rows only (optional, default False)
    :type distinct: bool
    :rtype: dictionary with ``fields``, ``records``, ``total``, ``limit``, ``offset``, ``_links``
    """
    resource_id = _required(data, "resource_id", "id")
    filters = _json_value(data, "filters")
    if filters is not None and not isinstance(filters, dict):
        raise ValidationError({"filters": ["Not a json object"]})
    q = _json_value(data, "q")
    fields = _json_value(data, "fields")
    if isinstance(fields, str):
        fields = [f.strip() for f in fields.split(",") if f.strip()]
    return _datastore().datastore_search(
        context.hromada,
        resource_id,
        filters=filters,
        q=q or None,
        fields=fields or None,
        sort=_str(data, "sort") or None,
        limit=_int(data, "limit", 100, maximum=32_000),
        offset=_int(data, "offset", 0),
        include_total=_bool(data, "include_total", True),
        distinct=_bool(data, "distinct", False),
    )


@action(side_effect_free=True)
def datastore_search_sql(context: Context, data: dict) -> dict:
    """Run a read-only SQL SELECT over DataStore tables, named by their resource ids
    (``SELECT * FROM "<resource id>" WHERE …``); at most 32000 rows.

    :param sql: a single SELECT statement
    :type sql: string
    :rtype: dictionary with ``fields``, ``records``, ``sql``
    """
    return _datastore().datastore_search_sql(context.hromada, _required(data, "sql"))
