"""Writes to the ledger: append (hot path, one INSERT) and seal (worker, periodic).

See docs/ledger.md for the design."""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid as uuid_mod

from django.conf import settings
from django.db import connection, connections, router, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from hromada.core.models import column_field
from hromada.core.modules import registry
from hromada.tenancy.models import Hromada

from . import merkle
from .canonical import (
    InvalidLedgerEntry,
    check_kind,
    check_payload,
    encode_entry,
    entry_document,
    format_time,
    tree_head_message,
)
from .keys import SigningKey, signing_key
from .models import LedgerEntry, LedgerKey, LedgerLeaf, LedgerLookup, LedgerNode, SignedTreeHead
from .receipts import is_receipt, receipt_value_expression

# Seals normally look only at entries with ids above those sealed STRAGGLER_WINDOW
# ago (see _scan_floor); once an hour (per hromada) a seal looks at every entry,
# which picks up an entry whose transaction stayed open about that long or longer.
# See docs/ledger.md, "Sealing".
STRAGGLER_WINDOW = dt.timedelta(seconds=getattr(settings, "LEDGER_STRAGGLER_WINDOW", 600))
FULL_SCAN_EVERY = dt.timedelta(seconds=getattr(settings, "LEDGER_FULL_SCAN_INTERVAL", 3600))
_CHUNK = 50_000  # pending entries read at once
_BATCH = 1000  # leaves written per INSERT
# Subtrees of 2**NODE_MIN_LEVEL leaves and more are stored (LedgerNode) as a seal
# completes them: about n/32 rows, and a proof then reads at most 2 * 64 leaves.
NODE_MIN_LEVEL = 6
# pg_advisory_xact_lock(classid, objid): the class number names the ledger's locks.
_ADVISORY_CLASS = 0x4C4547  # "LEG"


def ledger_append(*, hromada: Hromada, kind: str, payload: dict) -> LedgerEntry:
    """Record an event in `hromada`'s public log, inside the caller's transaction.

    Exactly one INSERT: no lock, no read of other ledger rows, so a thousand
    concurrent writers never wait for each other here. The entry gets its place in
    the Merkle tree at the next seal. Raises InvalidLedgerEntry for a kind that is not
    'area.event' or a payload that is not plain JSON."""
    entry = ledger_entry_new(hromada=hromada, kind=kind, payload=payload)
    _insert(entry)
    return entry


def ledger_entry_new(*, hromada: Hromada, kind: str, payload: dict) -> LedgerEntry:
    """An entry ready to insert (checked, canonical text and leaf hash computed), not
    saved. For a hot path that writes the entry in the same statement as the row it
    records (see ledger_insert_parts); everything else calls ledger_append."""
    check_kind(kind)
    if not registry.is_ledger_kind(kind):
        raise InvalidLedgerEntry(
            f"ledger kind {kind!r} is not registered: declare it in the ledger_kinds of the module "
            "that owns its prefix (module.py), so a typo never enters the append-only log"
        )
    check_payload(payload)
    now = timezone.now()
    entry_uuid = uuid_mod.uuid4()
    text = encode_entry(
        entry_document(
            slug=hromada.slug, kind=kind, payload=payload, created_at=format_time(now), uuid=str(entry_uuid)
        )
    )
    return LedgerEntry(
        hromada_id=hromada.pk,
        uuid=entry_uuid,
        kind=kind,
        # Store exactly what the canonical text says (tuples become lists, and so on).
        payload=json.loads(text)["payload"],
        created_at=now,
        canonical=text,
        leaf_hash=merkle.leaf_hash(text.encode("utf-8")).hex(),
    )


def ledger_insert(entry: LedgerEntry) -> LedgerEntry:
    """Insert an entry made by ledger_entry_new, inside the caller's transaction."""
    _insert(entry)
    return entry


def ledger_insert_parts(conn) -> tuple[str, str]:
    """(`table (columns)`, `%s, …`) to insert an entry as part of a larger statement,
    e.g. `INSERT INTO {table} SELECT {markers} FROM …`, with ledger_insert_params."""
    return _insert_target(conn.vendor), _VALUE_MARKERS


def ledger_insert_params(entry: LedgerEntry, conn) -> list:
    """The values for ledger_insert_parts' `%s` markers."""
    return _insert_params(entry, conn)


__all__ = [
    "InvalidLedgerEntry",
    "ledger_append",
    "ledger_entry_new",
    "ledger_insert",
    "ledger_insert_parts",
    "ledger_seal",
]

_INSERT_FIELDS = ("hromada", "uuid", "kind", "payload", "created_at", "canonical", "leaf_hash")


_VALUE_MARKERS = ", ".join(["%s"] * len(_INSERT_FIELDS))


