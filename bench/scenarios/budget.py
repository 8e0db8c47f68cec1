"""`budget`: the last evening of voting in a participatory budget (issue 11). Residents
cast ballots as fast as the server answers — every request a real `POST
/api/v1/budget/categories/<uuid>/ballots` with a different resident's bearer token and
their choices, through the full stack (config.wsgi:application, gunicorn as `sign`) —
with one request in DUP_EVERY a second ballot of a resident who already voted (it must
be refused, 409), while people read the results page (wrk, READ_CONNECTIONS). Then the audit
(bench/budget_data.py audit: every acknowledged ballot stored exactly once with its
ledger entry, 0 duplicates) and the ledger's seal and verification.

Targets: ≥ 500 ballots/s on 2 cores with p99 ≤ 250 ms; reads during the rush p99 ≤
250 ms; printed with the run's ceilings and the ratio to the bare WSGI hello, as the
signing scenarios are."""

from __future__ import annotations

import json
import random
import subprocess
import time
from collections import Counter

from audit import ledger_final
from processes import BENCH, HOST, PY, WRK_GRACE_S, Load, finish_wrk, http_get, run, start_wrk
from report import HELLO_REFERENCE, cpu_per_request, latency_stats, log, per_second, rate_of

from scenarios import scenario

LUA = BENCH / "lua" / "ballot.lua"
DUP_EVERY = 50  # one request in 50 is a resident's second ballot
DUP_KEY = 10_000_000  # a duplicate attempt's key: DUP_KEY + the resident's token index
TARGET_PER_S = 500
TARGET_P99_MS = 250
TARGET_READ_P99_MS = 250
READ_CONNECTIONS = 4


def choices_for(category: dict, rng: random.Random) -> list[str]:
    projects = category["projects"]
    if category["rule"] == "approval":
        return [p["id"] for p in rng.sample(projects, rng.randint(1, category["max_choices"]))]
    picked, total = [], 0
    for p in rng.sample(projects, len(projects)):
        if total + p["cost"] <= category["pot"] and rng.random() < 0.6:
            picked.append(p["id"])
            total += p["cost"]
    return picked or [projects[0]["id"]]


