"""Periodic jobs and the worker's heartbeat, run by `manage.py worker` in a thread
beside the task loop.

A job is a dotted path to a callable taking no arguments (a plain function, or a
django-tasks Task, which is then called in the scheduler thread rather than queued),
with an interval in seconds. The list is settings.PERIODIC_JOBS, or `default_jobs()`.
Paths are imported when a job first runs, so a job whose module is missing or broken
is logged and retried the next period, like a job that raises; the worker never dies
of it. Jobs must be idempotent: they may run twice if two workers run schedulers.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("hromada.worker")

HEARTBEAT_NAME = "worker"
HEARTBEAT_SECONDS = 10.0


def default_jobs() -> list[tuple[str, float]]:
    return [
        ("hromada.ledger.tasks.seal_all_hromadas", float(getattr(settings, "LEDGER_SEAL_INTERVAL", 10))),
        ("hromada.petitions.tasks.petitions_tick", 15.0),
        ("hromada.notify.tasks.retry_pending_emails", 300.0),
    ]


def periodic_jobs() -> list[tuple[str, float]]:
    jobs = getattr(settings, "PERIODIC_JOBS", None)
    if jobs is None:
        jobs = default_jobs()
    return [(str(path), float(interval)) for path, interval in jobs]


def beat(name: str = HEARTBEAT_NAME) -> None:
    """Record that `name` is alive now (read by /healthz and /metrics)."""
    from .models import Heartbeat

    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now()})


def run_job(path: str) -> bool:
    """Import and run one job. Logs and swallows any failure; True when it succeeded."""
    started = time.monotonic()
    try:
        target = import_string(path)
        call: Callable = getattr(target, "call", target)  # a django-tasks Task runs in place
        result = call()
    except Exception:  # noqa: BLE001 - a failing job must never stop the worker
        logger.exception("periodic job %s failed; it will run again next period", path)
        return False
    finally:
        close_old_connections()
    logger.debug("periodic job %s done in %.2fs: %r", path, time.monotonic() - started, result)
    return True


@dataclass
class Scheduler:
    """Runs the heartbeat and every job at its interval until `stop()`.

    Each job first runs when the scheduler starts, then `interval` seconds after its
    previous start (a slow job is not started twice at once: the next run waits)."""

    jobs: list[tuple[str, float]]
    heartbeat_seconds: float = HEARTBEAT_SECONDS
    heartbeat_name: str = HEARTBEAT_NAME
    tick: float = 0.5
    clock: Callable[[], float] = time.monotonic
    _stop: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        logger.info(
            "scheduler started: %s", ", ".join(f"{p} every {i:g}s" for p, i in self.jobs) or "no jobs"
        )
        now = self.clock()
        next_beat = now
        next_run = {path: now for path, _interval in self.jobs}
        try:
            while not self._stop.is_set():
                now = self.clock()
                if now >= next_beat:
                    self._beat()
                    next_beat = now + self.heartbeat_seconds
                for path, interval in self.jobs:
                    if self._stop.is_set():
                        break
                    if now >= next_run[path]:
                        run_job(path)
                        next_run[path] = now + interval
                self._stop.wait(self.tick)
        finally:
            connection.close()
            logger.info("scheduler stopped")

    def _beat(self) -> None:
        try:
            beat(self.heartbeat_name)
        except Exception:  # noqa: BLE001 - a database hiccup must not stop the scheduler
            logger.exception("could not write the worker heartbeat")
        finally:
            close_old_connections()

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="hromada-scheduler", daemon=True)
        thread.start()
        return thread
