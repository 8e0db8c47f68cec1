"""The opendata scenario's fixtures, figures and audit, inside Django on the bench
database (run by bench/scenarios/opendata.py).

    python bench/opendata_data.py setup --rows 1000000 --out DIR
    python bench/opendata_data.py wait --table ID --timeout 1800
    python bench/opendata_data.py audit --table ID
    python bench/opendata_data.py search --resource UUID --rate 20 --duration 30

`setup` writes a CSV of N rows as a Ukrainian council's spreadsheet program saves one
(cp1251, ';', a decimal comma, dd.mm.yyyy dates; columns: a unique code, a district,
a name, an amount, a count, a date, yes/no), with one row in REFUSE_EVERY carrying a
value beyond the header (a row the loader must refuse), creates a published dataset
with the file as a resource version (ORM rows: the catalogue's services are another
part's), and schedules its DataStore load in a transaction, so the bench's worker
runs the django-tasks job as in production. Prints one JSON line.

`wait` polls the DatastoreTable (as the staff page does) until the load is done or
failed; prints the load's figures (rows/s from started_at to finished_at).

`audit`: rows in the table == rows in the file − refused; no code twice; the codes are
exactly the file's (count, distinct count and sum checked against the expected); the
table's own counters agree. Prints one JSON line with `ok`.

`search` calls datastore_search in process at a steady rate (open loop: each call has
its moment on a fixed schedule, latency counted from it) from THREADS threads, over a
mix of CKAN queries; prints p50/p99 overall and per kind."""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import hashlib  # noqa: E402

from django.core.files import File  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hromada.opendata.datastore import backend, datastore_search, schedule_load  # noqa: E402
from hromada.opendata.models import (  # noqa: E402
    Dataset,
    DatasetState,
    DatastoreTable,
    LoadState,
    Publisher,
    Resource,
    ResourceVersion,
)
from hromada.tenancy.models import Hromada  # noqa: E402

REFUSE_EVERY = 10_000
DISTRICTS = ["Центральний", "Північний", "Південний", "Заводський", "Приміський", "Лівобережний"]
NAMES = ["Ліцей", "Гімназія", "Садочок «Сонечко»", "Амбулаторія", "Бібліотека", "Стадіон", "Клуб"]
THREADS = 4


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def write_csv(path: Path, rows: int) -> int:
    """The file; returns how many rows in it the loader must refuse."""
    rng = random.Random(14)
    refused = 0
    with open(path, "w", encoding="cp1251", newline="") as f:
        f.write("Код;Район;Назва;Сума, грн;Кількість;Дата;Працює\r\n")
        for i in range(1, rows + 1):
            day = f"{rng.randint(1, 28):02d}.{rng.randint(1, 12):02d}.{rng.randint(2015, 2026)}"
            line = (
                f"{i};{rng.choice(DISTRICTS)};{rng.choice(NAMES)} №{rng.randint(1, 60)};"
                f"{rng.randint(0, 9_999_999)},{rng.randint(0, 99):02d};{rng.randint(0, 5000)};{day};"
                f"{'так' if rng.random() < 0.8 else 'ні'}"
            )
            if i % REFUSE_EVERY == 0:
                line += ";зайве значення"
                refused += 1
            f.write(line + "\r\n")
    return refused


def setup(a) -> dict:
    hromada = Hromada.objects.order_by("pk").first()
    assert hromada is not None, "the demo hromada is missing"
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"opendata-{a.rows}.csv"
    t = time.time()
    refused = write_csv(path, a.rows)
    generate_s = round(time.time() - t, 1)
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    now = timezone.now()
    publisher, _ = Publisher.objects.get_or_create(
        hromada=hromada, name="bench-publisher", defaults={"title": "Розпорядник (бенч)"}
    )
    dataset = Dataset.objects.create(
        hromada=hromada,
        publisher=publisher,
        name=f"bench-{int(t)}",
        title="Реєстр об’єктів (бенч)",
        state=DatasetState.PUBLISHED,
        published_at=now,
        metadata_modified=now,
    )
    resource = Resource.objects.create(hromada=hromada, dataset=dataset, name="Реєстр", format="CSV")
    with transaction.atomic():
        version = ResourceVersion(
            hromada=hromada,
            resource=resource,
            number=1,
            original_name=path.name,
            size=path.stat().st_size,
            sha256=digest.hexdigest(),
            mimetype="text/csv",
        )
        with open(path, "rb") as f:
            version.file.save(path.name, File(f), save=False)
        version.save()
        Resource.objects.filter(pk=resource.pk).update(current=version)
        table = schedule_load(version)  # enqueued for the worker when this commits
    path.unlink()  # the product keeps its copy in MEDIA_ROOT
    return {
        "table": table.pk,
        "resource": str(resource.public_id),
        "rows_in_file": a.rows,
        "refused_expected": refused,
        "file_bytes": version.size,
        "generate_s": generate_s,
    }


