"""The branded error pages in Chromium, at a phone's and a desktop's width, with axe."""

import pytest

from e2e.conftest import axe_serious, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(db, settings):
    from hromada.tenancy.tests.factories import HromadaFactory

    settings.ROOT_URLCONF = "hromada.core.tests.error_urls"
    return HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/sample/no-such-thing/", 404, "Сторінку не знайдено"),
        ("/test-errors/forbidden/", 403, "Доступ заборонено"),
        ("/test-errors/crash/", 500, "Сталася помилка на сервері"),
        ("/?q=" + "д" * 2100, 414, "Адреса запиту задовга"),
    ],
)
def test_error_pages_are_branded_and_accessible(new_page, site, width, path, status, heading):
    page = new_page(width=width, height=800)
    response = page.goto(path)
    assert response.status == status
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.get_by_role("link", name="На головну").is_visible()
    assert axe_serious(page) == []
    shot(page, f"error-{status}-{width}")
