"""Loading a resource version into its DataStore table (ADR 0009 decision 4).

schedule_load(version) makes the version's DatastoreTable and enqueues the load after
the caller's commit; load_now(version) runs it at once (tests, the demo). The load:

1. reads the file (readers.py) and infers each column's type from the first
   SAMPLE_ROWS rows (infer.py);
2. creates a new table and writes the rows in batches — COPY on PostgreSQL,
   executemany on SQLite — each batch with the progress (bytes_read, rows_loaded,
   rows_refused, errors) in its own short transaction, so the staff page can poll it;
3. when every row is read, switches the resource to the new table in one transaction
   (datastore_active, a ledger entry) and drops the table of the previous version.
   A load that fails drops its own table and leaves the published one as it was.

The rule for a value that does not fit (documented for publishers): the column is
widened (int → numeric → text, date → timestamp → text) and the row is kept. A row is
refused — counted, its number, column, value and reason kept among the first 1,000
errors — only when it cannot be placed: it has more non-empty values than the header
has columns, a value holds a NUL character (no database text can), or the CSV reader
cannot split it. A row shorter than the header is padded with empty cells (spreadsheet
programs drop trailing empty cells). Blank rows are skipped."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import logging
import uuid
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils import timezone

from hromada.ledger.services import ledger_append

from ..models import DatastoreTable, LoadState, Resource, ResourceVersion
from . import backend
from .infer import SAMPLE_ROWS, Unfit, convert, infer_type, widened
from .names import column_names
from .readers import ReadError, open_table

logger = logging.getLogger("hromada.opendata.datastore")

BATCH_ROWS = 10_000
ERRORS_KEPT = 1000
VALUE_KEPT = 200  # characters of a refused value kept in the error


def _new_table_name() -> str:
    return f"ds_{uuid.uuid4().hex}"


def _table_for(version: ResourceVersion) -> DatastoreTable:
    table = DatastoreTable.objects.filter(version=version).first()
    if table is None:
        return DatastoreTable.objects.create(
            hromada_id=version.hromada_id, version=version, table_name=_new_table_name()
        )
    if table.state == LoadState.FAILED:
        # Loading again (a fixed parser, a retry): a fresh table and a clean report.
        DatastoreTable.objects.filter(pk=table.pk).update(
            state=LoadState.PENDING,
            table_name=_new_table_name(),
            rows_loaded=0,
            rows_refused=0,
            bytes_read=0,
            errors=[],
            message="",
            started_at=None,
            finished_at=None,
        )
        table.refresh_from_db()
    return table


def schedule_load(version: ResourceVersion) -> DatastoreTable:
    """The version's table, its load enqueued when the caller's transaction commits."""
    table = _table_for(version)
    if table.state == LoadState.PENDING:
        table_id = table.pk
        transaction.on_commit(lambda: _enqueue(table_id))
    return table


def _enqueue(table_id: int) -> None:
    from ..tasks import datastore_load

    datastore_load.enqueue(table_id)


def load_now(version: ResourceVersion) -> DatastoreTable:
    table = _table_for(version)
    load_table(table.pk)
    table.refresh_from_db()
    return table


class _Load:
    def __init__(self, table: DatastoreTable) -> None:
        self.table = table
        self.columns: list[dict] = []
        self.names: list[str] = []
        self.rows_loaded = 0
        self.rows_refused = 0
        self.errors: list[dict] = []
        self.errors_dirty = False
        self.widenings: list[str] = []

    def refuse(self, number: int, column: str | None, value: Any, reason: str) -> None:
        self.rows_refused += 1
        if len(self.errors) < ERRORS_KEPT:
            text = "" if value is None else str(value)
            self.errors.append(
                {"row": number, "column": column, "value": text[:VALUE_KEPT], "reason": reason}
            )
            self.errors_dirty = True

    def prepare(self, number: int, values: list[Any]) -> list[Any] | None:
        """The row's raw cells, one per column, or None when the row is refused."""
        width = len(self.names)
        if len(values) == 1 and isinstance(values[0], csv.Error):
            self.refuse(number, None, "", f"Рядок не вдалося прочитати як CSV: {values[0]}")
            return None
        if len(values) > width:
            extra = [v for v in values[width:] if v is not None and str(v).strip()]
            if extra:
                self.refuse(
                    number,
                    None,
                    extra[0],
                    f"У рядку {len(values)} значень, а в заголовку {width} стовпців.",
                )
                return None
            values = values[:width]
        elif len(values) < width:
            values = list(values) + [None] * (width - len(values))
        for i, v in enumerate(values):
            if isinstance(v, str) and "\x00" in v:
                self.refuse(number, self.names[i], v.replace("\x00", "\\0"), "Значення містить символ NUL.")
                return None
        return list(values)

    def prepared(self, rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
        for number, values in rows:
            row = self.prepare(number, values)
            if row is not None:
                yield number, row

    def convert_batch(self, batch: list[tuple[int, list[Any]]]) -> list[list[Any]]:
        """Convert a batch; a value that does not fit widens its column first (the rows
        already written are altered, the batch converted again)."""
        while True:
            try:
                return [
                    [convert(v, c["type"]) for v, c in zip(raw, self.columns, strict=True)]
                    for _, raw in batch
                ]
            except Unfit:
                self._widen_first_unfit(batch)

    def _widen_first_unfit(self, batch: list[tuple[int, list[Any]]]) -> None:
        for number, raw in batch:
            for i, (v, c) in enumerate(zip(raw, self.columns, strict=True)):
                try:
                    convert(v, c["type"])
                except Unfit:
                    new = widened(c["type"], v)
                    backend.widen_column(self.table.table_name, c["id"], c["type"], new)
                    self.widenings.append(
                        f"Стовпець «{c['source'] or c['id']}» став типу {new} через значення "
                        f"«{str(v)[:50]}» у рядку {number}."
                    )
                    self.columns[i] = {**c, "type": new}
                    return
        raise AssertionError("a batch that failed to convert has no unfit value")


def load_table(table_id: int) -> dict:
    """Run one load (the django-tasks job). Never raises for a bad file: the table
    records why it failed."""
    claimed = DatastoreTable.objects.filter(pk=table_id, state=LoadState.PENDING).update(
        state=LoadState.LOADING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        return {"skipped": True}
    table = DatastoreTable.objects.select_related("version__resource").get(pk=table_id)
    load = _Load(table)
    created = False
    try:
        with table.version.file.open("rb") as stream:
            source = open_table(stream)
            load.names = column_names(source.header)
            rows = source.rows
            sample: list[tuple[int, list[Any]]] = []
            for number, values in rows:
                prepared = load.prepare(number, values)
                if prepared is not None:
                    sample.append((number, prepared))
                if len(sample) >= SAMPLE_ROWS:
                    break
            load.columns = [
                {"id": name, "type": infer_type([r[i] for _, r in sample]), "source": header}
                for i, (name, header) in enumerate(zip(load.names, source.header, strict=True))
            ]
            with transaction.atomic():
                backend.create_table(table.table_name, load.columns)
                created = True
                DatastoreTable.objects.filter(pk=table.pk).update(
                    columns=load.columns, encoding=source.encoding
                )
            batch: list[tuple[int, list[Any]]] = []
            for number, prepared in itertools.chain(sample, load.prepared(rows)):
                if len(batch) >= BATCH_ROWS:
                    _write(load, batch, source.bytes_read())
                    batch = []
                batch.append((number, prepared))
            _write(load, batch, source.bytes_read())
            replaced = source.replaced()
        return _finish(load, replaced)
    except ReadError as e:
        return _fail(table, str(e), created)
    except Exception as e:
        logger.exception("datastore load %s failed", table_id)
        return _fail(table, f"Не вдалося завантажити дані: {type(e).__name__}.", created)


def _write(load: _Load, batch: list[tuple[int, list[Any]]], bytes_read: int) -> None:
    with transaction.atomic():
        converted = load.convert_batch(batch)
        backend.insert_rows(load.table.table_name, load.names, converted)
        load.rows_loaded += len(converted)
        progress: dict[str, Any] = {
            "rows_loaded": load.rows_loaded,
            "rows_refused": load.rows_refused,
            "bytes_read": bytes_read,
            "updated_at": timezone.now(),  # the heartbeat loads_tick reads
        }
        if load.errors_dirty or load.widenings:
            progress["errors"] = load.errors
            progress["columns"] = load.columns
            load.errors_dirty = False
        DatastoreTable.objects.filter(pk=load.table.pk).update(**progress)


def _fail(table: DatastoreTable, message: str, created: bool) -> dict:
    with transaction.atomic():
        if created:
            backend.drop_table(table.table_name)
        DatastoreTable.objects.filter(pk=table.pk).update(
            state=LoadState.FAILED, message=message[:500], finished_at=timezone.now()
        )
    return {"failed": message}


def _finish(load: _Load, replaced: int) -> dict:
    table = load.table
    notes = list(load.widenings)
    if replaced:
        notes.append(f"{replaced} послідовностей байтів не вдалося декодувати: їх замінено знаком «�».")
    message = " ".join(notes)[:500]
    with transaction.atomic():
        resource = Resource.objects.select_for_update().get(pk=table.version.resource_id)
        published = DatastoreTable.objects.filter(
            version__resource=resource, state=LoadState.DONE
        ).select_related("version")
        if any(p.version.number > table.version.number for p in published):
            # A later version was loaded first: this one is already out of date.
            backend.drop_table(table.table_name)
            DatastoreTable.objects.filter(pk=table.pk).delete()
            return {"superseded": True}
        for old in published:
            backend.drop_table(old.table_name)
            old.delete()
        DatastoreTable.objects.filter(pk=table.pk).update(
            state=LoadState.DONE,
            columns=load.columns,
            rows_loaded=load.rows_loaded,
            rows_refused=load.rows_refused,
            errors=load.errors,
            bytes_read=table.version.size or _size(table),
            message=message,
            finished_at=timezone.now(),
        )
        Resource.objects.filter(pk=resource.pk).update(datastore_active=True)
        ledger_append(
            hromada=resource.hromada,
            kind="opendata.datastore_loaded",
            payload={
                "resource": str(resource.public_id),
                "version": table.version.number,
                "rows": load.rows_loaded,
                "refused": load.rows_refused,
                "columns": [{"id": c["id"], "type": c["type"]} for c in load.columns],
            },
        )
    return {"rows": load.rows_loaded, "refused": load.rows_refused}


def _size(table: DatastoreTable) -> int:
    try:
        return table.version.file.size
    except (OSError, ValueError):
        return 0


STALE_AFTER = dt.timedelta(minutes=15)


def loads_tick() -> int:
    """Loads whose worker died (no batch written for STALE_AFTER) start again."""
    stale = DatastoreTable.objects.filter(
        state=LoadState.LOADING, updated_at__lt=timezone.now() - STALE_AFTER
    )
    restarted = 0
    for table in stale:
        with transaction.atomic():
            backend.drop_table(table.table_name)
            DatastoreTable.objects.filter(pk=table.pk).update(state=LoadState.FAILED)
        table.refresh_from_db()
        schedule_load(table.version)
        restarted += 1
    return restarted


def datastore_drop(resource: Resource) -> None:
    """Take a resource out of the DataStore (its file removed, the resource deleted):
    drop every table of its versions. For the catalogue's services, in their transaction."""
    for t in DatastoreTable.objects.filter(version__resource=resource):
        backend.drop_table(t.table_name)
        t.delete()
    Resource.objects.filter(pk=resource.pk).update(datastore_active=False)
