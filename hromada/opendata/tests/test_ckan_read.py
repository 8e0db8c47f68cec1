"""CKAN's Action API, the read side, through HTTP: the envelope, the dicts' shape,
package_search, the lists, and every error type with CKAN's status — never a 500 or a
page."""

import datetime as dt
import hashlib
import json
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from hromada.opendata.models import (
    Dataset,
    Group,
    Publisher,
    PublisherMember,
    Resource,
    ResourceVersion,
    Tag,
)
from hromada.opendata.search import search_text_of

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, 0, 0, 123456, tzinfo=dt.UTC)
BASE = "http://testserver"
ISO_NO_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?$")


def make_dataset(
    hromada, publisher, name, title, *, tags=(), formats=(), groups=(), moment=NOW, state="published", **kw
):
    d = Dataset.objects.create(
        hromada=hromada,
        publisher=publisher,
        name=name,
        title=title,
        state=state,
        published_at=moment if state != "draft" else None,
        metadata_modified=moment,
        **kw,
    )
    for t in tags:
        d.tags.add(Tag.objects.get_or_create(hromada=hromada, name=t)[0])
    for g in groups:
        d.groups.add(g)
    for i, f in enumerate(formats):
        Resource.objects.create(
            hromada=hromada,
            dataset=d,
            name=f"{title} ({f})",
            format=f,
            url=f"https://example.org/{i}",
            position=i,
        )
    d.search_text = search_text_of(d)
    d.save(update_fields=["search_text"])
    return d


