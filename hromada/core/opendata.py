"""Streaming open data as CSV and JSON: one writer for every dataset of every module.

csv_stream is the platform's only CSV writer (a test looks for any other): it
neutralises spreadsheet formulas, as OWASP advises for CSV injection — a text cell that
begins with = + - @, a tab or a carriage return gets a leading single quote, so a
published title such as =HYPERLINK(...) is shown as text, never evaluated.
"""

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


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A value safe to put in a spreadsheet cell: text that a spreadsheet would read as a
    formula gets a leading quote. Numbers and other values are written as they are."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_table_stream(
    header: list[str],
    batches: Iterable[Iterable[list]],
    *,
    delimiter: str = ",",
    bom: bool = True,
    lineterminator: str = "\r\n",
) -> Iterator[str]:
    """CSV of rows given as lists in the header's order, one chunk per batch of rows
    (a DataStore dump streams a table page by page); every cell through csv_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=lineterminator)
    if bom:
        yield "\ufeff"
    writer.writerow([csv_cell(name) for name in header])
    for batch in batches:
        writer.writerows([csv_cell(v) for v in row] for row in batch)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_stream(rows: Iterable[dict], fieldnames: list[str] | None = None) -> Iterator[str]:
    """CSV with a header (the given field names, or the first row's keys), every cell
    passed through csv_cell."""
    buffer = io.StringIO()
    writer = None
    yield "\ufeff"  # spreadsheet programs need the BOM to read UTF-8 Cyrillic
    if fieldnames is not None:
        writer = csv.writer(buffer)
        writer.writerow([csv_cell(name) for name in fieldnames])
    for row in rows:
        if writer is None:
            fieldnames = list(row)
            writer = csv.writer(buffer)
            writer.writerow([csv_cell(name) for name in fieldnames])
        assert fieldnames is not None
        writer.writerow([csv_cell(row.get(name, "")) for name in fieldnames])
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
