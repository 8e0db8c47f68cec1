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
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
LUA = BENCH / "lua" / "record.lua"
ALL_SCENARIOS = ["ceilings", "sign", "reads", "mixed", "kill", "pgrestart"]
SIGN_SCENARIOS = {"sign", "mixed", "kill", "pgrestart"}
# Seconds a finished run may take until every figure a reader sees is exact: the live
# count is cached LIVE_COUNT_SECONDS (2 s) per server process and the worker rolls
# the stored count up every 15 s (docs: petitions). The audit polls up to this long.
REFRESH_DEADLINE_S = 30
# A fault window runs from the fault until this long after recovery (respawned worker;
# PostgreSQL accepting connections again). Failures outside it count against the run.
KILL_GRACE_S = 3.0
# wrk runs this much longer than a scenario so that answers to requests sent before
# the end still arrive and are logged.
WRK_GRACE_S = 5
PG_GRACE_S = 2.0
HOST = "127.0.0.1"
# Requests per second the hello ceiling's input files allow for (it must never run out).
HELLO_CEILING_PER_S = 40_000
# Residents per second of a signing scenario (default --residents): every signature
# needs a resident who has not signed that petition yet.
RESIDENTS_PER_S = 4_000


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


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
        default=",".join(ALL_SCENARIOS),
        help=f"comma-separated subset of {','.join(ALL_SCENARIOS)}",
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
    unknown = set(a.scenarios) - set(ALL_SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    if not a.sign_connections:
        a.sign_connections = a.workers * a.threads
    if not a.residents:
        a.residents = max(20_000, int(a.duration * RESIDENTS_PER_S))
    return a


# --- small helpers ------------------------------------------------------------------------------


def run(cmd: list[str], *, env=None, check=True, capture=False, timeout=None, cwd=ROOT):
    result = subprocess.run(
        cmd,
        env=env,
        cwd=cwd,
        text=True,
        timeout=timeout,
        stdout=subprocess.PIPE if capture else None,
        stderr=subprocess.STDOUT if capture else None,
    )
    if check and result.returncode != 0:
        out = (result.stdout or "")[-4000:] if capture else ""
        raise SystemExit(f"command failed ({result.returncode}): {' '.join(cmd)}\n{out}")
    return result


def pct(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an already sorted list."""
    if not values:
        return None
    k = max(0, min(len(values) - 1, math.ceil(q / 100 * len(values)) - 1))
    return values[k]


def r1(x):
    return None if x is None else round(x, 1)


def http_get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Host": f"{HOST}", "Accept": "application/json, text/html"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((HOST, port)) != 0


# --- machine and tools --------------------------------------------------------------------------


def ensure_tools(args) -> None:
    if shutil.which("wrk") is None:
        if args.no_install:
            raise SystemExit("wrk is needed (Debian: apt-get install wrk)")
        log("installing wrk (Debian package)")
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        if (
            subprocess.run(
                sudo + ["apt-get", "install", "-y", "-qq", "wrk"], env=env, stdout=subprocess.DEVNULL
            ).returncode
            != 0
        ):
            run(sudo + ["apt-get", "update", "-qq"], env=env)
            run(sudo + ["apt-get", "install", "-y", "-qq", "wrk"], env=env)
    for tool in ("pgbench", "psql", "pg_isready"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed (Debian: apt-get install postgresql-client)")
    if args.profile and not (VENV_BIN / "py-spy").exists():
        if args.no_install:
            raise SystemExit("py-spy is needed for --profile: pip install -r bench/requirements.txt")
        log("installing bench/requirements.txt into .venv (profilers)")
        run([str(VENV_BIN / "pip"), "install", "--quiet", "-r", str(BENCH / "requirements.txt")])


def pg_cluster() -> tuple[str, str]:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: int(v) if v.isdigit() else 0)
    return versions[-1], "main"


def pg_ctl(action: str) -> None:
    version, name = pg_cluster()
    cmd = ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, action]
    if os.geteuid() != 0:
        cmd = ["sudo"] + cmd
    run(cmd)


def ensure_postgres(args) -> None:
    host, port = pg_host_port(args.pg)
    if subprocess.run(["pg_isready", "-q", "-h", host, "-p", port]).returncode == 0:
        return
    log("starting PostgreSQL")
    pg_ctl("start")
    wait_postgres(args, 30)


def wait_postgres(args, timeout: float) -> float:
    host, port = pg_host_port(args.pg)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if subprocess.run(["pg_isready", "-q", "-h", host, "-p", port]).returncode == 0:
            return time.time()
        time.sleep(0.1)
    raise SystemExit("PostgreSQL did not come up")


def pg_host_port(url: str) -> tuple[str, str]:
    m = re.match(r"postgres(?:ql)?://(?:[^@/]*@)?([^:/]+)(?::(\d+))?", url)
    return (m.group(1), m.group(2) or "5432") if m else ("127.0.0.1", "5432")


def psql(args, db: str, sql: str, *, capture=True) -> str:
    out = run(
        ["psql", f"{args.pg.rstrip('/')}/{db}", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture=capture,
    )
    return (out.stdout or "").strip()


def machine_info(args) -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_kb = int(line.split()[1])
    pg_version = psql(args, "postgres", "SHOW server_version")
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    gunicorn = run([str(VENV_BIN / "gunicorn"), "--version"], capture=True).stdout.strip()
    # CPU calibration readers can repeat elsewhere: ten million Python additions in a function.
    loop = run(
        [
            PY,
            "-c",
            "import time\ndef f():\n s=0\n for i in range(10**7): s+=i\n"
            "t=time.process_time(); f(); print(round(time.process_time()-t, 2))",
        ],
        capture=True,
    ).stdout.strip()
    return {
        "python_loop_10m_s": float(loop),
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "postgresql": pg_version,
        "python": platform.python_version(),
        "kernel": platform.release(),
        "wrk": wrk_version.strip(),
        "gunicorn": gunicorn,
        "pg_settings": dict(
            (name, psql(args, "postgres", f"SHOW {name}"))
            for name in ("shared_buffers", "synchronous_commit", "max_connections", "fsync")
        ),
    }


# --- process sampling: CPU per component and the server's RSS -------------------------------------


class Sampler(threading.Thread):
    """Every 0.5 s: CPU ticks of every process, grouped by component (gunicorn tree,
    worker tree, PostgreSQL, wrk, pgbench, this script), and the RSS of the gunicorn
    master plus its workers."""

    INTERVAL = 0.5

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.roots: dict[int, str] = {}  # pid -> component for process trees we started
        self.lock = threading.Lock()
        self.last_ticks: dict[int, int] = {}
        self.cum: Counter = Counter()
        self.rss_mb: dict[str, float] = defaultdict(float)  # component -> peak total RSS
        self.rss_now: dict[str, float] = {}
        self.stop_event = threading.Event()
        self.clk = os.sysconf("SC_CLK_TCK")
        self.page_kb = os.sysconf("SC_PAGE_SIZE") / 1024
        self.me = os.getpid()
        self.scanned = False

    def watch(self, pid: int, component: str) -> None:
        with self.lock:
            self.roots[pid] = component

    def unwatch(self, pid: int) -> None:
        with self.lock:
            self.roots.pop(pid, None)

    def _scan(self) -> None:
        procs = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                raw = Path(f"/proc/{entry.name}/stat").read_text()
                statm = Path(f"/proc/{entry.name}/statm").read_text().split()
            except OSError:
                continue
            comm = raw[raw.index("(") + 1 : raw.rindex(")")]
            rest = raw[raw.rindex(")") + 2 :].split()
            ppid = int(rest[1])
            ticks = int(rest[11]) + int(rest[12])
            rss_kb = int(statm[1]) * self.page_kb
            procs[int(entry.name)] = (comm, ppid, ticks, rss_kb)
        with self.lock:
            roots = dict(self.roots)

        def component(pid: int) -> str:
            comm = procs[pid][0]
            if comm.startswith("wrk"):
                return "wrk"
            if comm.startswith("pgbench"):
                return "pgbench"
            seen = 0
            p = pid
            while p > 1 and seen < 50:
                if p in roots:
                    return roots[p]
                if p == self.me:
                    return "bench"
                p = procs[p][1] if p in procs else 0
                seen += 1
            if comm.startswith("postgres"):
                return "postgres"
            return "other"

        rss: Counter = Counter()
        with self.lock:
            for pid, (_comm, _ppid, ticks, rss_kb) in procs.items():
                comp = component(pid)
                prev = self.last_ticks.get(pid)
                if prev is not None and ticks >= prev:
                    self.cum[comp] += ticks - prev
                elif prev is None and self.scanned:
                    self.cum[comp] += ticks  # born since the last scan: all its time is new
                self.last_ticks[pid] = ticks
                rss[comp] += rss_kb / 1024
            for comp, mb in rss.items():
                self.rss_now[comp] = mb
                self.rss_mb[comp] = max(self.rss_mb[comp], mb)
            self.scanned = True
            total, idle = _cpu_totals()
            self.cum["_total"] = total
            self.cum["_idle"] = idle

    def run(self) -> None:
        while not self.stop_event.is_set():
            with contextlib.suppress(Exception):
                self._scan()
            self.stop_event.wait(self.INTERVAL)

    def snapshot(self) -> dict:
        with contextlib.suppress(Exception):
            self._scan()
        with self.lock:
            return {"cum": Counter(self.cum), "t": time.time()}

    def reset_peak(self, component: str) -> None:
        with self.lock:
            self.rss_mb[component] = self.rss_now.get(component, 0.0)

    def cpu_between(self, a: dict, b: dict) -> dict:
        """Share of one core used by each component between two snapshots (100 = one core)."""
        seconds = max(1e-6, b["t"] - a["t"])
        out = {}
        for comp in ("gunicorn", "worker", "postgres", "wrk", "pgbench", "bench", "other"):
            ticks = b["cum"].get(comp, 0) - a["cum"].get(comp, 0)
            out[comp] = round(100 * ticks / self.clk / seconds, 1)
        total = b["cum"]["_total"] - a["cum"]["_total"]
        idle = b["cum"]["_idle"] - a["cum"]["_idle"]
        out["machine_busy_pct"] = round(100 * (total - idle) / total, 1) if total else None
        return out


def _cpu_totals() -> tuple[int, int]:
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    values = [int(x) for x in fields[:8]]
    return sum(values), values[3] + values[4]


# --- servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    proc: subprocess.Popen
    log_path: Path
    port: int

    def worker_pids(self) -> list[int]:
        return children_of(self.proc.pid)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0


def children_of(pid: int) -> list[int]:
    out = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                raw = Path(f"/proc/{entry.name}/stat").read_text()
                if int(raw[raw.rindex(")") + 2 :].split()[1]) == pid:
                    out.append(int(entry.name))
    return sorted(out)


def gunicorn_cmd(app: str, args, extra: list[str] | None = None) -> list[str]:
    """scripts/serve's gunicorn command line, with the bench's port and worker count."""
    return [
        str(VENV_BIN / "gunicorn"),
        app,
        "-c",
        "config/gunicorn.conf.py",
        "--bind",
        f"{HOST}:{args.port}",
        "--workers",
        str(args.workers),
    ] + (extra or [])


def start_gunicorn(
    name: str,
    app: str,
    args,
    env: dict,
    out: Path,
    sampler: Sampler,
    ready_path: str,
    extra: list[str] | None = None,
) -> Server:
    if not port_free(args.port):
        raise SystemExit(f"port {args.port} is busy; pass --port")
    log_path = out / f"{name}.log"
    proc = subprocess.Popen(
        gunicorn_cmd(app, args, extra),
        cwd=ROOT,
        env=env,
        stdout=log_path.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    sampler.watch(proc.pid, "gunicorn")
    server = Server(name, proc, log_path, args.port)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            sampler.unwatch(proc.pid)
            raise SystemExit(f"{name} exited at start; see {log_path}")
        status, _ = http_get(f"http://{HOST}:{args.port}{ready_path}", timeout=5)
        if status and len(server.worker_pids()) >= args.workers:  # any HTTP answer: it serves
            return server
        time.sleep(0.3)
    stop_process(proc, sampler)
    raise SystemExit(f"{name} did not answer on {ready_path} within 60 s; see {log_path}")


def stop_process(proc: subprocess.Popen, sampler: Sampler | None = None, timeout: float = 25) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    if sampler:
        sampler.unwatch(proc.pid)


# --- load generation ----------------------------------------------------------------------------


@dataclass
class Load:
    mode: str
    out: Path
    connections: int
    duration: int
    proc: subprocess.Popen | None = None
    started: float = 0.0
    finished: float = 0.0
    records: list[tuple[int, int, int, int]] = field(default_factory=list)
    per_thread: dict[int, int] = field(default_factory=dict)
    exhausted_threads: int = 0
    stopped: set[int] = field(default_factory=set)  # threads that stopped by themselves
    wrk_summary: str = ""


def write_sign_inputs(prefix: Path, path: str, tokens: list[str], threads: int, repeat: int = 1) -> None:
    """Thread t signs with tokens t, t+threads, t+2·threads, … (files <prefix>.<t>).
    `repeat` > 1 lists them that many times over: only for the hello ceiling, whose
    app accepts any token, so that the ceiling is not capped by the residents."""
    for t in range(threads):
        with open(f"{prefix}.{t}", "w") as f:
            f.write(path + "\n")
            for _ in range(repeat):
                for i in range(t, len(tokens), threads):
                    f.write(f"{i} {tokens[i]}\n")


def start_wrk(mode: str, out: Path, input_prefix: Path, connections: int, duration: int, port: int) -> Load:
    """wrk with one connection per thread. Threads send until `duration` is over, then
    wait up to WRK_GRACE_S for the answers to what they already sent."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("t*.log"):
        old.unlink()
    load = Load(mode=mode, out=out, connections=connections, duration=duration)
    load.started = time.time() + 0.2  # wrk's start-up: threads, Lua states, token files
    deadline_us = int((load.started + duration) * 1e6)
    cmd = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration + WRK_GRACE_S}s", "--timeout", "30s"]
    cmd += ["-s", str(LUA), f"http://{HOST}:{port}/", "--", mode, str(out), str(input_prefix)]
    cmd += [f"{HOST}:{port}", str(deadline_us)]
    load.proc = subprocess.Popen(cmd, stdout=(out / "wrk.txt").open("w"), stderr=subprocess.STDOUT)
    return load


def finish_wrk(load: Load) -> Load:
    load.proc.wait(load.duration + WRK_GRACE_S + 60)
    load.finished = time.time()
    load.wrk_summary = (load.out / "wrk.txt").read_text()
    for path in sorted(load.out.glob("t*.log")):
        thread = int(path.stem[1:])
        n = 0
        for line in path.read_text().splitlines():
            if line == "exhausted":
                load.exhausted_threads += 1
                load.stopped.add(thread)
                continue
            if line == "stopped":
                load.stopped.add(thread)
                continue
            key, status, start, lat = line.split()
            load.records.append((int(key), int(status), int(start), int(lat)))
            n += 1
        load.per_thread[thread] = n
    return load


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


# --- the bench --------------------------------------------------------------------------------


class Bench:
    def __init__(self, args) -> None:
        self.args = args
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        self.out = BENCH / "results" / stamp
        self.out.mkdir(parents=True)
        self.db_url = f"{args.pg.rstrip('/')}/{args.db_name}"
        self.sampler = Sampler()
        self.results: dict = {"scenarios": {}, "config": {}}
        self.server: Server | None = None
        self.worker: subprocess.Popen | None = None
        self.setup: dict = {}
        self.tokens: list[str] = []
        self.faults: list[dict] = []

    # environment shared by every Django process of the bench
    def env(self, **extra) -> dict:
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": self.db_url,
                "SECRET_KEY": "bench-secret-key-not-for-production-0123456789abcdefghij",
                "IDENTITY_HASH_KEY": "bench-identity-hash-key-0123456789",
                "DEBUG": "0",
                "DEMO": "0",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "LOG_LEVEL": "WARNING",
                "PROMETHEUS_MULTIPROC_DIR": str(self.out / "prometheus"),
                "LEDGER_SIGNING_KEY": str(self.out / "ledger-key.pem"),
                "WEB_THREADS": str(self.args.threads),
                "PYTHONUNBUFFERED": "1",
            }
        )
        env.pop("ACCESS_LOG", None)
        env.update(extra)
        return env

    # -- set-up -------------------------------------------------------------------------------

    def prepare(self) -> None:
        a = self.args
        ensure_tools(a)
        ensure_postgres(a)
        self.sampler.start()
        self.results["machine"] = machine_info(a)
        head = run(["git", "rev-parse", "--short", "HEAD"], capture=True, check=False).stdout.strip()
        dirty = run(
            ["git", "status", "--porcelain", "--", "hromada", "config", "templates"],
            capture=True,
            check=False,
        ).stdout.splitlines()
        self.results["git"] = {"head": head, "uncommitted_product_files": len(dirty)}
        self.results["config"] = {
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
        log(f"results in {self.out.relative_to(ROOT)}")
        log(
            f"machine: {self.results['machine']['nproc']} cores, {self.results['machine']['cpu_model']}, "
            f"{self.results['machine']['ram_gb']} GB, PostgreSQL {self.results['machine']['postgresql']}"
        )
        (self.out / "prometheus").mkdir()
        self._ledger_key()
        self.drop_databases()
        psql(a, "postgres", f'CREATE DATABASE "{a.db_name}"')
        t = time.time()
        log("migrate")
        run([PY, "manage.py", "migrate", "--noinput", "-v0"], env=self.env())
        log("collectstatic")
        run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=self.env())
        names = ["warmup"] + [s for s in a.scenarios if s in SIGN_SCENARIOS]
        if a.profile:
            names.append("profile")
        log(f"creating {a.residents:,} verified residents with API tokens and {len(names)} hot petitions")
        out = run(
            [
                PY,
                str(BENCH / "setup_data.py"),
                "--out",
                str(self.out),
                "--residents",
                str(a.residents),
                "--petitions",
                *names,
            ],
            env=self.env(FAST_PASSWORD_HASHER="1"),
            capture=True,
        )
        self.setup = json.loads(out.stdout.strip().splitlines()[-1])
        self.setup["total_seconds"] = round(time.time() - t, 1)
        self.results["setup"] = self.setup
        log(
            f"set-up done in {self.setup['total_seconds']} s (residents: {self.setup['residents_seconds']} s)"
        )
        with open(self.out / "tokens.tsv") as f:
            self.tokens = [line.rstrip("\n").split("\t")[2] for line in f]

    def _ledger_key(self) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path = self.out / "ledger-key.pem"
        path.write_bytes(pem)
        path.chmod(0o600)

    def drop_databases(self) -> None:
        for name in (self.args.db_name, f"{self.args.db_name}_ceiling"):
            psql(self.args, "postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # -- servers ------------------------------------------------------------------------------

    def start_server(self) -> None:
        self.start_worker()
        app, extra = "config.wsgi:application", []
        if self.args.experiments:
            app, extra = "experiment_wsgi:application", ["--pythonpath", str(BENCH)]
        env = self.env(BENCH_EXPERIMENTS=",".join(self.args.experiments))
        self.server = start_gunicorn("server", app, self.args, env, self.out, self.sampler, "/healthz", extra)
        log(
            f"gunicorn up: {self.args.workers} workers × {self.args.threads} threads, pid {self.server.proc.pid}"
        )

    def start_worker(self) -> None:
        has_worker = (
            run([PY, "manage.py", "help", "worker"], env=self.env(), check=False, capture=True).returncode
            == 0
        )
        if not has_worker:
            log("WARNING: manage.py worker does not exist yet; running without the background worker")
            self.results.setdefault("warnings", []).append("no background worker command")
            return
        self.worker = subprocess.Popen(
            [PY, "manage.py", "worker"],
            cwd=ROOT,
            env=self.env(),
            stdout=(self.out / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.sampler.watch(self.worker.pid, "worker")

    def stop_server(self) -> None:
        if self.worker is not None:
            stop_process(self.worker, self.sampler)
            self.worker = None
        if self.server is not None:
            stop_process(self.server.proc, self.sampler)
            self.server = None

    def warm_up(self) -> None:
        """A few seconds of every request kind, so no scenario pays for imports,
        template compilation or the first database connections."""
        log("warm-up")
        pet = self.setup["petitions"]["warmup"]
        prefix = self.out / "warmup" / "tokens"
        (self.out / "warmup").mkdir(exist_ok=True)
        c = min(8, self.args.sign_connections)
        write_sign_inputs(prefix, f"/api/v1/petitions/{pet['uuid']}/sign", self.tokens[:2000], c)
        sign = start_wrk("sign", self.out / "warmup" / "sign", prefix, c, 3, self.args.port)
        paths = self.read_paths(pet["uuid"], self.out / "warmup")
        read = start_wrk("read", self.out / "warmup" / "read", paths, 4, 3, self.args.port)
        finish_wrk(sign)
        finish_wrk(read)

    def read_paths(self, uuid: str, where: Path) -> Path:
        path = where / "paths.txt"
        path.write_text(f"/\n/petitions/\n/petitions/{uuid}/\n")
        return path

    # -- ceilings -----------------------------------------------------------------------------

    def ceilings(self) -> None:
        a = self.args
        res = self.results["ceilings"] = {}
        # 1. PostgreSQL: the signature + ledger INSERTs in one transaction, on a copy of the database.
        ceiling_db = f"{a.db_name}_ceiling"
        log(f"ceiling: PostgreSQL INSERT rate (pgbench, {a.ceiling_duration} s)")
        psql(a, "postgres", f'CREATE DATABASE "{ceiling_db}" TEMPLATE "{a.db_name}"')
        hot = self.setup["petitions"]["warmup"]["id"]
        hromada = self.setup["hromada"]["id"]
        clients = a.workers * a.threads
        expected = 15_000 * a.ceiling_duration
        copies = min(200, expected // a.residents + 2)
        cols = psql(
            a,
            ceiling_db,
            "SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position) "
            "FROM information_schema.columns WHERE table_name = 'petitions_petition' "
            "AND column_name NOT IN ('id', 'public_id', 'number')",
        )
        p0 = psql(
            a,
            ceiling_db,
            f"""
            INSERT INTO petitions_petition (public_id, number, {cols})
            SELECT gen_random_uuid(), 100000 + g, {cols} FROM petitions_petition, generate_series(1, {copies}) g
            WHERE id = {hot} ORDER BY g RETURNING id""",
        ).splitlines()
        ids = [int(x) for x in p0]
        if ids != list(range(ids[0], ids[0] + len(ids))):
            raise SystemExit("ceiling petitions did not get consecutive ids")
        uid0, users = psql(
            a,
            ceiling_db,
            "SELECT min(user_id), count(*) FROM accounts_identity "
            "WHERE user_id IN (SELECT user_id FROM accounts_apitoken)",
        ).split("|")
        script = BENCH / "sql" / "insert_ceiling.sql"
        snap = self.sampler.snapshot()
        pgb = run(
            [
                "pgbench",
                "-n",
                "-M",
                "prepared",
                "-c",
                str(clients),
                "-j",
                "2",
                "-T",
                str(a.ceiling_duration),
                "-D",
                f"hromada={hromada}",
                "-D",
                f"p0={ids[0]}",
                "-D",
                f"uid0={uid0}",
                "-D",
                f"residents={min(int(users), a.residents)}",
                "-D",
                f"nclients={clients}",
                "-D",
                "n=0",
                "-f",
                str(script),
                f"{a.pg.rstrip('/')}/{ceiling_db}",
            ],
            capture=True,
            check=False,
        )
        cpu = self.sampler.cpu_between(snap, self.sampler.snapshot())
        (self.out / "pgbench.txt").write_text(pgb.stdout)
        tps = re.search(r"tps = ([\d.]+) \(without initial", pgb.stdout)
        lat = re.search(r"latency average = ([\d.]+) ms", pgb.stdout)
        failed = re.search(r"number of failed transactions: (\d+)", pgb.stdout)
        res["db_insert"] = {
            "per_s": round(float(tps.group(1)), 1) if tps else None,
            "latency_avg_ms": float(lat.group(1)) if lat else None,
            "clients": clients,
            "failed": int(failed.group(1)) if failed else None,
            "ok": pgb.returncode == 0,
            "cpu": cpu,
        }
        if pgb.returncode != 0:
            log(f"pgbench failed:\n{pgb.stdout[-2000:]}")
        psql(a, "postgres", f'DROP DATABASE IF EXISTS "{ceiling_db}" WITH (FORCE)')
        log(f"  db_insert_per_s = {res['db_insert']['per_s']} ({clients} clients)")

        # 2. A bare WSGI app behind the same gunicorn command line, same request shape as a signature.
        log(f"ceiling: hello WSGI app behind the same gunicorn set-up ({a.ceiling_duration} s)")
        hello = start_gunicorn(
            "hello",
            "hello_wsgi:application",
            a,
            self.env(),
            self.out,
            self.sampler,
            "/",
            extra=["--pythonpath", str(BENCH)],
        )
        try:
            prefix = self.out / "hello" / "tokens"
            (self.out / "hello").mkdir(exist_ok=True)
            # Enough requests for HELLO_CEILING_PER_S: the hello app is far faster than a signature.
            repeat = max(1, math.ceil(HELLO_CEILING_PER_S * a.ceiling_duration / len(self.tokens)))
            write_sign_inputs(
                prefix, "/api/v1/petitions/hello/sign", self.tokens, a.sign_connections, repeat=repeat
            )
            load = start_wrk(
                "sign", self.out / "hello" / "wrk", prefix, a.sign_connections, a.ceiling_duration, a.port
            )
            cpu = self.cpu_until(self.sampler.snapshot(), load.started + a.ceiling_duration)
            finish_wrk(load)
        finally:
            stop_process(hello.proc, self.sampler)
        res["hello"] = {
            "per_s": rate_of(load, {201}),
            "tokens_exhausted_threads": load.exhausted_threads,
            **latency_stats(load.records, {201}),
            "errors": sum(1 for r in load.records if r[1] != 201),
            "cpu": cpu,
            "connections": a.sign_connections,
        }
        log(f"  hello_per_s = {res['hello']['per_s']} (p99 {res['hello']['p99_ms']} ms)")

    # -- scenarios ----------------------------------------------------------------------------

    def sign_scenario(self, name: str, *, with_reads: bool = False, fault: str | None = None) -> dict:
        a = self.args
        pet = self.setup["petitions"][name]
        where = self.out / name
        where.mkdir(exist_ok=True)
        prefix = where / "tokens"
        write_sign_inputs(prefix, f"/api/v1/petitions/{pet['uuid']}/sign", self.tokens, a.sign_connections)
        log(
            f"scenario {name}: {a.duration} s of signing one petition with {a.sign_connections} connections"
            + (" + concurrent readers" if with_reads else "")
            + (f" + fault: {fault}" if fault else "")
        )
        log_from = self.server.log_size()
        self.sampler.reset_peak("gunicorn")
        sign = start_wrk("sign", where / "sign", prefix, a.sign_connections, a.duration, a.port)
        snap = self.sampler.snapshot()
        read = None
        if with_reads:
            paths = self.read_paths(pet["uuid"], where)
            read = start_wrk("read", where / "read", paths, a.read_connections, a.duration, a.port)
        fault_info = None
        if fault:
            fault_info = self.inject(fault, at=sign.started + a.duration / 3)
        cpu = self.cpu_until(snap, sign.started + a.duration)
        finish_wrk(sign)
        if read:
            finish_wrk(read)
        result = self.summarise_sign(name, sign, fault_info)
        result["cpu"] = cpu
        if not read:
            result["cpu_ms_per_request"] = cpu_per_request(cpu, len(sign.records), a.duration)
        result["peak_rss_mb"] = round(self.sampler.rss_mb["gunicorn"], 1)
        if read:
            result["reads"] = self.summarise_reads(read)
        result["server_errors_logged"] = self.server_errors(log_from)
        result["audit"] = self.audit(name, sign)
        self.results["scenarios"][name] = result
        self.print_sign(name, result)
        return result

    def cpu_until(self, snap: dict, until: float) -> dict:
        """CPU shares from `snap` to `until` (the end of the measured window, before wrk's grace)."""
        time.sleep(max(0.0, until - time.time()))
        return self.sampler.cpu_between(snap, self.sampler.snapshot())

    def reads_scenario(self) -> dict:
        a = self.args
        pet = self.setup["petitions"].get("sign") or self.setup["petitions"]["warmup"]
        where = self.out / "reads"
        where.mkdir(exist_ok=True)
        paths = self.read_paths(pet["uuid"], where)
        log(
            f"scenario reads: {a.read_duration} s of /, /petitions/, /petitions/<uuid>/ with "
            f"{a.read_connections} connections"
        )
        self.sampler.reset_peak("gunicorn")
        read = start_wrk("read", where / "read", paths, a.read_connections, a.read_duration, a.port)
        cpu = self.cpu_until(self.sampler.snapshot(), read.started + a.read_duration)
        result = self.summarise_reads(finish_wrk(read))
        result["cpu"] = cpu
        result["cpu_ms_per_request"] = cpu_per_request(cpu, len(read.records), a.read_duration)
        result["peak_rss_mb"] = round(self.sampler.rss_mb["gunicorn"], 1)
        self.results["scenarios"]["reads"] = result
        log(
            f"  reads_per_s = {result['per_s']}, p99 {result['all']['p99_ms']} ms; "
            + ", ".join(f"{k} p99 {v['p99_ms']}" for k, v in result["by_path"].items())
        )
        return result

    def summarise_reads(self, load: Load) -> dict:
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

    def summarise_sign(self, name: str, load: Load, fault: dict | None) -> dict:
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
            "petition": self.setup["petitions"][name]["uuid"],
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

    def inject(self, fault: str, at: float) -> dict:
        """Wait until `at`, break something, return when it has recovered."""
        time.sleep(max(0.0, at - time.time()))
        info: dict = {"kind": fault}
        if fault == "kill":
            workers = self.server.worker_pids()
            victim = workers[0]
            info["start"] = time.time()
            os.kill(victim, signal.SIGKILL)
            info["victim_pid"] = victim
            log(f"  fault: kill -9 gunicorn worker {victim}")
            deadline = time.time() + 30
            while time.time() < deadline:
                now = self.server.worker_pids()
                if victim not in now and len(now) >= len(workers):
                    break
                time.sleep(0.05)
            info["respawned_after_s"] = round(time.time() - info["start"], 2)
            # The new worker imports the application before it accepts connections; the
            # window ends a fixed grace after the respawn (the other workers serve meanwhile).
            info["end"] = time.time() + KILL_GRACE_S
        elif fault == "pgrestart":
            others = self.other_database_sessions()
            info["other_sessions_before"] = others
            info["start"] = time.time()
            log("  fault: PostgreSQL restart (pg_ctlcluster restart)")
            pg_ctl("restart")
            up = wait_postgres(self.args, 60)
            info["postgres_down_s"] = round(up - info["start"], 2)
            info["end"] = up + PG_GRACE_S
        info["window_s"] = round(info["end"] - info["start"], 2)
        self.faults.append(info)
        return info

    def wait_quiet_postgres(self, timeout: int) -> None:
        """Restarting PostgreSQL cuts every session on the server: on a shared machine,
        wait (up to `timeout` s) until no other database has a session."""
        deadline = time.time() + timeout
        others = self.other_database_sessions()
        if others:
            log(
                f"waiting up to {timeout} s for {others} session(s) of other databases to end before the restart"
            )
        while others and time.time() < deadline:
            time.sleep(2)
            others = self.other_database_sessions()
        if others:
            log(f"WARNING: restarting PostgreSQL with {others} session(s) of other databases open")

    def other_database_sessions(self) -> int:
        with contextlib.suppress(SystemExit):
            return int(
                psql(
                    self.args,
                    "postgres",
                    "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
                    f"AND datname NOT IN ('{self.args.db_name}', 'postgres') AND pid <> pg_backend_pid()",
                )
            )
        return -1

    def server_errors(self, offset: int) -> dict:
        """Exception lines the server logged since `offset`, counted: the explanation of 5xx."""
        if self.server is None or not self.server.log_path.exists():
            return {}
        with self.server.log_path.open("rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
        found: Counter = Counter()
        for line in text.splitlines():
            m = re.match(r"^([\w.]+(?:Error|Exception|Exit|Timeout|Interrupt)[\w.]*): ?(.*)$", line.strip())
            if m:
                found[f"{m.group(1)}: {m.group(2)[:120]}"] += 1
            elif (
                "WORKER TIMEOUT" in line
                or "was sent SIGKILL" in line
                or "Worker exiting" in line
                or "Booting worker" in line
            ):
                found[re.sub(r"\d+", "N", line.split("] ", 2)[-1].strip())[:140]] += 1
        return dict(found.most_common(15))

    # -- audit ------------------------------------------------------------------------------

    def audit(self, name: str, load: Load) -> dict:
        pet = self.setup["petitions"][name]
        where = self.out / name
        acked = [r[0] for r in load.records if r[1] == 201]
        (where / "acked.txt").write_text("\n".join(map(str, acked)))
        seen_lines = [f"{r[0]} {r[1]}" for r in load.records]
        # A thread that did not stop by itself (no answer within wrk's grace) may have
        # had a request in flight when wrk ended: its next token.
        c = load.connections
        for t in range(c):
            nxt = t + load.per_thread.get(t, 0) * c
            if t not in load.stopped and nxt < len(self.tokens):
                seen_lines.append(f"{nxt} inflight")
        (where / "seen.txt").write_text("\n".join(seen_lines))
        refresh = self.wait_count(pet)
        out = run(
            [
                PY,
                str(BENCH / "audit.py"),
                "--petition-id",
                str(pet["id"]),
                "--acked",
                str(where / "acked.txt"),
                "--tokens",
                str(self.out / "tokens.tsv"),
                "--seen",
                str(where / "seen.txt"),
            ],
            env=self.env(),
            capture=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result.update(refresh)
        result["count_ok"] = (
            refresh["page_count"] == result["stored"] and refresh["api_count"] == result["stored"]
        )
        result["ok"] = result["ok"] and result["count_ok"]
        log(
            f"  audit: acknowledged {result['acknowledged']}, stored {result['stored']}, lost {result['lost']}, "
            f"duplicates {result['duplicates']}, ledger {result['ledger_entries']} "
            f"(missing {result['ledger_missing']}), page {refresh['page_count']} after {refresh['page_after_s']} s, "
            f"rolled-up {refresh['rolled_up_count']} after {refresh['rolled_up_after_s']} s"
            f"{'' if result['ok'] else '  <-- AUDIT FAILED'}"
        )
        return result

    def wait_count(self, pet: dict) -> dict:
        """Poll the petition page, the API and the rolled-up column until they show the
        stored count (they must, within REFRESH_DEADLINE_S)."""
        t0 = time.time()
        stored = int(
            psql(
                self.args,
                self.args.db_name,
                f"SELECT count(*) FROM petitions_signature WHERE petition_id = {pet['id']}",
            )
        )
        base = f"http://{HOST}:{self.args.port}"
        page = api = rolled = None
        page_at = api_at = rolled_at = None
        streak_page = streak_api = 0
        while time.time() - t0 < REFRESH_DEADLINE_S:
            if page_at is None:
                status, body = http_get(f"{base}/petitions/{pet['uuid']}/")
                m = re.search(r'aria-valuenow="(\d+)"', body)
                page = int(m.group(1)) if m else None
                # Several server processes each cache the count: several equal answers in a row.
                streak_page = streak_page + 1 if page == stored else 0
                if streak_page >= 2 * self.args.workers:
                    page_at = time.time() - t0
            if api_at is None:
                status, body = http_get(f"{base}/api/v1/petitions/{pet['uuid']}")
                with contextlib.suppress(ValueError):
                    api = json.loads(body).get("signatures") if status == 200 else None
                streak_api = streak_api + 1 if api == stored else 0
                if streak_api >= 2 * self.args.workers:
                    api_at = time.time() - t0
            if rolled_at is None:
                rolled = int(
                    psql(
                        self.args,
                        self.args.db_name,
                        f"SELECT signature_count FROM petitions_petition WHERE id = {pet['id']}",
                    )
                )
                if rolled == stored:
                    rolled_at = time.time() - t0
            if page_at is not None and api_at is not None and rolled_at is not None:
                break
            time.sleep(0.25)
        return {
            "page_count": page,
            "page_after_s": r1(page_at),
            "api_count": api,
            "api_after_s": r1(api_at),
            "rolled_up_count": rolled,
            "rolled_up_after_s": r1(rolled_at),
            "rolled_up_ok": rolled_at is not None,
        }

    def ledger_final(self) -> dict:
        """Wait for the worker's seal to cover every entry, then run ledger_verify."""
        log("ledger: waiting for a seal that covers every entry, then manage.py ledger_verify")
        t0 = time.time()
        pending_sql = (
            "SELECT count(*) FROM ledger_ledgerentry e WHERE NOT EXISTS "
            "(SELECT 1 FROM ledger_ledgerleaf l WHERE l.entry_id = e.id)"
        )
        pending = None
        while time.time() - t0 < 60:
            pending = int(psql(self.args, self.args.db_name, pending_sql))
            if pending == 0:
                break
            time.sleep(1)
        sealed_by = "worker" if pending == 0 else None
        if pending:
            log(f"  {pending} entries still unsealed after 60 s; sealing with ledger_seal()")
            run(
                [
                    PY,
                    "-c",
                    "import django; django.setup(); from hromada.ledger.services import ledger_seal; "
                    "from hromada.tenancy.models import Hromada; [ledger_seal(hromada=h) for h in Hromada.objects.all()]",
                ],
                env=self.env(),
            )
            sealed_by = "bench (worker did not seal within 60 s)"
        verify = run([PY, "manage.py", "ledger_verify"], env=self.env(), check=False, capture=True)
        (self.out / "ledger_verify.txt").write_text(verify.stdout)
        entries = int(psql(self.args, self.args.db_name, "SELECT count(*) FROM ledger_ledgerentry"))
        result = {
            "verify_exit": verify.returncode,
            "verify_output_tail": verify.stdout.strip()[-600:],
            "entries": entries,
            "unsealed_after_wait": pending,
            "sealed_by": sealed_by,
            "seal_wait_s": round(time.time() - t0, 1),
            "ok": verify.returncode == 0,
        }
        log(f"  ledger_verify exit {verify.returncode}; {entries} entries; sealed by {sealed_by}")
        return result

    # -- output ------------------------------------------------------------------------------

    def print_sign(self, name: str, r: dict) -> None:
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

    def headline(self) -> dict:
        s = self.results["scenarios"]
        ceil = self.results.get("ceilings", {})
        signs = {k: v for k, v in s.items() if k in SIGN_SCENARIOS}
        main = s.get("sign") or next(iter(signs.values()), None)
        reads = s.get("reads")
        mixed = s.get("mixed")
        audits = [v["audit"] for v in signs.values()]
        ledger = self.results.get("ledger", {})
        outside = (
            sum(v["http_5xx_outside_fault_window"] for v in signs.values())
            + sum(v.get("http_5xx", 0) for k, v in s.items() if k == "reads")
            + sum(v["reads"]["http_5xx"] for v in signs.values() if "reads" in v and not v.get("fault"))
        )
        return {
            "signatures_per_s": main["signatures_per_s"] if main else None,
            "signature_p50_ms": main["latency_201"]["p50_ms"] if main else None,
            "signature_p99_ms": main["latency_201"]["p99_ms"] if main else None,
            "reads_per_s": reads["per_s"] if reads else None,
            "read_p99_ms": reads["all"]["p99_ms"] if reads else None,
            "reads_during_peak_p99_ms": mixed["reads"]["all"]["p99_ms"] if mixed else None,
            "reads_during_peak_per_s": mixed["reads"]["per_s"] if mixed else None,
            "signatures_during_reads_per_s": mixed["signatures_per_s"] if mixed else None,
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
            "worker_alive": self.results.get("worker_alive"),
            "workers": self.args.workers,
            "threads": self.args.threads,
            "experiments": ",".join(self.args.experiments) or None,
            "duration_s": self.args.duration,
        }

    def table(self, h: dict) -> str:
        targets = {
            "signatures_per_s": (">=", 1000),
            "signature_p99_ms": ("<=", 250),
            "reads_per_s": (">=", 2000),
            "read_p99_ms": ("<=", 100),
            "reads_during_peak_p99_ms": ("<=", 250),
            "lost": ("==", 0),
            "duplicates": ("==", 0),
            "http_5xx_outside_fault_windows": ("==", 0),
            "ledger_ok": ("==", True),
            "count_ok": ("==", True),
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
        ceil = self.results.get("ceilings", {})
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
        for name, sc in self.results["scenarios"].items():
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
                    f"{statuses:28} {audit}"
                )
                if "reads" in sc:
                    r = sc["reads"]
                    lines.append(
                        f"{'  + reads':10} {r['per_s']:7.1f}  {r['all']['p50_ms'] or 0:7.1f}  {r['all']['p99_ms'] or 0:7.1f}  "
                        + " ".join(f"{k}:{v}" for k, v in r["statuses"].items())
                    )
            elif "per_s" in sc:
                lines.append(
                    f"{name:10} {sc['per_s']:7.1f}  {sc['all']['p50_ms'] or 0:7.1f}  {sc['all']['p99_ms'] or 0:7.1f}  "
                    + " ".join(f"{k}:{v}" for k, v in sc["statuses"].items())
                )
        lines.append("-" * 78)
        lines.append("CPU, 100% = one core (other = processes that are not the bench's: other tenants):")
        for name, sc in self.results["scenarios"].items():
            cpu = sc.get("cpu", {})
            cpu_txt = ", ".join(f"{k} {v}%" for k, v in cpu.items() if v and k != "machine_busy_pct")
            per = sc.get("cpu_ms_per_request")
            per_txt = f"; CPU ms/request: {', '.join(f'{k} {v}' for k, v in per.items())}" if per else ""
            lines.append(f"  {name:10} {cpu_txt}; machine busy {cpu.get('machine_busy_pct')}%{per_txt}")
        for f in self.faults:
            lines.append(
                f"fault {f['kind']}: window {f['window_s']} s "
                + ", ".join(f"{k}={v}" for k, v in f.items() if k not in ("kind", "start", "end", "window_s"))
            )
        worker = self.results.get("worker_alive")
        if worker is not None:
            lines.append(f"background worker alive at the end: {worker}")
        ledger = self.results.get("ledger")
        if ledger:
            lines.append(
                f"ledger: {ledger['entries']} entries, sealed by {ledger['sealed_by']}, "
                f"ledger_verify exit {ledger['verify_exit']}"
            )
        lines.append("=" * 78)
        return "\n".join(lines)

    # -- main ---------------------------------------------------------------------------------

    def main(self) -> int:
        a = self.args
        try:
            self.prepare()
            if "ceilings" in a.scenarios:
                self.ceilings()
            self.start_server()
            self.warm_up()
            if "sign" in a.scenarios:
                self.sign_scenario("sign")
            if "reads" in a.scenarios:
                self.reads_scenario()
            if "mixed" in a.scenarios:
                self.sign_scenario("mixed", with_reads=True)
            if "kill" in a.scenarios:
                self.sign_scenario("kill", fault="kill")
            if a.profile:
                self.profile()
            if "pgrestart" in a.scenarios:
                self.wait_quiet_postgres(a.pg_restart_wait)
                self.sign_scenario("pgrestart", fault="pgrestart")
                self.results["worker_alive_after_pgrestart"] = (
                    self.worker is not None and self.worker.poll() is None
                )
            self.results["worker_alive"] = self.worker is not None and self.worker.poll() is None
            if any(s in SIGN_SCENARIOS for s in a.scenarios):
                self.results["ledger"] = self.ledger_final()
        finally:
            self.stop_server()
            self.sampler.stop_event.set()
            if not a.keep_db:
                with contextlib.suppress(SystemExit):
                    self.drop_databases()
        # The per-thread token files are copies of tokens.tsv: not worth keeping.
        for path in self.out.glob("*/tokens.[0-9]*"):
            path.unlink()
        h = self.headline()
        self.results["headline"] = h
        (self.out / "results.json").write_text(json.dumps(self.results, indent=2, default=str))
        table = self.table(h)
        (self.out / "table.txt").write_text(table + "\n")
        latest = BENCH / "results" / "latest"
        with contextlib.suppress(OSError):
            if latest.is_symlink() or latest.exists():
                latest.unlink()
            latest.symlink_to(self.out.name)
        print(table)
        print(json.dumps(h), flush=True)
        return 0

    def profile(self) -> None:
        """py-spy on one server worker during an extra short signing run."""
        a = self.args
        pet = self.setup["petitions"]["profile"]
        where = self.out / "profile"
        where.mkdir(exist_ok=True)
        prefix = where / "tokens"
        write_sign_inputs(prefix, f"/api/v1/petitions/{pet['uuid']}/sign", self.tokens, a.sign_connections)
        seconds = max(10, min(a.duration, 20))
        log(f"profile: py-spy on every server worker during {seconds} s of signing")
        sign = start_wrk("sign", where / "sign", prefix, a.sign_connections, seconds, a.port)
        spies = []
        for pid in self.server.worker_pids():
            spies.append(
                subprocess.Popen(
                    [
                        str(VENV_BIN / "py-spy"),
                        "record",
                        "--pid",
                        str(pid),
                        "--duration",
                        str(seconds - 2),
                        "--rate",
                        "200",
                        "--format",
                        "raw",
                        "--output",
                        str(where / f"pyspy-{pid}.txt"),
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        finish_wrk(sign)
        for spy in spies:
            spy.wait(60)
        self.results["profile"] = {
            "signatures_per_s_while_profiling": rate_of(sign, {201}),
            "files": sorted(p.name for p in where.glob("pyspy-*.txt")),
        }


def main() -> int:
    args = parse_args()
    bench = Bench(args)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    return bench.main()


if __name__ == "__main__":
    sys.exit(main())
