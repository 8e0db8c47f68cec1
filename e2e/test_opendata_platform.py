"""The platform's own open data in Chromium: the open data administrator regenerates it
from the console, a visitor finds the petitions' dataset and reads who publishes it and
when it was regenerated; the console refuses to edit its resources. axe-core on each page."""

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_platform_publishes_the_petitions_and_a_visitor_finds_them(new_page, live_server):
    from hromada.accounts.tests.factories import staff_user
    from hromada.petitions.tests.factories import collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    admin = staff_user(hromada, "admin")
    collecting(hromada=hromada, title="Облаштувати велодоріжку на вулиці Шевченка")

    page = new_page()
    login(page, admin.email)
    page.goto("/staff/opendata/")
    page.get_by_role("button", name="Оновити дані платформи зараз").click()
    page.wait_for_load_state()
    assert page.get_by_text("Дані платформи оновлено").is_visible()
    shot(page, "opendata-platform-01-console")
    assert axe_serious(page) == []

    # The console shows the dataset but offers no way to change its files.
    page.get_by_role("link", name="Електронні петиції").first.click()
    page.wait_for_load_state()
    assert page.get_by_text("Цей набір публікує сама платформа").is_visible()
    assert page.get_by_role("link", name="Додати ресурс").count() == 0
    shot(page, "opendata-platform-02-console-dataset")

    visitor = new_page()
    visitor.goto("/opendata/?q=петиції")
    visitor.get_by_role("link", name="Електронні петиції").first.click()
    visitor.wait_for_load_state()
    section = visitor.get_by_role("region", name="Дані публікує сама платформа")
    assert section.is_visible()
    assert "Востаннє згенеровано" in section.inner_text()
    assert visitor.get_by_role("link", name="Завантажити «Електронні петиції (CSV)»").is_visible()
    shot(visitor, "opendata-platform-03-dataset")
    assert axe_serious(visitor) == []
