"""Every CSV the platform writes goes through one writer that neutralises formulas
(OWASP: a cell beginning with = + - @, a tab or a carriage return gets a leading quote)."""

import csv
import io
import re
from pathlib import Path

import pytest

from hromada.core import opendata
from hromada.core.tests.sample.models import Thing

HOSTILE = ["=1+1", '=HYPERLINK("http://evil.example","click")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _read(raw: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(raw.lstrip("\ufeff"))))


def test_csv_stream_neutralises_formula_cells():
    rows = [{"cell": value, "n": -5} for value in HOSTILE] + [{"cell": "лава = ok", "n": 3}]
    out = _read("".join(opendata.csv_stream(rows)))
    assert [r["cell"] for r in out] == ["'" + v for v in HOSTILE] + ["лава = ok"]
    assert [r["n"] for r in out] == ["-5"] * len(HOSTILE) + ["3"]  # numbers are data, not formulas


def test_csv_stream_neutralises_header_too():
    out = "".join(opendata.csv_stream([{"=x": "a"}]))
    assert out.lstrip("\ufeff").splitlines()[0] == "'=x"


@pytest.mark.django_db
def test_dataset_csv_endpoint_neutralises(client, hromada, resident):
    Thing.objects.create(hromada=hromada, owner=resident, title="=cmd|' /C calc'!A0")
    raw = b"".join(client.get("/api/v1/datasets/sample/things.csv").streaming_content).decode()
    (row,) = _read(raw)
    assert row == {"title": "'=cmd|' /C calc'!A0", "formula": "'=1+1"}


def test_no_other_csv_writer_in_the_platform():
    """The only csv writer is hromada/core/opendata.py's; anything else must call it."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "opendata.py"
        and re.search(r"\bcsv\.(writer|DictWriter)\b|^\s*from csv import", path.read_text(), re.M)
    ]
    assert offenders == []
