"""`manage.py worker`: the background worker.

The main thread runs django-tasks-db's worker loop (its own `Worker` class, so claiming
with SKIP LOCKED, graceful shutdown and batch mode behave exactly as in `db_worker`);
a scheduler thread writes the heartbeat and runs the periodic jobs of
hromada.core.schedule. SIGTERM or SIGINT finishes the running task and exits.
"""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from django_tasks_db.management.commands.db_worker import Worker, valid_interval

from hromada.core import schedule

logger = logging.getLogger("hromada.worker")


class HromadaWorker(Worker):
    """django-tasks-db's Worker that also stops the scheduler when told to shut down."""

    def __init__(self, *, scheduler: schedule.Scheduler | None = None, **kwargs):
        super().__init__(**kwargs)
        self.scheduler = scheduler

    def shutdown(self, signum, frame) -> None:
        if self.scheduler is not None:
            self.scheduler.stop()
        super().shutdown(signum, frame)


DB_RETRY_SECONDS = 2.0


class Command(BaseCommand):
    help = "Run background tasks and the periodic jobs (deadlines, ledger sealing, e-mail retries)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run every periodic job once, process the queued tasks, then exit.",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only process tasks (for extra workers: one scheduler per install is enough).",
        )
        parser.add_argument(
            "--queue-name",
            default=DEFAULT_TASK_QUEUE_NAME,
            help="Queues to process, comma-separated, or '*' for all (default: %(default)s).",
        )
        parser.add_argument(
            "--interval",
            type=valid_interval,
            default=1.0,
            help="Seconds to wait when the queue is empty (default: %(default)s).",
        )
        parser.add_argument("--backend", default=DEFAULT_TASK_BACKEND_ALIAS, dest="backend_name")

    def handle(
        self,
        *,
        once: bool,
        no_scheduler: bool,
        queue_name: str,
        interval: float,
        backend_name: str,
        **options,
    ):
        self._configure_logging(options["verbosity"])
        worker_kwargs = {
            "queue_names": queue_name.split(","),
            "interval": interval,
            "backend_name": backend_name,
            "max_tasks": None,
            "worker_id": f"hromada-{get_random_string(16)}",
            "excluded_queue_names": [],
        }
        jobs = [] if no_scheduler else schedule.periodic_jobs()
        if not isinstance(task_backends[backend_name], DatabaseBackend):
            logger.warning(
                "the %r task backend is not the database backend: tasks run where they are enqueued "
                "and this worker only runs the scheduler",
                backend_name,
            )
        if once:
            self._run_once(jobs, worker_kwargs)
            return
        scheduler = schedule.Scheduler(jobs=jobs)
        thread = scheduler.start_thread()
        worker = HromadaWorker(scheduler=scheduler, batch=False, startup_delay=True, **worker_kwargs)
        worker.configure_signals()
        try:
            self._run_until_stopped(worker)
        finally:
            scheduler.stop()
            # The scheduler thread is a daemon: if a job hangs past this, the process
            # still ends when the main thread does.
            thread.join(timeout=30)
            worker.reset_signals()
            logger.info("worker stopped")

    def _run_once(self, jobs, worker_kwargs) -> None:
        schedule.beat()
        failed = [path for path, _interval in jobs if not schedule.run_job(path)]
        Worker(batch=True, startup_delay=False, **worker_kwargs).run()
        if failed:
            self.stderr.write(f"periodic jobs failed (see the log): {', '.join(failed)}")

    def _configure_logging(self, verbosity: int) -> None:
        level = {0: logging.ERROR, 1: logging.INFO}.get(verbosity, logging.DEBUG)
        for name in ("hromada.worker", "django_tasks_db", "django_tasks"):
            logging.getLogger(name).setLevel(level)

    @staticmethod
    def _run_until_stopped(worker: HromadaWorker) -> None:
        """Keep the task loop alive through a database restart: django-tasks-db lets
        OperationalError escape its claim loop, which would end the worker."""
        from django.db import InterfaceError, OperationalError, connections

        while True:
            try:
                worker.run()
                return
            except (OperationalError, InterfaceError) as exc:
                if not worker.running:
                    return
                logger.warning(
                    "database unavailable (%s); the worker retries in %.0f s", exc, DB_RETRY_SECONDS
                )
                connections.close_all()
                time.sleep(DB_RETRY_SECONDS)
