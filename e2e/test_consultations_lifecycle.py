"""A consultation's life in Chromium: staff create an e-consultation, add a document and
publish it; a resident on a 390 px phone finds it and follows it; staff extend it with a
reason, which the resident's page then shows. axe on each key page; screenshots."""

import datetime as dt

import pytest

from e2e.checks import check_page
from e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FOLDER = "consultations-lifecycle"


@pytest.fixture
def people(db):
    from hromada.accounts.tests.factories import UserFactory, staff_user
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    return {"hromada": hromada, "staff": staff_user(hromada, "officer"), "resident": UserFactory()}


def test_create_publish_follow_extend(new_page, people, tmp_path):
    from django.utils import timezone

    from hromada.consultations.models import Consultation, Follow

    problems: list[str] = []
    staff = new_page(width=1280, height=900)
    login(staff, people["staff"].email)
    staff.goto("/staff/consultations/")
    staff.get_by_role("link", name="Нова консультація чи опитування").click()
    staff.get_by_label("Електронна консультація").check()
    staff.locator("#id_title").fill("Реконструкція центральної площі")
    staff.locator("#id_summary").fill("Оберіть, якою має стати площа біля ради.")
    staff.locator("#id_question").fill("Який із трьох варіантів ви підтримуєте?")
    today = timezone.localdate()
    staff.locator("#id_opens_date").fill(today.isoformat())
    staff.locator("#id_opens_time").fill("00:00")
    staff.locator("#id_closes_date").fill((today + dt.timedelta(days=10)).isoformat())
    staff.locator("#id_closes_time").fill("18:00")
    problems += check_page(staff, folder=FOLDER, name="01-staff-form")
    staff.get_by_role("button", name="Створити чернетку").click()
    staff.wait_for_load_state()
    consultation = Consultation.objects.get(hromada=people["hromada"])
    staff.get_by_role("link", name="Документи").click()
    pdf = tmp_path / "proekt.pdf"
    pdf.write_bytes(PDF)
    staff.locator("#id_title").fill("Ескізи трьох варіантів")
    staff.locator("#id_file").set_input_files(str(pdf))
    staff.get_by_role("button", name="Додати", exact=True).click()
    staff.wait_for_load_state()
    assert staff.get_by_role("link", name="Ескізи трьох варіантів").is_visible()
    problems += check_page(staff, folder=FOLDER, name="02-staff-documents")
    staff.get_by_role("link", name="Оприлюднення").click()
    problems += check_page(staff, folder=FOLDER, name="03-staff-publish")
    staff.get_by_role("button", name="Оприлюднити").click()
    staff.wait_for_load_state()
    consultation.refresh_from_db()
    assert consultation.number == 1

    phone = new_page(width=390, height=844)
    login(phone, people["resident"].email)
    phone.goto("/consultations/")
    phone.get_by_role("link", name="Тривають").click()
    problems += check_page(phone, folder=FOLDER, name="04-phone-index")
    phone.get_by_role("link", name="Реконструкція центральної площі").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("link", name="Ескізи трьох варіантів").is_visible()
    phone.get_by_role("button", name="Стежити за консультацією").click()
    phone.get_by_role("button", name="Не стежити").wait_for()
    assert Follow.objects.filter(user=people["resident"], consultation=consultation).exists()
    problems += check_page(phone, folder=FOLDER, name="05-phone-detail-following")

    staff.get_by_role("link", name="Строки").click()
    new_end = timezone.localtime(consultation.closes_at) + dt.timedelta(days=7)
    staff.locator("#id_extend-ends_date").fill(new_end.date().isoformat())
    staff.locator("#id_extend-ends_time").fill("18:00")
    staff.locator("#id_extend-reason").fill("Розпорядження міського голови №12")
    staff.get_by_role("button", name="Продовжити").click()
    staff.wait_for_load_state()
    problems += check_page(staff, folder=FOLDER, name="06-staff-extended")

    phone.reload()
    assert "Розпорядження міського голови №12" in phone.content()
    problems += check_page(phone, folder=FOLDER, name="07-phone-detail-extended")
    assert problems == [], problems
