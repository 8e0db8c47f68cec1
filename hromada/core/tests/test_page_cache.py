import pytest

from hromada.petitions.tests.factories import collecting

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    settings.PAGE_CACHE_PREFIXES = ["/petitions/"]


def test_anonymous_pages_are_served_from_cache(client, hromada, page_cache, django_assert_num_queries):
    collecting(hromada=hromada, title="Перша петиція про освітлення парку")
    first = client.get("/petitions/")
    assert "Перша петиція" in first.content.decode()
    collecting(hromada=hromada, title="Друга петиція про нову зупинку")
    with django_assert_num_queries(0):
        again = client.get("/petitions/")
    assert "Друга петиція" not in again.content.decode()  # within the interval: the cached page


def test_language_has_its_own_cache_entry(client, hromada, page_cache):
    collecting(hromada=hromada)
    assert 'lang="uk"' in client.get("/petitions/").content.decode()
    client.cookies["django_language"] = "en"
    assert 'lang="en"' in client.get("/petitions/").content.decode()


def test_logged_in_visitors_always_get_a_fresh_page(client, hromada, page_cache, resident):
    collecting(hromada=hromada, title="Перша петиція про освітлення парку")
    client.get("/petitions/")
    collecting(hromada=hromada, title="Друга петиція про нову зупинку")
    client.force_login(resident)
    assert "Друга петиція" in client.get("/petitions/").content.decode()


def test_language_link_sets_cookie_and_refuses_foreign_redirects(client, hromada):
    response = client.get("/lang/en/", {"next": "/petitions/"})
    assert response.status_code == 302
    assert response["Location"] == "/petitions/"
    assert response.cookies["django_language"].value == "en"
    response = client.get("/lang/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.get("/lang/xx/")
    assert "django_language" not in response.cookies
