"""`pgrestart`: `sign`, and at one third of the run `pg_ctlcluster … restart`.

The restart cuts every session on the server: the scenario first waits up to
--pg-restart-wait seconds until no other database has a session."""

from __future__ import annotations

import time

from processes import other_database_sessions, pg_ctl, wait_postgres, wait_quiet_postgres
from report import log

from scenarios import Fault, scenario, sign_scenario

# The fault window ends this long after PostgreSQL accepts connections again. Failures
# outside the window count against the run.
PG_GRACE_S = 2.0


def restart_postgres(bench, info: dict) -> None:
    info["other_sessions_before"] = other_database_sessions(bench.args)
    info["start"] = time.time()
    log("  fault: PostgreSQL restart (pg_ctlcluster restart)")
    pg_ctl("restart")
    up = wait_postgres(bench.args, 60)
    info["postgres_down_s"] = round(up - info["start"], 2)
    info["end"] = up + PG_GRACE_S


@scenario("pgrestart", order=50, signs=True, disruptive=True)
def pgrestart(bench) -> None:
    wait_quiet_postgres(bench.args, bench.args.pg_restart_wait)
    sign_scenario(bench, "pgrestart", fault=Fault("pgrestart", restart_postgres))
    bench.results["worker_alive_after_pgrestart"] = bench.worker_alive()
