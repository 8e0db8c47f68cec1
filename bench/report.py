"""Figures and output of a bench run.

The progress lines (`log`), the figures of one scenario computed from wrk's records
(percentiles, rates, CPU per request, the summaries stored in results.json), and the
end of a run: the headline, the table (with the same run's ceilings next to the
scenarios), results.json, table.txt and the JSON line printed last."""

from __future__ import annotations

import contextlib
import json
import math
import time
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from processes import Bench, Load


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- figures of one scenario ---------------------------------------------------------------------


def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not values:
        return None
    k = max(0, min(len(values) - 1, math.ceil(q / 100 * len(values)) - 1))
    return values[k]


def r1(x):
    return None if x is None else round(x, 1)


def cpu_per_request(cpu: dict, requests: int, seconds: float) -> dict:
    """Milliseconds of CPU each component spent per request: steadier than rates on a
    machine whose other tenants take a varying share of the cores."""
    if not requests:
        return {}
    return {
        comp: round(cpu.get(comp, 0) / 100 * seconds * 1000 / requests, 2)
        for comp in ("gunicorn", "postgres", "wrk")
    }


def latency_stats(records, ok_status: set[int] | None = None) -> dict:
    lat = sorted(r[3] / 1000 for r in records if ok_status is None or r[1] in ok_status)
    return {
        "n": len(lat),
        "p50_ms": r1(pct(lat, 50)),
        "p90_ms": r1(pct(lat, 90)),
        "p99_ms": r1(pct(lat, 99)),
        "max_ms": r1(lat[-1] if lat else None),
    }


def rate_of(load: Load, statuses: set[int]) -> float:
    return round(sum(1 for r in load.records if r[1] in statuses) / load.duration, 1)


def per_second(load: Load, statuses: set[int]) -> list[int]:
    """Answers with these statuses per second of the run (by completion time)."""
    buckets = [0] * (load.duration + 2)
    t0 = load.started
    for _key, status, start, lat in load.records:
        if status in statuses:
            sec = int((start + lat) / 1e6 - t0)
            if 0 <= sec < len(buckets):
                buckets[sec] += 1
    return buckets[: load.duration + 1]


def summarise_reads(load: Load) -> dict:
    paths = ["/", "/petitions/", "/petitions/<uuid>/"]
    statuses = Counter(r[1] for r in load.records)
    return {
        "per_s": rate_of(load, {200}),
        "connections": load.connections,
        "duration_s": load.duration,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "all": latency_stats(load.records),
        "by_path": {paths[i]: latency_stats([r for r in load.records if r[0] == i]) for i in range(3)},
        "http_5xx": sum(v for k, v in statuses.items() if k >= 500),
    }


def summarise_sign(petition: str, load: Load, fault: dict | None) -> dict:
    """The figures of a signing run on the petition with this uuid; every 5xx and cut
    connection is placed inside or outside the fault's window."""
    statuses = Counter(r[1] for r in load.records)
    window = None
    if fault:
        window = (fault["start"] * 1e6, fault["end"] * 1e6)

    def in_window(r) -> bool:
        return window is not None and r[2] <= window[1] and r[2] + r[3] >= window[0]

    failures = [r for r in load.records if r[1] >= 500 or r[1] == 0]
    inside = [r for r in failures if in_window(r)]
    outside = [r for r in failures if not in_window(r)]
    return {
        "petition": petition,
        "connections": load.connections,
        "duration_s": load.duration,
        "requests": len(load.records),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "signatures_per_s": rate_of(load, {201}),
        "latency_201": latency_stats(load.records, {201}),
        "latency_all": latency_stats(load.records),
        "per_second_201": per_second(load, {201}),
        "http_5xx": sum(v for k, v in statuses.items() if k >= 500),
        "connection_failures": statuses.get(0, 0),
        "failures_in_fault_window": dict(Counter(str(r[1]) for r in inside)),
        "failures_outside_fault_window": dict(Counter(str(r[1]) for r in outside)),
        "http_5xx_outside_fault_window": sum(1 for r in outside if r[1] >= 500),
        "tokens_exhausted_threads": load.exhausted_threads,
        "fault": fault,
    }


