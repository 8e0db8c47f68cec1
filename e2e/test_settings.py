"""The hromada administrator's settings in Chromium: switch a module off and on, change
a module's rules by keyboard, with axe-core on each page."""

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_switches_petitions_off_and_changes_their_rules(new_page, live_server):
    from hromada.accounts.tests.factories import staff_user
    from hromada.petitions.models import PetitionSettings
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    admin = staff_user(hromada, "admin")

    page = new_page()
    login(page, admin.email)
    page.goto("/staff/")
    shot(page, "settings-01-staff-console")
    assert axe_serious(page) == []
    page.get_by_role("link", name="Налаштування громади").click()
    assert page.get_by_role("heading", name="Модулі", exact=True).is_visible()
    shot(page, "settings-02-settings")
    assert axe_serious(page) == []

    # Switch petitions off: gone from the menu, their pages answer 404. (At a phone's width the
    # menu is folded behind «Меню», so its links are counted folded or not.)
    page.get_by_label("Електронні петиції").uncheck()
    page.get_by_role("button", name="Зберегти модулі").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("navigation", name="Головне меню", include_hidden=True)
        .get_by_role("link", name="Петиції", include_hidden=True)
        .count()
        == 0
    )
    assert page.goto("/petitions/").status == 404
    page.goto("/staff/settings/")
    page.get_by_label("Електронні петиції").check()
    page.get_by_role("button", name="Зберегти модулі").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("navigation", name="Головне меню", include_hidden=True)
        .get_by_role("link", name="Петиції", include_hidden=True)
        .count()
        == 1
    )

    # The petitions' rules, by keyboard: a wrong value is explained, a right one saved.
    page.get_by_role("link", name="Електронні петиції").last.click()
    threshold = page.get_by_label("поріг підписів")
    threshold.fill("0")
    threshold.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    shot(page, "settings-03-petition-rules-error")
    assert axe_serious(page) == []
    page.get_by_label("поріг підписів").fill("120")
    page.get_by_label("поріг підписів").press("Enter")
    page.wait_for_load_state()
    assert PetitionSettings.objects.get(hromada=hromada).threshold == 120
    shot(page, "settings-04-petition-rules-saved")
