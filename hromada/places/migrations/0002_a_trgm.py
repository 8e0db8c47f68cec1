"""Indexes for address lookups that Django's model state cannot say (hromada/places/lookup.py):

- street-level keys only (building empty), so a short prefix ("шев") walks the keys of
  streets, not of every building on them: a partial index on both databases
  (on PostgreSQL with varchar_pattern_ops, which answers LIKE 'p%' in any collation);
- on PostgreSQL, pg_trgm and a GIN trigram index over street-level keys, for the
  nearest matches of an address that does not exist. When the extension cannot be
  created (no privilege), the lookup falls back to difflib (lookup.trgm_available).

Raw SQL guarded by the connection's vendor; nothing in the model state changes."""

from django.db import migrations, transaction

TABLE = "places_addresskey"


def forwards(apps, schema_editor):
    conn = schema_editor.connection
    if conn.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS address_key_street_only ON {TABLE} (hromada_id, "key" varchar_pattern_ops) '
            "WHERE building_id IS NULL"
        )
        try:
            with transaction.atomic(using=conn.alias):
                schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception:  # noqa: BLE001 - no privilege: difflib answers instead
            return
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS address_key_street_trgm ON {TABLE} USING gin ("key" gin_trgm_ops) '
            "WHERE building_id IS NULL"
        )
    elif conn.vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS address_key_street_only ON {TABLE} (hromada_id, "key") '
            "WHERE building_id IS NULL"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        schema_editor.execute("DROP INDEX IF EXISTS address_key_street_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS address_key_street_only")


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
