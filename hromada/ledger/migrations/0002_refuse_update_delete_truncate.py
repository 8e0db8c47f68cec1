"""Make the ledger tables append-only in the database itself.

PostgreSQL: a row trigger refuses UPDATE and DELETE, a statement trigger refuses
TRUNCATE of a table that has rows (an empty table may be truncated, so test
databases can still be flushed). SQLite: row triggers refuse UPDATE and DELETE
(SQLite has no TRUNCATE).

The SQL lives here, frozen, and hromada/ledger/db.py reads it from this module.
On SQLite, a later migration that rebuilds one of these tables (Django does that for
most ALTERs) drops its triggers and must create them again.
"""

from django.db import migrations

TABLES = ["ledger_ledgerentry", "ledger_ledgerleaf", "ledger_ledgerkey", "ledger_signedtreehead"]
MESSAGE = "ledger is append-only"

POSTGRES_FUNCTIONS = [
    f"""
    CREATE OR REPLACE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END
    $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        has_rows boolean;
    BEGIN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO has_rows;
        IF has_rows THEN
            RAISE EXCEPTION '{MESSAGE}: TRUNCATE on % refused', TG_TABLE_NAME
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NULL;
    END
    $$
    """,
]


def postgres_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
        f"CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate()",
    ]


def postgres_uninstall(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS ledger_append_only ON {table}",
        f"DROP TRIGGER IF EXISTS ledger_no_truncate ON {table}",
    ]


def sqlite_install(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}: {op} on {table} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def sqlite_uninstall(table: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{op}" for op in ("update", "delete")]


def install_statements(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return POSTGRES_FUNCTIONS + [sql for table in TABLES for sql in postgres_install(table)]
    if vendor == "sqlite":
        return [sql for table in TABLES for sql in sqlite_install(table)]
    return []


def uninstall_statements(vendor: str, *, functions: bool = True) -> list[str]:
    if vendor == "postgresql":
        statements = [sql for table in TABLES for sql in postgres_uninstall(table)]
        if functions:
            statements += [
                "DROP FUNCTION IF EXISTS ledger_refuse_change()",
                "DROP FUNCTION IF EXISTS ledger_refuse_truncate()",
            ]
        return statements
    if vendor == "sqlite":
        return [sql for table in TABLES for sql in sqlite_uninstall(table)]
    return []


def forwards(apps, schema_editor):
    for sql in install_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, None)  # None: the SQL contains literal % signs


def backwards(apps, schema_editor):
    for sql in uninstall_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, None)  # None: the SQL contains literal % signs


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_create_ledger_tables")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
