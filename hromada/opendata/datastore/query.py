"""datastore_search: CKAN's query of one resource's table (filters, q, fields, sort,
limit/offset, include_total, distinct), and table_rows for the previews."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError

from ..models import DatasetState, DatastoreTable, LoadState, Resource
from . import backend
from .infer import INT, TEXT, Unfit, convert

LIMIT_DEFAULT = 100
LIMIT_MAX = 32_000  # CKAN's ckan.datastore.search.rows_max


def not_found(resource_id: Any) -> DomainError:
    return DomainError(
        "datastore_not_found",
        _("Ресурс «%(id)s» не знайдено у сховищі даних.") % {"id": str(resource_id)[:100]},
        field="resource_id",
        status=404,
    )


def invalid(message: str, field: str) -> DomainError:
    return DomainError("datastore_validation", message, field=field, status=409)


def published_table(hromada, resource_id: Any) -> tuple[Resource, DatastoreTable]:
    """The table a published resource's datastore_search answers from (the last loaded
    version's): DomainError datastore_not_found for anything else, drafts included."""
    try:
        public_id = uuid.UUID(str(resource_id))
    except (ValueError, TypeError, AttributeError):
        raise not_found(resource_id) from None
    resource = (
        Resource.objects.for_hromada(hromada)
        .filter(
            public_id=public_id,
            dataset__state=DatasetState.PUBLISHED,
            datastore_active=True,
            withdrawn_at__isnull=True,
        )
        .first()
    )
    table = current_table(resource) if resource is not None else None
    if resource is None or table is None:
        raise not_found(resource_id)
    return resource, table


def current_table(resource: Resource) -> DatastoreTable | None:
    return (
        DatastoreTable.objects.filter(
            hromada_id=resource.hromada_id, version__resource=resource, state=LoadState.DONE
        )
        .order_by("-version__number")
        .first()
    )


def field_list(table: DatastoreTable) -> list[dict]:
    """CKAN's `fields`: _id first, then each column with its type and the header as
    written in the file (`info.label`)."""
    return [{"id": "_id", "type": INT}] + [
        {"id": c["id"], "type": c["type"], "info": {"label": c.get("source") or c["id"]}}
        for c in table.columns
    ]


def _types(table: DatastoreTable) -> dict[str, str]:
    return {"_id": INT} | {c["id"]: c["type"] for c in table.columns}


def _names(value: Any, types: dict[str, str], param: str) -> list[str]:
    if isinstance(value, str):
        items = [v.strip().strip('"') for v in value.split(",") if v.strip()]
    elif isinstance(value, list | tuple):
        items = [str(v).strip() for v in value]
    else:
        raise invalid(_("Параметр «%(p)s» має бути списком назв стовпців.") % {"p": param}, param)
    for name in items:
        if name not in types:
            raise invalid(_("У таблиці немає стовпця «%(name)s».") % {"name": name[:100]}, param)
    return items


_SORT_PART = re.compile(r'\s*(?:"([^"]+)"|([^\s"]+))(?:\s+(asc|desc))?\s*', re.IGNORECASE)


def parse_sort(sort: Any, types: dict[str, str]) -> list[tuple[str, str]]:
    parts = sort if isinstance(sort, list | tuple) else str(sort).split(",")
    out = []
    for part in parts:
        if not str(part).strip():
            continue
        m = _SORT_PART.fullmatch(str(part))
        if not m:
            raise invalid(_("Не вдалося прочитати сортування «%(s)s».") % {"s": str(part)[:100]}, "sort")
        name = m[1] or m[2]
        if name not in types:
            raise invalid(_("У таблиці немає стовпця «%(name)s».") % {"name": name[:100]}, "sort")
        out.append((name, (m[3] or "asc").upper()))
    return out


