"""Hostile or malformed input anywhere in the module is a clear 4xx (or the page with
its message), never a 500: query strings of every public, staff and API list."""

import pytest

from hromada.appeals.tests.factories import make_case

pytestmark = pytest.mark.django_db

GARBAGE = ["abc", "1,2", "9999999999999999999999", "-1", "2026-13-45", "../../etc", "' OR 1=1 --", "%00"]


@pytest.mark.parametrize("value", GARBAGE)
def test_garbage_in_query_strings_never_gives_a_500(client, hromada, hromada_admin, value):
    case = make_case(hromada)
    public = [
        f"/appeals/map/?category={value}&status={value}&from={value}&to={value}&area={value}",
        f"/appeals/stats/?period={value}&year={value}",
        f"/api/v1/appeals/reports.geojson?bbox={value}&from={value}&status={value}",
        f"/api/v1/appeals/reports?category={value}&from={value}&area={value}",
        f"/open311/v2/requests.json?start_date={value}&end_date={value}&status={value}&service_request_id={value}",
        f"/open311/v2/requests/{value}.xml",
        f"/open311/v2/services/{value}.json",
        f"/api/v1/appeals/categories?kind={value}",
        f"/appeals/nearby/?category={value}&lat={value}&lon={value}",
    ]
    staff = [
        f"/staff/appeals/?q={value}&kind={value}&status={value}&category={value}&area={value}"
        f"&department={value}&due={value}&page={value}",
        f"/staff/appeals/moderation/?view={value}",
        f"/staff/appeals/hotline/?q={value}",
        f"/api/v1/appeals/staff/cases?status={value}&page={value}",
        f"/staff/appeals/cases/{case.public_id}/?tab={value}",
    ]
    for url in public:
        status = client.get(url).status_code
        assert status < 500, (url, status)
    client.force_login(hromada_admin)
    for url in staff + public:
        status = client.get(url).status_code
        assert status < 500, (url, status)


def test_the_pages_probed_above_exist(client, hromada, hromada_admin):
    """So the test above probes real pages, not 404s."""
    for url in [
        "/appeals/map/",
        "/appeals/stats/",
        "/api/v1/appeals/reports.geojson?bbox=32.2,48.4,32.3,48.6",
        "/api/v1/appeals/reports",
        "/open311/v2/requests.json",
        "/api/v1/appeals/categories",
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(hromada_admin)
    for url in [
        "/staff/appeals/",
        "/staff/appeals/moderation/",
        "/staff/appeals/hotline/",
        "/api/v1/appeals/staff/cases",
    ]:
        assert client.get(url).status_code == 200, url
