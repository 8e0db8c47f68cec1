import pytest

from hromada.core.tests.sample.models import Thing

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60  # the prefixes are the modules' page_cache_prefixes: /sample/


def thing(hromada, resident, title="Перша річ"):
    return Thing.objects.create(hromada=hromada, owner=resident, title=title)


def test_anonymous_pages_are_served_from_cache(
    client, hromada, resident, page_cache, django_assert_num_queries
):
    thing(hromada, resident, "Перша річ про освітлення парку")
    first = client.get("/sample/")
    assert "Перша річ" in first.content.decode()
    thing(hromada, resident, "Друга річ про нову зупинку")
    with django_assert_num_queries(0):
        again = client.get("/sample/")
    assert "Друга річ" not in again.content.decode()  # within the interval: the cached page


def test_language_has_its_own_cache_entry(client, hromada, resident, page_cache):
    thing(hromada, resident)
    assert 'lang="uk"' in client.get("/sample/").content.decode()
    client.cookies["django_language"] = "en"
    assert 'lang="en"' in client.get("/sample/").content.decode()


def test_logged_in_visitors_always_get_a_fresh_page(client, hromada, page_cache, resident):
    thing(hromada, resident, "Перша річ про освітлення парку")
    client.get("/sample/")
    thing(hromada, resident, "Друга річ про нову зупинку")
    client.force_login(resident)
    assert "Друга річ" in client.get("/sample/").content.decode()


def test_language_link_sets_cookie_and_refuses_foreign_redirects(client, hromada):
    response = client.get("/lang/en/", {"next": "/sample/"})
    assert response.status_code == 302
    assert response["Location"] == "/sample/"
    assert response.cookies["django_language"].value == "en"
    response = client.get("/lang/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    response = client.get("/lang/xx/")
    assert "django_language" not in response.cookies