def print_sign(name: str, r: dict) -> None:
    l201 = r["latency_201"]
    log(
        f"  {name}: {r['signatures_per_s']} signatures/s, p50 {l201['p50_ms']} ms, p99 {l201['p99_ms']} ms; "
        f"statuses {r['statuses']}; 5xx {r['http_5xx']} (outside fault window "
        f"{r['http_5xx_outside_fault_window']}); cpu {r['cpu']}; cpu ms/request {r.get('cpu_ms_per_request')}"
    )
    if "reads" in r:
        log(f"  reads during signing: {r['reads']['per_s']}/s, p99 {r['reads']['all']['p99_ms']} ms")
    if r.get("tokens_exhausted_threads"):
        log(
            f"  WARNING: {r['tokens_exhausted_threads']} connections ran out of residents: the rate is "
            "capped by --residents, not by the server; run again with more"
        )


# --- the end of a run ---------------------------------------------------------------------------


def headline(bench: Bench, signing: set[str]) -> dict:
    """The headline figures (the JSON line); `signing` names the signing scenarios."""
    s = bench.results["scenarios"]
    ceil = bench.results.get("ceilings", {})
    signs = {k: v for k, v in s.items() if k in signing}
    main = s.get("sign") or next(iter(signs.values()), None)
    reads = s.get("reads")
    mixed = s.get("mixed")
    places = s.get("places")
    places_locate = (places or {}).get("locate") or {}
    appeals = s.get("appeals")
    storm = (appeals or {}).get("storm") or {}
    appeals_audit = (appeals or {}).get("audit") or {}
    appeals_map = (appeals or {}).get("map") or {}
    appeals_o311 = (appeals or {}).get("open311") or {}
    audits = [v["audit"] for v in signs.values()]
    ledger = bench.results.get("ledger", {})
    outside = (
        sum(v["http_5xx_outside_fault_window"] for v in signs.values())
        + sum(v.get("http_5xx", 0) for k, v in s.items() if k == "reads")
        + sum(v["reads"]["http_5xx"] for v in signs.values() if "reads" in v and not v.get("fault"))
        + (places["http_5xx"] if places else 0)
        + sum(x.get("http_5xx", 0) for x in (storm, appeals_map, appeals_o311))
    )
    hello = ceil.get("hello", {}).get("per_s")

    def to_hello(rate):
        # Machines of this kind differ 3-4x in speed: a rate is judged by its ratio to
        # the same run's bare WSGI hello (the issues' rates assume hello ~13,000/s).
        return round(rate / hello, 4) if rate and hello else None

    return {
        "signatures_per_s": main["signatures_per_s"] if main else None,
        "signatures_to_hello": to_hello(main["signatures_per_s"] if main else None),
        "signature_p50_ms": main["latency_201"]["p50_ms"] if main else None,
        "signature_p99_ms": main["latency_201"]["p99_ms"] if main else None,
        "reads_per_s": reads["per_s"] if reads else None,
        "reads_to_hello": to_hello(reads["per_s"] if reads else None),
        "read_p99_ms": reads["all"]["p99_ms"] if reads else None,
        "reads_during_peak_p99_ms": mixed["reads"]["all"]["p99_ms"] if mixed else None,
        "reads_during_peak_per_s": mixed["reads"]["per_s"] if mixed else None,
        "signatures_during_reads_per_s": mixed["signatures_per_s"] if mixed else None,
        "signatures_during_reads_to_hello": to_hello(mixed["signatures_per_s"] if mixed else None),
        "places_autocomplete_per_s": places["per_s"] if places else None,
        "places_autocomplete_to_hello": to_hello(places["per_s"] if places else None),
        "places_autocomplete_p99_ms": places["all"]["p99_ms"] if places else None,
        "places_autocomplete_server_cpu_ms": (places or {}).get("cpu_ms_per_request", {}).get("gunicorn"),
        "places_locate_10k_s": places_locate.get("warm_s"),
        "places_locate_10k_cold_s": places_locate.get("cold_s"),
        "places_audit_ok": (places["audit"]["ok"] and places_locate.get("audit", {}).get("ok", False))
        if places
        else None,
        # The appeals scenario (issue 13): the storm from each report's scheduled moment.
        "appeals_reports_per_s": storm.get("reports_per_s"),
        "appeals_reports_to_hello": to_hello(storm.get("reports_per_s")),
        "appeals_report_p50_ms": (storm.get("latency_201") or {}).get("p50_ms"),
        "appeals_report_p99_ms": (storm.get("latency_201") or {}).get("p99_ms"),
        "appeals_report_server_cpu_ms": (storm.get("cpu_ms_per_request") or {}).get("gunicorn"),
        "appeals_report_db_cpu_ms": (storm.get("cpu_ms_per_request") or {}).get("postgres"),
        "appeals_lost": appeals_audit.get("lost") if appeals else None,
        "appeals_duplicates": appeals_audit.get("duplicates") if appeals else None,
        "appeals_http_5xx": sum(x.get("http_5xx", 0) for x in (storm, appeals_map, appeals_o311))
        if appeals
        else None,
        "appeals_audit_ok": (bool(appeals_audit.get("ok")) and bool((appeals.get("ledger") or {}).get("ok")))
        if appeals
        else None,
        "appeals_map_per_s": appeals_map.get("per_s"),
        "appeals_map_to_hello": to_hello(appeals_map.get("per_s")),
        "appeals_map_p99_ms": (appeals_map.get("all") or {}).get("p99_ms"),
        "appeals_map_server_cpu_ms": (appeals_map.get("cpu_ms_per_request") or {}).get("gunicorn"),
        "appeals_open311_per_s": appeals_o311.get("per_s"),
        "appeals_open311_to_hello": to_hello(appeals_o311.get("per_s")),
        "appeals_open311_p99_ms": (appeals_o311.get("all") or {}).get("p99_ms"),
        "appeals_open311_server_cpu_ms": (appeals_o311.get("cpu_ms_per_request") or {}).get("gunicorn"),
        "appeals_reads_audit_ok": (
            bool((appeals_map.get("audit") or {}).get("ok"))
            and bool((appeals_o311.get("audit") or {}).get("ok"))
        )
        if appeals
        else None,
        "hello_per_s": ceil.get("hello", {}).get("per_s"),
        "db_insert_per_s": ceil.get("db_insert", {}).get("per_s"),
        "acknowledged": sum(a["acknowledged"] for a in audits),
        "stored": sum(a["stored"] for a in audits),
        "lost": sum(a["lost"] for a in audits),
        "duplicates": sum(a["duplicates"] for a in audits),
        "http_5xx": sum(v["http_5xx"] for v in signs.values())
        + (reads["http_5xx"] if reads else 0)
        + sum(v["reads"]["http_5xx"] for v in signs.values() if "reads" in v),
        "http_5xx_outside_fault_windows": outside,
        "count_ok": all(a["count_ok"] for a in audits) if audits else None,
        "ledger_ok": bool(ledger.get("ok"))
        and all(
            a["ledger_missing"] == 0 and a["ledger_extra"] == 0 and a["ledger_duplicates"] == 0
            for a in audits
        )
        if ledger
        else None,
        "peak_rss_mb": max([v.get("peak_rss_mb", 0) for v in s.values()] or [0]) or None,
        "signature_server_cpu_ms": (main or {}).get("cpu_ms_per_request", {}).get("gunicorn"),
        "signature_db_cpu_ms": (main or {}).get("cpu_ms_per_request", {}).get("postgres"),
        "read_server_cpu_ms": (reads or {}).get("cpu_ms_per_request", {}).get("gunicorn"),
        "other_tenants_cpu_pct": (main or {}).get("cpu", {}).get("other"),
        "worker_alive": bench.results.get("worker_alive"),
        "workers": bench.args.workers,
        "threads": bench.args.threads,
        "experiments": ",".join(bench.args.experiments) or None,
        "duration_s": bench.args.duration,
    }