def _value(value: Any, kind: str, field: str) -> Any:
    try:
        if isinstance(value, bool) and kind != "bool":
            raise Unfit(value)
        if isinstance(value, int | float) and not isinstance(value, bool) and kind in ("date", "timestamp"):
            raise Unfit(value)
        converted = convert(value if not isinstance(value, dict | list) else json.dumps(value), kind)
    except Unfit:
        raise invalid(
            _("Значення «%(v)s» не підходить до стовпця «%(f)s» (тип %(t)s).")
            % {"v": str(value)[:100], "f": field, "t": kind},
            "filters",
        ) from None
    if not backend.is_pg():
        converted = backend._sqlite_value(converted)
    return converted


def _where(types: dict[str, str], filters: Any, q: Any) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters:
        if isinstance(filters, str):
            try:
                filters = json.loads(filters)
            except ValueError:
                raise invalid(_("Параметр «filters» має бути об’єктом JSON."), "filters") from None
        if not isinstance(filters, dict):
            raise invalid(_("Параметр «filters» має бути об’єктом: стовпець → значення."), "filters")
        for name, wanted in filters.items():
            if name not in types:
                raise invalid(_("У таблиці немає стовпця «%(name)s».") % {"name": str(name)[:100]}, "filters")
            values = wanted if isinstance(wanted, list) else [wanted]
            col = backend.quote(name)
            present = [v for v in values if v is not None]
            parts = []
            if present:
                parts.append(f"{col} IN ({', '.join('%s' for _ in present)})")
                params.extend(_value(v, types[name], name) for v in present)
            if len(present) < len(values):
                parts.append(f"{col} IS NULL")
            if not values:
                parts.append("1 = 0")
            clauses.append("(" + " OR ".join(parts) + ")")
    if q:
        if isinstance(q, str) and q.lstrip().startswith("{"):
            try:
                q = json.loads(q)
            except ValueError:
                pass
        if isinstance(q, dict):
            for name, term in q.items():
                if name not in types:
                    raise invalid(_("У таблиці немає стовпця «%(name)s».") % {"name": str(name)[:100]}, "q")
                for word in str(term).split():
                    clauses.append(_contains([name], types))
                    params.append(_pattern(word))
        else:
            text_cols = [n for n, t in types.items() if t == TEXT]
            for word in str(q).split():
                if not text_cols:
                    clauses.append("1 = 0")
                    break
                clauses.append(_contains(text_cols, types))
                params.extend(_pattern(word) for _ in text_cols)
    return clauses, params


def _pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped if backend.is_pg() else escaped.casefold()}%"


def _contains(names: list[str], types: dict[str, str]) -> str:
    parts = []
    for name in names:
        col = backend.quote(name)
        if backend.is_pg():
            expr = col if types[name] == TEXT else f"{col}::text"
            parts.append(f"{expr} ILIKE %s")
        else:
            parts.append(f"ds_fold({col}) LIKE %s ESCAPE '\\'")
    return "(" + " OR ".join(parts) + ")"


