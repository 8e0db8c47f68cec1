"""Shared by the registers' staff-side tests: the demo hromada's settlements and a way
to run an import to its end (tests use the immediate task backend)."""

from __future__ import annotations

from pathlib import Path

from hromada.places import services
from hromada.places.services import imports

KAMIANKA = "UA71080130000078619"
DATA = Path(__file__).parent / "data"
# A square around Кам'янка (lon, lat): the town's centre is near 49.032, 32.102.
KAMIANKA_BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[31.95, 48.95], [32.30, 48.95], [32.30, 49.12], [31.95, 49.12], [31.95, 48.95]]],
}


def with_settlements(hromada):
    hromada.katottg = KAMIANKA
    hromada.save(update_fields=["katottg"])
    services.settlements_load(actor=None, hromada=hromada)
    return hromada


def run_import(capture, *, actor, hromada, kind, file_name, content, **options):
    with capture(execute=True):
        run = imports.import_start(
            actor=actor, hromada=hromada, kind=kind, file_name=file_name, content=content, options=options
        )
    run.refresh_from_db()
    return run


def errors_of(run) -> dict[int, list[str]]:
    return {item["row"]: item["errors"] for item in run.report}
