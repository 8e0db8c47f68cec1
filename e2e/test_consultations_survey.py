"""A survey in Chromium: staff build it with a condition on the builder pages; a
resident answers on a 390 px wide phone — the condition reveals a question, a missing
required answer is named, the draft is saved and kept, then submitted; axe on the way."""

import datetime as dt

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import UserFactory, staff_user
    from hromada.consultations.tests.factories import make_consultation
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    draft = make_consultation(
        hromada, publish=False, questions=False, audience="account", title="Опитування про парк"
    )
    return {"draft": draft, "admin": staff_user(hromada, "admin"), "resident": UserFactory()}


def test_staff_build_a_survey_and_a_resident_answers_it_on_a_phone(new_page, world):
    from hromada.consultations.models import Question, Response
    from hromada.consultations.services.consultations import consultation_publish

    draft = world["draft"]
    staff = new_page(width=412, height=900)
    login(staff, world["admin"].email)
    base = f"/staff/consultations/{draft.public_id}/questions/"
    staff.goto(base + "new/?kind=single")
    staff.locator("#id_text").fill("Чи буваєте ви в парку?")
    staff.get_by_label("Варіанти відповіді, кожен з нового рядка").fill("Так\nНі")
    staff.get_by_role("button", name="Додати питання").click()
    staff.wait_for_load_state()
    staff.goto(base + "new/?kind=multiple")
    staff.locator("#id_text").fill("Що ви там робите?")
    staff.get_by_label("Варіанти відповіді, кожен з нового рядка").fill("Гуляю\nБігаю\nЧитаю")
    staff.get_by_role("button", name="Додати питання").click()
    staff.wait_for_load_state()
    staff.get_by_label("Показувати це питання лише коли відповідь містить").select_option(label="Так")
    staff.get_by_role("button", name="Додати умову").click()
    staff.wait_for_load_state()
    assert "Показувати, коли на питання 1 «Чи буваєте ви в парку?» відповіли «Так»." in staff.content()
    staff.goto(base + "new/?kind=scale")
    staff.locator("#id_text").fill("Як ви оцінюєте парк?")
    staff.get_by_label("Підпис початку шкали").fill("Погано")
    staff.get_by_label("Підпис кінця шкали").fill("Чудово")
    staff.get_by_role("button", name="Додати питання").click()
    staff.wait_for_load_state()
    staff.goto(base)
    assert staff.evaluate("document.documentElement.scrollWidth") <= 412
    shot(staff, "consultations-survey-01-builder")
    assert axe_serious(staff) == []
    assert Question.objects.filter(consultation=draft).count() == 3

    published = consultation_publish(
        consultation=draft, actor=world["admin"], now=draft.opens_at - dt.timedelta(hours=1)
    )
    page = new_page(width=390, height=844)
    login(page, world["resident"].email)
    page.goto(f"/consultations/{published.number}/answer/")
    doing = page.locator("[data-question]").nth(1)
    assert doing.is_hidden()  # the condition hides it until "Так"
    page.get_by_role("radio", name="Так").check()
    assert doing.is_visible()
    page.get_by_role("checkbox", name="Читаю").check()
    shot(page, "consultations-survey-02-answering-phone")
    assert axe_serious(page) == []
    page.get_by_role("button", name="Надіслати").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert "Питання 3 «Як ви оцінюєте парк?»: це обов'язкове питання" in summary.inner_text()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_role("checkbox", name="Читаю").is_checked()  # nothing typed is lost
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "consultations-survey-03-missing-answer-phone")
    assert axe_serious(page) == []
    page.get_by_role("button", name="Зберегти чернетку").click()
    page.wait_for_load_state()
    assert "Чернетку збережено" in page.content()
    page.goto(f"/consultations/{published.number}/answer/")
    assert page.get_by_role("checkbox", name="Читаю").is_checked()
    page.get_by_role("radio", name="4").check()
    page.get_by_role("button", name="Надіслати").click()
    page.wait_for_load_state()
    assert "Дякуємо! Ваші відповіді надіслано" in page.content()
    response = Response.objects.get(consultation=published)
    assert response.status == "submitted" and response.participant in page.content()
    shot(page, "consultations-survey-04-receipt-phone")
    assert axe_serious(page) == []
