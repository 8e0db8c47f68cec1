"""`mixed`: `sign` and `reads` at the same time (readers during the peak)."""

from __future__ import annotations

from scenarios import scenario, sign_scenario


@scenario("mixed", order=30, signs=True)
def mixed(bench) -> None:
    sign_scenario(bench, "mixed", with_reads=True)
