"""Security issue 8 for petitions: hostile text refused at the edge (finding 3), CSV
formulas neutralised (finding 6), signing times published to the minute (finding 8)."""

import csv
import io
import json

import pytest

from hromada.petitions.tests.factories import collecting

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


@pytest.mark.parametrize("url", ["/api/v1/petitions/export.csv", "/api/v1/datasets/petitions/petitions.csv"])
def test_open_data_csv_neutralises_formulas(client, hromada, url):
    collecting(hromada=hromada, title='=HYPERLINK("http://evil.example","click")')
    raw = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for v in row.values())