def wait(a) -> dict:
    deadline = time.time() + a.timeout
    polls = 0
    while True:
        table = DatastoreTable.objects.get(pk=a.table)
        polls += 1
        if table.state in (LoadState.DONE, LoadState.FAILED) or time.time() > deadline:
            break
        time.sleep(1)
    seconds = (
        (table.finished_at - table.started_at).total_seconds()
        if table.finished_at and table.started_at
        else None
    )
    return {
        "state": table.state,
        "message": table.message,
        "rows_loaded": table.rows_loaded,
        "rows_refused": table.rows_refused,
        "bytes_read": table.bytes_read,
        "load_s": round(seconds, 2) if seconds else None,
        "rows_per_s": round(table.rows_loaded / seconds) if seconds else None,
        "columns": [(c["id"], c["type"]) for c in table.columns],
        "polls": polls,
    }


def audit(a) -> dict:
    table = DatastoreTable.objects.select_related("version").get(pk=a.table)
    rows, refused = a.rows, a.refused
    expected_codes = [i for i in range(1, rows + 1) if i % REFUSE_EVERY != 0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(DISTINCT kod), coalesce(sum(kod), 0), count(DISTINCT _id) "  # noqa: S608
            f"FROM {backend.qualified(table.table_name)}"
        )
        count, distinct, total, ids = cursor.fetchone()
    out = {
        "rows_in_file": rows,
        "refused": table.rows_refused,
        "refused_expected": refused,
        "rows_in_table": count,
        "distinct_codes": distinct,
        "duplicates": count - distinct + (count - ids),
        "lost": len(expected_codes) - count if count <= len(expected_codes) else 0,
        "codes_sum_ok": int(total) == sum(expected_codes),
        "counter_ok": table.rows_loaded == count,
        "errors_kept": len(table.errors),
    }
    out["ok"] = (
        count == rows - table.rows_refused
        and table.rows_refused == refused
        and out["duplicates"] == 0
        and out["codes_sum_ok"]
        and out["counter_ok"]
        and table.state == LoadState.DONE
    )
    return out


def queries(rng: random.Random) -> tuple[str, dict]:
    kind = rng.choices(["page", "deep_page", "filter", "q", "sort"], weights=[40, 15, 20, 15, 10])[0]
    if kind == "page":
        return kind, {}
    if kind == "deep_page":
        return kind, {"offset": rng.randint(1, 10_000) * 10, "limit": 100}
    if kind == "filter":
        return kind, {"filters": {"raion": rng.choice(DISTRICTS), "pratsiuie": True}, "limit": 20}
    if kind == "q":
        return kind, {"q": rng.choice(NAMES).split()[0].lower(), "limit": 20}
    return kind, {"sort": rng.choice(["suma_hrn desc", "data asc", "kilkist desc, _id"]), "limit": 20}


def search(a) -> dict:
    hromada = Hromada.objects.order_by("pk").first()
    jobs: queue.Queue = queue.Queue()
    results: list[tuple[str, float, bool]] = []
    lock = threading.Lock()

    def worker() -> None:
        while True:
            item = jobs.get()
            if item is None:
                break
            moment, kind, params = item
            ok = True
            try:
                datastore_search(hromada, a.resource, **params)
            except Exception:
                ok = False
            latency = (time.monotonic() - moment) * 1000
            with lock:
                results.append((kind, latency, ok))
        connections.close_all()

    datastore_search(hromada, a.resource)  # warm: the connection, the table's pages
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(a.threads)]
    for th in threads:
        th.start()
    rng = random.Random(5)
    start = time.monotonic()
    n = int(a.rate * a.duration)
    for i in range(n):
        moment = start + i / a.rate
        time.sleep(max(0.0, moment - time.monotonic()))
        kind, params = queries(rng)
        jobs.put((moment, kind, params))
    for _ in threads:
        jobs.put(None)
    for th in threads:
        th.join()
    elapsed = time.monotonic() - start
    by_kind: dict[str, list[float]] = {}
    for kind, latency, _ok in results:
        by_kind.setdefault(kind, []).append(latency)
    every = [lat for _, lat, _ in results]
    return {
        "asked_per_s": a.rate,
        "per_s": round(len(results) / elapsed, 1),
        "calls": len(results),
        "errors": sum(1 for *_, ok in results if not ok),
        "p50_ms": pct(every, 0.5),
        "p99_ms": pct(every, 0.99),
        "kinds": {
            k: {"n": len(v), "p50_ms": pct(v, 0.5), "p99_ms": pct(v, 0.99)} for k, v in by_kind.items()
        },
    }


def main() -> None:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("setup")
    s.add_argument("--rows", type=int, default=1_000_000)
    s.add_argument("--out", required=True)
    w = sub.add_parser("wait")
    w.add_argument("--table", type=int, required=True)
    w.add_argument("--timeout", type=float, default=1800)
    au = sub.add_parser("audit")
    au.add_argument("--table", type=int, required=True)
    au.add_argument("--rows", type=int, required=True)
    au.add_argument("--refused", type=int, required=True)
    se = sub.add_parser("search")
    se.add_argument("--resource", required=True)
    se.add_argument("--rate", type=float, default=20)
    se.add_argument("--duration", type=float, default=30)
    se.add_argument("--threads", type=int, default=THREADS)
    a = p.parse_args()
    result = {"setup": setup, "wait": wait, "audit": audit, "search": search}[a.cmd](a)
    print(json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
