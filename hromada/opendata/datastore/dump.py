"""The dump of a published resource's DataStore table, streamed as CKAN's
/datastore/dump/<id> serves it: CSV (a header of the column ids, _id first), TSV, or
JSON ({"fields": [...], "records": [[...], ...]}). Rows are read in pages by _id, so a
million-row table never sits in memory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db import connection

from hromada.core.opendata import csv_cell, csv_table_stream

from ..models import DatastoreTable
from . import backend
from .query import field_list

PAGE_ROWS = 5000


def table_pages(
    table: DatastoreTable, *, limit: int | None = None, offset: int = 0
) -> Iterator[list[list[Any]]]:
    """The table's rows in _id order, a page at a time, as JSON-ready values."""
    fields = field_list(table)
    cols = ", ".join(backend.quote(f["id"]) for f in fields)
    kinds = [f["type"] for f in fields]
    source = backend.qualified(table.table_name)
    last = None
    remaining = limit
    skip = offset
    while remaining is None or remaining > 0:
        size = PAGE_ROWS if remaining is None else min(PAGE_ROWS, remaining)
        with connection.cursor() as cursor:
            if last is None:
                cursor.execute(f"SELECT {cols} FROM {source} ORDER BY _id LIMIT {size} OFFSET {int(skip)}")  # noqa: S608 - quoted identifiers from the table's own metadata
            else:
                cursor.execute(
                    f"SELECT {cols} FROM {source} WHERE _id > %s ORDER BY _id LIMIT {size}",  # noqa: S608 - quoted identifiers
                    [last],
                )
            rows = cursor.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        if remaining is not None:
            remaining -= len(rows)
        yield [[backend.from_db(v, k) for v, k in zip(row, kinds, strict=True)] for row in rows]
        if len(rows) < size:
            return


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def csv_chunks(table: DatastoreTable, *, delimiter: str = ",", bom: bool = False, **page) -> Iterator[str]:
    header = [f["id"] for f in field_list(table)]
    batches = ([[_cell(v) for v in row] for row in rows] for rows in table_pages(table, **page))
    yield from csv_table_stream(header, batches, delimiter=delimiter, bom=bom)


def json_chunks(table: DatastoreTable, **page) -> Iterator[str]:
    fields = [{"id": f["id"], "type": f["type"]} for f in field_list(table)]
    yield '{"fields": ' + json.dumps(fields, ensure_ascii=False) + ', "records": ['
    first = True
    for rows in table_pages(table, **page):
        text = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
        yield ("" if first else ",\n") + text
        first = False
    yield "]}\n"
