"""`consultations`: a city-wide poll pushed by the mayor's channels (issue 12). Residents
submit a 10-question survey (every kind of question) as fast as the server answers —
every request a real `POST /api/v1/consultations/<number>/response` with a different
resident's bearer token and their answers, through the full stack
(config.wsgi:application: its edge, hromada/consultations/edge_questionnaire.py) — with
one request in DUP_EVERY a replay of a resident who already answered (it must be
refused), the optional point question answered in POINT_SHARE of them (a place inside
the hromada's boundary: Django's view checks it, the edge hands such a request over), while people read the live results page (wrk, READ_CONNECTIONS, at a steady READ_RATE). Then the
audit (bench/consultations_data.py audit: every 201 has its response, its answers and
one ledger entry; 0 second answers), the ledger's seal and verification, and the
report of REPORT_RESPONSES responses seeded by bulk SQL, drafted and timed.

Targets: ≥ 500 questionnaires/s on 2 cores with p99 ≤ 250 ms; live results during the
rush p99 ≤ 250 ms; the report of 100,000 answers in ≤ 10 s. Printed with the run's
ceilings and the ratio to the bare WSGI hello, as the budget scenario does.
`BENCH_REPORT_RESPONSES` (environment) sets the seeded size (default 100,000)."""

from __future__ import annotations

import json
import os
import random

from audit import ledger_final
from processes import BENCH, PY, run
from report import HELLO_REFERENCE, log

from scenarios import scenario
from scenarios.budget import DUP_EVERY, DUP_KEY, rush

TARGET_PER_S = 500
TARGET_P99_MS = 250
TARGET_READ_P99_MS = 250
TARGET_REPORT_S = 10.0
REPORT_RESPONSES = int(os.environ.get("BENCH_REPORT_RESPONSES", "100000"))
# The share of questionnaires answering the optional point question (as the report's
# seed): a point is checked against the drawn boundary by Django's view, not the edge.
POINT_SHARE = float(os.environ.get("BENCH_POINT_SHARE", "0.3"))
TEXTS = ["Тиша", "Дерева", "Світло", "Лави"]
# People watching the live results while the poll is pushed: a steady audience, not a
# load as heavy as the server can take (that is the reads scenario's question). 50/s is
# a page view every 10 questionnaires at the target rate.
READ_RATE = float(os.environ.get("BENCH_CONSULTATION_READS_PER_S", "50"))


def answers_for(questions: list[dict], rng: random.Random, points: list | None = None) -> dict:
    out: dict = {}
    for q in questions:
        kind, opts = q["kind"], q["options"]
        if kind == "single":
            out[q["id"]] = rng.choice(opts)
        elif kind == "multiple":
            out[q["id"]] = rng.sample(opts, rng.randint(1, q["max"] or len(opts)))
        elif kind == "ranking":
            out[q["id"]] = rng.sample(opts, len(opts))
        elif kind == "scale":
            out[q["id"]] = rng.randint(*q["scale"])
        elif kind == "number":
            out[q["id"]] = rng.randint(1, 60)
        elif kind in ("short", "long"):
            out[q["id"]] = rng.choice(TEXTS)
        elif kind == "point" and points and rng.random() < POINT_SHARE:
            lat, lon = rng.choice(points)  # inside the hromada's boundary
            out[q["id"]] = {"lat": lat, "lon": lon}
    return out


