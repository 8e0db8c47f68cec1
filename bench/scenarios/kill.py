"""`kill`: `sign`, and at one third of the run `kill -9` of one gunicorn worker."""

from __future__ import annotations

import os
import signal
import time

from report import log

from scenarios import Fault, scenario, sign_scenario

# The fault window ends this long after the master has respawned the worker. Failures
# outside the window count against the run.
KILL_GRACE_S = 3.0


def kill_worker(bench, info: dict) -> None:
    workers = bench.server.worker_pids()
    victim = workers[0]
    info["start"] = time.time()
    os.kill(victim, signal.SIGKILL)
    info["victim_pid"] = victim
    log(f"  fault: kill -9 gunicorn worker {victim}")
    deadline = time.time() + 30
    while time.time() < deadline:
        now = bench.server.worker_pids()
        if victim not in now and len(now) >= len(workers):
            break
        time.sleep(0.05)
    info["respawned_after_s"] = round(time.time() - info["start"], 2)
    # The new worker imports the application before it accepts connections; the
    # window ends a fixed grace after the respawn (the other workers serve meanwhile).
    info["end"] = time.time() + KILL_GRACE_S


@scenario("kill", order=40, signs=True)
def kill(bench) -> None:
    sign_scenario(bench, "kill", fault=Fault("kill", kill_worker))
