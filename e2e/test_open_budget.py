"""The open budget explorer in Chromium: the demo's two years imported by a finance
editor, read on a phone (nothing wider than the screen, no serious axe finding), the
drill-down from the programmes' table by keyboard, without JavaScript as well."""

import pytest

from e2e.checks import check_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def budget(db):
    from hromada.accounts.tests.factories import staff_user
    from hromada.opendata import demo_budget, services
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Кам’янська міська громада")
    admin = staff_user(hromada, "admin")
    finance = services.publisher_create(hromada, admin, name="finance", title="Фінансове управління")
    for year in (2025, 2026):
        for kind, upload, cumulative in demo_budget.files(year):
            services.budget_import(
                hromada, year, kind, upload, admin, publisher=finance, cumulative=cumulative
            )
    return hromada


def test_the_explorer_on_a_phone_and_the_drill_down_by_keyboard(new_page, budget):
    page = new_page(width=390, height=844)
    page.goto("/opendata/budget/")
    assert page.get_by_role("heading", level=1).inner_text() == "Бюджет громади на 2026 рік"
    problems = check_page(page, folder="opendata", name="budget-10-explorer-phone")
    link = page.get_by_role("link", name="Організація благоустрою населених пунктів")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "programme=1216030" in page.url
    assert page.get_by_role(
        "heading", name="Програма 1216030: Організація благоустрою населених пунктів"
    ).is_visible()
    assert page.get_by_role("table", name="Видатки програми за економічною класифікацією").is_visible()
    problems += check_page(page, folder="opendata", name="budget-11-programme-phone")
    assert problems == []


def test_the_explorer_on_a_desktop_without_javascript(browser, live_server, ledger_cleanup, budget):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/opendata/budget/2025/")
    assert page.get_by_role("heading", name="Рік до року").is_visible()
    page.get_by_role("link", name="2026").first.click()
    assert page.get_by_role("table", name="Видатки за програмами (КПКВК)").is_visible()
    from e2e.checks import shot

    shot(page, "opendata", "budget-12-explorer-desktop-nojs")
    context.close()
