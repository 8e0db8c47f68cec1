"""The processes of a bench run and what they measure on their own.

PostgreSQL (start, restart, psql, other databases' sessions), the machine's
description, the sampler of CPU and RSS per component, gunicorn and the background
worker, wrk (the load generator), the two ceilings (pgbench's INSERT rate and the
hello WSGI app behind the same gunicorn set-up), py-spy, and `Bench`: the state of
one run that the scenarios, the audit and the report share."""

from __future__ import annotations

import contextlib
import datetime as dt
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

from report import latency_stats, log, rate_of

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PY = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
LUA = BENCH / "lua" / "record.lua"
# wrk runs this much longer than a scenario so that answers to requests sent before
# the end still arrive and are logged.
WRK_GRACE_S = 5
HOST = "127.0.0.1"
# Requests per second the hello ceiling's input files allow for (it must never run out).
HELLO_CEILING_PER_S = 40_000


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


# --- machine, tools and PostgreSQL --------------------------------------------------------------


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


def other_database_sessions(args) -> int:
    with contextlib.suppress(SystemExit):
        return int(
            psql(
                args,
                "postgres",
                "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL "
                f"AND datname NOT IN ('{args.db_name}', 'postgres') AND pid <> pg_backend_pid()",
            )
        )
    return -1


def wait_quiet_postgres(args, timeout: int) -> None:
    """Restarting PostgreSQL cuts every session on the server: on a shared machine,
    wait (up to `timeout` s) until no other database has a session."""
    deadline = time.time() + timeout
    others = other_database_sessions(args)
    if others:
        log(f"waiting up to {timeout} s for {others} session(s) of other databases to end before the restart")
    while others and time.time() < deadline:
        time.sleep(2)
        others = other_database_sessions(args)
    if others:
        log(f"WARNING: restarting PostgreSQL with {others} session(s) of other databases open")


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


def start_wrk(
    mode: str,
    out: Path,
    input_prefix: Path,
    connections: int,
    duration: int,
    port: int,
    *,
    per_thread_rate: float | None = None,
) -> Load:
    """wrk with one connection per thread. Threads send until `duration` is over, then
    wait up to WRK_GRACE_S for the answers to what they already sent. With
    `per_thread_rate`, each thread sends at that steady rate (record.lua's delay())
    instead of as fast as answers come."""
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("t*.log"):
        old.unlink()
    load = Load(mode=mode, out=out, connections=connections, duration=duration)
    load.started = time.time() + 0.2  # wrk's start-up: threads, Lua states, token files
    deadline_us = int((load.started + duration) * 1e6)
    cmd = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{duration + WRK_GRACE_S}s", "--timeout", "30s"]
    cmd += ["-s", str(LUA), f"http://{HOST}:{port}/", "--", mode, str(out), str(input_prefix)]
    cmd += [f"{HOST}:{port}", str(deadline_us)]
    env = dict(os.environ)
    env.pop("WRK_PACE_PER_THREAD", None)
    if per_thread_rate:
        env["WRK_PACE_PER_THREAD"] = str(per_thread_rate)
    load.proc = subprocess.Popen(cmd, stdout=(out / "wrk.txt").open("w"), stderr=subprocess.STDOUT, env=env)
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


def read_paths(uuid: str, where: Path) -> Path:
    """The read load's input: the home page, the list and one petition's page."""
    path = where / "paths.txt"
    path.write_text(f"/\n/petitions/\n/petitions/{uuid}/\n")
    return path


# --- the state of one run -----------------------------------------------------------------------


class Bench:
    """One run: its options, its results folder, the sampler, the server and worker
    processes, the fixtures' petitions and tokens, the faults injected, and the results
    that end up in results.json."""

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
        # Extra environment of the bench's server only (a scenario's prepare sets it).
        self.server_env: dict[str, str] = {}

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
                # Uploads (appeals' photos) go to the run's folder, not the tree's var/media.
                "MEDIA_ROOT": str(self.out / "media"),
            }
        )
        env.pop("ACCESS_LOG", None)
        env.update(extra)
        return env

    def ledger_key(self) -> None:
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
        env = self.env(BENCH_EXPERIMENTS=",".join(self.args.experiments), **self.server_env)
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

    def worker_alive(self) -> bool:
        return self.worker is not None and self.worker.poll() is None

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
        paths = read_paths(pet["uuid"], self.out / "warmup")
        read = start_wrk("read", self.out / "warmup" / "read", paths, 4, 3, self.args.port)
        finish_wrk(sign)
        finish_wrk(read)

    def cpu_until(self, snap: dict, until: float) -> dict:
        """CPU shares from `snap` to `until` (the end of the measured window, before wrk's grace)."""
        time.sleep(max(0.0, until - time.time()))
        return self.sampler.cpu_between(snap, self.sampler.snapshot())

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


