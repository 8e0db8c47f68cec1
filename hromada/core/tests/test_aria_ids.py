"""Every id that aria-describedby (and aria-labelledby) points at exists on the page
(issue 9, defect 11: the widget said id_title_helptext, the help was id_title-help), on
every form page of the kernel and, when installed, the petition form; fields with an
error are aria-invalid and described by their error."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from hromada.core.modules import registry

pytestmark = pytest.mark.django_db


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, id)
        self.invalid: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for attr in ("aria-describedby", "aria-labelledby", "aria-controls"):
            for ref in (a.get(attr) or "").split():
                self.refs.append((tag, attr, ref))
        if a.get("aria-invalid") == "true":
            self.invalid.append(a)


def check(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    missing = [(tag, attr, ref) for tag, attr, ref in parser.refs if ref not in parser.ids]
    assert not missing, missing
    return parser


def _page(client, path, method="get", data=None, statuses=(200,)):
    response = getattr(client, method)(path, data or {})
    assert response.status_code in statuses, (path, response.status_code)
    return check(response.content.decode())


ANONYMOUS_PAGES = ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
RESIDENT_PAGES = [
    "/accounts/profile/",
    "/accounts/password/change/",
    "/accounts/profile/delete/",
    "/accounts/verify/",
    "/notifications/preferences/",
]
ADMIN_PAGES = ["/staff/departments/", "/staff/roles/", "/staff/verify/", "/staff/settings/"]


def test_every_kernel_form_page_references_only_ids_it_has(hromada, resident, hromada_admin):
    client = Client()
    for path in ANONYMOUS_PAGES:
        _page(client, path)
    client.force_login(resident)
    for path in RESIDENT_PAGES:
        _page(client, path)
    client.force_login(hromada_admin)
    for path in ADMIN_PAGES:
        _page(client, path)
    for module in registry.modules():
        if module.settings_model:
            _page(client, f"/staff/settings/{module.label}/")


def test_the_help_text_of_the_token_form_is_referenced_by_its_own_id(hromada, resident):
    client = Client()
    client.force_login(resident)
    html = client.get("/accounts/profile/").content.decode()
    check(html)
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert any(ref.endswith("_helptext") for refs in described for ref in refs.split()), described
    assert '-help"' not in html


def test_a_field_with_an_error_is_invalid_and_described_by_the_error(hromada, resident):
    client = Client()
    client.force_login(resident)
    parsed = _page(client, "/accounts/profile/tokens/", "post", {"name": ""}, statuses=(400,))
    assert parsed.invalid, "no field is aria-invalid"
    for field in parsed.invalid:
        refs = field.get("aria-describedby", "").split()
        assert any(ref.endswith("_error") for ref in refs), field
    parsed = _page(
        Client(), "/accounts/login/", "post", {"username": "", "password": ""}, statuses=(200, 400)
    )
    assert parsed.invalid


@pytest.mark.skipif("petitions" not in registry, reason="petitions is not installed in this run")
def test_the_petition_form_references_only_ids_it_has(hromada, resident):
    client = Client()
    client.force_login(resident)
    parsed = _page(client, "/petitions/new/")
    assert any(ref.endswith("_helptext") for _tag, _attr, ref in parsed.refs)
    parsed = _page(client, "/petitions/new/", "post", {"title": ""}, statuses=(200, 400))
    assert parsed.invalid
    _page(client, "/petitions/")
