"""Comments in Chromium on a phone: a resident comments on a petition, another replies,
the first reports the reply, a moderator hides it inline. axe-core on the thread; the
no-script path is covered by hromada/comments/tests/test_pages.py."""

import pytest

from e2e.checks import overflow
from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import UserFactory, staff_user
    from hromada.petitions.tests.factories import collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    petition = collecting(hromada=hromada, title="Відновити освітлення в парку імені Тараса Шевченка")
    first = UserFactory(display_name="Оксана Коваль", email="oksana@example.test")
    second = UserFactory(display_name="Петро Бондар", email="petro@example.test")
    moderator = staff_user(hromada, "moderator")
    return {"petition": petition, "first": first, "second": second, "moderator": moderator}


def test_comment_reply_report_and_hide_on_a_phone(new_page, world):
    from hromada.comments.models import Comment, CommentStatus

    url = f"/petitions/{world['petition'].public_id}/"

    page = new_page(**PHONE)
    login(page, world["first"].email)
    page.goto(url)
    thread = page.locator("section.comments")
    thread.get_by_label("Ваш коментар").fill("Ліхтарі потрібні біля дитячого майданчика насамперед.")
    thread.get_by_role("button", name="Опублікувати").click()
    new = page.locator("article.comment").first
    new.wait_for()
    assert "дитячого майданчика" in new.inner_text()
    page.wait_for_function("document.activeElement && document.activeElement.matches('article.comment')")
    assert page.locator("section.comments h2").inner_text().startswith("1 коментар")

    other = new_page(**PHONE)
    login(other, world["second"].email)
    other.goto(url)
    other.locator("article.comment summary", has_text="Відповісти").first.click()
    field = other.get_by_label("Відповідь для Оксана Коваль")
    other.wait_for_function("document.activeElement && document.activeElement.tagName === 'TEXTAREA'")
    field.fill("Згоден, і ще біля входу з вулиці Садової.")
    other.locator("article.comment form button", has_text="Відповісти").first.click()
    other.locator(".comments-replies article.comment").wait_for()
    assert "Садової" in other.locator(".comments-replies").inner_text()
    assert axe_serious(other) == []
    assert overflow(other) is None
    shot(other, "comments-reply-phone")

    page.goto(url)
    reply = page.locator(".comments-replies article.comment").first
    reply.locator("summary", has_text="Поскаржитися").click()
    reply.get_by_label("Не стосується теми").check()
    reply.get_by_role("button", name="Надіслати скаргу").click()
    page.get_by_text("Дякуємо! Модератори розглянуть скаргу.").wait_for()
    assert page.locator(".comments-replies").get_by_text("Ви поскаржилися").is_visible()

    staff = new_page(**PHONE)
    login(staff, world["moderator"].email)
    staff.goto(url)
    reply = staff.locator(".comments-replies article.comment").first
    reply.locator("summary", has_text="Приховати").click()
    reply.get_by_label("Причина (її побачать усі)").fill("Дублює попередній коментар")
    reply.get_by_role("button", name="Приховати коментар").click()
    staff.get_by_text("Коментар приховано модератором. Причина: Дублює попередній коментар").wait_for()
    assert axe_serious(staff) == []
    assert overflow(staff) is None
    shot(staff, "comments-hidden-phone")

    reply_row = Comment.objects.get(parent__isnull=False)
    assert reply_row.status == CommentStatus.HIDDEN and reply_row.report_count == 0
    staff.goto("/staff/comments/?filter=hidden")
    assert "Дублює попередній коментар" in staff.content()
    assert axe_serious(staff) == []
    shot(staff, "comments-queue-phone")
