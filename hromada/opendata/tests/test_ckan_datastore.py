"""CKAN's datastore_search and datastore_search_sql through the Action API: the
DataStore's answers in CKAN's envelope, its errors as CKAN's error types."""

import json

import pytest

from hromada.opendata.models import Resource

from .test_ckan_read import add_file, failed, make_dataset, ok, post

datastore = pytest.importorskip("hromada.opendata.datastore")  # the DataStore's part, once merged

pytestmark = pytest.mark.django_db

CSV = "район,школи,учні\nЦентральний,4,1800\nЗаводський,3,1250\nПриміський,2,400\n".encode()


@pytest.fixture
def table(hromada):
    from hromada.opendata.models import Publisher

    council = Publisher.objects.create(hromada=hromada, name="miska-rada", title="Міська рада")
    dataset = make_dataset(hromada, council, "shkoly", "Школи за районами")
    resource = add_file(dataset, "shkoly.csv", CSV)
    loaded = datastore.load_now(resource.current)
    assert loaded.state == "done", loaded.message
    return Resource.objects.get(pk=resource.pk)


def columns(client, rid) -> dict[str, str]:
    """The DataStore's column ids by the headers as written in the file."""
    fields = ok(client.get("/api/3/action/datastore_search", {"resource_id": rid, "limit": 0}))["fields"]
    return {f["info"]["label"]: f["id"] for f in fields if "info" in f}


def test_datastore_search_answers_ckans_result(client, table):
    rid = str(table.public_id)
    col = columns(client, rid)
    district, schools, pupils = col["район"], col["школи"], col["учні"]
    result = ok(
        client.get(
            "/api/3/action/datastore_search", {"resource_id": rid, "sort": f"{pupils} desc", "limit": 2}
        )
    )
    assert result["resource_id"] == rid and result["total"] == 3 and result["limit"] == 2
    assert [r[district] for r in result["records"]] == ["Центральний", "Заводський"]
    assert {f["id"]: f["type"] for f in result["fields"]}[pupils] == "int"
    filtered = ok(post(client, "datastore_search", {"resource_id": rid, "filters": {district: "Приміський"}}))
    assert [r[schools] for r in filtered["records"]] == [2]
    as_string = ok(
        client.get(
            "/api/3/action/datastore_search", {"id": rid, "filters": json.dumps({district: "Приміський"})}
        )
    )
    assert as_string["records"] == filtered["records"]


def test_datastore_errors_are_ckans(client, table):
    rid = str(table.public_id)
    failed(client.get("/api/3/action/datastore_search", {"resource_id": "nope"}), 404, "Not Found Error")
    failed(
        client.get("/api/3/action/datastore_search", {"resource_id": rid, "sort": "ghost"}),
        409,
        "Validation Error",
    )
    for sql in ("DELETE FROM opendata_dataset", "SELECT * FROM opendata_dataset", "SELECT 1; DROP TABLE x"):
        error = failed(
            client.get("/api/3/action/datastore_search_sql", {"sql": sql}), 403, "Authorization Error"
        )
        assert error["message"].startswith("Access denied: ")
    failed(client.get("/api/3/action/datastore_search_sql", {"sql": "SELECT (("}), 409, "Validation Error")
    failed(client.get("/api/3/action/datastore_search_sql"), 409, "Validation Error")


def test_datastore_search_sql(client, table):
    col = columns(client, str(table.public_id))
    district, pupils = col["район"], col["учні"]
    sql = f'SELECT "{district}", "{pupils}" FROM "{table.public_id}" WHERE "{pupils}" > 1000 ORDER BY "{pupils}"'
    result = ok(post(client, "datastore_search_sql", {"sql": sql}))
    assert [r[district] for r in result["records"]] == ["Заводський", "Центральний"]
    assert [f["id"] for f in result["fields"]] == [district, pupils]
