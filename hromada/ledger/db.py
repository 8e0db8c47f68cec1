"""The append-only triggers, for the rare code that must step around them.

Only tests use this: the tamper tests (to prove that the verifier catches what the
triggers would have refused) and tests that run outside a rolled-back transaction
and must leave empty ledger tables behind for the next test. The SQL is the one
migration 0002 installed."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

_migration = importlib.import_module("hromada.ledger.migrations.0002_refuse_update_delete_truncate")
_aids = importlib.import_module("hromada.ledger.migrations.0004_add_receipt_lookup_and_subtree_nodes")


def install_triggers() -> None:
    with connection.cursor() as cursor:
        for sql in _migration.install_statements(connection.vendor) + _aids.install_statements(
            connection.vendor
        ):
            cursor.execute(sql, None)


def drop_triggers() -> None:
    with connection.cursor() as cursor:
        for sql in _migration.uninstall_statements(
            connection.vendor, functions=False
        ) + _aids.uninstall_statements(connection.vendor):
            cursor.execute(sql, None)


@contextmanager
def append_only_suspended() -> Iterator[None]:
    """Drop the triggers for the duration of the block, in one transaction: if the
    block fails, the rollback brings the triggers back (DDL is transactional on both
    PostgreSQL and SQLite)."""
    with transaction.atomic():
        drop_triggers()
        yield
        install_triggers()


def wipe_ledger_for_tests() -> None:
    """Delete every ledger row (tests on a non-rolled-back database only)."""
    from .models import LedgerEntry, LedgerKey, LedgerLeaf, LedgerLookup, LedgerNode, SignedTreeHead

    with append_only_suspended():
        # Not the ORM's delete(): it collects primary keys first, and a big log's keys
        # overflow PostgreSQL's 65 535 parameters. And on PostgreSQL one TRUNCATE, not
        # DELETEs: deleting entries runs the deferred foreign-key check of every row
        # against LedgerLookup.entry, which has no index (nothing else ever deletes).
        models = (LedgerLookup, LedgerNode, LedgerLeaf, SignedTreeHead, LedgerEntry, LedgerKey)
        tables = [connection.ops.quote_name(model._meta.db_table) for model in models]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(tables)}")
            else:
                for table in tables:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
