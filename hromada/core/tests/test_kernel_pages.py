"""The kernel's pages show exactly the installed modules: the home page, the main
navigation and the staff console render whatever modules are installed, and with
`TEST_WITHOUT=petitions` (config/settings.py) they render without petitions."""

import re

import pytest
from django.urls import reverse

from hromada.core.modules import registry

pytestmark = pytest.mark.django_db

MAIN_NAV = re.compile(r'<nav [^>]*class="main-nav"[^>]*>(.*?)</nav>', re.S)
STAFF_CARD = re.compile(r'<li class="card[^"]*">\s*<h2[^>]*><a href="([^"]+)"')

# The kernel's own links in the main navigation, after the modules' entries.
KERNEL_NAV_ANONYMOUS = ["/ledger/", "/accounts/login/", "/accounts/signup/"]
KERNEL_NAV_STAFF = ["/ledger/", "/staff/", "/notifications/", "/accounts/profile/"]


def nav_links(html: str) -> list[str]:
    match = MAIN_NAV.search(html)
    assert match, "no main navigation"
    return re.findall(r'<a href="([^"]+)"', match.group(1))


def module_nav() -> list[str]:
    """The nav entries of the installed modules, in their declared order."""
    entries = sorted((e for m in registry for e in m.nav), key=lambda e: e.order)
    return [reverse(e.url_name) for e in entries]


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_the_home_page_and_navigation_list_exactly_the_installed_modules(client, hromada):
    home = page(client, "/")
    assert nav_links(home) == module_nav() + KERNEL_NAV_ANONYMOUS
    assert "/sample/" in module_nav()  # the test-only module is always there
    assert "Sample block" in home


def test_the_staff_console_shows_every_installed_modules_sections_to_an_admin(client, hromada, hromada_admin):
    client.force_login(hromada_admin)
    console = page(client, "/staff/")
    assert nav_links(console) == module_nav() + KERNEL_NAV_STAFF
    sections = sorted((s for m in registry for s in m.staff_sections), key=lambda s: s.order)
    assert STAFF_CARD.findall(console) == [reverse(s.url_name) for s in sections]
    assert "/staff/sample/" in STAFF_CARD.findall(console)
    for url in STAFF_CARD.findall(console):
        assert client.get(url).status_code == 200, url


def test_the_staff_home_shows_each_modules_figures_to_those_who_may_act(client, hromada, hromada_admin):
    from hromada.accounts.tests.factories import staff_user

    client.force_login(hromada_admin)
    console = page(client, "/staff/")
    assert "Things to act on" in console and "Things late" in console
    client.force_login(staff_user(hromada, "officer"))  # sample.act is not an officer's
    assert "Things to act on" not in page(client, "/staff/")


@pytest.mark.skipif("petitions" in registry, reason="petitions is installed in this run")
def test_without_petitions_nothing_links_to_them(client, hromada, hromada_admin):
    assert "petitions" not in page(client, "/")
    client.force_login(hromada_admin)
    assert "petitions" not in page(client, "/staff/")
    assert client.get("/petitions/").status_code == 404
    assert client.get("/staff/petitions/moderation/").status_code == 404
