"""Loading resource versions into the DataStore: encodings, delimiters, XLSX, type
inference and widening, refusals, progress, the switch between versions."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection

from hromada.ledger.models import LedgerEntry
from hromada.opendata.datastore import (
    backend,
    current_table,
    datastore_search,
    load_now,
    load_table,
    schedule_load,
)
from hromada.opendata.datastore.infer import infer_type
from hromada.opendata.datastore.load import ERRORS_KEPT
from hromada.opendata.datastore.names import column_names
from hromada.opendata.datastore.readers import detect_delimiter, detect_encoding
from hromada.opendata.models import DatastoreTable, LoadState, Resource

from . import factories_datastore as f

pytestmark = pytest.mark.django_db

SCHOOLS = "Назва закладу;Учнів;Бюджет, грн;Відкрито;Працює\nЛіцей №1;512;1 250 000,50;01.09.1965;так\nГімназія «Надія»;230;870000;1990-09-01;ні\n"


def table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        if backend.is_pg():
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"datastore.{name}"])
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type='table' AND name=%s", [name])
        return bool(cursor.fetchone()[0])


def records(hromada, res, **kw):
    return datastore_search(hromada, res.public_id, **kw)["records"]


@pytest.mark.parametrize(
    "encoding,expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8"), ("cp1251", "cp1251"), ("utf-16", "utf-16")],
)
def test_a_ukrainian_file_is_read_in_its_encoding(hromada, encoding, expected):
    res = f.resource(hromada, SCHOOLS.encode(encoding))
    table = load_now(res.current)
    assert table.state == LoadState.DONE, table.message
    assert table.encoding == expected
    assert [c["source"] for c in table.columns][0] == "Назва закладу"
    assert records(hromada, res)[1]["nazva_zakladu"] == "Гімназія «Надія»"


def test_encoding_detection_falls_back_to_charset_normalizer():
    text = "Ελληνικά δεδομένα και πίνακες με ονόματα και τιμές, " * 20
    assert detect_encoding(text.encode("iso8859_7")) not in ("utf-8", "cp1251")
    assert detect_encoding("Київ, Львів, Одеса — ґанок, їжак, єнот".encode("cp1251")) == "cp1251"


def test_a_decimal_comma_or_a_comma_in_a_header_does_not_make_comma_the_delimiter():
    text = "Код;Район;Сума, грн\n1;Центральний;12,50\n2;Північний;7,25\n"
    assert detect_delimiter(text) == ";"
    assert detect_delimiter("n\n1\n2,75\n") != ","  # one column: nothing splits it


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_delimiter_is_detected(hromada, delimiter):
    rows = [["name", "amount", "note"], ["a", "1", "x y"], ["b", "2", "z"]]
    assert detect_delimiter("\n".join(delimiter.join(r) for r in rows)) == delimiter
    content = "\n".join(delimiter.join(r) for r in rows).encode()
    res = f.resource(hromada, content)
    table = load_now(res.current)
    assert [c["id"] for c in table.columns] == ["name", "amount", "note"]
    assert records(hromada, res)[0] == {"_id": 1, "name": "a", "amount": 1, "note": "x y"}


def test_types_are_inferred_and_named_as_ckan_names_them(hromada):
    res = f.resource(hromada, SCHOOLS.encode())
    table = load_now(res.current)
    assert [(c["id"], c["type"]) for c in table.columns] == [
        ("nazva_zakladu", "text"),
        ("uchniv", "int"),
        ("biudzhet_hrn", "numeric"),
        ("vidkryto", "date"),
        ("pratsiuie", "bool"),
    ]
    first = records(hromada, res)[0]
    assert first == {
        "_id": 1,
        "nazva_zakladu": "Ліцей №1",
        "uchniv": 512,
        "biudzhet_hrn": 1250000.5,
        "vidkryto": "1965-09-01",
        "pratsiuie": True,
    }
    fields = datastore_search(hromada, res.public_id)["fields"]
    assert fields[0] == {"id": "_id", "type": "int"}
    assert fields[3]["info"]["label"] == "Бюджет, грн"


def test_inference_keeps_codes_with_leading_zeros_as_text():
    assert infer_type(["04012345", "12345678"]) == "text"  # ЄДРПОУ codes
    assert infer_type(["1", "2", ""]) == "int"
    assert infer_type(["1", "2,5"]) == "numeric"
    assert infer_type(["2026-01-01 10:00", "2026-01-02"]) == "timestamp"
    assert infer_type(["так", "ні", "Так"]) == "bool"
    assert infer_type(["", None]) == "text"
    assert infer_type(["99999999999999999999"]) == "numeric"  # beyond bigint


def test_column_names_are_identifiers_and_unique():
    assert column_names(["Назва", "назва", "", "1 квартал", "_id", "Сума (грн)"]) == [
        "nazva",
        "nazva_2",
        "column_3",
        "c_1_kvartal",
        "id",
        "suma_hrn",
    ]


def test_a_later_value_that_does_not_fit_widens_the_column_and_loses_no_row(hromada, monkeypatch):
    from hromada.opendata.datastore import load as load_module

    monkeypatch.setattr(load_module, "SAMPLE_ROWS", 3)
    monkeypatch.setattr(load_module, "BATCH_ROWS", 4)
    lines = ["id,amount,day"] + [f"{i},{i},2026-01-0{1 + i % 9}" for i in range(1, 10)]
    lines += ["10,12.5,2026-01-10 08:30", "11,н/д,ніколи"]
    res = f.resource(hromada, "\n".join(lines).encode())
    table = load_now(res.current)
    assert table.state == LoadState.DONE
    assert table.rows_loaded == 11 and table.rows_refused == 0
    types = {c["id"]: c["type"] for c in table.columns}
    assert types == {"id": "int", "amount": "text", "day": "text"}
    got = records(hromada, res, sort="_id")
    assert [r["amount"] for r in got] == [str(i) for i in range(1, 10)] + ["12.5", "н/д"]
    assert got[0]["day"] == "2026-01-02 00:00:00"  # widened to timestamp, then to text
    assert "amount" in table.message or "«amount»" in table.message


def test_int_widens_to_numeric_when_the_value_is_a_number(hromada, monkeypatch):
    from hromada.opendata.datastore import load as load_module

    monkeypatch.setattr(load_module, "SAMPLE_ROWS", 2)
    res = f.resource(hromada, b"n\n1\n2\n3\n2,75\n")
    table = load_now(res.current)
    assert [c["type"] for c in table.columns] == ["numeric"]
    assert [r["n"] for r in records(hromada, res)] == [1, 2, 3, 2.75]


def test_rows_that_cannot_be_placed_are_refused_with_their_number_column_value_and_reason(hromada):
    content = b"a,b\n1,x\n2,y,extra\n3\n4,bad\x00nul\n5,z,\n"
    res = f.resource(hromada, content)
    table = load_now(res.current)
    assert table.state == LoadState.DONE
    assert table.rows_loaded == 3 and table.rows_refused == 2
    assert [e["row"] for e in table.errors] == [3, 5]
    assert table.errors[0]["value"] == "extra" and "значень" in table.errors[0]["reason"]
    assert table.errors[1]["column"] == "b" and "NUL" in table.errors[1]["reason"]
    got = records(hromada, res)
    assert [(r["a"], r["b"]) for r in got] == [(1, "x"), (3, None), (5, "z")]  # short row padded


def test_only_the_first_thousand_refusals_are_kept(hromada):
    lines = ["a"] + ["1,2"] * (ERRORS_KEPT + 5) + ["7"]
    res = f.resource(hromada, "\n".join(lines).encode())
    table = load_now(res.current)
    assert table.rows_refused == ERRORS_KEPT + 5
    assert len(table.errors) == ERRORS_KEPT
    assert table.rows_loaded == 1


def test_progress_is_written_every_batch(hromada, monkeypatch):
    from hromada.opendata.datastore import load as load_module

    monkeypatch.setattr(load_module, "BATCH_ROWS", 10)
    seen = []
    real = load_module._write

    def spy(load, batch, bytes_read):
        real(load, batch, bytes_read)
        t = DatastoreTable.objects.get(pk=load.table.pk)
        seen.append((t.state, t.rows_loaded, t.bytes_read))

    monkeypatch.setattr(load_module, "_write", spy)
    content = ("n\n" + "\n".join(str(i) for i in range(1, 36))).encode()
    res = f.resource(hromada, content)
    table = load_now(res.current)
    assert [s[1] for s in seen] == [10, 20, 30, 35]
    assert all(s[0] == LoadState.LOADING for s in seen)
    assert table.bytes_read == len(content) and table.rows_loaded == 35


def test_xlsx_loads_its_first_sheet_with_native_types(hromada):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Район", "Населення", "Площа", "Дата"])
    sheet.append(["Центральний", 12000, 10.5, dt.datetime(2026, 1, 1)])
    sheet.append(["Північний", 8000, 7.25, dt.datetime(2026, 2, 1)])
    book.create_sheet("Інший").append(["not", "read"])
    buffer = io.BytesIO()
    book.save(buffer)
    res = f.resource(hromada, buffer.getvalue(), filename="raions.xlsx", fmt="XLSX")
    table = load_now(res.current)
    assert table.state == LoadState.DONE, table.message
    assert [(c["id"], c["type"]) for c in table.columns] == [
        ("raion", "text"),
        ("naselennia", "int"),
        ("ploshcha", "numeric"),
        ("data", "date"),
    ]
    assert records(hromada, res)[1] == {
        "_id": 2,
        "raion": "Північний",
        "naselennia": 8000,
        "ploshcha": 7.25,
        "data": "2026-02-01",
    }


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "порожній"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "XLS"),
        (b"PK\x03\x04garbage", "XLSX"),
    ],
)
def test_a_file_that_is_not_a_table_fails_the_load_and_keeps_nothing(hromada, content, reason):
    res = f.resource(hromada, content)
    table = load_now(res.current)
    assert table.state == LoadState.FAILED
    assert reason in table.message
    assert not table_exists(table.table_name)
    res.refresh_from_db()
    assert res.datastore_active is False


def test_a_new_version_switches_only_when_loaded_and_the_old_table_is_dropped(hromada):
    res = f.resource(hromada, b"n\n1\n2\n")
    first = load_now(res.current)
    assert LedgerEntry.objects.filter(kind="opendata.datastore_loaded").count() == 1
    v2 = f.version(res, b"n,m\n3,x\n")
    second = schedule_load(v2)
    assert second.state == LoadState.PENDING
    # Until the new version is loaded, the API answers from the first one.
    assert [r["n"] for r in records(hromada, res)] == [1, 2]
    load_table(second.pk)
    assert [r["n"] for r in records(hromada, res)] == [3]
    assert not table_exists(first.table_name)
    assert not DatastoreTable.objects.filter(pk=first.pk).exists()
    assert current_table(res).pk == second.pk
    entry = LedgerEntry.objects.filter(kind="opendata.datastore_loaded").order_by("-id").first()
    assert entry is not None and entry.payload["version"] == 2 and entry.payload["rows"] == 1


def test_a_failed_new_version_keeps_the_previous_table_published(hromada):
    res = f.resource(hromada, b"n\n1\n2\n")
    first = load_now(res.current)
    v2 = f.version(res, b"")
    failed = load_now(v2)
    assert failed.state == LoadState.FAILED
    res.refresh_from_db()
    assert res.datastore_active is True
    assert table_exists(first.table_name)
    assert [r["n"] for r in records(hromada, res)] == [1, 2]


def test_an_older_version_finishing_after_a_newer_one_is_discarded(hromada):
    res = f.resource(hromada, b"n\n1\n")
    v1 = res.current
    old = schedule_load(v1)
    v2 = f.version(res, b"n\n2\n")
    load_now(v2)
    load_table(old.pk)
    assert not DatastoreTable.objects.filter(pk=old.pk).exists()
    assert not table_exists(old.table_name)
    assert [r["n"] for r in records(hromada, res)] == [2]


def test_schedule_load_enqueues_after_commit(hromada, django_capture_on_commit_callbacks):
    res = f.resource(hromada, b"n\n5\n")
    with django_capture_on_commit_callbacks(execute=True):
        table = schedule_load(res.current)
    table.refresh_from_db()
    assert table.state == LoadState.DONE  # the test settings run tasks at once
    assert records(hromada, res)[0]["n"] == 5


def test_a_load_is_run_once(hromada):
    res = f.resource(hromada, b"n\n5\n")
    table = load_now(res.current)
    assert load_table(table.pk) == {"skipped": True}
    assert table.rows_loaded == 1


def test_a_stale_load_is_restarted_by_the_tick(hromada):
    import datetime as dt

    from django.utils import timezone

    from hromada.opendata.datastore.load import loads_tick

    res = f.resource(hromada, b"n\n5\n")
    table = schedule_load(res.current)
    DatastoreTable.objects.filter(pk=table.pk).update(
        state=LoadState.LOADING, updated_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert loads_tick() == 1
    table.refresh_from_db()
    assert table.state == LoadState.PENDING
    load_table(table.pk)
    assert records(hromada, res)[0]["n"] == 5


def test_datastore_active_resource_payload_is_json(hromada):
    res = f.resource(hromada, SCHOOLS.encode())
    load_now(res.current)
    res = Resource.objects.get(pk=res.pk)
    assert res.datastore_active
    json.dumps(datastore_search(hromada, res.public_id))
