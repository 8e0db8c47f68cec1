"""Measure receipt look-ups and inclusion proofs on a big log (not a test; not run by pytest).

    .venv/bin/python -m hromada.ledger.tests.bench_receipt [N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres TEST_DB_NAME=test_ledger_helper \\
        .venv/bin/python -m hromada.ledger.tests.bench_receipt [N]

Creates a throw-away test database (dropped at the end) with N petition.signed entries
in one hromada, each with its own signer pseudonym, and prints: the look-up a naive
JSON scan would cost, the indexed look-up (LedgerLookup), the inclusion proof from
stored subtrees against one from every leaf, the whole check and page, what the seal
pays for the two aids, and that appending is unchanged. Quoted in docs/ledger.md."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    from hromada.ledger import keys, merkle
    from hromada.ledger.db import wipe_ledger_for_tests
    from hromada.ledger.models import LedgerEntry, LedgerLeaf, LedgerLookup, LedgerNode
    from hromada.ledger.proofs import ledger_inclusion_proof, ledger_receipt_check
    from hromada.ledger.receipts import lookup_keys
    from hromada.ledger.services import ledger_append, ledger_seal
    from hromada.tenancy.models import Hromada

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    settings.LEDGER_SIGNING_KEY = keys.generate_pem().decode()
    settings.ALLOWED_HOSTS = ["*"]
    settings.RATE_LIMITS_ENABLED = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    if connection.vendor == "sqlite":
        settings.DATABASES["default"]["TEST"]["NAME"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)

    def report(label: str, value: str) -> None:
        print(f"{label:64} {value}", flush=True)

    def timed(fn, repeat: int) -> tuple[float, float]:
        """(median, max) in ms."""
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            times.append((time.perf_counter() - started) * 1e3)
        return statistics.median(times), max(times)

    try:
        print(f"database: {connection.vendor}, N = {n}")
        hromada = Hromada.objects.create(
            name="Бенчмарк", slug="bench", katottg="UA00000000000000001", hosts=["*"]
        )
        petition = "2f1c6a55-6d8e-4bd8-9b43-3f2b7f0d9a11"

        started = time.perf_counter()
        with transaction.atomic():
            for i in range(n):
                ledger_append(
                    hromada=hromada,
                    kind="petition.signed",
                    payload={"petition": petition, "signer": f"{i:032x}"},
                )
        report(
            f"append {n} entries in one transaction",
            f"{(time.perf_counter() - started) / n * 1e6:.0f} µs/entry",
        )

        started = time.perf_counter()
        ledger_seal(hromada=hromada)
        report(
            f"first seal of {n} (leaves + lookups + subtree nodes)", f"{time.perf_counter() - started:.2f} s"
        )
        report(
            "rows: lookups, subtree nodes",
            f"{LedgerLookup.objects.count()}, {LedgerNode.objects.count()}",
        )

        # Steady state, as bench_ledger measures it: a scan floor older than the window.
        import datetime as dt

        from django.db.models import CharField, Value

        from hromada.ledger import services

        services.STRAGGLER_WINDOW = dt.timedelta(seconds=1)
        time.sleep(1.1)
        next_signer = n

        def seal_1000(label: str):
            nonlocal next_signer
            with transaction.atomic():
                for i in range(next_signer, next_signer + 1000):
                    ledger_append(
                        hromada=hromada,
                        kind="petition.signed",
                        payload={"petition": petition, "signer": f"{i:032x}"},
                    )
            next_signer += 1000
            started = time.perf_counter()
            sealed = ledger_seal(hromada=hromada, full_scan=False)
            report(label, f"{(time.perf_counter() - started) * 1e3:.0f} ms")
            return sealed

        real_rows, real_expression = services._insert_rows, services.receipt_value_expression
        services._insert_rows = lambda *args: None
        services.receipt_value_expression = lambda: Value(None, output_field=CharField())
        seal_1000(f"seal of 1000 new on top of {n}, WITHOUT the aids (before)")
        services._insert_rows, services.receipt_value_expression = real_rows, real_expression
        time.sleep(1.1)
        head = seal_1000(f"seal of 1000 new on top of {n + 1000}, with lookups and nodes")
        # Give the 1000 sealed without aids their lookups and nodes (as migration 0004
        # does for an older log), so what follows measures a log sealed with them.
        import importlib
        from types import SimpleNamespace

        from django.apps import apps as django_apps

        from hromada.ledger.db import append_only_suspended

        with append_only_suspended():
            LedgerLookup.objects.filter(hromada=hromada).delete()
            LedgerNode.objects.filter(hromada=hromada).delete()
        started = time.perf_counter()
        importlib.import_module(
            "hromada.ledger.migrations.0004_add_receipt_lookup_and_subtree_nodes"
        ).backfill(django_apps, SimpleNamespace(connection=connection))
        report(
            f"migration 0004's backfill of {head.tree_size} sealed entries",
            f"{time.perf_counter() - started:.1f} s",
        )
        if connection.vendor == "postgresql":
            # Freshly filled tables have no statistics yet; autovacuum would gather them
            # within a minute on a real install.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        size = head.tree_size

        rng = random.Random(7)
        picks = [rng.randrange(size) for _ in range(50)]
        receipts = [f"{i:032x}" for i in picks]
        entry_uuids = [
            str(u)
            for u in LedgerEntry.objects.filter(payload__signer__in=receipts[:5]).values_list(
                "uuid", flat=True
            )
        ]

        def naive_receipt():
            r = rng.choice(receipts)
            list(
                LedgerEntry.objects.filter(
                    hromada=hromada, kind="petition.signed", payload__signer=r
                ).values_list("id")
            )

        def naive_uuid():
            list(LedgerEntry.objects.filter(hromada=hromada, uuid=rng.choice(entry_uuids)).values_list("id"))

        def indexed():
            r = rng.choice(receipts)
            list(LedgerLookup.objects.filter(hromada=hromada, key__in=lookup_keys(r)).values_list("entry_id"))

        med, worst = timed(naive_receipt, 10)
        report(
            "look-up by receipt, naive scan of payloads (no index)",
            f"median {med:.1f} ms, max {worst:.1f} ms",
        )
        med, worst = timed(naive_uuid, 10)
        report("look-up by entry uuid, naive scan (no index)", f"median {med:.1f} ms, max {worst:.1f} ms")
        med, worst = timed(indexed, 200)
        report("look-up by receipt through LedgerLookup", f"median {med:.2f} ms, max {worst:.2f} ms")

        def proof():
            ledger_inclusion_proof(hromada=hromada, index=rng.randrange(size), size=size)

        med, worst = timed(proof, 200)
        report(
            f"inclusion proof from stored subtrees (tree of {size})",
            f"median {med:.2f} ms, max {worst:.2f} ms",
        )

        def proof_from_every_leaf():
            rows = (
                LedgerLeaf.objects.filter(hromada=hromada)
                .order_by("index")
                .values_list("entry__leaf_hash", flat=True)
            )
            leaves = [bytes.fromhex(h) for h in rows.iterator(5000)]
            merkle.inclusion_proof(leaves, rng.randrange(size), size)

        med, worst = timed(proof_from_every_leaf, 3)
        report(
            "  the same proof from every leaf (what nodes avoid)", f"median {med:.0f} ms, max {worst:.0f} ms"
        )

        def check():
            r = rng.choice(receipts)
            result = ledger_receipt_check(hromada=hromada, receipt=r, keys=lookup_keys(r))
            assert result.verified

        med, worst = timed(check, 100)
        report(
            "whole check: look-up + proof + re-hash + signature", f"median {med:.2f} ms, max {worst:.2f} ms"
        )

        client = Client(HTTP_HOST="bench.example")

        def page():
            response = client.get("/ledger/receipt/", {"receipt": rng.choice(receipts)})
            assert response.status_code == 200 and "Перевірка пройшла".encode() in response.content

        med, worst = timed(page, 50)
        report("GET /ledger/receipt/?receipt=… (rendered)", f"median {med:.1f} ms, max {worst:.1f} ms")

        def api():
            assert client.get("/api/v1/ledger/receipt", {"receipt": rng.choice(receipts)}).status_code == 200

        med, worst = timed(api, 50)
        report("GET /api/v1/ledger/receipt?receipt=…", f"median {med:.1f} ms, max {worst:.1f} ms")

        wipe_ledger_for_tests()
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