def _int(value: Any, name: str, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise invalid(_("Параметр «%(p)s» має бути цілим числом.") % {"p": name}, name) from None
    if n < 0:
        raise invalid(_("Параметр «%(p)s» не може бути від’ємним.") % {"p": name}, name)
    return n


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("false", "0", "no", "")
    return bool(value)


def datastore_search(
    hromada,
    resource_id: Any,
    *,
    filters: Any = None,
    q: Any = None,
    fields: Any = None,
    sort: Any = None,
    limit: Any = LIMIT_DEFAULT,
    offset: Any = 0,
    include_total: Any = True,
    distinct: Any = False,
) -> dict:
    resource, table = published_table(hromada, resource_id)
    return search_table(
        table,
        resource_id=str(resource.public_id),
        filters=filters,
        q=q,
        fields=fields,
        sort=sort,
        limit=limit,
        offset=offset,
        include_total=include_total,
        distinct=distinct,
    )


def search_table(
    table: DatastoreTable,
    *,
    resource_id: str,
    filters: Any = None,
    q: Any = None,
    fields: Any = None,
    sort: Any = None,
    limit: Any = LIMIT_DEFAULT,
    offset: Any = 0,
    include_total: Any = True,
    distinct: Any = False,
) -> dict:
    types = _types(table)
    distinct = _bool(distinct)
    include_total = _bool(include_total)
    limit = min(_int(limit, "limit", LIMIT_DEFAULT), LIMIT_MAX)
    offset = _int(offset, "offset", 0)
    if fields:
        selected = _names(fields, types, "fields")
    else:
        selected = [n for n in types if not (distinct and n == "_id")]
    order = parse_sort(sort, types) if sort else []
    if distinct:
        for name, _direction in order:
            if name not in selected:
                raise invalid(
                    _("З distinct можна сортувати лише за вибраними стовпцями: «%(name)s» не вибрано.")
                    % {"name": name},
                    "sort",
                )
        if not order:
            order = [(n, "ASC") for n in selected]
    elif not order:
        order = [("_id", "ASC")]
    clauses, params = _where(types, filters, q)
    backend.register_sqlite_functions()
    source = backend.qualified(table.table_name)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    cols = ", ".join(backend.quote(n) for n in selected)
    order_sql = ", ".join(f"{backend.quote(n)} {d}" for n, d in order)
    sql = (
        f"SELECT {'DISTINCT ' if distinct else ''}{cols} FROM {source}{where} "  # noqa: S608 - quoted identifiers from the table's own metadata
        f"ORDER BY {order_sql} LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        total = None
        if include_total:
            if not clauses and not distinct:
                total = table.rows_loaded  # every row of a finished load: no need to count
            else:
                inner = f"SELECT {'DISTINCT ' + cols if distinct else '1'} FROM {source}{where}"  # noqa: S608 - quoted identifiers from the table's own metadata
                cursor.execute(f"SELECT count(*) FROM ({inner}) AS counted", params)  # noqa: S608 - quoted identifiers from the table's own metadata
                total = cursor.fetchone()[0]
    kinds = [types[n] for n in selected]
    records = [
        {n: backend.from_db(v, k) for n, v, k in zip(selected, row, kinds, strict=True)} for row in rows
    ]
    by_id = {f["id"]: f for f in field_list(table)}
    result: dict[str, Any] = {
        "resource_id": resource_id,
        "fields": [by_id[n] for n in selected],
        "records": records,
        "limit": limit,
        "offset": offset,
        "include_total": include_total,
        "records_format": "objects",
        "_links": _links(resource_id, filters, q, fields, sort, limit, offset, distinct),
    }
    if include_total:
        result["total"] = total
        result["total_was_estimated"] = False
    if filters:
        result["filters"] = filters
    if q:
        result["q"] = q
    if sort:
        result["sort"] = ", ".join(f"{n} {d.lower()}" for n, d in order)
    if distinct:
        result["distinct"] = True
    return result


def _links(resource_id, filters, q, fields, sort, limit, offset, distinct) -> dict:
    base: dict[str, Any] = {"resource_id": resource_id}
    if filters:
        base["filters"] = filters if isinstance(filters, str) else json.dumps(filters, ensure_ascii=False)
    if q:
        base["q"] = q if isinstance(q, str) else json.dumps(q, ensure_ascii=False)
    if fields:
        base["fields"] = fields if isinstance(fields, str) else ",".join(fields)
    if sort:
        base["sort"] = sort if isinstance(sort, str) else ",".join(sort)
    if distinct:
        base["distinct"] = "true"
    if limit != LIMIT_DEFAULT:
        base["limit"] = limit
    path = "/api/3/action/datastore_search?"
    return {"start": path + urlencode(base), "next": path + urlencode({**base, "offset": offset + limit})}


def table_rows(resource: Resource, limit: int = 100) -> dict | None:
    """The first rows of a resource's DataStore table for its preview, published or not
    (the caller decides who sees a draft's): {"fields", "records", "total"}, or None
    when the resource has no loaded table."""
    table = current_table(resource)
    if table is None:
        return None
    limit = max(0, min(int(limit), LIMIT_MAX))
    result = search_table(table, resource_id=str(resource.public_id), limit=limit)
    return {"fields": result["fields"], "records": result["records"], "total": result["total"]}