# The bare WSGI hello of the fast 2-core node the issues' targets were set on.
HELLO_REFERENCE = 13_000


def table(bench: Bench, h: dict) -> str:
    """The headline against the issue's targets, then every ceiling and scenario, CPU,
    faults, the worker and the ledger."""
    targets = {
        "signatures_per_s": (">=", 1000),
        "signatures_to_hello": (">=", round(1000 / HELLO_REFERENCE, 4)),
        "signature_p99_ms": ("<=", 250),
        "reads_per_s": (">=", 2000),
        "reads_to_hello": (">=", round(2000 / HELLO_REFERENCE, 4)),
        "read_p99_ms": ("<=", 100),
        "reads_during_peak_p99_ms": ("<=", 250),
        "lost": ("==", 0),
        "duplicates": ("==", 0),
        "http_5xx_outside_fault_windows": ("==", 0),
        "ledger_ok": ("==", True),
        "count_ok": ("==", True),
        "places_autocomplete_p99_ms": ("<=", 30),
        "places_locate_10k_s": ("<=", 1.0),
        "places_audit_ok": ("==", True),
        "appeals_reports_per_s": (">=", 200),
        "appeals_reports_to_hello": (">=", round(200 / HELLO_REFERENCE, 4)),
        "appeals_report_p99_ms": ("<=", 500),
        "appeals_lost": ("==", 0),
        "appeals_duplicates": ("==", 0),
        "appeals_http_5xx": ("==", 0),
        "appeals_audit_ok": ("==", True),
        "appeals_map_p99_ms": ("<=", 100),
        "appeals_open311_p99_ms": ("<=", 100),
        "appeals_reads_audit_ok": ("==", True),
    }
    lines = ["", "=" * 78, f"{'figure':34} {'measured':>14}   {'target':>10}  met", "-" * 78]
    for key, value in h.items():
        target = targets.get(key)
        met = ""
        if target and value is not None:
            op, goal = target
            ok = {">=": value >= goal, "<=": value <= goal, "==": value == goal}[op]
            met = "yes" if ok else "NO"
        shown = (
            "—"
            if value is None
            else (
                f"{value:,}"
                if isinstance(value, (int, float)) and not isinstance(value, bool)
                else str(value)
            )
        )
        lines.append(
            f"{key:34} {shown:>14}   {(target[0] + ' ' + str(target[1])) if target else '':>10}  {met}"
        )
    lines.append("-" * 78)
    lines.append("scenario   rate/s   p50 ms   p99 ms  statuses                     audit")
    ceil = bench.results.get("ceilings", {})
    hello = (ceil.get("hello") or {}).get("per_s")

    def ratio(rate) -> str:
        return f" ({rate / hello:.3f}×hello)" if rate and hello else ""

    if ceil.get("db_insert"):
        d = ceil["db_insert"]
        lines.append(
            f"{'db insert':10} {d['per_s'] or 0:7.1f}  avg {d['latency_avg_ms']} ms  pgbench, {d['clients']} clients"
        )
    if ceil.get("hello"):
        d = ceil["hello"]
        lines.append(
            f"{'hello':10} {d['per_s']:7.1f}  {d['p50_ms']:7.1f}  {d['p99_ms']:7.1f}  errors {d['errors']}"
        )
    for name, sc in bench.results["scenarios"].items():
        if "signatures_per_s" in sc:
            lat, au = sc["latency_201"], sc["audit"]
            audit = (
                f"{'ok' if au['ok'] else 'FAILED'}: acked {au['acknowledged']}, rows {au['stored']}, "
                f"lost {au['lost']}, dup {au['duplicates']}, ledger {au['ledger_entries']}, "
                f"page {au['page_count']} @{au['page_after_s']}s"
            )
            statuses = " ".join(f"{k}:{v}" for k, v in sc["statuses"].items())
            lines.append(
                f"{name:10} {sc['signatures_per_s']:7.1f}  {lat['p50_ms'] or 0:7.1f}  {lat['p99_ms'] or 0:7.1f}  "
                f"{statuses:28} {audit}{ratio(sc['signatures_per_s'])}"
            )
            if "reads" in sc:
                r = sc["reads"]
                lines.append(
                    f"{'  + reads':10} {r['per_s']:7.1f}  {r['all']['p50_ms'] or 0:7.1f}  {r['all']['p99_ms'] or 0:7.1f}  "
                    + " ".join(f"{k}:{v}" for k, v in r["statuses"].items())
                    + ratio(r["per_s"])
                )
        elif "storm" in sc:  # appeals: the storm, then its two reads
            for label, part, lat in (
                ("reports", sc["storm"], sc["storm"]["latency_201"]),
                ("  map", sc["map"], sc["map"]["all"]),
                ("  open311", sc["open311"], sc["open311"]["all"]),
            ):
                rate = part.get("reports_per_s", part.get("per_s"))
                lines.append(
                    f"{label:10} {rate:7.1f}  {lat['p50_ms'] or 0:7.1f}  {lat['p99_ms'] or 0:7.1f}  "
                    + " ".join(f"{k}:{v}" for k, v in part["statuses"].items())
                    + ratio(rate)
                )
        elif "per_s" in sc:
            lines.append(
                f"{name:10} {sc['per_s']:7.1f}  {sc['all']['p50_ms'] or 0:7.1f}  {sc['all']['p99_ms'] or 0:7.1f}  "
                + " ".join(f"{k}:{v}" for k, v in sc["statuses"].items())
                + ratio(sc["per_s"])
            )
    lines.append("-" * 78)
    lines.append("CPU, 100% = one core (other = processes that are not the bench's: other tenants):")
    for name, sc in bench.results["scenarios"].items():
        cpu = sc.get("cpu", {})
        cpu_txt = ", ".join(f"{k} {v}%" for k, v in cpu.items() if v and k != "machine_busy_pct")
        per = sc.get("cpu_ms_per_request")
        per_txt = f"; CPU ms/request: {', '.join(f'{k} {v}' for k, v in per.items())}" if per else ""
        lines.append(f"  {name:10} {cpu_txt}; machine busy {cpu.get('machine_busy_pct')}%{per_txt}")
    for f in bench.faults:
        lines.append(
            f"fault {f['kind']}: window {f['window_s']} s "
            + ", ".join(f"{k}={v}" for k, v in f.items() if k not in ("kind", "start", "end", "window_s"))
        )
    worker = bench.results.get("worker_alive")
    if worker is not None:
        lines.append(f"background worker alive at the end: {worker}")
    ledger = bench.results.get("ledger")
    if ledger:
        lines.append(
            f"ledger: {ledger['entries']} entries, sealed by {ledger['sealed_by']}, "
            f"ledger_verify exit {ledger['verify_exit']}"
        )
    lines.append("=" * 78)
    return "\n".join(lines)


def write_results(bench: Bench, signing: set[str]) -> None:
    """results.json and table.txt in the run's folder, `results/latest` pointing to it,
    then the table and, as the last line, the headline as one JSON object."""
    h = headline(bench, signing)
    bench.results["headline"] = h
    (bench.out / "results.json").write_text(json.dumps(bench.results, indent=2, default=str))
    text = table(bench, h)
    (bench.out / "table.txt").write_text(text + "\n")
    latest = bench.out.parent / "latest"
    with contextlib.suppress(OSError):
        if latest.is_symlink() or latest.exists():
            latest.unlink()
        latest.symlink_to(bench.out.name)
    print(text)
    print(json.dumps(h), flush=True)
