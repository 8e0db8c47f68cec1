"""Real concurrent transactions (PostgreSQL: SQLite runs one writer at a time, so
there the same situations are built step by step in test_seal.py)."""

import threading

import pytest
from django.db import connection, connections, transaction

from hromada.ledger.db import wipe_ledger_for_tests
from hromada.ledger.models import LedgerEntry, LedgerLeaf
from hromada.ledger.services import ledger_append, ledger_seal
from hromada.ledger.verify import verify_database
from hromada.tenancy.tests.factories import HromadaFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only_and_clean():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    yield
    # The flush after a transactional test truncates every table; the ledger only
    # lets an empty table be truncated.
    wipe_ledger_for_tests()


def _in_thread(target):
    def run():
        try:
            target()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_lower_id_committed_after_a_seal_is_sealed_next_not_skipped():
    hromada = HromadaFactory()
    started, go = threading.Event(), threading.Event()
    holder = {}

    def slow_signer():
        with transaction.atomic():
            holder["entry"] = ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "slow"})
            started.set()
            go.wait(10)

    thread = _in_thread(slow_signer)
    assert started.wait(10)
    fast = ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "fast"})
    slow = holder["entry"]
    assert slow.pk < fast.pk

    first = ledger_seal(hromada=hromada)  # the slow transaction is still open
    assert first.tree_size == 1
    go.set()
    thread.join(10)
    second = ledger_seal(hromada=hromada)

    assert second.tree_size == 2
    assert dict(LedgerLeaf.objects.values_list("entry_id", "index")) == {fast.pk: 0, slow.pk: 1}
    assert verify_database(hromada=hromada).tree_size == 2


def test_appends_and_several_sealers_at_once_give_one_gapless_tree():
    hromada = HromadaFactory()
    stop = threading.Event()
    errors: list[BaseException] = []

    def guarded(body):
        def run():
            try:
                body()
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                errors.append(exc)

        return run

    def signer(n):
        def body():
            for i in range(60):
                with transaction.atomic():
                    ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": f"{n}-{i}"})

        return body

    def sealer():
        while not stop.is_set():
            ledger_seal(hromada=hromada)

    sealers = [_in_thread(guarded(sealer)) for _ in range(2)]
    signers = [_in_thread(guarded(signer(n))) for n in range(4)]
    for thread in signers:
        thread.join(60)
    stop.set()
    for thread in sealers:
        thread.join(60)
    ledger_seal(hromada=hromada, full_scan=True)

    assert not errors, errors
    assert LedgerEntry.objects.count() == 240
    indexes = sorted(LedgerLeaf.objects.filter(hromada=hromada).values_list("index", flat=True))
    assert indexes == list(range(240))
    report = verify_database(hromada=hromada)
    assert report.tree_size == 240 and report.pending == 0