def write_inputs(prefix, path: str, tokens: list[str], threads: int, category: dict) -> None:
    """Thread t casts with tokens t, t+threads, …; after every DUP_EVERY-1 first ballots
    it sends a second one for the resident it served DUP_EVERY/2 requests earlier."""
    rng = random.Random(11)
    for t in range(threads):
        with open(f"{prefix}.{t}", "w") as f:
            f.write(path + "\n")
            mine = list(range(t, len(tokens), threads))
            for k, i in enumerate(mine):
                body = json.dumps({"choices": choices_for(category, rng)}, separators=(",", ":"))
                f.write(f"{i} {tokens[i]} {body}\n")
                if k % (DUP_EVERY - 1) == DUP_EVERY - 2 and k >= DUP_EVERY // 2:
                    j = mine[k - DUP_EVERY // 2]
                    body = json.dumps({"choices": choices_for(category, rng)}, separators=(",", ":"))
                    f.write(f"{DUP_KEY + j} {tokens[j]} {body}\n")


def start_ballots(out, prefix, connections: int, duration: int, port: int) -> Load:
    """processes.start_wrk with the ballot script (a body per request)."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("t*.log"):
        old.unlink()
    load = Load(mode="sign", out=out, connections=connections, duration=duration)
    load.started = time.time() + 0.2
    deadline_us = int((load.started + duration) * 1e6)
    cmd = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration + WRK_GRACE_S}s", "--timeout", "30s"]
    cmd += ["-s", str(LUA), f"http://{HOST}:{port}/", "--", "sign", str(out), str(prefix)]
    cmd += [f"{HOST}:{port}", str(deadline_us)]
    load.proc = subprocess.Popen(cmd, stdout=(out / "wrk.txt").open("w"), stderr=subprocess.STDOUT)
    return load


def results_path(port: int, slug: str) -> str:
    """H4's results page if it is served, else the cycle page, else the budget index."""
    for path in (f"/budget/{slug}/results/", f"/budget/{slug}/", "/budget/"):
        status, _body = http_get(f"http://{HOST}:{port}{path}")
        if status == 200:
            return path
    return f"/budget/{slug}/results/"


@scenario("budget", order=60)
def budget(bench) -> None:
    a = bench.args
    where = bench.out / "budget"
    where.mkdir(exist_ok=True)
    out = run(
        [PY, str(BENCH / "budget_data.py"), "setup", "--out", str(where)], env=bench.env(), capture=True
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    category = data["categories"]["large"]  # the knapsack pot: the costlier check
    api_path = f"/api/v1/budget/categories/{category['uuid']}/ballots"
    prefix = where / "tokens"
    write_inputs(prefix, api_path, bench.tokens, a.sign_connections, category)
    read_path = results_path(a.port, data["slug"])
    (where / "paths.txt").write_text(read_path + "\n")
    log(
        f"scenario budget: {a.duration} s of ballots in «{data['slug']}/large» with {a.sign_connections} "
        f"connections (1 in {DUP_EVERY} a second ballot) + readers of {read_path}"
    )
    result = {"category": category["uuid"], **rush(bench, where, prefix, read_path, rate_key="ballots_per_s")}
    log("  auditing the ballots (bench/budget_data.py audit)")
    out = run(
        [
            PY,
            str(BENCH / "budget_data.py"),
            "audit",
            "--out",
            str(where),
            "--category",
            category["uuid"],
            "--acked",
            str(where / "acked.txt"),
            "--dups",
            str(where / "dups.txt"),
            "--tokens",
            str(bench.out / "tokens.tsv"),
        ],
        env=bench.env(),
        capture=True,
    )
    result["audit"] = json.loads(out.stdout.strip().splitlines()[-1])
    result["ledger"] = ledger_final(bench)
    bench.results["scenarios"]["budget"] = result
    print_budget(bench, result)


def rush(
    bench,
    where,
    prefix,
    read_path: str,
    *,
    rate_key: str,
    out_name: str = "cast",
    read_rate: float | None = None,
) -> dict:
    """A rush of one-per-person writes (wrk with ballot.lua: DUP_EVERY a replay) while
    wrk reads `read_path` on READ_CONNECTIONS connections, for `bench.args.duration`
    seconds: the figures every such scenario reports (the budget's ballots, the
    consultations' questionnaires), and acked.txt / dups.txt for its audit. With
    `read_rate` (requests/s in all) the readers are a steady audience at that rate;
    without it they read as fast as the server answers."""
    a = bench.args
    log_from = bench.server.log_size()
    bench.sampler.reset_peak("gunicorn")
    load = start_ballots(where / out_name, prefix, a.sign_connections, a.duration, a.port)
    snap = bench.sampler.snapshot()
    # People reading the results during the rush: wrk's read mode on READ_CONNECTIONS
    # connections, as the mixed scenario reads during the signing peak. (A paced Python
    # client in this process was tried first: on a machine the rush keeps 99 % busy its
    # own late wake-ups were charged to the server, seconds of "latency" that wrk, in C,
    # does not see.)
    pace = read_rate / READ_CONNECTIONS if read_rate else None
    reader = start_wrk(
        "read",
        where / "read",
        where / "paths.txt",
        READ_CONNECTIONS,
        a.duration,
        a.port,
        per_thread_rate=pace,
    )
    cpu = bench.cpu_until(snap, load.started + a.duration)
    finish_wrk(load)
    finish_wrk(reader)
    reads = reader.records
    firsts = [r for r in load.records if r[0] < DUP_KEY]
    dups = [r for r in load.records if r[0] >= DUP_KEY]
    statuses = Counter(r[1] for r in firsts)
    acked = [r[0] for r in firsts if r[1] == 201] + [r[0] - DUP_KEY for r in dups if r[1] == 201]
    (where / "acked.txt").write_text("\n".join(map(str, acked)))
    (where / "dups.txt").write_text("\n".join(str(r[1]) for r in dups))
    load.duration = a.duration
    return {
        "connections": a.sign_connections,
        "duration_s": a.duration,
        "requests": len(load.records),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        rate_key: rate_of(load, {201}),
        "latency_201": latency_stats(load.records, {201}),
        "latency_all": latency_stats(load.records),
        "per_second_201": per_second(load, {201}),
        "duplicate_attempts": len(dups),
        "duplicate_statuses": dict(Counter(str(r[1]) for r in dups)),
        "http_5xx": sum(1 for r in load.records if r[1] >= 500),
        "connection_failures": sum(1 for r in load.records if r[1] == 0),
        "tokens_exhausted_threads": load.exhausted_threads,
        "cpu": cpu,
        "peak_rss_mb": round(bench.sampler.rss_mb["gunicorn"], 1),
        "reads": {
            "path": read_path,
            "connections": READ_CONNECTIONS,
            "paced_per_s": read_rate,
            "per_s": round(sum(1 for r in reads if r[1] == 200) / a.duration, 1),
            "statuses": {str(k): v for k, v in sorted(Counter(r[1] for r in reads).items())},
            "all": latency_stats(reads),
        },
        "server_errors_logged": bench.server_errors(log_from),
        "cpu_ms_per_request": cpu_per_request(cpu, len(load.records) + len(reads), a.duration),
    }


def print_budget(bench, r: dict) -> None:
    ceil = bench.results.get("ceilings", {})
    hello = (ceil.get("hello") or {}).get("per_s")
    l201, reads, au = r["latency_201"], r["reads"], r["audit"]

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    log("")
    log(f"  {'budget figure':34} {'measured':>12}   {'target':>10}  met")
    rows = [
        ("ballots_per_s", r["ballots_per_s"], f">= {TARGET_PER_S}", r["ballots_per_s"] >= TARGET_PER_S),
        ("ballot_p99_ms", l201["p99_ms"], f"<= {TARGET_P99_MS}", (l201["p99_ms"] or 1e9) <= TARGET_P99_MS),
        (
            "results_reads_p99_ms",
            reads["all"]["p99_ms"],
            f"<= {TARGET_READ_P99_MS}",
            (reads["all"]["p99_ms"] or 1e9) <= TARGET_READ_P99_MS,
        ),
        ("lost", au["lost"], "== 0", au["lost"] == 0),
        ("duplicates", au["duplicates"], "== 0", au["duplicates"] == 0),
        ("ledger_missing", au["ledger_missing"], "== 0", au["ledger_missing"] == 0),
        (
            "duplicate_attempts_refused",
            f"{au['duplicate_attempts_refused_409']}/{au['duplicate_attempts']}",
            "all",
            au["duplicate_attempts_refused_409"] == au["duplicate_attempts"],
        ),
        ("http_5xx", r["http_5xx"], "== 0", r["http_5xx"] == 0),
        ("ledger_ok", r["ledger"].get("ok"), "== True", bool(r["ledger"].get("ok"))),
    ]
    if hello:
        ratio = round(r["ballots_per_s"] / hello, 4)
        goal = round(TARGET_PER_S / HELLO_REFERENCE, 4)
        rows.insert(1, ("ballots_to_hello", ratio, f">= {goal}", ratio >= goal))
    for name, value, target, ok in rows:
        log(f"  {name:34} {value!s:>12}   {target:>10}  {met(ok)}")
    if ceil.get("db_insert"):
        d = ceil["db_insert"]
        log(f"  ceiling db insert: {d['per_s']}/s (pgbench, {d['clients']} clients)")
    if hello:
        log(f"  ceiling hello: {hello}/s; ballots {r['ballots_per_s'] / hello:.3f}×hello")
    log(
        f"  ballots: p50 {l201['p50_ms']} ms, p99 {l201['p99_ms']} ms; statuses {r['statuses']}; "
        f"duplicate attempts {r['duplicate_statuses']}; cpu {r['cpu']}; cpu ms/request {r['cpu_ms_per_request']}"
    )
    log(
        f"  reads of {reads['path']} during the rush: {reads['per_s']}/s, p99 {reads['all']['p99_ms']} ms, {reads['statuses']}"
    )
    log(
        f"  audit {'ok' if au['ok'] else 'FAILED'}: acknowledged {au['acknowledged']}, stored {au['stored']}, "
        f"lost {au['lost']}, duplicates {au['duplicates']}, ledger {au['ledger_entries']} "
        f"(missing {au['ledger_missing']}, extra {au['ledger_extra']})"
    )
    if r.get("tokens_exhausted_threads"):
        log(f"  WARNING: {r['tokens_exhausted_threads']} connections ran out of residents: run with more")
    if r.get("server_errors_logged"):
        log(f"  server errors logged: {r['server_errors_logged']}")