# --- ceilings -----------------------------------------------------------------------------------


def db_insert_ceiling(bench: Bench) -> dict:
    """PostgreSQL: the signature + ledger INSERTs in one transaction, on a copy of the database."""
    a = bench.args
    ceiling_db = f"{a.db_name}_ceiling"
    log(f"ceiling: PostgreSQL INSERT rate (pgbench, {a.ceiling_duration} s)")
    psql(a, "postgres", f'CREATE DATABASE "{ceiling_db}" TEMPLATE "{a.db_name}"')
    hot = bench.setup["petitions"]["warmup"]["id"]
    hromada = bench.setup["hromada"]["id"]
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
    snap = bench.sampler.snapshot()
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
    cpu = bench.sampler.cpu_between(snap, bench.sampler.snapshot())
    (bench.out / "pgbench.txt").write_text(pgb.stdout)
    tps = re.search(r"tps = ([\d.]+) \(without initial", pgb.stdout)
    lat = re.search(r"latency average = ([\d.]+) ms", pgb.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", pgb.stdout)
    result = {
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
    log(f"  db_insert_per_s = {result['per_s']} ({clients} clients)")
    return result


def hello_ceiling(bench: Bench) -> dict:
    """A bare WSGI app behind the same gunicorn command line, same request shape as a signature."""
    a = bench.args
    log(f"ceiling: hello WSGI app behind the same gunicorn set-up ({a.ceiling_duration} s)")
    hello = start_gunicorn(
        "hello",
        "hello_wsgi:application",
        a,
        bench.env(),
        bench.out,
        bench.sampler,
        "/",
        extra=["--pythonpath", str(BENCH)],
    )
    try:
        prefix = bench.out / "hello" / "tokens"
        (bench.out / "hello").mkdir(exist_ok=True)
        # Enough requests for HELLO_CEILING_PER_S: the hello app is far faster than a signature.
        repeat = max(1, math.ceil(HELLO_CEILING_PER_S * a.ceiling_duration / len(bench.tokens)))
        write_sign_inputs(
            prefix, "/api/v1/petitions/hello/sign", bench.tokens, a.sign_connections, repeat=repeat
        )
        load = start_wrk(
            "sign", bench.out / "hello" / "wrk", prefix, a.sign_connections, a.ceiling_duration, a.port
        )
        cpu = bench.cpu_until(bench.sampler.snapshot(), load.started + a.ceiling_duration)
        finish_wrk(load)
    finally:
        stop_process(hello.proc, bench.sampler)
    result = {
        "per_s": rate_of(load, {201}),
        "tokens_exhausted_threads": load.exhausted_threads,
        **latency_stats(load.records, {201}),
        "errors": sum(1 for r in load.records if r[1] != 201),
        "cpu": cpu,
        "connections": a.sign_connections,
    }
    log(f"  hello_per_s = {result['per_s']} (p99 {result['p99_ms']} ms)")
    return result


# --- profiler -----------------------------------------------------------------------------------


def profile(bench: Bench) -> None:
    """py-spy on every server worker during an extra short signing run."""
    a = bench.args
    pet = bench.setup["petitions"]["profile"]
    where = bench.out / "profile"
    where.mkdir(exist_ok=True)
    prefix = where / "tokens"
    write_sign_inputs(prefix, f"/api/v1/petitions/{pet['uuid']}/sign", bench.tokens, a.sign_connections)
    seconds = max(10, min(a.duration, 20))
    log(f"profile: py-spy on every server worker during {seconds} s of signing")
    sign = start_wrk("sign", where / "sign", prefix, a.sign_connections, seconds, a.port)
    spies = []
    for pid in bench.server.worker_pids():
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
    bench.results["profile"] = {
        "signatures_per_s_while_profiling": rate_of(sign, {201}),
        "files": sorted(p.name for p in where.glob("pyspy-*.txt")),
    }
