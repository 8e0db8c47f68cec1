#!/usr/bin/env python3
"""`make bench`: the hot-petition benchmark with fault scenarios and an audit.

Everything runs on this machine: PostgreSQL (its own database, created and dropped
here), gunicorn with the production configuration (scripts/serve's command line),
the background worker, and wrk as the load generator. See bench/README.md for how to
read the output. The last line printed is one JSON object with the headline figures.

    .venv/bin/python bench/run.py                # the full run (≈10 minutes)
    .venv/bin/python bench/run.py --quick        # 12 s scenarios, for development
    .venv/bin/python bench/run.py --scenarios sign,reads --duration 20
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time

from audit import ledger_final
from processes import (
    BENCH,
    PY,
    ROOT,
    Bench,
    ensure_postgres,
    ensure_tools,
    gunicorn_cmd,
    machine_info,
    profile,
    psql,
    run,
)
from report import log, write_results
from scenarios import SCENARIOS

# The scenarios that sign their own hot petition (and are audited).
SIGN_SCENARIOS = {name for name, s in SCENARIOS.items() if s.signs}
# Residents per second of a signing scenario (default --residents): every signature
# needs a resident who has not signed that petition yet.
RESIDENTS_PER_S = 4_000


# --- command line -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 2
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--duration", type=int, default=60, help="seconds of each signing scenario (default 60)")
    p.add_argument("--read-duration", type=int, default=30, help="seconds of the reads-alone scenario")
    p.add_argument("--ceiling-duration", type=int, default=15, help="seconds of each ceiling measurement")
    p.add_argument("--quick", action="store_true", help="short everything (12 s scenarios) for development")
    p.add_argument(
        "--scenarios",
        default=",".join(SCENARIOS),
        help=f"comma-separated subset of {','.join(SCENARIOS)}",
    )
    p.add_argument(
        "--residents",
        type=int,
        default=0,
        help=f"verified residents with tokens (default: enough for {RESIDENTS_PER_S:,} signatures/s)",
    )
    p.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_WORKERS", cores * 2)),
        help="gunicorn workers (scripts/serve's default: 2 × cores)",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=int(os.environ.get("WEB_THREADS", 4)),
        help="threads per gunicorn worker (config/gunicorn.conf.py default: 4)",
    )
    p.add_argument(
        "--sign-connections",
        type=int,
        default=0,
        help="signing connections (default: workers × threads, one per server thread)",
    )
    p.add_argument("--read-connections", type=int, default=16)
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL (no db)")
    p.add_argument("--db-name", default="hromada_bench")
    p.add_argument("--keep-db", action="store_true", help="do not drop the bench databases at the end")
    p.add_argument(
        "--profile",
        action="store_true",
        help="also record a py-spy profile of a server worker during an extra signing run",
    )
    p.add_argument(
        "--pg-restart-wait",
        type=int,
        default=120,
        help="seconds to wait for other databases' sessions to end before restarting PostgreSQL",
    )
    p.add_argument("--no-install", action="store_true", help="do not apt-get/pip install missing tools")
    p.add_argument(
        "--experiments",
        default="",
        help="comma-separated prototypes from bench/experiments.py to serve instead of the product as is",
    )
    a = p.parse_args()
    if a.quick:
        a.duration = min(a.duration, 12)
        a.read_duration = min(a.read_duration, 8)
        a.ceiling_duration = min(a.ceiling_duration, 5)
    a.scenarios = [s.strip() for s in a.scenarios.split(",") if s.strip()]
    a.experiments = [e.strip() for e in a.experiments.split(",") if e.strip()]
    unknown = set(a.scenarios) - set(SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if not a.sign_connections:
        a.sign_connections = a.workers * a.threads
    if not a.residents:
        a.residents = max(20_000, int(a.duration * RESIDENTS_PER_S))
    return a


# --- set-up -------------------------------------------------------------------------------------


def prepare(bench: Bench) -> None:
    """Databases, migrations, static files and the fixtures (nothing here is timed)."""
    a = bench.args
    ensure_tools(a)
    ensure_postgres(a)
    bench.sampler.start()
    bench.results["machine"] = machine_info(a)
    head = run(["git", "rev-parse", "--short", "HEAD"], capture=True, check=False).stdout.strip()
    dirty = run(
        ["git", "status", "--porcelain", "--", "hromada", "config", "templates"],
        capture=True,
        check=False,
    ).stdout.splitlines()
    bench.results["git"] = {"head": head, "uncommitted_product_files": len(dirty)}
    bench.results["config"] = {
        "workers": a.workers,
        "threads": a.threads,
        "sign_connections": a.sign_connections,
        "read_connections": a.read_connections,
        "duration_s": a.duration,
        "read_duration_s": a.read_duration,
        "ceiling_duration_s": a.ceiling_duration,
        "experiments": a.experiments,
        "residents": a.residents,
        "scenarios": a.scenarios,
        "gunicorn": " ".join(gunicorn_cmd("config.wsgi:application", a)),
    }
    machine = bench.results["machine"]
    log(f"results in {bench.out.relative_to(ROOT)}")
    log(
        f"machine: {machine['nproc']} cores, {machine['cpu_model']}, "
        f"{machine['ram_gb']} GB, PostgreSQL {machine['postgresql']}"
    )
    (bench.out / "prometheus").mkdir()
    bench.ledger_key()
    bench.drop_databases()
    psql(a, "postgres", f'CREATE DATABASE "{a.db_name}"')
    t = time.time()
    log("migrate")
    run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=bench.env())
    log("collectstatic")
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=bench.env())
    names = ["warmup"] + [s for s in a.scenarios if s in SIGN_SCENARIOS]
    if a.profile:
        names.append("profile")
    log(f"creating {a.residents:,} verified residents with API tokens and {len(names)} hot petitions")
    out = run(
        [
            PY,
            str(BENCH / "setup_data.py"),
            "--out",
            str(bench.out),
            "--residents",
            str(a.residents),
            "--petitions",
            *names,
        ],
        env=bench.env(FAST_PASSWORD_HASHER="1"),
        capture=True,
    )
    bench.setup = json.loads(out.stdout.strip().splitlines()[-1])
    bench.setup["total_seconds"] = round(time.time() - t, 1)
    bench.results["setup"] = bench.setup
    log(f"set-up done in {bench.setup['total_seconds']} s (residents: {bench.setup['residents_seconds']} s)")
    with open(bench.out / "tokens.tsv") as f:
        bench.tokens = [line.rstrip("\n").split("\t")[2] for line in f]
    if "places" in a.scenarios:
        # The places scenario's geography replaces the demo's (bench/places_data.py).
        t = time.time()
        log("loading the places geography: 5,000 streets, 200,000 buildings (bench/places_data.py)")
        out = run(
            [PY, str(BENCH / "places_data.py"), "load", "--out", str(bench.out)],
            env=bench.env(),
            capture=True,
        )
        bench.setup["places"] = json.loads(out.stdout.strip().splitlines()[-1])
        log(f"places geography loaded in {round(time.time() - t, 1)} s: {bench.setup['places']}")
    # Scenarios' own set-up (e.g. appeals' 100,000 seeded reports), after places' geography.
    for sc in SCENARIOS.values():
        if sc.name in a.scenarios and sc.prepare is not None:
            sc.prepare(bench)


# --- the run ------------------------------------------------------------------------------------


def run_bench(bench: Bench) -> int:
    """Set-up, the chosen scenarios in their order (those that need no server first,
    the disruptive ones after --profile), the final ledger check, the report."""
    a = bench.args
    chosen = [s for s in SCENARIOS.values() if s.name in a.scenarios]
    try:
        prepare(bench)
        for sc in chosen:
            if not sc.needs_server:
                sc.run(bench)
        bench.start_server()
        bench.warm_up()
        for sc in chosen:
            if sc.needs_server and not sc.disruptive:
                sc.run(bench)
        if a.profile:
            profile(bench)
        for sc in chosen:
            if sc.needs_server and sc.disruptive:
                sc.run(bench)
        bench.results["worker_alive"] = bench.worker_alive()
        if any(s in SIGN_SCENARIOS for s in a.scenarios):
            bench.results["ledger"] = ledger_final(bench)
    finally:
        bench.stop_server()
        bench.sampler.stop_event.set()
        if not a.keep_db:
            with contextlib.suppress(SystemExit):
                bench.drop_databases()
    # The per-thread token files are copies of tokens.tsv: not worth keeping.
    for path in bench.out.glob("*/tokens.[0-9]*"):
        path.unlink()
    write_results(bench, SIGN_SCENARIOS)
    return 0


def main() -> int:
    args = parse_args()
    bench = Bench(args)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    return run_bench(bench)


if __name__ == "__main__":
    sys.exit(main())
