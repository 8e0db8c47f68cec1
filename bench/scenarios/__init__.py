"""The scenarios of a run: one module each in this folder, registered by name.

Every module here whose name does not start with "_" is imported below and registers
its scenario with `@scenario(...)`. `--scenarios a,b` picks them by name; a run runs
them in `order`, whatever order the command line names them in. `sign_scenario` is
the signing run most scenarios are made of: load, optional readers and fault, figures
and audit."""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from audit import audit_scenario
from processes import finish_wrk, read_paths, start_wrk, write_sign_inputs
from report import cpu_per_request, log, print_sign, summarise_reads, summarise_sign

if TYPE_CHECKING:
    from processes import Bench


@dataclass(frozen=True)
class Scenario:
    name: str
    run: Callable[[Bench], None]
    # Position in a run (the ceilings 0, then 10, 20, …).
    order: int
    # Signs its own hot petition: the set-up creates one named after the scenario, the
    # audit checks it, and the run ends with the ledger's seal and ledger_verify.
    signs: bool
    # False: runs before the server and the worker start (the ceilings).
    needs_server: bool
    # Cuts every session on the database server: runs after --profile's signing run.
    disruptive: bool
    # Its own set-up, run by run.py's prepare (after the fixtures, before the ceilings
    # and the server): for data the server should find already there.
    prepare: Callable[[Bench], None] | None = None


_registered: list[Scenario] = []


def scenario(
    name: str,
    *,
    order: int,
    signs: bool = False,
    needs_server: bool = True,
    disruptive: bool = False,
    prepare: Callable[[Bench], None] | None = None,
) -> Callable:
    """Register the decorated `run(bench)` as the scenario `name`."""

    def register(run: Callable[[Bench], None]) -> Callable[[Bench], None]:
        if any(s.name == name for s in _registered):
            raise RuntimeError(f"two scenarios named {name}")
        _registered.append(Scenario(name, run, order, signs, needs_server, disruptive, prepare))
        return run

    return register


class Fault(NamedTuple):
    """What `sign_scenario` breaks a third into the run: `inject(bench, info)` breaks it,
    records "start" and "end" (the fault window) and its own figures in `info`, and
    returns once the server has recovered."""

    kind: str
    inject: Callable[[Bench, dict], None]


def sign_scenario(bench: Bench, name: str, *, with_reads: bool = False, fault: Fault | None = None) -> dict:
    """Residents sign the petition `name` as fast as the server answers, for --duration
    seconds; then the figures, the server's exception lines and the audit."""
    a = bench.args
    pet = bench.setup["petitions"][name]
    where = bench.out / name
    where.mkdir(exist_ok=True)
    prefix = where / "tokens"
    write_sign_inputs(prefix, f"/api/v1/petitions/{pet['uuid']}/sign", bench.tokens, a.sign_connections)
    log(
        f"scenario {name}: {a.duration} s of signing one petition with {a.sign_connections} connections"
        + (" + concurrent readers" if with_reads else "")
        + (f" + fault: {fault.kind}" if fault else "")
    )
    log_from = bench.server.log_size()
    bench.sampler.reset_peak("gunicorn")
    sign = start_wrk("sign", where / "sign", prefix, a.sign_connections, a.duration, a.port)
    snap = bench.sampler.snapshot()
    read = None
    if with_reads:
        paths = read_paths(pet["uuid"], where)
        read = start_wrk("read", where / "read", paths, a.read_connections, a.duration, a.port)
    fault_info = None
    if fault:
        fault_info = inject(bench, fault, at=sign.started + a.duration / 3)
    cpu = bench.cpu_until(snap, sign.started + a.duration)
    finish_wrk(sign)
    if read:
        finish_wrk(read)
    result = summarise_sign(pet["uuid"], sign, fault_info)
    result["cpu"] = cpu
    if not read:
        result["cpu_ms_per_request"] = cpu_per_request(cpu, len(sign.records), a.duration)
    result["peak_rss_mb"] = round(bench.sampler.rss_mb["gunicorn"], 1)
    if read:
        result["reads"] = summarise_reads(read)
    result["server_errors_logged"] = bench.server_errors(log_from)
    result["audit"] = audit_scenario(bench, name, sign)
    bench.results["scenarios"][name] = result
    print_sign(name, result)
    return result


def inject(bench: Bench, fault: Fault, at: float) -> dict:
    """Wait until `at`, break something, return when it has recovered."""
    time.sleep(max(0.0, at - time.time()))
    info: dict = {"kind": fault.kind}
    fault.inject(bench, info)
    info["window_s"] = round(info["end"] - info["start"], 2)
    bench.faults.append(info)
    return info


for _module in pkgutil.iter_modules(__path__):
    if not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")

# Every scenario by name, in the order a run runs them.
SCENARIOS: dict[str, Scenario] = {s.name: s for s in sorted(_registered, key=lambda s: s.order)}
