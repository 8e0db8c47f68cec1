"""A real CKAN client reads the portal: ckanapi's RemoteCKAN over HTTP against the live
server — a harvester taking the catalogue incrementally by metadata_modified, page by
page, and each error type arriving as ckanapi's own exception."""

import datetime as dt

import ckanapi
import pytest

from hromada.opendata.models import Dataset, Publisher
from hromada.opendata.search import search_text_of
from hromada.tenancy.tests.factories import HromadaFactory

from .test_ckan_read import add_file, make_dataset

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2026, 10, 1, 8, 0, 0, 250000, tzinfo=dt.UTC)


@pytest.fixture
def portal(live_server):
    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"])
    council = Publisher.objects.create(hromada=hromada, name="miska-rada", title="Міська рада")
    for i in range(25):
        make_dataset(
            hromada,
            council,
            f"set-{i:02d}",
            f"Набір {i}",
            tags=["звіт"],
            formats=["CSV"],
            moment=START + dt.timedelta(minutes=7 * i, microseconds=i),
            frequency="Щокварталу",
        )
    make_dataset(hromada, council, "hidden", "Чернетка", state="draft", moment=START)
    add_file(Dataset.objects.get(name="set-03"), datastore=True)
    with ckanapi.RemoteCKAN(live_server.url) as ckan:
        yield ckan


def harvest(ckan, since: str | None) -> list[dict]:
    """What data.gov.ua's harvester does: everything modified since its last run, oldest
    first, page by page."""
    fq = f"metadata_modified:[{since}Z TO *]" if since else ""
    got: list[dict] = []
    while True:
        page = ckan.action.package_search(fq=fq, sort="metadata_modified asc", rows=10, start=len(got))
        got += page["results"]
        if not page["results"] or len(got) >= page["count"]:
            return got


def test_a_harvester_takes_the_catalogue_incrementally(portal):
    first = harvest(portal, None)
    assert [p["name"] for p in first] == [f"set-{i:02d}" for i in range(25)]  # no draft
    stamps = [p["metadata_modified"] for p in first]
    assert stamps == sorted(stamps) and len(set(stamps)) == 25
    assert {e["key"]: e["value"] for e in first[0]["extras"]}["update_frequency"] == "Щокварталу"
    since = stamps[-1]

    # Three datasets change after the run; the next run gets them (and the boundary one,
    # as [since TO *] includes it), nothing else.
    later = dt.datetime.fromisoformat(since).replace(tzinfo=dt.UTC)
    for offset, name in enumerate(["set-02", "set-10", "set-17"], start=1):
        d = Dataset.objects.get(name=name)
        d.title += " (оновлено)"
        d.metadata_modified = later + dt.timedelta(hours=offset)
        d.search_text = search_text_of(d)
        d.save()
    second = harvest(portal, since)
    assert [p["name"] for p in second] == ["set-24", "set-02", "set-10", "set-17"]
    assert second[1]["title"] == "Набір 2 (оновлено)"
    assert harvest(portal, second[-1]["metadata_modified"])[-1]["name"] == "set-17"


def test_ckanapi_reads_every_kind_of_thing(portal):
    assert len(portal.action.package_list()) == 25
    pkg = portal.action.package_show(id="set-03")
    assert pkg["organization"]["name"] == "miska-rada" and pkg["num_resources"] == 2
    upload = next(r for r in pkg["resources"] if r["url_type"] == "upload")
    assert portal.action.resource_show(id=upload["id"])["datastore_active"] is True
    assert portal.action.organization_show(id="miska-rada")["package_count"] == 25
    assert portal.action.tag_list() == ["звіт"]
    facets = portal.action.package_search(**{"facet.field": '["res_format"]', "rows": 0})
    assert facets["facets"] == {"res_format": {"CSV": 25}} and facets["results"] == []
    assert portal.action.status_show()["ckan_version"].startswith("2.")


def test_each_error_arrives_as_ckanapis_exception(portal):
    with pytest.raises(ckanapi.NotFound):
        portal.action.package_show(id="hidden")
    with pytest.raises(ckanapi.ValidationError) as validation:
        portal.action.package_show()
    assert validation.value.error_dict["id"] == ["Missing value"]
    with pytest.raises(ckanapi.SearchQueryError):
        portal.action.package_search(fq="metadata_modified:[yesterday TO *]")
    with pytest.raises(ckanapi.NotAuthorized):
        portal.action.package_create(name="new-set", owner_org="miska-rada")
    with pytest.raises(ckanapi.NotAuthorized):
        portal.call_action("package_create", {"name": "new-set"}, apikey="not-a-real-token")
    with pytest.raises(ckanapi.CKANAPIError):
        portal.action.no_such_action()
    assert not Dataset.objects.filter(name="new-set").exists()
