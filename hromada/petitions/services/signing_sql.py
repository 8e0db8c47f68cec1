"""The raw SQL that stores a signature and its ledger entry."""

from __future__ import annotations

import datetime as dt
import functools

from django.db import transaction

from hromada.core.models import column_field
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_insert, ledger_insert_params, ledger_insert_parts

from ..models import Petition, Signature, Status

_SIGNATURE_FIELDS = ("hromada", "petition", "user", "person_key", "signer_name", "created_at")


@functools.cache
def _signature_fields() -> tuple:
    """The fields behind _SIGNATURE_FIELDS, looked up once rather than per signature."""
    return tuple(column_field(Signature, name) for name in _SIGNATURE_FIELDS)


@functools.cache
def _signature_sql(vendor: str) -> tuple[str, str]:
    """The signature INSERT as `INSERT … SELECT … WHERE <petition still takes signatures>
    ON CONFLICT DO NOTHING RETURNING id` (no row back: refused), and, on PostgreSQL,
    the same with the ledger entry inserted by the same statement."""
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]

    q = connection.ops.quote_name
    fields = [column_field(Signature, name) for name in _SIGNATURE_FIELDS]
    columns = ", ".join(q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    # As rules.signing_open: collecting, or past the threshold (consideration, answered)
    # when the petition's rules keep collecting; in either case before the period's end.
    still_open = (
        f"SELECT 1 FROM {q(Petition._meta.db_table)} WHERE id = %s"  # noqa: S608
        f" AND (status = %s OR ({q('sign_after_threshold')} AND status IN (%s, %s)"
        " AND collection_ends_at IS NOT NULL))"
        " AND (collection_ends_at IS NULL OR collection_ends_at > %s)"
    )
    # Names come from the models; every value is a parameter.
    insert = (
        f"INSERT INTO {q(Signature._meta.db_table)} ({columns}) SELECT {values}"  # noqa: S608
        f" WHERE EXISTS ({still_open}) ON CONFLICT DO NOTHING RETURNING id"
    )
    target, markers = ledger_insert_parts(connection)
    combined = (
        f"WITH s AS ({insert}), "  # noqa: S608
        f"l AS (INSERT INTO {target} SELECT {markers} FROM s RETURNING id) "
        "SELECT s.id FROM s, l"
    )
    return insert, combined


def _store_signature(signature: Signature, entry: LedgerEntry, now: dt.datetime) -> bool:
    """Insert the signature and its ledger entry, atomically; False if refused (the
    petition stopped collecting, or this person or account already signed).

    On PostgreSQL this is one statement in autocommit: one round trip and one commit
    per signature, which is most of what a signature costs the database."""
    from django.db import DEFAULT_DB_ALIAS, connections

    conn = connections[DEFAULT_DB_ALIAS]  # once: every access through the proxy costs
    insert, combined = _signature_sql(conn.vendor)
    values = [
        field.get_db_prep_save(getattr(signature, field.attname), conn) for field in _signature_fields()
    ]
    values += [
        signature.petition_id,
        Status.COLLECTING.value,
        Status.CONSIDERATION.value,
        Status.ANSWERED.value,
        now,
    ]
    if conn.vendor == "postgresql":
        # In autocommit the statement is its own transaction; inside a caller's
        # atomic block it is part of that one.
        with conn.cursor() as cursor:
            cursor.execute(combined, values + ledger_insert_params(entry, conn))
            row = cursor.fetchone()
        if row is None:
            return False
        signature.pk = row[0]
    else:
        with transaction.atomic(), conn.cursor() as cursor:
            cursor.execute(insert, values)
            row = cursor.fetchone()
            if row is None:
                return False
            signature.pk = row[0]
            ledger_insert(entry)
    signature._state.adding = False
    return True
