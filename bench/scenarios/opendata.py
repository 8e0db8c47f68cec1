"""`opendata`: the DataStore (issue 14, ADR 0009 decision 4). A council's 1,000,000-row
CSV (cp1251, ';', a decimal comma — bench/opendata_data.py setup) is uploaded as a
resource version and its load scheduled; the bench's worker runs the django-tasks job
as in production while the bench polls its progress as the staff page does. Figures:
rows/s (from the load's started_at to finished_at, as the ratio to the run's hello
too). Audit: rows in the table == rows in the file − refused (one row in 10,000 has a
value beyond the header and must be refused), no code twice, the codes exactly the
file's. Then datastore_search over the loaded table at a steady rate (open loop, in
process: the Action API that serves it over HTTP is part (c)), a mix of first pages,
deep pages, filters, full-text q and sorts: p50/p99 overall and per kind.

The anchor (issue 14): CKAN's xloader loads 1.03 M rows with COPY in 21 s and 206 s
with its indexing. Targets: the whole load ≤ 206 s (≥ 5,000 rows/s) on 2 cores, search
p99 ≤ 500 ms at 20 calls/s. `BENCH_OPENDATA_ROWS` (environment) sets the file's size,
`BENCH_OPENDATA_SEARCH_PER_S` the rate."""

from __future__ import annotations

import json
import os

from processes import BENCH, PY, run
from report import HELLO_REFERENCE, log

from scenarios import scenario

ROWS = int(os.environ.get("BENCH_OPENDATA_ROWS", "1000000"))
SEARCH_PER_S = float(os.environ.get("BENCH_OPENDATA_SEARCH_PER_S", "20"))
TARGET_LOAD_S_PER_MILLION = 206.0  # xloader's whole load of 1.03 M rows
TARGET_ROWS_PER_S = 5_000
TARGET_SEARCH_P99_MS = 500


@scenario("opendata", order=75)
def opendata(bench) -> None:
    a = bench.args
    where = bench.out / "opendata"
    where.mkdir(exist_ok=True)
    data = bench_json(
        [PY, str(BENCH / "opendata_data.py"), "setup", "--rows", str(ROWS), "--out", str(where)], bench
    )
    log(
        f"scenario opendata: a {ROWS:,}-row CSV ({data['file_bytes'] / 1e6:.1f} MB, cp1251) loaded by the worker, "
        f"then datastore_search at {SEARCH_PER_S:g}/s for {a.read_duration} s"
    )
    snap = bench.sampler.snapshot()
    load = bench_json([PY, str(BENCH / "opendata_data.py"), "wait", "--table", str(data["table"])], bench)
    load["cpu"] = bench.sampler.cpu_between(snap, bench.sampler.snapshot())
    audit_cmd = [PY, str(BENCH / "opendata_data.py"), "audit", "--table", str(data["table"])]
    audit_cmd += ["--rows", str(ROWS), "--refused", str(data["refused_expected"])]
    audit = bench_json(audit_cmd, bench)
    search_cmd = [PY, str(BENCH / "opendata_data.py"), "search", "--resource", data["resource"]]
    search_cmd += ["--rate", str(SEARCH_PER_S), "--duration", str(a.read_duration)]
    search = bench_json(search_cmd, bench) if load["state"] == "done" else {}
    result = {"rows": ROWS, "setup": data, "load": load, "audit": audit, "search": search}
    bench.results["scenarios"]["opendata"] = result
    print_opendata(bench, result)


def bench_json(cmd: list[str], bench) -> dict:
    out = run(cmd, env=bench.env(), capture=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def print_opendata(bench, r: dict) -> None:
    hello = ((bench.results.get("ceilings") or {}).get("hello") or {}).get("per_s")
    load, au, se = r["load"], r["audit"], r["search"]
    rows_per_s = load.get("rows_per_s") or 0
    target_s = TARGET_LOAD_S_PER_MILLION * r["rows"] / 1_000_000

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    log("")
    log(f"  {'opendata figure':34} {'measured':>12}   {'target':>10}  met")
    rows = [
        ("load_state", load["state"], "done", load["state"] == "done"),
        ("load_rows_per_s", rows_per_s, f">= {TARGET_ROWS_PER_S}", rows_per_s >= TARGET_ROWS_PER_S),
        (
            f"load_of_{r['rows']}_s",
            load.get("load_s"),
            f"<= {target_s:g}",
            (load.get("load_s") or 1e9) <= target_s,
        ),
        ("rows_lost", au["lost"], "== 0", au["lost"] == 0),
        ("rows_duplicated", au["duplicates"], "== 0", au["duplicates"] == 0),
        (
            "rows_refused",
            f"{au['refused']}/{au['refused_expected']}",
            "all",
            au["refused"] == au["refused_expected"],
        ),
        ("audit_ok", au["ok"], "== True", bool(au["ok"])),
    ]
    if se:
        rows.append(
            (
                "search_p99_ms",
                se["p99_ms"],
                f"<= {TARGET_SEARCH_P99_MS}",
                (se["p99_ms"] or 1e9) <= TARGET_SEARCH_P99_MS,
            )
        )
        rows.append(("search_errors", se["errors"], "== 0", se["errors"] == 0))
    if hello:
        ratio = round(rows_per_s / hello, 3)
        goal = round(TARGET_ROWS_PER_S / HELLO_REFERENCE, 3)
        rows.insert(2, ("load_rows_to_hello", ratio, f">= {goal}", ratio >= goal))
    for name, value, target, ok in rows:
        log(f"  {name:34} {value!s:>12}   {target:>10}  {met(ok)}")
    log(f"  load cpu (100 = one core): {load.get('cpu')}")
    log(
        f"  load: {load['rows_loaded']:,} rows in {load.get('load_s')} s, refused {load['rows_refused']}, "
        f"columns {load['columns']}; file generated in {r['setup']['generate_s']} s"
    )
    if load.get("message"):
        log(f"  load message: {load['message']}")
    if se:
        kinds = ", ".join(
            f"{k} p50 {v['p50_ms']}/p99 {v['p99_ms']} ms (n={v['n']})" for k, v in se["kinds"].items()
        )
        log(
            f"  datastore_search: {se['per_s']}/s (asked {se['asked_per_s']}), p50 {se['p50_ms']} ms, "
            f"p99 {se['p99_ms']} ms; {kinds}"
        )
