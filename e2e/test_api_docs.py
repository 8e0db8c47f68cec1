"""/api/v1/docs renders the operations from files served by the install, under the
site's CSP (issue 9, defect 2: it was blank, Swagger UI came from a CDN)."""

import pytest

from e2e.conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def hromada_here(db):
    from hromada.tenancy.tests.factories import HromadaFactory

    return HromadaFactory(hosts=["localhost", "127.0.0.1"])


@pytest.mark.parametrize("width", [390, 1280])
def test_the_api_docs_show_the_operations_without_a_cdn(new_page, live_server, hromada_here, width):
    page = new_page(width=width, height=900)
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith((live_server.url, "data:")) else outside.append(request.url)
        ),
    )
    page.goto("/api/v1/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 3
    assert page.get_by_text("/api/v1/sample/ping").first.is_visible()
    assert page.locator("html").get_attribute("lang") == "uk"
    assert outside == [], outside
    shot(page, f"api-docs-{width}")