@functools.cache
def _insert_target(vendor: str) -> str:
    ops = connections[router.db_for_write(LedgerEntry)].ops
    columns = ", ".join(ops.quote_name(column_field(LedgerEntry, name).column) for name in _INSERT_FIELDS)
    return f"{ops.quote_name(LedgerEntry._meta.db_table)} ({columns})"


@functools.cache
def _insert_sql(vendor: str, returning: bool) -> str:
    """One precompiled INSERT. Measured: Model.objects.create spends about twice as
    long compiling SQL as the database spends inserting; this is the hot path."""
    # Table and column names come from the model; every value is a parameter.
    sql = f"INSERT INTO {_insert_target(vendor)} VALUES ({_VALUE_MARKERS})"  # noqa: S608
    return sql + " RETURNING id" if returning else sql


@functools.cache
def _insert_fields() -> tuple:
    """The fields behind _INSERT_FIELDS, looked up once rather than per entry."""
    return tuple(column_field(LedgerEntry, name) for name in _INSERT_FIELDS)


def _insert_params(entry: LedgerEntry, conn) -> list:
    return [field.get_db_prep_save(getattr(entry, field.attname), conn) for field in _insert_fields()]


def _insert(entry: LedgerEntry) -> None:
    alias = router.db_for_write(LedgerEntry)
    conn = connections[alias]
    returning = conn.features.can_return_columns_from_insert
    params = _insert_params(entry, conn)
    with conn.cursor() as cursor:
        cursor.execute(_insert_sql(conn.vendor, returning), params)
        entry.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    entry._state.adding = False
    entry._state.db = alias


def ledger_seal(*, hromada: Hromada, full_scan: bool | None = None) -> SignedTreeHead | None:
    """Give the hromada's pending entries the next leaf indexes and sign the new tree.

    Returns the new SignedTreeHead, or None when nothing was pending. Pending entries
    are those without a LedgerLeaf that this transaction can see, taken in id order;
    an entry whose transaction commits later (even with a lower id) is simply pending
    at the next seal and gets the next index then — none is skipped, none moved.

    full_scan: None lets the seal decide (a full scan at most once per
    LEDGER_FULL_SCAN_INTERVAL); True forces a look at every entry of the hromada."""
    key = signing_key()
    with transaction.atomic():
        _lock_sealer(hromada)
        last = SignedTreeHead.objects.filter(hromada=hromada).order_by("-tree_size").first()
        size = last.tree_size if last else 0
        frontier = _frontier_of(hromada, last)
        now = _monotonic_now(last)

        pending = LedgerEntry.objects.filter(hromada=hromada).filter(
            ~Exists(LedgerLeaf.objects.filter(entry_id=OuterRef("pk")))
        )
        if full_scan is None:
            full_scan = last is None or _due_full_scan(last.timestamp, now)
        after = 0 if full_scan else _scan_floor(hromada, now)
        max_entry_id = (last.max_entry_id or 0) if last else 0

        start = size
        while True:
            # Read a chunk in full before writing its leaves: bounded memory, one
            # anti-join per chunk whatever plan the database picks, and no table is
            # written while a cursor over it is still open.
            chunk = list(
                pending.filter(id__gt=after)
                .order_by("id")
                .annotate(receipt=receipt_value_expression())
                .values_list("id", "leaf_hash", "uuid", "receipt")[:_CHUNK]
            )
            for first in range(0, len(chunk), _BATCH):
                rows: list[tuple[int, int, int]] = []
                lookups: list[tuple[int, str, int]] = []
                nodes: list[tuple[int, int, bytes]] = []
                for entry_id, leaf_hex, entry_uuid, receipt in chunk[first : first + _BATCH]:
                    rows.append((hromada.pk, size, entry_id))
                    lookups.append((hromada.pk, str(entry_uuid), entry_id))
                    if is_receipt(receipt):
                        lookups.append((hromada.pk, receipt, entry_id))
                    size = merkle.frontier_append_nodes(
                        frontier, size, bytes.fromhex(leaf_hex), NODE_MIN_LEVEL, nodes
                    )
                _insert_leaves(rows)
                _insert_rows(LedgerLookup, ("hromada", "key", "entry"), ("bigint", "text", "bigint"), lookups)
                _insert_rows(
                    LedgerNode,
                    ("hromada", "level", "start", "hash"),
                    ("bigint", "smallint", "bigint", "text"),
                    [(hromada.pk, level, start, node.hex()) for level, start, node in nodes],
                )
            if chunk:
                after = chunk[-1][0]
                max_entry_id = max(max_entry_id, after)
            if len(chunk) < _CHUNK:
                break
        if size == start:
            return None
        return _sign_tree_head(
            hromada=hromada, key=key, size=size, frontier=frontier, now=now, max_entry_id=max_entry_id
        )