def add_file(dataset, name="budget.csv", content=b"a,b\n1,2\n", *, datastore=False):
    resource = Resource.objects.create(
        hromada=dataset.hromada, dataset=dataset, name=name, format="CSV", position=9, last_modified=NOW
    )
    version = ResourceVersion.objects.create(
        hromada=dataset.hromada,
        resource=resource,
        number=1,
        file=ContentFile(content, name=name),
        original_name=name,
        mimetype="text/csv",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    resource.current = version
    resource.datastore_active = datastore
    resource.save()
    return resource


@pytest.fixture
def catalogue(hromada, other_hromada):
    council = Publisher.objects.create(
        hromada=hromada, name="miska-rada", title="Міська рада", identifier="12345678"
    )
    water = Publisher.objects.create(hromada=hromada, name="vodokanal", title="КП «Водоканал»")
    economy = Group.objects.create(hromada=hromada, name="economy", title="Економіка")
    out = {
        "council": council,
        "water_pub": water,
        "economy": economy,
        "budget": make_dataset(
            hromada,
            council,
            "budget-2026",
            "Бюджет громади на 2026 рік",
            tags=["бюджет", "фінанси"],
            formats=["XLSX"],
            groups=[economy],
            moment=NOW - dt.timedelta(days=1),
            frequency="Щомісяця",
            purpose="Звітування про виконання бюджету",
            maintainer="Олена Коваль",
            maintainer_email="budget@example.test",
        ),
        "water": make_dataset(
            hromada,
            water,
            "water-quality",
            "Якість питної води",
            tags=["вода"],
            formats=["CSV"],
            moment=NOW - dt.timedelta(days=5),
            license_id="CC0-1.0",
        ),
        "draft": make_dataset(hromada, council, "draft-one", "Чернетка", tags=["таємне"], state="draft"),
        "gone": make_dataset(
            hromada, council, "gone", "Знятий набір", state="withdrawn", moment=NOW - dt.timedelta(days=9)
        ),
    }
    out["file"] = add_file(out["budget"], datastore=True)
    stranger = Publisher.objects.create(hromada=other_hromada, name="miska-rada", title="Інша рада")
    out["stranger"] = make_dataset(other_hromada, stranger, "elsewhere", "Чужий набір", formats=["CSV"])
    return out


def call(client, action, prefix="/api/3/action/", **params):
    return client.get(prefix + action, params)


def post(client, action, body, prefix="/api/3/action/", **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(prefix + action, data, content_type="application/json", headers=headers)


def ok(response) -> Any:
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True and set(body) == {"help", "success", "result"}
    return body["result"]


def failed(response, status, kind) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"help", "success", "error"} and body["success"] is False
    assert body["help"].startswith(f"{BASE}/api/3/action/help_show?name=")
    assert body["error"]["__type"] == kind
    return body["error"]


# --- the envelope and package_show ---------------------------------------------------------


def test_package_show_answers_ckans_envelope_and_dict(client, catalogue):
    response = call(client, "package_show", id="budget-2026")
    assert response.json()["help"] == f"{BASE}/api/3/action/help_show?name=package_show"
    pkg = ok(response)
    budget = catalogue["budget"]
    assert pkg["id"] == str(budget.public_id) and pkg["name"] == "budget-2026"
    assert pkg["type"] == "dataset" and pkg["state"] == "active" and pkg["private"] is False
    assert pkg["title"] == budget.title and pkg["maintainer"] == "Олена Коваль"
    assert pkg["license_id"] == "CC-BY-4.0" and pkg["license_title"] == "Creative Commons Attribution 4.0"
    assert pkg["license_url"] == "https://creativecommons.org/licenses/by/4.0/" and pkg["isopen"] is True
    assert pkg["metadata_modified"] == "2026-11-19T12:00:00.123456"
    assert ISO_NO_ZONE.match(pkg["metadata_created"])
    org = pkg["organization"]
    assert pkg["owner_org"] == org["id"] == str(catalogue["council"].public_id)
    assert org["name"] == "miska-rada" and org["is_organization"] is True and org["type"] == "organization"
    assert [g["name"] for g in pkg["groups"]] == ["economy"] and pkg["groups"][0][
        "display_name"
    ] == "Економіка"
    assert [t["name"] for t in pkg["tags"]] == ["бюджет", "фінанси"] and pkg["num_tags"] == 2
    assert set(pkg["tags"][0]) == {"id", "name", "display_name", "state", "vocabulary_id"}
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert extras["update_frequency"] == "Щомісяця"
    assert extras["purpose_of_collecting_information"] == "Звітування про виконання бюджету"
    assert extras["language"] == "uk" and extras["tag_string"] == "бюджет,фінанси"
    assert pkg["num_resources"] == len(pkg["resources"]) == 2
    link, upload = pkg["resources"]
    assert link["url"] == "https://example.org/0" and link["url_type"] is None and link["position"] == 0
    assert upload["id"] == str(catalogue["file"].public_id) and upload["package_id"] == pkg["id"]
    assert upload["datastore_active"] is True and upload["format"] == "CSV" and upload["url_type"] == "upload"
    assert upload["size"] == 8 and upload["mimetype"] == "text/csv"
    assert upload["hash"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert upload["url"].startswith(BASE + "/") and upload["url"].endswith(
        f"/resource/{upload['id']}/download"
    )
    assert ISO_NO_ZONE.match(upload["created"]) and ISO_NO_ZONE.match(upload["last_modified"])
    # Ukrainian is sent as itself, not as \u escapes.
    assert "Міська рада".encode() in response.content


def test_package_show_by_id_on_both_addresses_and_by_post(catalogue):
    client = Client(enforce_csrf_checks=True)  # POST needs no CSRF token: a token authenticates writes
    by_id = ok(call(client, "package_show", prefix="/api/action/", id=str(catalogue["water"].public_id)))
    by_post = ok(post(client, "package_show", {"id": "water-quality"}))
    assert by_id == by_post and by_id["name"] == "water-quality" and by_id["license_id"] == "CC0-1.0"


def test_drafts_and_other_hromadas_are_not_found_and_withdrawn_is_deleted(client, catalogue):
    for name in ("draft-one", "elsewhere", str(catalogue["stranger"].public_id), "nothing"):
        error = failed(call(client, "package_show", id=name), 404, "Not Found Error")
        assert error["message"] == "Not found: Dataset not found"
    gone = ok(call(client, "package_show", id="gone"))
    assert gone["state"] == "deleted"


def test_a_publishers_member_sees_the_draft_with_a_token(client, catalogue, officer):
    from hromada.accounts.services.tokens import api_token_create

    PublisherMember.objects.create(
        hromada=catalogue["council"].hromada, publisher=catalogue["council"], user=officer
    )
    _row, token = api_token_create(user=officer, name="ckan")
    draft = ok(
        client.get("/api/3/action/package_show", {"id": "draft-one"}, headers={"Authorization": token})
    )
    assert draft["state"] == "draft"
    # Another publisher's member does not.
    catalogue["council"].memberships.all().delete()
    failed(
        client.get("/api/3/action/package_show", {"id": "draft-one"}, headers={"Authorization": token}),
        404,
        "Not Found Error",
    )


# --- package_search -----------------------------------------------------------------------


def test_package_search_answers_ckans_result(client, catalogue):
    result = ok(
        call(
            client,
            "package_search",
            q="бюджет",
            **{"facet.field": json.dumps(["organization", "tags", "res_format", "license_id"])},
        )
    )
    assert set(result) == {"count", "results", "facets", "search_facets", "sort"}
    assert result["count"] == 1 and [r["name"] for r in result["results"]] == ["budget-2026"]
    assert result["sort"] == "score desc, metadata_modified desc"
    assert result["facets"]["organization"] == {"miska-rada": 1}
    assert result["facets"]["res_format"] == {"CSV": 1, "XLSX": 1}
    org_facet = result["search_facets"]["organization"]
    assert org_facet == {
        "title": "organization",
        "items": [{"name": "miska-rada", "display_name": "Міська рада", "count": 1}],
    }
    licence = result["search_facets"]["license_id"]["items"][0]
    assert licence["display_name"] == "Creative Commons Attribution 4.0"
    assert result["results"][0] == ok(call(client, "package_show", id="budget-2026"))


def test_package_search_filters_sorts_and_pages(client, catalogue):
    everything = ok(call(client, "package_search", sort="metadata_modified desc"))
    assert [r["name"] for r in everything["results"]] == ["budget-2026", "water-quality"]
    assert everything["facets"] == {} and everything["search_facets"] == {}
    oldest = ok(call(client, "package_search", sort="metadata_modified asc", rows=1, start=0))
    assert oldest["count"] == 2 and [r["name"] for r in oldest["results"]] == ["water-quality"]
    fq = ok(call(client, "package_search", fq='organization:vodokanal AND res_format:"CSV"'))
    assert [r["name"] for r in fq["results"]] == ["water-quality"]
    since = ok(call(client, "package_search", fq="metadata_modified:[2026-11-18T00:00:00Z TO *]"))
    assert [r["name"] for r in since["results"]] == ["budget-2026"]
    # rows over the cap is capped, as CKAN does (ckan.search.rows_max).
    assert ok(call(client, "package_search", rows=5000))["count"] == 2
    limited = ok(post(client, "package_search", {"facet.field": ["tags"], "facet.limit": 1}))
    assert len(limited["facets"]["tags"]) == 1


def test_package_search_errors_are_ckans(client, catalogue):
    error = failed(call(client, "package_search", fq="tags:(бюджет"), 409, "Search Query Error")
    assert error["message"].startswith("Search Query is invalid: ")
    failed(call(client, "package_search", fq="secret_field:x"), 409, "Search Query Error")
    failed(call(client, "package_search", sort="popularity desc"), 409, "Search Query Error")
    failed(call(client, "package_search", **{"facet.field": '["nope"]'}), 409, "Search Query Error")
    assert failed(call(client, "package_search", rows=-1), 409, "Validation Error")["rows"] == [
        "Must be a natural number"
    ]
    assert failed(call(client, "package_search", start="x"), 409, "Validation Error")["start"] == [
        "Invalid integer"
    ]
    failed(call(client, "package_search", **{"facet.field": "[broken"}), 409, "Validation Error")


# --- the other read actions ---------------------------------------------------------------


def test_lists_and_shows(client, catalogue):
    assert ok(call(client, "package_list")) == ["budget-2026", "water-quality"]
    assert ok(call(client, "package_list", limit=1, offset=1)) == ["water-quality"]
    assert ok(call(client, "organization_list")) == ["vodokanal", "miska-rada"]  # by title: К before М
    orgs = ok(call(client, "organization_list", all_fields="true", sort="package_count"))
    assert [(o["name"], o["package_count"]) for o in orgs] == [("miska-rada", 1), ("vodokanal", 1)]
    org = ok(call(client, "organization_show", id="miska-rada", include_datasets="true"))
    assert org["package_count"] == 1 and [p["name"] for p in org["packages"]] == ["budget-2026"]
    assert org["id"] == str(catalogue["council"].public_id) and "packages" not in ok(
        call(client, "organization_show", id=org["id"])
    )
    assert ok(call(client, "group_list")) == ["economy"]
    group = ok(call(client, "group_show", id="economy", include_datasets=True))
    assert group["package_count"] == 1 and group["packages"][0]["name"] == "budget-2026"
    assert ok(call(client, "tag_list")) == ["бюджет", "вода", "фінанси"]  # not the draft's
    assert ok(call(client, "tag_list", query="вод")) == ["вода"]
    resource = ok(call(client, "resource_show", id=str(catalogue["file"].public_id)))
    assert resource["name"] == "budget.csv" and resource["datastore_active"] is True
    licences = ok(call(client, "license_list"))
    assert {"CC-BY-4.0", "CC0-1.0"} <= {lic["id"] for lic in licences}
    assert all({"id", "title", "url", "od_conformance"} <= set(lic) for lic in licences)
    assert "dataset" in ok(call(client, "help_show", name="package_show")).lower()
    status = ok(call(client, "status_show"))
    assert status["ckan_version"].startswith("2.") and status["site_url"] == BASE
    assert ok(call(client, "site_read")) is True


def test_not_found_for_each_kind(client, catalogue):
    failed(call(client, "organization_show", id="nobody"), 404, "Not Found Error")
    failed(call(client, "group_show", id="nothing"), 404, "Not Found Error")
    failed(call(client, "resource_show", id="not-a-uuid"), 404, "Not Found Error")
    failed(
        call(client, "resource_show", id=str(catalogue["stranger"].resources.get().public_id)),
        404,
        "Not Found Error",
    )
    failed(call(client, "help_show", name="no_such_action"), 404, "Not Found Error")


# --- the request's own errors -------------------------------------------------------------


def test_bad_requests_answer_ckans_errors(client, catalogue):
    unknown = client.get("/api/3/action/package_explode")
    assert unknown.status_code == 400 and unknown.json()["success"] is False
    assert unknown.json()["error"]["message"] == "Bad request - Action name not known: package_explode"
    error = failed(post(client, "package_show", "{not json"), 400, "Bad request - JSON Error")
    assert error["message"].startswith("Bad request - JSON Error")
    failed(post(client, "package_show", "[1, 2]"), 400, "Bad request - JSON Error")
    # A write is POST only, as in CKAN.
    failed(client.get("/api/3/action/package_create", {"name": "x"}), 400, "Bad request - JSON Error")
    assert failed(call(client, "package_show"), 409, "Validation Error") == {
        "__type": "Validation Error",
        "id": ["Missing value"],
    }
    assert failed(call(client, "datastore_search"), 409, "Validation Error")["resource_id"] == [
        "Missing value"
    ]


def test_writes_without_a_token_are_authorization_errors(catalogue):
    client = Client(enforce_csrf_checks=True)
    before = Dataset.objects.count()
    for name in ("package_create", "package_update", "resource_create"):
        error = failed(
            post(client, name, {"name": "new-one", "owner_org": "miska-rada"}), 403, "Authorization Error"
        )
        assert error["message"].startswith("Access denied")
    failed(
        post(client, "package_create", {"name": "x"}, Authorization="not-a-token"), 403, "Authorization Error"
    )
    assert Dataset.objects.count() == before


@pytest.mark.parametrize(
    "path",
    [
        "/api/3/action/",
        "/api/3/action/package_show/extra/segments",
        "/api/action/package_show?id=%00",
        "/api/3/action/package_search?rows=1e9",
        "/api/3/action/package_search?q=" + "а" * 3000,
        "/api/3/action/package_search?fq=metadata_modified:[NOW-99999YEARS TO *]",
        "/api/3/action/organization_list?sort=drop+table",
        "/api/3/action/organization_list?all_fields=maybe",
        "/api/3/action/datastore_search?resource_id=x&filters={bad",
    ],
)
def test_garbage_is_never_a_500_nor_a_page(client, catalogue, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert response["Content-Type"].startswith("application/json")


def test_the_api_is_off_with_the_module(client, catalogue, hromada_admin):
    from hromada.tenancy import services as tenancy_services

    tenancy_services.module_switch_set(
        actor=hromada_admin, hromada=catalogue["council"].hromada, module="opendata", enabled=False
    )
    assert client.get("/api/3/action/package_list").status_code == 404
    assert client.get("/api/action/package_list").status_code == 404
    assert client.get("/api/v1/").status_code != 500  # the kernel's API stays its own
