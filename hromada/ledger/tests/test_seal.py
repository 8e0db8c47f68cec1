import base64
import datetime as dt

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.utils import timezone

from hromada.ledger import merkle, services
from hromada.ledger.canonical import tree_head_message
from hromada.ledger.models import LedgerEntry, LedgerKey, LedgerLeaf, SignedTreeHead
from hromada.ledger.services import ledger_seal
from hromada.ledger.tasks import ledger_seal_task, seal_all_hromadas
from hromada.ledger.verify import verify_database

from .helpers import naive_mth, sign_some


def _leaves(hromada):
    return [
        bytes.fromhex(h)
        for h in LedgerLeaf.objects.filter(hromada=hromada)
        .order_by("index")
        .values_list("entry__leaf_hash", flat=True)
    ]


def test_nothing_pending_gives_no_tree_head(hromada):
    assert ledger_seal(hromada=hromada) is None
    assert not SignedTreeHead.objects.exists()


def test_seal_numbers_pending_entries_in_id_order_and_signs_the_root(hromada):
    entries = sign_some(hromada, 5)

    head = ledger_seal(hromada=hromada)

    assert head.tree_size == 5
    assert list(
        LedgerLeaf.objects.filter(hromada=hromada).order_by("index").values_list("index", "entry_id")
    ) == [(i, e.pk) for i, e in enumerate(entries)]
    assert head.root_hash == naive_mth([bytes.fromhex(e.leaf_hash) for e in entries]).hex()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(head.key.public_key))
    public.verify(
        base64.b64decode(head.signature),
        tree_head_message(
            slug=hromada.slug, tree_size=5, root_hash=head.root_hash, timestamp_ms=head.timestamp_ms
        ),
    )
    assert head.timestamp.microsecond % 1000 == 0  # signed to the millisecond
    assert ledger_seal(hromada=hromada) is None  # nothing new


def test_successive_seals_extend_the_same_tree(hromada):
    sizes = []
    for batch in (1, 2, 5, 1, 8, 3):
        sign_some(hromada, batch, start=sum(sizes))
        head = ledger_seal(hromada=hromada)
        sizes.append(batch)
        assert head.tree_size == sum(sizes)
        assert head.root_hash == naive_mth(_leaves(hromada)).hex()
        assert merkle.frontier_is_valid([bytes.fromhex(n) for n in head.frontier], head.tree_size)
    assert list(SignedTreeHead.objects.order_by("tree_size").values_list("tree_size", flat=True)) == [
        1,
        3,
        8,
        9,
        17,
        20,
    ]
    assert verify_database(hromada=hromada).tree_size == 20


def test_each_hromada_has_its_own_tree(hromada, other_hromada):
    sign_some(hromada, 3)
    sign_some(other_hromada, 2)
    assert ledger_seal(hromada=hromada).tree_size == 3
    assert ledger_seal(hromada=other_hromada).tree_size == 2
    assert list(LedgerLeaf.objects.filter(hromada=other_hromada).values_list("index", flat=True)) == [0, 1]


def _late_entry(hromada, *, entry_id: int, created_at=None) -> LedgerEntry:
    """An entry exactly as ledger_append writes it, but with the id of one whose
    transaction started earlier and commits only now."""
    with transaction.atomic():
        sid = transaction.savepoint()
        entry = services.ledger_append(hromada=hromada, kind="sample.signed", payload={"signer": "late"})
        transaction.savepoint_rollback(sid)
    entry.pk = entry_id
    if created_at is not None:
        entry.created_at = created_at
    entry.save(force_insert=True)
    return entry


def test_an_entry_committed_after_a_seal_with_a_lower_id_gets_the_next_index(hromada):
    first = sign_some(hromada, 1)[0]
    gap_id = first.pk + 1
    later = _late_entry(hromada, entry_id=first.pk + 5)
    assert ledger_seal(hromada=hromada).tree_size == 2  # first and later; the gap is not visible yet

    straggler = _late_entry(hromada, entry_id=gap_id)  # its transaction commits only now
    head = ledger_seal(hromada=hromada, full_scan=False)  # the regular seal finds it

    assert head.tree_size == 3
    indexes = dict(LedgerLeaf.objects.filter(hromada=hromada).values_list("entry_id", "index"))
    assert indexes == {first.pk: 0, later.pk: 1, straggler.pk: 2}
    assert verify_database(hromada=hromada).tree_size == 3


