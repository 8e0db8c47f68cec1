"""Branded error pages (issue 9, defect 1): 400/403/404/500, the CSRF failure and the
414 for an over-long query string have the site's header, a heading, what happened
and the way back, in the person's language; the 500 page renders even when the
database and the context processors fail; under /api/ every one of them is JSON."""

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db

ERROR_URLS = "hromada.core.tests.error_urls"


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = ERROR_URLS
    settings.DEBUG = False


def _english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def _branded(response, status: int, heading: str) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert 'class="site-header"' in html, "no site header"
    assert f">{heading}</h1>" in html, html[:2000]
    assert 'href="/"' in html, "no way home"
    assert "Not Found</h1>" not in html and "Server Error (500)" not in html
    return html


def test_an_unknown_page_is_the_branded_404_with_the_way_back(hromada):
    html = _branded(Client().get("/no-such-page/"), 404, "Сторінку не знайдено")
    assert '<html lang="uk">' in html
    assert 'class="main-nav"' in html  # the full layout, not the fallback
    assert "/accounts/login/?next=/no-such-page/" in html  # a visitor may need to log in


def test_the_404_speaks_english_to_an_english_visitor(hromada):
    html = _branded(_english(Client()).get("/no-such-page/"), 404, "Page not found")
    assert '<html lang="en">' in html and "Сторінку не знайдено" not in html


def test_a_404_inside_a_section_links_to_that_sections_list(hromada):
    html = _branded(Client().get("/sample/no/such/thing/"), 404, "Сторінку не знайдено")
    assert 'href="/sample/"' in html and "Sample things" in html


def test_permission_denied_is_the_branded_403(hromada, error_urls, resident):
    html = _branded(Client().get("/test-errors/forbidden/"), 403, "Доступ заборонено")
    assert "/accounts/login/?next=" in html
    client = Client()
    client.force_login(resident)
    html = _branded(client.get("/test-errors/forbidden/"), 403, "Доступ заборонено")
    assert "/accounts/login/?next=" not in html
    assert "адміністратора" in html


def test_a_bad_request_is_the_branded_400(hromada, error_urls):
    _branded(Client().get("/test-errors/bad/"), 400, "Неправильний запит")


def test_a_crash_is_the_branded_500_without_details(hromada, error_urls):
    response = Client(raise_request_exception=False).get("/test-errors/crash/")
    html = _branded(response, 500, "Сталася помилка на сервері")
    assert "secret detail" not in html and "Traceback" not in html


def test_the_500_page_renders_when_the_database_is_down(hromada, error_urls):
    from django.db import connection

    def refuse(execute, sql, params, many, context):
        raise OperationalError("database is down")

    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(refuse):
        response = client.get("/test-errors/database/")
        html = _branded(response, 500, "Сталася помилка на сервері")
        assert "secret detail" not in html and "database is down" not in html
        # Even the middleware's first query (the tenant) failing gives the same page.
        from hromada.tenancy.selectors import tenancy_cache_clear

        tenancy_cache_clear()
        _branded(client.get("/"), 500, "Сталася помилка на сервері")


def broken_processor(request):
    raise RuntimeError("context processor failed")


def test_error_pages_render_when_the_context_processors_fail(hromada, error_urls, settings):
    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0]["OPTIONS"] = {
        **templates[0]["OPTIONS"],
        "context_processors": [
            *templates[0]["OPTIONS"]["context_processors"],
            "hromada.core.tests.test_error_pages.broken_processor",
        ],
    }
    settings.TEMPLATES = templates
    client = Client(raise_request_exception=False)
    _branded(client.get("/test-errors/crash/"), 500, "Сталася помилка на сервері")
    # A 404 whose layout fails falls back to the self-contained page, still a 404.
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and 'class="site-header"' in response.content.decode()


def test_the_500_page_speaks_english_to_an_english_visitor(hromada, error_urls):
    client = _english(Client(raise_request_exception=False))
    html = _branded(client.get("/test-errors/crash/"), 500, "Something went wrong on the server")
    assert '<html lang="en">' in html


def test_a_stale_form_is_told_to_reload_the_page(hromada):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "a@example.test", "password": "x"})
    html = _branded(response, 403, "Сторінка застаріла")
    assert "оновіть її" in html and "CSRF verification failed" not in html


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/test-errors/forbidden", 403, "forbidden"),
        ("/api/v1/test-errors/missing", 404, "not_found"),
        ("/api/v1/test-errors/crash", 500, "server_error"),
    ],
)
def test_under_the_api_the_same_errors_are_json(hromada, error_urls, path, status, code):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code and "secret" not in response.content.decode()


def test_an_over_long_query_string_is_a_ukrainian_414_page(hromada):
    response = Client().get("/", {"q": "пошук " * 400})
    html = _branded(response, 414, "Адреса запиту задовга")
    assert "2\xa0000" in html  # the limit, as the page's language writes it
    assert Client().get("/", {"q": "пошук " * 50}).status_code == 200


def test_an_over_long_query_string_under_the_api_is_json(hromada):
    response = Client().get("/api/v1/sample/things", {"q": "x" * 2500})
    assert response.status_code == 414 and response.json()["code"] == "uri_too_long"


def test_gunicorn_accepts_request_lines_longer_than_the_django_limit():
    import runpy

    from hromada.core.error_views import MAX_QUERY_STRING

    conf = runpy.run_path("config/gunicorn.conf.py")
    # Long enough that Django, not gunicorn, answers an over-long query (in Ukrainian).
    assert conf["limit_request_line"] > MAX_QUERY_STRING * 3  # percent-encoded Cyrillic
