"""The database itself refuses to change or remove ledger rows."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.deletion import ProtectedError

from hromada.ledger.db import append_only_suspended
from hromada.ledger.models import LedgerEntry, LedgerKey, LedgerLeaf, LedgerLookup, LedgerNode, SignedTreeHead
from hromada.ledger.services import ledger_seal

from .helpers import sign_some

MODELS = [LedgerEntry, LedgerLeaf, SignedTreeHead, LedgerKey, LedgerLookup, LedgerNode]


@pytest.fixture
def sealed(hromada):
    sign_some(hromada, 64)  # 64: a stored subtree node too
    ledger_seal(hromada=hromada)
    assert LedgerNode.objects.exists() and LedgerLookup.objects.exists()
    return hromada


def _snapshot():
    return {model: list(model.objects.order_by("pk").values()) for model in MODELS}


def _refused(action) -> str:
    with pytest.raises(DatabaseError) as caught, transaction.atomic():
        action()
    return str(caught.value)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_update_is_refused(sealed, model):
    before = _snapshot()
    field = {
        "LedgerEntry": "kind",
        "LedgerLeaf": "index",
        "SignedTreeHead": "root_hash",
        "LedgerKey": "algorithm",
        "LedgerLookup": "key",
        "LedgerNode": "hash",
    }[model.__name__]
    value = {
        "kind": "sample.answered",
        "index": 99,
        "root_hash": "00" * 32,
        "algorithm": "RSA",
        "key": "0" * 32,
        "hash": "00" * 32,
    }[field]
    message = _refused(lambda: model.objects.update(**{field: value}))
    assert "ledger is append-only" in message
    assert _snapshot() == before


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_delete_is_refused(sealed, model):
    before = _snapshot()
    with connection.cursor() as cursor:
        message = _refused(lambda: cursor.execute(f"DELETE FROM {model._meta.db_table}"))
    assert "ledger is append-only" in message
    assert _snapshot() == before


def test_saving_a_loaded_entry_again_is_refused(sealed):
    entry = LedgerEntry.objects.first()
    entry.payload = {"signer": "someone else"}
    _refused(lambda: entry.save())
    entry.refresh_from_db()
    assert entry.payload != {"signer": "someone else"}


def test_truncate_of_a_ledger_with_rows_is_refused(sealed):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    before = _snapshot()
    tables = ", ".join(model._meta.db_table for model in MODELS)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts have deferred FK checks
        message = _refused(lambda: cursor.execute(f"TRUNCATE {tables}"))
    assert "TRUNCATE on" in message and "refused" in message
    assert _snapshot() == before


def test_truncate_of_empty_ledger_tables_is_allowed_so_test_databases_can_be_flushed(db):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    tables = ", ".join(model._meta.db_table for model in MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables}")


def test_a_hromada_with_a_ledger_cannot_be_deleted(sealed):
    with pytest.raises(ProtectedError), transaction.atomic():
        sealed.delete()
    assert LedgerEntry.objects.filter(hromada=sealed).count() == 64


def test_suspending_the_triggers_restores_them_afterwards(sealed):
    with append_only_suspended():
        LedgerLeaf.objects.filter(index=0).update(index=500)
    assert LedgerLeaf.objects.filter(index=500).exists()
    _refused(lambda: LedgerLeaf.objects.update(index=60))

    with pytest.raises(RuntimeError), append_only_suspended():
        raise RuntimeError("the block failed")
    _refused(lambda: LedgerLeaf.objects.update(index=60))
