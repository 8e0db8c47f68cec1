"""The results snapshot (models.ResultSnapshot): the aggregates pages and the API show,
computed from the submitted responses away from the requests.

- `snapshot_compute` — one computation (the five GROUP BYs of
  result_selectors.compute_results, the cross-tabs, the count of responses), stored
  with `Consultation.response_count` in one transaction; on PostgreSQL its reads are
  one REPEATABLE READ snapshot, so every figure is of the same moment.
- `snapshots_tick` — the worker's job (module.py `jobs`, every TICK seconds): live
  results of open consultations every LIVE_INTERVAL seconds (at least PACE times the
  last computation's duration, so a big poll's refresh takes at most 1/PACE of the
  database), hidden ones every HIDDEN_INTERVAL (their count is on the lists, their
  results on the staff page), and once more after the close: `final`.
- `snapshot_get` — what a request reads: computed once when there is none yet (under a
  lock: concurrent requests wait for that one computation instead of each
  computing); recomputed by one request at a time (the others serve the one there is)
  when it is older than STALE_AFTER (the worker is down) or could be final now.
- `snapshot_invalidate` — moderation changed which texts are public.

Why not a striped counter for `response_count`: it would still add a write (a row
lock, a tuple, WAL) to every submission and be exact only for the count, while the
figures around it are the snapshot's; the snapshot adds nothing to a submission and
counts with the same reads as every other figure on the page. The price is a count a
few seconds behind while the consultation is open; after the close it is exact.

Derived data: no ledger entry (the ledger has every response)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from hromada.core import phases

from ..models import PHASE_OPEN, Consultation, ResultSnapshot, ResultsVisibility, Status
from ..result_selectors import BY_CHOICES, compute_crosstabs, compute_results, questions_of, results_data

TICK = 2.0  # the job's interval (module.py)
LIVE_INTERVAL = 3.0  # seconds between two computations of live results
PACE = 10  # ... and at least this many times the last computation's duration
HIDDEN_INTERVAL = 30.0  # results hidden while open: the count on the lists, the staff page
STALE_AFTER = 30.0  # a request recomputes a snapshot older than this (the worker is down)
# A submission checks the open phase with its own clock just before its statement: one
# that began before the end may commit a moment after it. A snapshot is final only when
# computed this long after the end.
FINAL_GRACE = dt.timedelta(seconds=60)
_ADVISORY_CLASS = 0x636F6E73 % 2**31  # "cons": the class number of these advisory locks


def open_ends_at(consultation: Consultation) -> dt.datetime | None:
    """The end of the open phase (the plan is the truth once published)."""
    if consultation.plan is None:
        return None
    for phase in phases.plan_phases(consultation.plan):
        if phase.code == PHASE_OPEN:
            return phase.ends_at
    return None


def _final_at(consultation: Consultation, now: dt.datetime) -> bool:
    """No response can change the results any more (closed, past the grace)."""
    if consultation.status == Status.DRAFT:
        return False
    if consultation.status == Status.CANCELLED:
        return True  # no submission is accepted once cancelled
    ends_at = open_ends_at(consultation)
    return ends_at is not None and now >= ends_at + FINAL_GRACE


def snapshot_compute(*, consultation: Consultation, now: dt.datetime | None = None) -> ResultSnapshot:
    """Compute and store the consultation's snapshot (and its response_count)."""
    now = now or timezone.now()
    final = _final_at(consultation, now)
    started = time.monotonic()
    nested = connection.in_atomic_block  # then the reads are the caller's transaction's
    with transaction.atomic():
        if connection.vendor == "postgresql" and not nested:
            with connection.cursor() as cursor:  # the first statement of the transaction
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        results = compute_results(consultation)
        questions = questions_of(consultation)
        crosstabs = {by: compute_crosstabs(consultation, questions, by) for by in BY_CHOICES}
    data = results_data(results, crosstabs)
    data["ends_at"] = _iso(open_ends_at(consultation))
    took_ms = round(1000 * (time.monotonic() - started))
    with transaction.atomic():
        snapshot, _created = ResultSnapshot.objects.update_or_create(
            consultation=consultation,
            defaults={
                "hromada_id": consultation.hromada_id,
                "respondents": results.respondents,
                "data": data,
                "computed_at": now,
                "final": final,
                "took_ms": took_ms,
            },
        )
        Consultation.objects.for_hromada(consultation.hromada_id).filter(pk=consultation.pk).exclude(
            response_count=results.respondents
        ).update(response_count=results.respondents)
    consultation.response_count = results.respondents
    return snapshot


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# --- the lock: one computation of a consultation at a time -----------------------------

_process_locks: dict[int, threading.Lock] = {}
_process_locks_guard = threading.Lock()


