"""Streaming open data as CSV and JSON: one writer for every dataset of every module."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse


def json_stream(rows: Iterable[dict]) -> Iterator[str]:
    yield "["
    for i, row in enumerate(rows):
        yield ("," if i else "") + json.dumps(row, ensure_ascii=False)
    yield "]"


def csv_stream(rows: Iterable[dict], fieldnames: list[str] | None = None) -> Iterator[str]:
    """CSV with a header (the given field names, or the first row's keys)."""
    buffer = io.StringIO()
    writer = None
    yield "\ufeff"  # spreadsheet programs need the BOM to read UTF-8 Cyrillic
    if fieldnames is not None:
        writer = csv.DictWriter(buffer, fieldnames=fieldnames)
        writer.writeheader()
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(row))
            writer.writeheader()
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def json_response(rows: Iterable[dict], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(json_stream(rows), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.json"'
    return response


def csv_response(rows: Iterable[dict], *, filename: str, fieldnames: list[str] | None = None):
    response = StreamingHttpResponse(csv_stream(rows, fieldnames), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
