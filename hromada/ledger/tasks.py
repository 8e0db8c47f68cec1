"""Periodic sealing of the ledger.

The scheduler in the worker calls seal_all_hromadas() every LEDGER_SEAL_INTERVAL
seconds; ledger_seal_task is the same job as a django-tasks task, for enqueueing by
hand (e.g. right after a bulk import)."""

from __future__ import annotations

import logging
import time

from django_tasks import task

from hromada.tenancy.models import Hromada

from .services import ledger_seal

logger = logging.getLogger(__name__)


def seal_all_hromadas() -> dict:
    """Seal every hromada's pending ledger entries. A failure in one hromada is
    logged and does not stop the others. Returns a summary for logs and tests."""
    started = time.monotonic()
    sealed: dict[str, int] = {}
    failed: list[str] = []
    # Every hromada (there are few), not "those with entries": finding those would
    # read the whole entry table. A seal with nothing pending costs two small queries.
    for hromada in Hromada.objects.order_by("pk"):
        try:
            head = ledger_seal(hromada=hromada)
        except Exception:  # noqa: BLE001 - one hromada's failure must not stop the rest
            logger.exception("ledger: sealing %s failed", hromada.slug)
            failed.append(hromada.slug)
            continue
        if head is not None:
            sealed[hromada.slug] = head.tree_size
    return {"sealed": sealed, "failed": failed, "seconds": round(time.monotonic() - started, 3)}


@task()
def ledger_seal_task() -> dict:
    return seal_all_hromadas()
