import datetime as dt
import decimal
import hashlib
import json
import uuid

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from hromada.ledger.canonical import InvalidLedgerEntry
from hromada.ledger.models import LedgerEntry, LedgerLeaf
from hromada.ledger.services import ledger_append

THING = "2f1c6a55-6d8e-4bd8-9b43-3f2b7f0d9a11"


def test_append_writes_canonical_bytes_and_their_leaf_hash(hromada):
    entry = ledger_append(
        hromada=hromada, kind="sample.signed", payload={"signer": "ab" * 16, "thing": THING}
    )

    entry.refresh_from_db()
    doc = json.loads(entry.canonical)
    assert doc == {
        "v": 1,
        "hromada": hromada.slug,
        "kind": "sample.signed",
        "payload": {"thing": THING, "signer": "ab" * 16},
        "created_at": entry.created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "uuid": str(entry.uuid),
    }
    # Canonical: sorted keys, no whitespace.
    assert entry.canonical == json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert entry.leaf_hash == hashlib.sha256(b"\x00" + entry.canonical.encode()).hexdigest()
    assert entry.payload == {"thing": THING, "signer": "ab" * 16}
    assert not LedgerLeaf.objects.filter(entry=entry).exists()  # pending until the next seal


def test_ukrainian_text_is_stored_as_utf8_not_escaped(hromada):
    entry = ledger_append(hromada=hromada, kind="sample.opened", payload={"title": "Сквер на Шевченка"})
    assert "Сквер на Шевченка" in entry.canonical
    assert entry.leaf_hash == hashlib.sha256(b"\x00" + entry.canonical.encode("utf-8")).hexdigest()


def test_append_is_exactly_one_insert_and_reads_nothing(hromada):
    ledger_append(hromada=hromada, kind="sample.opened", payload={"thing": THING})
    with CaptureQueriesContext(connection) as queries:
        ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "x"})
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 1, statements
    assert statements[0].lstrip().upper().startswith("INSERT INTO")
    assert "ledger_ledgerentry" in statements[0]
    assert "FOR UPDATE" not in statements[0].upper()


def test_append_joins_the_callers_transaction(hromada):
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "x"})
        raise RuntimeError("the signature failed after the ledger entry was written")
    assert not LedgerEntry.objects.exists()


def test_tuples_are_stored_as_the_lists_the_bytes_say(hromada):
    entry = ledger_append(hromada=hromada, kind="sample.answered", payload={"files": ("a.pdf", "b.pdf")})
    entry.refresh_from_db()
    assert entry.payload == {"files": ["a.pdf", "b.pdf"]}
    assert json.loads(entry.canonical)["payload"] == entry.payload


@pytest.mark.parametrize(
    "kind",
    [
        "",
        "sample",
        "Sample.signed",
        "sample.signed.twice",
        "sample signed",
        "sample.",
        ".signed",
        "sample.signed!",
        "річ.підписана",
        "a." + "b" * 70,
        None,
        5,
    ],
)
def test_invalid_kind_is_refused_and_nothing_written(hromada, kind):
    with pytest.raises(InvalidLedgerEntry, match="kind"):
        ledger_append(hromada=hromada, kind=kind, payload={})
    assert not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"when": dt.datetime(2025, 1, 1, tzinfo=dt.UTC)}, "datetime, which is not JSON"),
        ({"thing": uuid.uuid4()}, "UUID, which is not JSON"),
        ({"sum": decimal.Decimal("1.5")}, "Decimal, which is not JSON"),
        ({"tags": {"a", "b"}}, "set, which is not JSON"),
        ({1: "x"}, "JSON keys are strings"),
        ({"x": float("nan")}, "not a JSON number"),
        ({"x": float("inf")}, "not a JSON number"),
        ({"x": "a\x00b"}, "NUL"),
        ({"x": "\ud800"}, "lone surrogate"),
        ({"x": [[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]}, "nested deeper"),
        (["not", "a", "dict"], "must be a dict"),
        ({"big": "x" * 40_000}, "larger than"),
    ],
)
def test_non_json_payload_is_refused_with_a_clear_error(hromada, payload, message):
    with pytest.raises(InvalidLedgerEntry, match=message):
        ledger_append(hromada=hromada, kind="sample.signed", payload=payload)
    assert not LedgerEntry.objects.exists()


def test_each_entry_has_its_own_uuid_and_bytes(hromada):
    a = ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "same"})
    b = ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "same"})
    assert a.uuid != b.uuid
    assert a.leaf_hash != b.leaf_hash


def test_entries_name_their_hromada(hromada, other_hromada):
    a = ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "s"})
    b = ledger_append(hromada=other_hromada, kind="sample.signed", payload={"signer": "s"})
    assert json.loads(a.canonical)["hromada"] == hromada.slug
    assert json.loads(b.canonical)["hromada"] == other_hromada.slug
    assert a.hromada_id == hromada.pk and b.hromada_id == other_hromada.pk