def write_inputs(
    prefix, path: str, tokens: list[str], threads: int, questions: list[dict], points: list
) -> None:
    """Thread t answers with tokens t, t+threads, …; after every DUP_EVERY-1 first
    answers it replays one for the resident it served DUP_EVERY/2 requests earlier."""
    rng = random.Random(12)
    for t in range(threads):
        with open(f"{prefix}.{t}", "w") as f:
            f.write(path + "\n")
            mine = list(range(t, len(tokens), threads))
            for k, i in enumerate(mine):
                body = json.dumps({"answers": answers_for(questions, rng, points)}, separators=(",", ":"))
                f.write(f"{i} {tokens[i]} {body}\n")
                if k % (DUP_EVERY - 1) == DUP_EVERY - 2 and k >= DUP_EVERY // 2:
                    j = mine[k - DUP_EVERY // 2]
                    body = json.dumps({"answers": answers_for(questions, rng, points)}, separators=(",", ":"))
                    f.write(f"{DUP_KEY + j} {tokens[j]} {body}\n")


@scenario("consultations", order=65)
def consultations(bench) -> None:
    a = bench.args
    where = bench.out / "consultations"
    where.mkdir(exist_ok=True)
    out = run([PY, str(BENCH / "consultations_data.py"), "setup"], env=bench.env(), capture=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    number = data["number"]
    api_path = f"/api/v1/consultations/{number}/response"
    prefix = where / "tokens"
    write_inputs(prefix, api_path, bench.tokens, a.sign_connections, data["questions"], data["points"])
    read_path = f"/consultations/{number}/results/"
    (where / "paths.txt").write_text(read_path + "\n")
    log(
        f"scenario consultations: {a.duration} s of questionnaires (10 questions, the point answered in "
        f"{POINT_SHARE:.0%}) in poll №{number} with "
        f"{a.sign_connections} connections (1 in {DUP_EVERY} a replay) + {READ_RATE:g} reads/s of {read_path}"
    )
    result = {
        "number": number,
        "point_share": POINT_SHARE,
        **rush(
            bench,
            where,
            prefix,
            read_path,
            rate_key="questionnaires_per_s",
            out_name="submit",
            read_rate=READ_RATE,
        ),
    }
    log("  auditing the responses (bench/consultations_data.py audit)")
    audit_cmd = [PY, str(BENCH / "consultations_data.py"), "audit", "--number", str(number)]
    audit_cmd += ["--acked", str(where / "acked.txt"), "--dups", str(where / "dups.txt")]
    audit_cmd += ["--tokens", str(bench.out / "tokens.tsv")]
    out = run(audit_cmd, env=bench.env(), capture=True)
    result["audit"] = json.loads(out.stdout.strip().splitlines()[-1])
    result["ledger"] = ledger_final(bench)
    log(f"  seeding {REPORT_RESPONSES:,} responses by bulk SQL and drafting their report")
    report_cmd = [PY, str(BENCH / "consultations_data.py"), "report", "--responses", str(REPORT_RESPONSES)]
    out = run(report_cmd, env=bench.env(), capture=True)
    result["report"] = json.loads(out.stdout.strip().splitlines()[-1])
    bench.results["scenarios"]["consultations"] = result
    print_consultations(bench, result)


def print_consultations(bench, r: dict) -> None:
    ceil = bench.results.get("ceilings", {})
    hello = (ceil.get("hello") or {}).get("per_s")
    l201, reads, au, rep = r["latency_201"], r["reads"], r["audit"], r["report"]

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    log("")
    log(f"  {'consultations figure':34} {'measured':>12}   {'target':>10}  met")
    rows = [
        (
            "questionnaires_per_s",
            r["questionnaires_per_s"],
            f">= {TARGET_PER_S}",
            r["questionnaires_per_s"] >= TARGET_PER_S,
        ),
        (
            "questionnaire_p99_ms",
            l201["p99_ms"],
            f"<= {TARGET_P99_MS}",
            (l201["p99_ms"] or 1e9) <= TARGET_P99_MS,
        ),
        (
            "live_results_p99_ms",
            reads["all"]["p99_ms"],
            f"<= {TARGET_READ_P99_MS}",
            (reads["all"]["p99_ms"] or 1e9) <= TARGET_READ_P99_MS,
        ),
        ("lost", au["lost"], "== 0", au["lost"] == 0),
        (
            "second_answers",
            au["duplicates"] + au["replays_stored"],
            "== 0",
            au["duplicates"] + au["replays_stored"] == 0,
        ),
        ("ledger_missing", au["ledger_missing"], "== 0", au["ledger_missing"] == 0),
        (
            "replays_refused",
            f"{au['replays_refused']}/{au['replays']}",
            "all",
            au["replays_refused"] == au["replays"],
        ),
        ("http_5xx", r["http_5xx"], "== 0", r["http_5xx"] == 0),
        ("ledger_ok", r["ledger"].get("ok"), "== True", bool(r["ledger"].get("ok"))),
        (
            f"report_of_{rep['responses']}_s",
            rep["report_draft_s"],
            f"<= {TARGET_REPORT_S}",
            rep["report_draft_s"] <= TARGET_REPORT_S,
        ),
    ]
    if hello:
        ratio = round(r["questionnaires_per_s"] / hello, 4)
        goal = round(TARGET_PER_S / HELLO_REFERENCE, 4)
        rows.insert(1, ("questionnaires_to_hello", ratio, f">= {goal}", ratio >= goal))
    for name, value, target, ok in rows:
        log(f"  {name:34} {value!s:>12}   {target:>10}  {met(ok)}")
    if ceil.get("db_insert"):
        d = ceil["db_insert"]
        log(f"  ceiling db insert: {d['per_s']}/s (pgbench, {d['clients']} clients)")
    if hello:
        log(f"  ceiling hello: {hello}/s; questionnaires {r['questionnaires_per_s'] / hello:.3f}×hello")
    log(
        f"  questionnaires: p50 {l201['p50_ms']} ms, p99 {l201['p99_ms']} ms; statuses {r['statuses']}; "
        f"replays {au['replay_statuses']}; cpu {r['cpu']}; cpu ms/request {r['cpu_ms_per_request']}"
    )
    log(
        f"  live results {reads['path']}: {reads['per_s']}/s (asked {reads.get('paced_per_s') or 'unpaced'}), p99 {reads['all']['p99_ms']} ms, {reads['statuses']}"
    )
    log(
        f"  audit {'ok' if au['ok'] else 'FAILED'}: acknowledged {au['acknowledged']}, stored {au['stored']}, "
        f"lost {au['lost']}, duplicates {au['duplicates']}, ledger {au['ledger_entries']} "
        f"(missing {au['ledger_missing']}, extra {au['ledger_extra']}, answers wrong "
        f"{au['ledger_answers_wrong']}), counter {au['counter']}"
    )
    log(
        f"  report: {rep['responses']:,} responses, {rep['answers']:,} answer rows (seeded in {rep['seed_s']} s), "
        f"report_draft {rep['report_draft_s']} s"
    )
    if r.get("tokens_exhausted_threads"):
        log(f"  WARNING: {r['tokens_exhausted_threads']} connections ran out of residents: run with more")
    if r.get("server_errors_logged"):
        log(f"  server errors logged: {r['server_errors_logged']}")