def _insert_leaves(rows: list[tuple[int, int, int]]) -> None:
    """(hromada_id, index, entry_id) rows in one multi-row INSERT: model instances
    and bulk_create, or executemany's statement per row, cost several times the
    database's own work for these tiny rows."""
    if not rows:
        return
    conn = connections[router.db_for_write(LedgerLeaf)]
    ops = conn.ops
    table = ops.quote_name(LedgerLeaf._meta.db_table)
    columns = ", ".join(
        ops.quote_name(column_field(LedgerLeaf, name).column) for name in ("hromada", "index", "entry")
    )
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            # Two arrays instead of 3 000 placeholders for the driver to bind.
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT %s, unnest(%s::bigint[]), unnest(%s::bigint[])",  # noqa: S608
                [rows[0][0], [row[1] for row in rows], [row[2] for row in rows]],
            )
        else:
            values = ", ".join(["(%s, %s, %s)"] * len(rows))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",  # noqa: S608
                [value for row in rows for value in row],
            )


def _insert_rows(model, fields: tuple[str, ...], pg_types: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows of a sealing aid (LedgerLookup, LedgerNode) in one statement, as for leaves."""
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    ops = conn.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(column_field(model, name).column) for name in fields)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for kind in pg_types)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            marker = "(" + ", ".join(["%s"] * len(fields)) + ")"
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([marker] * len(rows))}",  # noqa: S608
                [value for row in rows for value in row],
            )


def _sign_tree_head(
    *,
    hromada: Hromada,
    key: SigningKey,
    size: int,
    frontier: list[bytes],
    now: dt.datetime,
    max_entry_id: int,
) -> SignedTreeHead:
    root = merkle.frontier_root(frontier).hex()
    head = SignedTreeHead(
        hromada=hromada,
        tree_size=size,
        root_hash=root,
        timestamp=now,
        key=_ledger_key(key),
        frontier=[node.hex() for node in frontier],
        max_entry_id=max_entry_id,
    )
    head.signature = key.sign(
        tree_head_message(slug=hromada.slug, tree_size=size, root_hash=root, timestamp_ms=head.timestamp_ms)
    )
    head.save(force_insert=True)
    return head


def _lock_sealer(hromada: Hromada) -> None:
    """One sealer per hromada at a time. PostgreSQL: a transaction-scoped advisory
    lock (not a row lock on Hromada, which would conflict with the FOR KEY SHARE
    locks that every INSERT referencing the hromada takes). SQLite: every write
    transaction is already exclusive (transaction_mode IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_ADVISORY_CLASS, hromada.pk % 2**31])


def _frontier_of(hromada: Hromada, last: SignedTreeHead | None) -> list[bytes]:
    if last is None:
        return []
    frontier = [bytes.fromhex(node) for node in last.frontier or []]
    if merkle.frontier_is_valid(frontier, last.tree_size):
        return frontier
    # No usable compact range (should not happen): rebuild it from every leaf, O(n).
    frontier, size = [], 0
    leaves = (
        LedgerLeaf.objects.filter(hromada=hromada, index__lt=last.tree_size)
        .order_by("index")
        .values_list("entry__leaf_hash", flat=True)
    )
    for leaf_hex in leaves.iterator(_BATCH):
        size = merkle.frontier_append(frontier, size, bytes.fromhex(leaf_hex))
    return frontier


def _monotonic_now(last: SignedTreeHead | None) -> dt.datetime:
    """Now, to the millisecond (what the signature covers), never before the last head."""
    now = timezone.now()
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)
    if last is not None and now < last.timestamp:
        return last.timestamp
    return now


def _scan_floor(hromada: Hromada, now: dt.datetime) -> int:
    """Entries with ids up to this were all sealed or still invisible STRAGGLER_WINDOW
    ago, so a pending one among them belongs to a transaction that stayed open
    about that long: the hourly full scan finds it. Everything above is scanned."""
    floor = (
        SignedTreeHead.objects.filter(hromada=hromada, timestamp__lte=now - STRAGGLER_WINDOW)
        .order_by("-tree_size")
        .values_list("max_entry_id", flat=True)
        .first()
    )
    return floor or 0


def _due_full_scan(last: dt.datetime, now: dt.datetime) -> bool:
    period = FULL_SCAN_EVERY.total_seconds()
    return period <= 0 or int(last.timestamp() // period) != int(now.timestamp() // period)


def _ledger_key(key: SigningKey) -> LedgerKey:
    found = LedgerKey.objects.filter(key_id=key.key_id).first()
    if found is not None:
        return found
    found, _ = LedgerKey.objects.get_or_create(
        key_id=key.key_id, defaults={"algorithm": "Ed25519", "public_key": key.public_b64}
    )
    return found
