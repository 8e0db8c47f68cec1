"""datastore_search_sql: what it answers and everything it refuses."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from hromada.core.errors import DomainError
from hromada.opendata.datastore import datastore_search, datastore_search_sql, load_now
from hromada.opendata.datastore import sql as sql_module
from hromada.opendata.models import DatasetState, DatastoreTable

from . import factories_datastore as f

pytestmark = pytest.mark.django_db

CSV = b"district,school,pupils\nCentre,Lyceum 1,512\nCentre,Gymnasium,230\nNorth,School 7,180\n"


@pytest.fixture
def schools(hromada):
    res = f.resource(hromada, CSV)
    load_now(res.current)
    return res


def run(hromada, text):
    return datastore_search_sql(hromada, text)


def refused(hromada, text, code="datastore_sql_forbidden"):
    with pytest.raises(DomainError) as e:
        run(hromada, text)
    assert e.value.code == code, e.value.message
    assert e.value.field == "sql"
    return e.value


def test_a_select_over_a_resource_answers_fields_and_records(hromada, schools):
    rid = schools.public_id
    got = run(
        hromada, f'SELECT district, sum(pupils) AS pupils FROM "{rid}" GROUP BY district ORDER BY district'
    )
    assert got["records"] == [{"district": "Centre", "pupils": 742}, {"district": "North", "pupils": 180}]
    # sum() of a bigint is an int on SQLite and a numeric on PostgreSQL.
    assert got["fields"][0] == {"id": "district", "type": "text"}
    assert got["fields"][1]["id"] == "pupils" and got["fields"][1]["type"] in ("int", "numeric")
    assert got["sql"].startswith("SELECT district")
    json.dumps(got)


def test_ctes_joins_aliases_and_qualified_columns_work(hromada, schools):
    rid = schools.public_id
    text = (
        f'WITH big AS (SELECT * FROM "{rid}" WHERE pupils > 200) '
        f'SELECT s.school, "{rid}".pupils FROM big s JOIN "{rid}" ON "{rid}"._id = s._id '
        "ORDER BY s.school -- the big ones"
    )
    got = run(hromada, text)
    assert [r["school"] for r in got["records"]] == ["Gymnasium", "Lyceum 1"]


def test_the_row_cap(hromada, schools, monkeypatch):
    monkeypatch.setattr(sql_module, "ROWS_MAX", 2)
    got = run(hromada, f'SELECT school FROM "{schools.public_id}"')
    assert len(got["records"]) == 2 and got["records_truncated"] is True
    got = run(hromada, f'SELECT school FROM "{schools.public_id}" LIMIT 1')
    assert len(got["records"]) == 1 and "records_truncated" not in got


@pytest.mark.parametrize(
    "template",
    [
        'DROP TABLE "{rid}"',
        "INSERT INTO \"{rid}\" (school) VALUES ('x')",
        'UPDATE "{rid}" SET pupils = 0',
        'DELETE FROM "{rid}"',
        'SELECT 1 FROM "{rid}"; DROP TABLE "{rid}"',
        'SELECT * FROM "{rid}"; SELECT 1',
        'SELECT * FROM "{rid}" /* ; */ ; DELETE FROM "{rid}" -- */',
        'SELECT pg_sleep(10) FROM "{rid}"',
        'SELECT * FROM "{rid}" WHERE pg_sleep(10) IS NULL',
        "SELECT * FROM pg_catalog.pg_class",
        "SELECT * FROM pg_class",
        "SELECT * FROM information_schema.tables",
        'SELECT * FROM datastore."{rid}"',
        "SELECT * FROM opendata_resource",
        "SELECT * FROM sqlite_master",
        'SELECT * INTO stolen FROM "{rid}"',
        'SELECT * FROM "{rid}" FOR UPDATE',
        "SELECT current_setting('server_version') FROM \"{rid}\"",
        "SELECT 'pg_class'::regclass FROM \"{rid}\"",
        "SELECT * FROM generate_series(1, 10)",
        "SELECT 1",
        'COPY "{rid}" TO STDOUT',
        "SET statement_timeout = 0",
        'EXPLAIN ANALYZE SELECT * FROM "{rid}"',
        "SELECT version()",
        'SELECT * FROM "{rid}" WHERE pupils = $1',
        "SELECT * FROM (VALUES (1)) AS v(x)",
    ],
)
def test_everything_but_reading_published_tables_is_refused(hromada, schools, template):
    before = list(datastore_search(hromada, schools.public_id)["records"])
    refused(hromada, template.format(rid=schools.public_id))
    assert datastore_search(hromada, schools.public_id)["records"] == before


@pytest.mark.parametrize("text", ["", "   ", "SELEC * FROM x", "SELECT * FROM (", 42])
def test_text_that_is_not_sql_is_a_validation_error(hromada, text):
    refused(hromada, text, code="datastore_validation")


def test_a_draft_datasets_table_and_an_unknown_id_are_not_found(hromada, other_hromada, schools):
    draft = f.resource(hromada, CSV, ds=f.dataset(hromada, "chernetka", state=DatasetState.DRAFT))
    load_now(draft.current)
    e = refused(hromada, f'SELECT * FROM "{draft.public_id}"', code="datastore_not_found")
    assert e.status == 404
    refused(
        hromada,
        f'SELECT * FROM "{schools.public_id}" JOIN "{draft.public_id}" USING (_id)',
        "datastore_not_found",
    )
    refused(hromada, 'SELECT * FROM "00000000-0000-0000-0000-000000000000"', "datastore_not_found")
    refused(other_hromada, f'SELECT * FROM "{schools.public_id}"', "datastore_not_found")


def test_the_real_table_name_never_works_as_a_table(hromada, schools):
    real = DatastoreTable.objects.get(version=schools.current).table_name
    refused(hromada, f'SELECT * FROM "{real}"')


def test_an_error_of_the_database_is_a_validation_error_naming_the_resource(hromada, schools):
    e = refused(hromada, f'SELECT nope FROM "{schools.public_id}"', "datastore_validation")
    real = DatastoreTable.objects.get(version=schools.current).table_name
    assert real not in str(e.message)
    # The connection is usable afterwards, in the same transaction.
    assert datastore_search(hromada, schools.public_id)["total"] == 3


def test_a_query_is_stopped_at_the_time_limit(hromada, schools, settings):
    settings.DATASTORE_SQL_TIMEOUT_MS = 50
    rid = schools.public_id
    slow = (
        f'SELECT count(*) FROM "{rid}" a, "{rid}" b, "{rid}" c, "{rid}" d, "{rid}" e, "{rid}" f2, "{rid}" g, '
        f'"{rid}" h, "{rid}" i, "{rid}" j, "{rid}" k, "{rid}" l, "{rid}" m, "{rid}" n, "{rid}" o, "{rid}" p'
    )
    e = refused(hromada, slow, "datastore_validation")
    assert "зупинено" in str(e.message)
    settings.DATASTORE_SQL_TIMEOUT_MS = 5000
    assert run(hromada, f'SELECT count(*) AS n FROM "{rid}"')["records"] == [{"n": 3}]


def test_the_transaction_is_writable_again_after_a_query(hromada, schools):
    run(hromada, f'SELECT * FROM "{schools.public_id}"')
    with connection.cursor() as cursor:
        cursor.execute("UPDATE opendata_resource SET downloads = downloads + 1 WHERE id = %s", [schools.pk])
    schools.refresh_from_db()
    assert schools.downloads == 1
