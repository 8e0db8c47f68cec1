"""The resident's own account in Chromium: changing the e-mail and deleting the account,
with the keyboard, on a phone-sized screen, checked by axe-core."""

import pytest
from django.core import mail

from e2e.conftest import axe_serious, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"


@pytest.fixture
def resident(db):
    from hromada.accounts.tests.factories import verified_user
    from hromada.tenancy.tests.factories import HromadaFactory

    HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    user = verified_user()
    user.email = "olena@example.test"
    user.save()
    return user


def login(page):
    page.goto("/accounts/login/")
    page.get_by_label("Електронна пошта").fill("olena@example.test")
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Увійти").click()
    page.wait_for_load_state()


def test_change_email_then_delete_the_account(new_page, resident, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = new_page()
    login(page)
    page.goto("/accounts/profile/")
    # The change form is folded away; open it from the keyboard.
    page.get_by_text("Змінити адресу").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Нова адреса").fill("olena.new@example.test")
    page.get_by_label("Поточний пароль").fill("not my password")
    page.get_by_role("button", name="Надіслати посилання").click()
    assert page.get_by_text("Неправильний пароль.").is_visible()
    shot(page, "20-email-change-error")
    assert axe_serious(page) == []
    page.get_by_label("Поточний пароль").fill(PASSWORD)
    page.get_by_role("button", name="Надіслати посилання").click()
    assert page.get_by_text("Лист із посиланням надіслано на olena.new@example.test").is_visible()
    link = mail.outbox[0].body.split("http://")[1].split()[0]
    page.goto("/" + link.split("/", 1)[1])
    assert page.get_by_text("Адресу змінено: тепер це olena.new@example.test.").is_visible()

    page.goto("/accounts/profile/delete/")
    shot(page, "21-delete-account")
    assert axe_serious(page) == []
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Видалити обліковий запис").click()
    assert page.get_by_text("Позначте, що ви розумієте наслідки.").is_visible()
    page.get_by_label("Я розумію, що обліковий запис буде видалено назавжди").check()
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Видалити обліковий запис").click()
    assert page.get_by_text("Обліковий запис видалено").is_visible()
    resident.refresh_from_db()
    assert not resident.is_active
