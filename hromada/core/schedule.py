"""Periodic jobs and the worker's heartbeat, run by `manage.py worker` in a thread
beside the task loop.

A job is a dotted path to a callable taking no arguments (a plain function, or a
django-tasks Task, which is then called in the job's thread rather than queued), with
an interval in seconds. The jobs are those every module declares in its module.py
(`Job`); settings.PERIODIC_JOBS, when set, replaces the list (tests, a special
install). Each job runs in a thread of its own, so a slow job (a big petitions tick)
never delays another (the ledger seal every 10 s).
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

from .modules import registry

logger = logging.getLogger("hromada.worker")

HEARTBEAT_NAME = "worker"
HEARTBEAT_SECONDS = 10.0


def default_jobs() -> list[tuple[str, float]]:
    """Every module's periodic jobs (module.py)."""
    return [(job.path, job.seconds) for job in registry.jobs()]


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
    previous start (a slow job is not started twice at once: the next run waits). With
    `threaded` (the default) each job has a thread of its own, so a slow job delays
    only itself; without, the jobs take turns in one thread (tests with a fake clock)."""

    jobs: list[tuple[str, float]]
    heartbeat_seconds: float = HEARTBEAT_SECONDS
    heartbeat_name: str = HEARTBEAT_NAME
    tick: float = 0.5
    clock: Callable[[], float] = time.monotonic
    threaded: bool = True
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
        if self.threaded:
            self._run_threaded()
            return
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

    def _run_threaded(self) -> None:
        threads = [
            threading.Thread(target=self._job_loop, args=(path, interval), name=f"job {path}", daemon=True)
            for path, interval in self.jobs
        ]
        for thread in threads:
            thread.start()
        try:
            while not self._stop.is_set():
                self._beat()
                self._stop.wait(self.heartbeat_seconds)
        finally:
            for thread in threads:
                thread.join(timeout=30)
            connection.close()
            logger.info("scheduler stopped")

    def _job_loop(self, path: str, interval: float) -> None:
        next_run = self.clock()
        try:
            while not self._stop.is_set():
                now = self.clock()
                if now >= next_run:
                    run_job(path)
                    next_run = now + interval
                self._stop.wait(max(0.0, min(self.tick, next_run - self.clock())))
        finally:
            connection.close()  # this thread's own connection

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
