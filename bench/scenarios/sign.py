"""`sign`: the hot petition. Residents sign one petition as fast as the server answers,
each request a real POST with a different resident's bearer token."""

from __future__ import annotations

from scenarios import scenario, sign_scenario


@scenario("sign", order=10, signs=True)
def sign(bench) -> None:
    sign_scenario(bench, "sign")
