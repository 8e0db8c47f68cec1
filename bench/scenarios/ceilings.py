"""`ceilings`: PostgreSQL's INSERT rate for what a signature writes, and the rate of a
bare WSGI app behind the same gunicorn set-up, measured in the same run as the
scenarios (before the server starts) so that they share the machine's state."""

from __future__ import annotations

from processes import db_insert_ceiling, hello_ceiling

from scenarios import scenario


@scenario("ceilings", order=0, needs_server=False)
def ceilings(bench) -> None:
    res = bench.results["ceilings"] = {}
    res["db_insert"] = db_insert_ceiling(bench)
    res["hello"] = hello_ceiling(bench)
