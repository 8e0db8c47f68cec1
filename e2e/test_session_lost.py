"""An htmx action with a lost session (issue 9, defect 3): "Підписати петицію" after the
cookies are gone sends the person to log in, and logging in brings them back to the
petition; an htmx action answered with an error says so in the page."""

import pytest

from e2e.conftest import PASSWORD, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import verified_user
    from hromada.core.modules import registry
    from hromada.tenancy.tests.factories import HromadaFactory

    if "petitions" not in registry:
        pytest.skip("petitions is not installed in this run")
    from hromada.petitions.tests.factories import collecting

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    return {"petition": collecting(hromada=hromada), "resident": verified_user()}


def test_signing_with_a_lost_session_logs_in_and_comes_back(new_page, world):
    petition, resident = world["petition"], world["resident"]
    page = new_page()
    login(page, resident.email)
    url = f"/petitions/{petition.public_id}/"
    page.goto(url)
    page.context.clear_cookies()  # logged out elsewhere, session gone
    page.get_by_role("button", name="Підписати петицію").click()
    page.wait_for_url("**/accounts/login/**")
    assert page.locator("#sign-box form input[name=password]").count() == 0
    assert page.get_by_label("Пароль").is_visible()
    shot(page, "session-lost-login")
    page.get_by_label("Електронна пошта").fill(resident.email)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_url(f"**{url}")
    # Back on the petition, still able to sign: nothing was signed in the meantime.
    page.get_by_role("button", name="Підписати петицію").click()
    page.get_by_text("Дякуємо! Ваш підпис враховано.").wait_for()
    assert petition.signatures.count() == 1


def test_an_htmx_error_is_shown_in_the_page(new_page, world):
    petition, resident = world["petition"], world["resident"]
    page = new_page()
    login(page, resident.email)
    page.goto(f"/petitions/{petition.public_id}/")
    page.route("**/sign", lambda route: route.fulfill(status=500, body="boom"))
    page.get_by_role("button", name="Підписати петицію").click()
    alert = page.locator(".htmx-error")
    alert.wait_for()
    assert "Помилка на сервері" in alert.inner_text()
    assert alert.get_attribute("role") == "alert"
    shot(page, "htmx-error-500")
