"""A clock that can be set, for building history through the services (the demo's
petitions submitted weeks ago, signed over days, answered last month) instead of
writing past dates into rows afterwards, which the ledger would contradict.

Every service reads the time through `django.utils.timezone.now()` (and
`timezone.localdate()`, which uses it), and so do `auto_now`/`auto_now_add` fields.
`travel_to(moment)` makes that function answer `moment`, a microsecond later on each
call so the order of writes stays strict. It replaces a process-wide function: use it
only in single-threaded commands (the demo) and tests, never in a serving process.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_real_now = timezone.now
_lock = threading.Lock()


@contextmanager
def travel_to(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("travel_to needs a timezone-aware moment")
    state = {"now": moment.astimezone(dt.UTC)}

    def now() -> dt.datetime:
        with _lock:
            state["now"] += dt.timedelta(microseconds=1)
            return state["now"]

    previous = timezone.now
    timezone.now = now
    try:
        yield
    finally:
        timezone.now = previous


def real_now() -> dt.datetime:
    """The wall clock, whatever travel_to says."""
    return _real_now()
