"""`places`: address autocomplete over 200,000 buildings and 5,000 streets at a steady
200 queries/s (target: p99 ≤ 30 ms on 2 cores), and reverse geocoding with
point-in-area for 10,000 points (target: ≤ 1 s).

The geography is loaded before the server starts (run.py calls bench/places_data.py
load when this scenario is chosen): the demo hromada's settlements from the codifier,
with a bench-sized town and villages from hromada/places/synthetic.py. The queries are
what people type, made from the register's own names: prefixes, full addresses
("вул. Садова, 12", "садова,12"), former names ("вул. Леніна 5"), Latin ("Sadova 12"),
typos, apostrophe variants (' ʼ for ’), no street type.

Autocomplete is measured through HTTP against the bench's server
(`GET /api/v1/places/addresses?q=…&limit=10`), open loop: each request has its moment
on a fixed schedule (200/s over a few connections), and its latency counts from that
moment, so a slow answer that delays the next request is charged to the next one too
(no coordinated omission). The load generator is this process (a few threads, ~0.1 ms
of CPU per request), not wrk: wrk has no fixed-rate mode.

Reverse geocoding is measured in process (`geocode.locate_many(hromada=, points=)`, in a
Django process of its own on the bench database): a first, cold call that builds the
process's caches and the best of two warm ones.

The audit (the queries are reads: nothing can be lost, but answers can be wrong): every
known address of the sample (a full address of a street whose name is unique in the
hromada, a unique former name with a house number, an apostrophe variant) must have its
building among the suggestions; a point exactly at a building must be answered with that
building (and a village building's okrug); a point far outside the hromada must be
answered "outside"."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter

from processes import BENCH, HOST, PY, http_get, run
from report import cpu_per_request, latency_stats, log

from scenarios import scenario

RATE = 200  # queries per second
CONNECTIONS = 8
WARMUP_S = 4
TARGET_P99_MS = 30
TARGET_LOCATE_S = 1.0


def paced_get(port: int, paths: list[str], *, rate: float, duration: float, connections: int) -> list[tuple]:
    """GET `paths` in turn at `rate` per second for `duration` seconds over `connections`
    keep-alive connections. Request i is due at start + i/rate (thread i % connections
    sends it); its latency counts from that moment. Records are wrk's shape:
    (path index, status, due µs, latency µs); status 0 = the connection failed."""
    start = time.time() + 0.2
    total = int(rate * duration)
    records: list[tuple] = []
    lock = threading.Lock()

    def worker(t: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        mine = []
        for i in range(t, total, connections):
            due = start + i / rate
            pause = due - time.time()
            if pause > 0:
                time.sleep(pause)
            path = paths[i % len(paths)]
            try:
                conn.request("GET", path, headers={"Host": HOST, "Accept": "application/json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
            done = time.time()
            mine.append((i % len(paths), status, int(due * 1e6), int((done - due) * 1e6)))
        conn.close()
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(connections)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(duration + 120)
    return sorted(records, key=lambda r: r[2])


def suggestions_of(body: str) -> list[dict]:
    """The answer's suggestions: a JSON list (the contract), or a page {"items": […]}."""
    try:
        data = json.loads(body)
    except ValueError:
        return []
    if isinstance(data, dict):
        data = data.get("items") or data.get("results") or data.get("suggestions") or []
    return [s for s in data if isinstance(s, dict)] if isinstance(data, list) else []


def audit_answers(port: int, expect: list[dict]) -> dict:
    """Each known address must bring its building among the suggestions."""
    problems, found, statuses = [], 0, Counter()
    for e in expect:
        status, body = http_get(f"http://{HOST}:{port}{e['path']}")
        statuses[status] += 1
        ids = [str(s.get("building_id") or "") for s in suggestions_of(body)]
        if status == 200 and e["building"] in ids:
            found += 1
        elif len(problems) < 10:
            problems.append(
                f"{e['kind']} «{e['q']}»: HTTP {status}, building {e['building']} not among {len(ids)}"
            )
    return {
        "ok": found == len(expect) and bool(expect),
        "checked": len(expect),
        "found": found,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "problems": problems,
    }


@scenario("places", order=25)
def places(bench) -> None:
    a = bench.args
    data = bench.setup.get("places")
    if not data:
        log("scenario places: no geography was loaded (run.py loads it when the scenario is chosen)")
        return
    where = bench.out / "places"
    paths = (where / "queries.txt").read_text().splitlines()
    expect = json.loads((where / "expect.json").read_text())
    duration = a.read_duration
    log(
        f"scenario places: autocomplete over {data['buildings']:,} buildings and {data['streets']:,} streets, "
        f"{RATE}/s for {duration} s over {CONNECTIONS} connections (open loop)"
    )
    # Warm-up on the tail of the list (every server process builds its caches).
    paced_get(a.port, paths[-2000:], rate=RATE, duration=WARMUP_S, connections=CONNECTIONS)
    bench.sampler.reset_peak("gunicorn")
    snap = bench.sampler.snapshot()
    records = paced_get(a.port, paths, rate=RATE, duration=duration, connections=CONNECTIONS)
    cpu = bench.sampler.cpu_between(snap, bench.sampler.snapshot())
    statuses = Counter(r[1] for r in records)
    answered = latency_stats(records, {200})
    result = {
        "per_s": round(statuses.get(200, 0) / duration, 1),
        "target_per_s": RATE,
        "connections": CONNECTIONS,
        "duration_s": duration,
        "requests": len(records),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "all": latency_stats(records),
        "latency_200": answered,
        "http_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "cpu": cpu,
        "cpu_ms_per_request": cpu_per_request(cpu, len(records), duration),
        "peak_rss_mb": round(bench.sampler.rss_mb["gunicorn"], 1),
        "data": data,
    }
    log("  auditing the answers to known addresses")
    result["audit"] = audit_answers(a.port, expect)
    log(f"  reverse geocoding and point-in-area of {data['points']:,} points, in process")
    out = run(
        [PY, str(BENCH / "places_data.py"), "locate", "--out", str(bench.out)],
        env=bench.env(),
        capture=True,
        check=False,
    )
    try:
        result["locate"] = json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        result["locate"] = {"available": False, "error": out.stdout[-2000:]}
    bench.results["scenarios"]["places"] = result
    print_places(result)


def print_places(r: dict) -> None:
    lat = r["all"]
    log(
        f"  places autocomplete: {r['per_s']}/s answered 200 of {r['target_per_s']}/s asked, "
        f"p50 {lat['p50_ms']} ms, p99 {lat['p99_ms']} ms (target ≤ {TARGET_P99_MS}); statuses {r['statuses']}; "
        f"cpu ms/request {r['cpu_ms_per_request']}"
    )
    au = r["audit"]
    log(
        f"  audit: {au['found']} of {au['checked']} known addresses found"
        + (f"; {au['problems'][:3]}" if au["problems"] else "")
    )
    loc = r["locate"]
    if loc.get("available"):
        log(
            f"  locate_many: {loc['points']:,} points in {loc['warm_s']} s warm, {loc['cold_s']} s cold "
            f"(target ≤ {TARGET_LOCATE_S}); audit {'ok' if loc['audit']['ok'] else 'FAILED'} "
            f"({loc['audit']['at_building']} at a building, {loc['audit']['outside']} outside)"
            + (f"; {loc['audit']['problems'][:3]}" if loc["audit"]["problems"] else "")
        )
    else:
        log(f"  locate_many: not run: {loc.get('error', '')[:300]}")
