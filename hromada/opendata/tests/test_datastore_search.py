"""datastore_search and table_rows: CKAN's parameters, errors with stable codes, scope."""

from __future__ import annotations

import json

import pytest

from hromada.core.errors import DomainError
from hromada.opendata.datastore import datastore_search, load_now, table_rows
from hromada.opendata.datastore.query import LIMIT_MAX
from hromada.opendata.models import DatasetState

from . import factories_datastore as f

pytestmark = pytest.mark.django_db

CSV = (
    "Район,Школа,Учнів,Відкрита,Рейтинг\n"
    "Центральний,Ліцей №1,512,так,4.5\n"
    "Центральний,Гімназія «Надія»,230,так,4.1\n"
    "Північний,Школа №7,180,ні,\n"
    "Північний,Ліцей «Еврика»,410,так,4.8\n"
    "Південний,Школа №12,95,так,3.9\n"
).encode()


@pytest.fixture
def schools(hromada):
    res = f.resource(hromada, CSV)
    load_now(res.current)
    return res


def search(hromada, res, **kw):
    return datastore_search(hromada, res.public_id, **kw)


def test_the_default_answer_has_ckans_keys(hromada, schools):
    result = search(hromada, schools)
    assert result["resource_id"] == str(schools.public_id)
    assert [f["id"] for f in result["fields"]] == ["_id", "raion", "shkola", "uchniv", "vidkryta", "reitynh"]
    assert result["total"] == 5 and len(result["records"]) == 5
    assert result["limit"] == 100 and result["offset"] == 0
    assert result["_links"]["start"].startswith("/api/3/action/datastore_search?resource_id=")
    assert "offset=100" in result["_links"]["next"]
    assert [r["_id"] for r in result["records"]] == [1, 2, 3, 4, 5]
    json.dumps(result)


def test_filters_match_a_value_or_any_of_a_list_and_count_the_total(hromada, schools):
    got = search(hromada, schools, filters={"raion": "Північний"})
    assert {r["shkola"] for r in got["records"]} == {"Школа №7", "Ліцей «Еврика»"} and got["total"] == 2
    got = search(hromada, schools, filters={"raion": ["Північний", "Південний"], "vidkryta": True})
    assert [r["shkola"] for r in got["records"]] == ["Ліцей «Еврика»", "Школа №12"]
    got = search(hromada, schools, filters=json.dumps({"uchniv": "512"}))  # as a query string gives it
    assert [r["shkola"] for r in got["records"]] == ["Ліцей №1"]
    assert search(hromada, schools, filters={"reitynh": None})["total"] == 1


def test_q_finds_words_in_text_columns_case_insensitively(hromada, schools):
    got = search(hromada, schools, q="ліцей")
    assert [r["shkola"] for r in got["records"]] == ["Ліцей №1", "Ліцей «Еврика»"]
    got = search(hromada, schools, q="ЛІЦЕЙ північний")
    assert [r["shkola"] for r in got["records"]] == ["Ліцей «Еврика»"]
    assert search(hromada, schools, q={"shkola": "гімназія"})["total"] == 1
    assert search(hromada, schools, q="100%")["total"] == 0  # a wildcard in q is a plain character


def test_fields_sort_limit_offset(hromada, schools):
    got = search(hromada, schools, fields="shkola, uchniv", sort="uchniv desc", limit=2, offset=1)
    assert got["records"] == [
        {"shkola": "Ліцей «Еврика»", "uchniv": 410},
        {"shkola": "Гімназія «Надія»", "uchniv": 230},
    ]
    assert [f["id"] for f in got["fields"]] == ["shkola", "uchniv"]
    assert got["total"] == 5
    got = search(hromada, schools, sort='raion asc, "uchniv" desc', fields=["raion", "uchniv"])
    assert [(r["raion"], r["uchniv"]) for r in got["records"]][:2] == [("Південний", 95), ("Північний", 410)]


def test_limit_is_capped_and_total_can_be_left_out(hromada, schools):
    got = search(hromada, schools, limit=10**6, include_total=False)
    assert got["limit"] == LIMIT_MAX and "total" not in got
    assert search(hromada, schools, limit=0)["records"] == []


def test_distinct(hromada, schools):
    got = search(hromada, schools, fields=["raion"], distinct=True, sort="raion")
    assert [r["raion"] for r in got["records"]] == ["Південний", "Північний", "Центральний"]
    assert got["total"] == 3


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"fields": ["nope"]}, "fields"),
        ({"sort": "nope desc"}, "sort"),
        ({"sort": "uchniv sideways"}, "sort"),
        ({"filters": {"nope": 1}}, "filters"),
        ({"filters": {"uchniv": "багато"}}, "filters"),
        ({"filters": "not json"}, "filters"),
        ({"filters": ["a"]}, "filters"),
        ({"q": {"nope": "x"}}, "q"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"fields": ["raion"], "distinct": True, "sort": "uchniv"}, "sort"),
    ],
)
def test_bad_parameters_are_validation_errors_in_ukrainian(hromada, schools, kw, field):
    with pytest.raises(DomainError) as e:
        search(hromada, schools, **kw)
    assert e.value.code == "datastore_validation" and e.value.field == field and e.value.status == 409
    assert any("а" <= ch <= "я" for ch in str(e.value.message).lower())


def test_unknown_draft_and_other_hromadas_resources_are_not_found(hromada, other_hromada, schools):
    for rid in ("00000000-0000-0000-0000-000000000000", "not-a-uuid", None):
        with pytest.raises(DomainError) as e:
            datastore_search(hromada, rid)
        assert e.value.code == "datastore_not_found" and e.value.status == 404
    with pytest.raises(DomainError):
        datastore_search(other_hromada, schools.public_id)
    draft = f.resource(hromada, CSV, ds=f.dataset(hromada, "chernetka", state=DatasetState.DRAFT))
    load_now(draft.current)
    with pytest.raises(DomainError) as e:
        datastore_search(hromada, draft.public_id)
    assert e.value.code == "datastore_not_found"
    # The staff preview of a draft reads its rows.
    preview = table_rows(draft, 2)
    assert preview is not None and preview["total"] == 5 and len(preview["records"]) == 2


def test_table_rows_is_none_without_a_table(hromada):
    res = f.resource(hromada, b"")
    assert table_rows(res, 10) is None
    load_now(res.current)  # fails: an empty file
    assert table_rows(res, 10) is None
