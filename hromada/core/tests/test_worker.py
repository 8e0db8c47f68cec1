import logging
import os
import signal
import threading
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hromada.accounts.tests.factories import UserFactory
from hromada.core import schedule
from hromada.core.models import Heartbeat
from hromada.notify.models import Notification
from hromada.notify.services import notify_send

CALLS: list[str] = []
HERE = "hromada.core.tests.test_worker"


def ok_job():
    CALLS.append("ok")
    return "fine"


def failing_job():
    CALLS.append("failing")
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


def test_default_jobs_when_the_setting_is_absent(settings):
    if hasattr(settings, "PERIODIC_JOBS"):
        del settings.PERIODIC_JOBS
    settings.LEDGER_SEAL_INTERVAL = 7
    jobs = dict(schedule.periodic_jobs())
    assert jobs["hromada.ledger.tasks.seal_all_hromadas"] == 7
    assert jobs["hromada.core.tests.sample.views.tick"] == 60  # a module's job (sample/module.py)
    settings.PERIODIC_JOBS = [(f"{HERE}.ok_job", 2)]
    assert schedule.periodic_jobs() == [(f"{HERE}.ok_job", 2.0)]


@pytest.mark.django_db(transaction=True)
def test_run_job_logs_and_survives_failures(caplog):
    assert schedule.run_job(f"{HERE}.ok_job") is True
    assert schedule.run_job(f"{HERE}.failing_job") is False
    assert schedule.run_job("hromada.no_such_module.job") is False
    assert CALLS == ["ok", "failing"]
    assert "hromada.no_such_module.job failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_scheduler_beats_and_repeats_jobs_even_after_failures():
    scheduler = schedule.Scheduler(
        jobs=[(f"{HERE}.ok_job", 0.05), (f"{HERE}.failing_job", 0.05), ("no.such.job", 0.05)],
        heartbeat_seconds=0.05,
        tick=0.01,
    )
    thread = scheduler.start_thread()
    deadline = time.monotonic() + 10
    while (CALLS.count("ok") < 3 or CALLS.count("failing") < 3) and time.monotonic() < deadline:
        time.sleep(0.02)
    scheduler.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert CALLS.count("ok") >= 3 and CALLS.count("failing") >= 3
    assert Heartbeat.objects.filter(name="worker").exists()


def test_scheduler_runs_each_job_at_its_interval(monkeypatch):
    """With a fake clock: every job at start, then every `interval` seconds."""
    now = [0.0]
    runs: list[tuple[float, str]] = []
    monkeypatch.setattr(schedule, "run_job", lambda path: runs.append((now[0], path)) or True)
    scheduler = schedule.Scheduler(jobs=[("a", 10), ("b", 15)], tick=0, clock=lambda: now[0], threaded=False)
    monkeypatch.setattr(scheduler, "_beat", lambda: runs.append((now[0], "beat")))

    def advance(_seconds):
        now[0] += 5
        return now[0] > 30 and scheduler.stop()

    monkeypatch.setattr(scheduler._stop, "wait", advance)
    monkeypatch.setattr(schedule, "connection", type("C", (), {"close": staticmethod(lambda: None)}))
    scheduler.run()
    assert [t for t, p in runs if p == "a"] == [0, 10, 20, 30]
    assert [t for t, p in runs if p == "b"] == [0, 15, 30]
    assert [t for t, p in runs if p == "beat"] == [0, 10, 20, 30]


@pytest.mark.django_db(transaction=True)
def test_once_runs_jobs_and_sends_a_queued_notification_email(settings, hromada):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PERIODIC_JOBS = [(f"{HERE}.ok_job", 60), (f"{HERE}.failing_job", 60)]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory()
    notify_send(hromada=hromada, users=[user], kind="sample.noticed", title="Відповідь", url="/sample/")
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert mail.outbox == []

    call_command("worker", "--once", verbosity=0)

    assert [m.to for m in mail.outbox] == [[user.email]]
    assert Notification.objects.get().emailed_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert CALLS == ["ok", "failing"]
    assert Heartbeat.objects.filter(name="worker").exists()
    # Run again: nothing is sent twice.
    call_command("worker", "--once", verbosity=0)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_sigterm_stops_the_worker_cleanly(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.PERIODIC_JOBS = [(f"{HERE}.ok_job", 60)]
    original = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGQUIT)}

    def stop_when_running():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            installed = signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, original[signal.SIGTERM])
            if installed and "ok" in CALLS:
                os.kill(os.getpid(), signal.SIGTERM)
                return
            time.sleep(0.05)

    killer = threading.Thread(target=stop_when_running, daemon=True)
    killer.start()
    try:
        with pytest.raises(SystemExit) as exit_info:
            call_command("worker", "--interval", "0.1", verbosity=0)
    finally:
        for sig, handler in original.items():
            signal.signal(sig, handler)
    killer.join(timeout=5)
    assert exit_info.value.code == 0
    assert not any(t.name == "hromada-scheduler" and t.is_alive() for t in threading.enumerate())


def test_worker_survives_a_database_outage(monkeypatch):
    """A database restart makes django-tasks-db's loop raise; the worker goes on."""
    from django.db import OperationalError

    from hromada.core.management.commands import worker as worker_module

    calls = []

    class FlakyWorker:
        running = True

        def run(self):
            calls.append("run")
            if len(calls) < 3:
                raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(worker_module, "DB_RETRY_SECONDS", 0)
    worker_module.Command._run_until_stopped(FlakyWorker())
    assert calls == ["run", "run", "run"]


def test_worker_stops_when_told_during_an_outage(monkeypatch, caplog):
    """Told to stop while the database is away, the worker returns at once instead of
    retrying: one run, no retry warning."""
    from django.db import InterfaceError

    from hromada.core.management.commands import worker as worker_module

    class StoppingWorker:
        running = True
        runs = 0

        def run(self):
            self.runs += 1
            if self.runs > 3:
                return  # a worker that wrongly retries still ends, and the test fails below
            self.running = False  # SIGTERM arrived while the database was away
            raise InterfaceError("connection already closed")

    monkeypatch.setattr(worker_module, "DB_RETRY_SECONDS", 0)
    worker = StoppingWorker()
    caplog.set_level(logging.WARNING, logger="hromada.worker")
    loop = threading.Thread(target=worker_module.Command._run_until_stopped, args=(worker,), daemon=True)
    loop.start()
    loop.join(timeout=5)
    assert not loop.is_alive(), "the worker kept running after it was told to stop"
    assert worker.runs == 1
    assert not [r for r in caplog.records if r.name == "hromada.worker"]  # no "retries in" warning
