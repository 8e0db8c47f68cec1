"""`reads`: anonymous readers of the home page, the list and the `sign` petition's page
(with its thousands of signatures), for --read-duration seconds."""

from __future__ import annotations

from processes import finish_wrk, read_paths, start_wrk
from report import cpu_per_request, log, summarise_reads

from scenarios import scenario


@scenario("reads", order=20)
def reads(bench) -> None:
    a = bench.args
    pet = bench.setup["petitions"].get("sign") or bench.setup["petitions"]["warmup"]
    where = bench.out / "reads"
    where.mkdir(exist_ok=True)
    paths = read_paths(pet["uuid"], where)
    log(
        f"scenario reads: {a.read_duration} s of /, /petitions/, /petitions/<uuid>/ with "
        f"{a.read_connections} connections"
    )
    bench.sampler.reset_peak("gunicorn")
    read = start_wrk("read", where / "read", paths, a.read_connections, a.read_duration, a.port)
    cpu = bench.cpu_until(bench.sampler.snapshot(), read.started + a.read_duration)
    result = summarise_reads(finish_wrk(read))
    result["cpu"] = cpu
    result["cpu_ms_per_request"] = cpu_per_request(cpu, len(read.records), a.read_duration)
    result["peak_rss_mb"] = round(bench.sampler.rss_mb["gunicorn"], 1)
    bench.results["scenarios"]["reads"] = result
    log(
        f"  reads_per_s = {result['per_s']}, p99 {result['all']['p99_ms']} ms; "
        + ", ".join(f"{k} p99 {v['p99_ms']}" for k, v in result["by_path"].items())
    )
