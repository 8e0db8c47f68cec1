"""Measure the ledger's costs in a throw-away test database (not a test; not run by pytest).

    .venv/bin/python -m hromada.ledger.tests.bench_ledger [N]
    DATABASE_URL=postgres://… TEST_DB_NAME=test_ledger_bench .venv/bin/python -m hromada.ledger.tests.bench_ledger

Prints: append cost per entry (inside a caller's transaction, and one transaction
each), appends per second with several threads on one hromada (PostgreSQL), the
first seal of N pending entries, an incremental seal on top of them, a forced full
scan, the database verification, the export and the standalone tool on it.
Figures from it are quoted in docs/ledger.md."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections, transaction
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from hromada.ledger import keys
    from hromada.ledger.db import wipe_ledger_for_tests
    from hromada.ledger.services import ledger_append, ledger_seal
    from hromada.ledger.verify import verify_database
    from hromada.tenancy.models import Hromada

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    settings.LEDGER_SIGNING_KEY = keys.generate_pem().decode()
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor == "sqlite":  # a real file (WAL, fsync), not the in-memory test database
        sqlite_file = Path(tempfile.mkdtemp()) / "bench.sqlite3"
        settings.DATABASES["default"]["TEST"]["NAME"] = str(sqlite_file)
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    results: list[tuple[str, str]] = []

    def report(label: str, value: str) -> None:
        results.append((label, value))
        print(f"{label:58} {value}", flush=True)

    try:
        print(f"database: {connection.vendor}, N = {n}")
        hromada = Hromada.objects.create(
            name="Бенчмарк", slug="bench", katottg="UA00000000000000001", hosts=["*"]
        )
        payload = {"petition": "2f1c6a55-6d8e-4bd8-9b43-3f2b7f0d9a11", "signer": "0" * 32}

        # The floor under any statement: one round trip to the database.
        with connection.cursor() as cursor:
            started = time.perf_counter()
            for _ in range(2000):
                cursor.execute("SELECT 1")
                cursor.fetchone()
        report("baseline: SELECT 1 round trip", f"{(time.perf_counter() - started) / 2000 * 1e6:.0f} µs")

        # Append inside a caller's transaction: the marginal cost on the hot path.
        batch = 5000
        started = time.perf_counter()
        with transaction.atomic():
            for _ in range(batch):
                ledger_append(hromada=hromada, kind="petition.signed", payload=payload)
        per = (time.perf_counter() - started) / batch
        report("append inside the caller's transaction", f"{per * 1e6:.0f} µs/entry")

        # The database's share: the same INSERT with its parameters made in advance.
        from hromada.ledger import services
        from hromada.ledger.models import LedgerEntry

        sample = LedgerEntry.objects.filter(hromada=hromada).first()
        params = [
            LedgerEntry._meta.get_field(name).get_db_prep_save(
                getattr(sample, LedgerEntry._meta.get_field(name).attname), connection
            )
            for name in services._INSERT_FIELDS
        ]
        sql = services._insert_sql(connection.vendor, connection.features.can_return_columns_from_insert)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for _ in range(batch):
                cursor.execute(sql, params)
        per_db = (time.perf_counter() - started) / batch
        report("  of which the database (same INSERT, params ready)", f"{per_db * 1e6:.0f} µs/entry")

        # One transaction (and commit) per entry.
        count = 2000
        started = time.perf_counter()
        for _ in range(count):
            with transaction.atomic():
                ledger_append(hromada=hromada, kind="petition.signed", payload=payload)
        per = (time.perf_counter() - started) / count
        report(
            "append, one committed transaction each", f"{per * 1e6:.0f} µs/entry ({1 / per:.0f}/s, 1 thread)"
        )

        if connection.vendor == "postgresql":
            for threads in (1, 4):
                per_thread = 1500
                barrier = threading.Barrier(threads + 1)

                def worker(per_thread=per_thread, barrier=barrier):
                    barrier.wait()
                    for _ in range(per_thread):
                        with transaction.atomic():
                            ledger_append(hromada=hromada, kind="petition.signed", payload=payload)
                    connections.close_all()

                pool = [threading.Thread(target=worker) for _ in range(threads)]
                for t in pool:
                    t.start()
                barrier.wait()
                started = time.perf_counter()
                for t in pool:
                    t.join()
                rate = threads * per_thread / (time.perf_counter() - started)
                report(f"appends/s, {threads} thread(s), one hromada", f"{rate:.0f}/s")

        # Fill up to N pending entries, then seal them in one go.
        have = LedgerEntry.objects.filter(hromada=hromada).count()
        with transaction.atomic():
            for _ in range(max(0, n - have)):
                ledger_append(hromada=hromada, kind="petition.signed", payload=payload)
        started = time.perf_counter()
        head = ledger_seal(hromada=hromada)
        report(f"first seal of {head.tree_size} pending entries", f"{time.perf_counter() - started:.2f} s")

        # Steady state: the scan floor comes from a tree head older than the window.
        # Shrink the window so the run need not wait ten minutes for one.
        services.STRAGGLER_WINDOW = dt.timedelta(seconds=1)
        time.sleep(1.1)
        with transaction.atomic():
            for _ in range(1000):
                ledger_append(hromada=hromada, kind="petition.signed", payload=payload)
        started = time.perf_counter()
        head = ledger_seal(hromada=hromada, full_scan=False)
        report(
            f"seal of 1000 new on top of {head.tree_size - 1000}",
            f"{(time.perf_counter() - started) * 1e3:.0f} ms",
        )

        started = time.perf_counter()
        assert ledger_seal(hromada=hromada, full_scan=False) is None
        report("seal with nothing pending (every 10 s)", f"{(time.perf_counter() - started) * 1e3:.1f} ms")
        started = time.perf_counter()
        assert ledger_seal(hromada=hromada, full_scan=True) is None
        report(
            f"hourly full-scan seal over {head.tree_size} entries",
            f"{(time.perf_counter() - started) * 1e3:.0f} ms",
        )

        started = time.perf_counter()
        result = verify_database(hromada=hromada)
        report(
            f"manage.py ledger_verify ({result.tree_size} entries)", f"{time.perf_counter() - started:.2f} s"
        )

        from django.test import Client

        started = time.perf_counter()
        response = Client(HTTP_HOST="bench.example").get("/ledger/export.json")
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
            size = 0
            for chunk in response.streaming_content:
                handle.write(chunk)
                size += len(chunk)
            path = handle.name
        report("export.json streamed", f"{time.perf_counter() - started:.2f} s, {size / 1e6:.1f} MB")

        tool = Path(settings.BASE_DIR) / "tools" / "ledger_verify.py"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-I", "-S", str(tool), path], capture_output=True, text=True, check=False
        )
        report(
            "tools/ledger_verify.py on the export",
            f"{time.perf_counter() - started:.2f} s (exit {done.returncode})",
        )
        os.unlink(path)
        wipe_ledger_for_tests()
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
