"""What the staff resource page shows of a DataStore load (templates/opendata/datastore/
_load_status.html): progress against the file's size, the refusals, and which version
the DataStore still publishes when the newest load failed."""

from __future__ import annotations

from ..models import DatastoreTable, LoadState
from .query import current_table

ERRORS_SHOWN = 100


def load_status(table: DatastoreTable) -> dict:
    size = table.version.size
    working = table.state in (LoadState.PENDING, LoadState.LOADING)
    if table.state == LoadState.DONE:
        percent = 100
    elif size:
        percent = max(0, min(99, table.bytes_read * 100 // size))
    else:
        percent = 0
    published = current_table(table.version.resource)
    shown = table.errors[:ERRORS_SHOWN]
    return {
        "table": table,
        "working": working,
        "percent": percent,
        "errors": shown,
        "errors_hidden": table.rows_refused - len(shown),
        "published_version": published.version.number if published and published.pk != table.pk else None,
    }