def test_a_straggler_open_longer_than_the_window_waits_for_the_hourly_full_scan(hromada, monkeypatch):
    first = sign_some(hromada, 1)[0]
    _late_entry(hromada, entry_id=first.pk + 100)
    ledger_seal(hromada=hromada)  # seals ids up to first.pk + 100
    # A transaction that drew id first.pk + 50 before that seal commits only after
    # more than STRAGGLER_WINDOW; meanwhile sealing went on.
    later = timezone.now() + services.STRAGGLER_WINDOW + dt.timedelta(minutes=1)
    monkeypatch.setattr(services.timezone, "now", lambda: later)
    straggler = _late_entry(hromada, entry_id=first.pk + 50)

    assert ledger_seal(hromada=hromada, full_scan=False) is None  # below the scan floor
    head = ledger_seal(hromada=hromada, full_scan=True)

    assert head.tree_size == 3
    assert LedgerLeaf.objects.get(entry=straggler).index == 2
    assert verify_database(hromada=hromada).tree_size == 3


def test_regular_seals_scan_only_above_the_floor_of_the_window(hromada, monkeypatch):
    sign_some(hromada, 3)
    first = ledger_seal(hromada=hromada)
    assert first.max_entry_id == LedgerEntry.objects.order_by("-id").first().pk
    assert services._scan_floor(hromada, timezone.now()) == 0  # no head is older than the window yet
    later = timezone.now() + services.STRAGGLER_WINDOW + dt.timedelta(seconds=1)
    assert services._scan_floor(hromada, later) == first.max_entry_id


def test_full_scan_is_due_once_per_period():
    hour = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    assert not services._due_full_scan(hour + dt.timedelta(minutes=1), hour + dt.timedelta(minutes=59))
    assert services._due_full_scan(hour + dt.timedelta(minutes=59), hour + dt.timedelta(minutes=61))


def test_a_lost_frontier_is_rebuilt_from_the_leaves(hromada):
    sign_some(hromada, 7)
    ledger_seal(hromada=hromada)
    last = SignedTreeHead.objects.get()
    last.frontier = []  # as if written by an older version
    assert services._frontier_of(hromada, last) == [
        bytes.fromhex(n) for n in SignedTreeHead.objects.get().frontier
    ]


def test_tree_head_times_never_go_back(hromada, monkeypatch):
    sign_some(hromada, 1)
    first = ledger_seal(hromada=hromada)
    sign_some(hromada, 1, start=1)
    monkeypatch.setattr(services.timezone, "now", lambda: first.timestamp - dt.timedelta(hours=1))
    second = ledger_seal(hromada=hromada)
    assert second.timestamp == first.timestamp


def test_the_signing_key_is_recorded_once(hromada, other_hromada):
    sign_some(hromada, 1)
    sign_some(other_hromada, 1)
    ledger_seal(hromada=hromada)
    ledger_seal(hromada=other_hromada)
    assert LedgerKey.objects.count() == 1


def test_seal_all_hromadas_seals_each_and_survives_a_failure(hromada, other_hromada, monkeypatch):
    sign_some(hromada, 2)
    sign_some(other_hromada, 3)
    real_seal = services.ledger_seal

    def flaky(*, hromada):
        if hromada.pk == other_hromada.pk:
            raise RuntimeError("disk full")
        return real_seal(hromada=hromada)

    monkeypatch.setattr("hromada.ledger.tasks.ledger_seal", flaky)
    summary = seal_all_hromadas()
    assert summary["sealed"] == {hromada.slug: 2}
    assert summary["failed"] == [other_hromada.slug]

    monkeypatch.undo()
    summary = seal_all_hromadas()
    assert summary["sealed"] == {other_hromada.slug: 3}
    assert seal_all_hromadas()["sealed"] == {}


def test_the_task_wrapper_seals(hromada):
    sign_some(hromada, 2)
    result = ledger_seal_task.call()
    assert SignedTreeHead.objects.get(hromada=hromada).tree_size == 2
    assert result["sealed"] == {hromada.slug: 2}


@pytest.mark.parametrize("count", [1, 6, 7, 8, 21, 22, 30])
def test_seal_across_chunk_and_batch_boundaries(hromada, count, monkeypatch):
    monkeypatch.setattr(services, "_CHUNK", 7)
    monkeypatch.setattr(services, "_BATCH", 3)
    sign_some(hromada, count)
    head = ledger_seal(hromada=hromada)
    assert head.tree_size == count
    assert head.root_hash == naive_mth(_leaves(hromada)).hex()
    assert list(LedgerLeaf.objects.order_by("index").values_list("index", flat=True)) == list(
        range(head.tree_size)
    )