@contextmanager
def _computing(consultation: Consultation, *, wait: bool) -> Iterator[bool]:
    """Hold the consultation's computing lock (True) or, with wait=False, say it is
    taken (False). PostgreSQL: a session advisory lock, shared by every server process
    and the worker. SQLite (one machine, writes serialised anyway): a process lock."""
    if connection.vendor == "postgresql":
        key = [_ADVISORY_CLASS, consultation.pk % 2**31]
        with connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", key)
                got = True
            else:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
                got = bool(cursor.fetchone()[0])
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        return
    with _process_locks_guard:
        lock = _process_locks.setdefault(consultation.pk, threading.Lock())
    got = lock.acquire(blocking=wait)
    try:
        yield got
    finally:
        if got:
            lock.release()


# --- reading ---------------------------------------------------------------------------


def _stored(consultation: Consultation) -> ResultSnapshot | None:
    return (
        ResultSnapshot.objects.for_hromada(consultation.hromada_id).filter(consultation=consultation).first()
    )


def _untrusted(snapshot: ResultSnapshot, consultation: Consultation, now: dt.datetime) -> bool:
    """A request should recompute: not final and either old (no worker keeps it fresh)
    or it could be final now; final, but the open phase was moved since (extended)."""
    if snapshot.final:
        return snapshot.data.get("ends_at") != _iso(open_ends_at(consultation))
    if (now - snapshot.computed_at).total_seconds() > stale_after(snapshot):
        return True
    return _final_at(consultation, now)


def stale_after(snapshot: ResultSnapshot) -> float:
    """Seconds after which a request no longer trusts a live snapshot: STALE_AFTER, or
    more when the worker's pace (PACE × the computation's duration) spaces refreshes
    further apart — else, in a rush, the pages' requests would compute it themselves
    (seconds each) exactly when the database is busiest."""
    return max(STALE_AFTER, 2 * PACE * snapshot.took_ms / 1000 + LIVE_INTERVAL)


def snapshot_get(*, consultation: Consultation) -> ResultSnapshot:
    """The snapshot to show. None yet: computed once (the other requests wait for it);
    untrusted: recomputed by whoever gets the lock first, the rest serve the stored one."""
    snapshot = _stored(consultation)
    if snapshot is None:
        with _computing(consultation, wait=True):
            snapshot = _stored(consultation) or snapshot_compute(consultation=consultation)
        return snapshot
    now = timezone.now()
    if not _untrusted(snapshot, consultation, now):
        return snapshot
    with _computing(consultation, wait=False) as got:
        if got:
            fresh = _stored(consultation)
            if fresh is None or _untrusted(fresh, consultation, now):
                return snapshot_compute(consultation=consultation)
            return fresh
    return snapshot


def snapshot_invalidate(*, consultation: Consultation) -> None:
    """Moderation changed the public texts: a final snapshot is final no more (the next
    tick or request recomputes it); a live one is refreshed by the tick anyway."""
    ResultSnapshot.objects.for_hromada(consultation.hromada_id).filter(
        consultation=consultation, final=True
    ).update(final=False)


# --- the worker's job ------------------------------------------------------------------


def _due(
    consultation: Consultation, snapshot: ResultSnapshot | None, now: dt.datetime, interval: float
) -> bool:
    if snapshot is None:
        return True
    wait = max(interval, PACE * snapshot.took_ms / 1000)
    return (now - snapshot.computed_at).total_seconds() >= wait


def _refresh(consultation: Consultation) -> int:
    with _computing(consultation, wait=False) as got:
        if not got:
            return 0  # a request is computing it right now
        snapshot_compute(consultation=consultation)
        return 1


def snapshots_tick(*, hromada, now: dt.datetime | None = None) -> int:
    """Refresh what is due in one hromada; returns how many snapshots were computed."""
    now = now or timezone.now()
    published = (
        Consultation.objects.for_hromada(hromada)
        .filter(status=Status.PUBLISHED, plan__isnull=False)
        .select_related("plan", "hromada", "result_snapshot")
    )
    computed = 0
    open_now = published.filter(
        plan__phases__code=PHASE_OPEN, plan__phases__starts_at__lte=now, plan__phases__ends_at__gt=now
    )
    for consultation in open_now:
        live = consultation.results_visibility == ResultsVisibility.LIVE
        snapshot = getattr(consultation, "result_snapshot", None)
        if _due(consultation, snapshot, now, LIVE_INTERVAL if live else HIDDEN_INTERVAL):
            computed += _refresh(consultation)
    ended = published.filter(plan__phases__code=PHASE_OPEN, plan__phases__ends_at__lte=now).exclude(
        result_snapshot__final=True
    )
    for consultation in ended:
        snapshot = getattr(consultation, "result_snapshot", None)
        # Right after the end every tick (the last answers, then final), else at once.
        if _due(consultation, snapshot, now, LIVE_INTERVAL):
            computed += _refresh(consultation)
    return computed
