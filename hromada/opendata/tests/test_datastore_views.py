"""/datastore/dump/<id> (CSV, TSV, JSON streamed) and the staff load status fragment."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from hromada.opendata.datastore import dump as dump_module
from hromada.opendata.datastore import load_now
from hromada.opendata.models import DatasetState

from . import factories_datastore as f

pytestmark = [pytest.mark.django_db, pytest.mark.urls("hromada.opendata.tests.urls_datastore")]

CSV = "Назва,Сума,Працює\nЛіцей №1,12.5,так\n=HYPERLINK(1),7,ні\nШкола,,так\n".encode()


@pytest.fixture
def loaded(hromada):
    res = f.resource(hromada, CSV)
    table = load_now(res.current)
    return res, table


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_dump_is_csv_with_id_first_and_formulas_neutralised(client, loaded, monkeypatch):
    monkeypatch.setattr(dump_module, "PAGE_ROWS", 2)  # several pages, read by _id
    res, _table = loaded
    response = client.get(f"/datastore/dump/{res.public_id}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body(response))))
    assert rows == [
        ["_id", "nazva", "suma", "pratsiuie"],
        ["1", "Ліцей №1", "12.5", "true"],
        ["2", "'=HYPERLINK(1)", "7", "false"],
        ["3", "Школа", "", "true"],
    ]


def test_the_dump_as_json_tsv_with_limit_and_offset(client, loaded):
    res, _table = loaded
    got = json.loads(body(client.get(f"/datastore/dump/{res.public_id}?format=json&limit=1&offset=1")))
    assert got["fields"][0] == {"id": "_id", "type": "int"}
    assert got["records"] == [[2, "=HYPERLINK(1)", 7, False]]
    text = body(client.get(f"/datastore/dump/{res.public_id}?format=tsv&bom=true"))
    assert text.startswith("\ufeff_id\tnazva\tsuma\tpratsiuie\r\n")


@pytest.mark.parametrize("query", ["?format=xml", "?limit=x", "?offset=-1"])
def test_bad_dump_parameters_are_400(client, loaded, query):
    res, _table = loaded
    response = client.get(f"/datastore/dump/{res.public_id}{query}")
    assert response.status_code == 400


def test_no_dump_of_a_draft_an_unknown_or_another_hromadas_resource(
    client, hromada, other_hromada, loaded, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    draft = f.resource(hromada, CSV, ds=f.dataset(hromada, "draft", state=DatasetState.DRAFT))
    load_now(draft.current)
    assert client.get(f"/datastore/dump/{draft.public_id}").status_code == 404
    assert client.get("/datastore/dump/not-an-id").status_code == 404
    res, _table = loaded
    other = Client(HTTP_HOST="other.example.test")
    assert other.get(f"/datastore/dump/{res.public_id}").status_code == 404


def test_the_load_status_fragment_is_for_publishers(client, loaded, officer, resident):
    res, table = loaded
    url = f"/datastore/load/{table.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(resident)
    assert client.get(url).status_code == 403
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ліцей" not in html  # the status, not the data
    assert "nazva" in html and "Назва" in html  # the columns, as named and as in the file
    assert "hx-trigger" not in html  # a finished load is not polled


def test_the_fragment_polls_while_loading_and_lists_refusals(client, hromada, officer):
    from hromada.opendata.datastore import schedule_load

    res = f.resource(hromada, b"a,b\n1,2\n3,4\n5,6,7\n")
    pending = schedule_load(res.current)
    client.force_login(officer)
    html = client.get(f"/datastore/load/{pending.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in html and 'aria-valuenow="0"' in html
    table = load_now(res.current)
    html = client.get(f"/datastore/load/{table.pk}/").content.decode()
    assert "Рядки, які не прийнято" in html and '<th scope="row" data-label="Рядок">4</th>' in html
