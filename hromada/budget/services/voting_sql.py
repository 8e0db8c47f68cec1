"""The raw SQL that stores a ballot and its ledger entry (ADR 0006, decision 6): one
`INSERT … SELECT … WHERE <voting is open> ON CONFLICT DO NOTHING RETURNING id`, with the
ledger entry inserted by the same statement on PostgreSQL, as petition signing does.
The unique constraint (category, voter) is the only arbiter of duplicates."""

from __future__ import annotations

import datetime as dt
import functools

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from hromada.core.models import Phase, column_field
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_insert, ledger_insert_params, ledger_insert_parts

from ..models import Ballot

_BALLOT_FIELDS = (
    "hromada",
    "category",
    "voter",
    "channel",
    "choices",
    "cast_at",
    "age_group",
    "district",
    "entered_by",
    "user",
)


@functools.cache
def _ballot_fields() -> tuple:
    return tuple(column_field(Ballot, name) for name in _BALLOT_FIELDS)


@functools.cache
def _ballot_sql(vendor: str) -> tuple[str, str]:
    connection = connections[DEFAULT_DB_ALIAS]
    q = connection.ops.quote_name
    fields = _ballot_fields()
    columns = ", ".join(q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    # The voting phase re-read by the statement itself: a process's cached dates can
    # never let a ballot in after the phase ended (or was moved).
    still_open = (
        f"SELECT 1 FROM {q(Phase._meta.db_table)} WHERE id = %s"  # noqa: S608
        " AND starts_at <= %s AND ends_at > %s"
    )
    # Names come from the models; every value is a parameter.
    insert = (
        f"INSERT INTO {q(Ballot._meta.db_table)} ({columns}) SELECT {values}"  # noqa: S608
        f" WHERE EXISTS ({still_open}) ON CONFLICT DO NOTHING RETURNING id"
    )
    target, markers = ledger_insert_parts(connection)
    combined = (
        f"WITH b AS ({insert}), "  # noqa: S608
        f"l AS (INSERT INTO {target} SELECT {markers} FROM b RETURNING id) "
        "SELECT b.id FROM b, l"
    )
    return insert, combined


def store_ballot(ballot: Ballot, entry: LedgerEntry, *, phase_id: int, now: dt.datetime) -> bool:
    """Insert the ballot and its ledger entry atomically; False if refused (a ballot of
    this voter in this category exists, or the voting phase is not in force)."""
    conn = connections[DEFAULT_DB_ALIAS]
    insert, combined = _ballot_sql(conn.vendor)
    values = [field.get_db_prep_save(getattr(ballot, field.attname), conn) for field in _ballot_fields()]
    values += [phase_id, now, now]
    if conn.vendor == "postgresql":
        # In autocommit the statement is its own transaction; inside a caller's atomic
        # block (a school code's UPDATE) it is part of that one.
        with conn.cursor() as cursor:
            cursor.execute(combined, values + ledger_insert_params(entry, conn))
            row = cursor.fetchone()
        if row is None:
            return False
        ballot.pk = row[0]
    else:
        with transaction.atomic(), conn.cursor() as cursor:
            cursor.execute(insert, values)
            row = cursor.fetchone()
            if row is None:
                return False
            ballot.pk = row[0]
            ledger_insert(entry)
    ballot._state.adding = False
    return True
