"""A draft-act discussion in Chromium: staff paste the draft act and it is published; a
resident proposes wording for paragraph 1.2 on a phone; staff answer "partly accepted"
with a reason; the resident sees the answer. axe-core and the phone's width on every page."""

import datetime as dt

import pytest

from e2e.checks import check_page
from e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
DESKTOP = (1280, 900)
FOLDER = "consultations-discussion"

DRAFT = """ПРАВИЛА
благоустрою території Тестової міської територіальної громади

1. Загальні положення
1.1. Ці Правила визначають вимоги до утримання територій громади.
1.2. Власники садиб прибирають прилеглу територію щотижня.
2. Зелені насадження
2.1. Видалення дерев погоджує виконавчий комітет.
"""


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import staff_user, verified_user
    from hromada.consultations.tests.factories import make_consultation
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    officer = staff_user(hromada, "officer")
    draft = make_consultation(
        hromada,
        actor=officer,
        kind="discussion",
        publish=False,
        questions=False,
        anonymous=False,
        title="Проєкт Правил благоустрою території громади",
    )
    resident = verified_user(first_name="Олена", last_name="Коваль")
    return {"hromada": hromada, "officer": officer, "draft": draft, "resident": resident}


def test_draft_act_discussion(new_page, world):
    from hromada.consultations.models import Consultation
    from hromada.consultations.services.consultations import consultation_publish

    problems: list[str] = []
    draft = world["draft"]

    # Staff paste the draft act and check the split.
    staff = new_page(*DESKTOP)
    login(staff, world["officer"].email)
    staff.goto(f"/staff/consultations/{draft.public_id}/paragraphs/")
    staff.get_by_label("Текст проєкту акта").fill(DRAFT)
    staff.get_by_role("button", name="Переглянути поділ на пункти").click()
    assert (
        staff.get_by_text("Текст поділено на 6").is_visible() or staff.locator(".cons-preview").is_visible()
    )
    problems += check_page(staff, folder=FOLDER, name="01-staff-preview")
    staff.get_by_role("button", name="Зберегти текст").click()
    assert staff.get_by_text("Текст збережено").is_visible()
    assert list(draft.paragraphs.order_by("order").values_list("number", flat=True)) == [
        "Преамбула",
        "1",
        "1.1",
        "1.2",
        "2",
        "2.1",
    ]
    # Published through the service (the publish page belongs to the lifecycle part).
    consultation = consultation_publish(
        consultation=draft, actor=world["officer"], now=draft.opens_at - dt.timedelta(hours=1)
    )
    number = consultation.number

    # A resident on a phone proposes new wording for paragraph 1.2.
    phone = new_page(*PHONE)
    login(phone, world["resident"].email)
    phone.goto(f"/consultations/{number}/text/")
    problems += check_page(phone, folder=FOLDER, name="02-phone-text")
    phone.get_by_role("link", name="Запропонувати редакцію пункту 1.2").click()
    assert phone.get_by_label("До якого пункту").input_value() == str(
        consultation.paragraphs.get(number="1.2").public_id
    )
    phone.get_by_label("Суть пропозиції").fill("Прибирати щодня, а не щотижня")
    phone.get_by_role("button", name="Подати пропозицію").click()
    # Wording is required for a paragraph: the error summary says so, nothing typed is lost.
    assert phone.locator("[data-error-summary]").is_visible()
    assert phone.get_by_label("Суть пропозиції").input_value() == "Прибирати щодня, а не щотижня"
    problems += check_page(phone, folder=FOLDER, name="03-phone-error")
    phone.get_by_label("Запропонована редакція").fill(
        "1.2. Власники садиб прибирають прилеглу територію щодня, а взимку — також від снігу."
    )
    phone.get_by_label("Обґрунтування").fill("Раз на тиждень замало: сміття накопичується.")
    phone.get_by_role("button", name="Подати пропозицію").click()
    assert phone.get_by_text("Пропозицію №1 подано").is_visible()
    problems += check_page(phone, folder=FOLDER, name="04-phone-proposal")

    # Staff answer "partly accepted" with a reason, the paragraph's text beside the wording.
    staff.goto("/staff/consultations/proposals/")
    problems += check_page(staff, folder=FOLDER, name="05-staff-queue")
    staff.get_by_role("link", name="№1 (пункт 1.2). Прибирати щодня, а не щотижня").click()
    assert staff.get_by_text("Власники садиб прибирають прилеглу територію щотижня.").is_visible()
    staff.get_by_role("button", name="Зберегти відповідь").click()
    assert staff.locator("[data-error-summary]").is_visible()
    staff.get_by_label("Враховано частково").check()
    staff.get_by_label("Обґрунтування рішення").fill(
        "Прибирання взимку від снігу додано до пункту 1.2; щоденне прибирання — надмірна вимога, залишено щотижневе."
    )
    problems += check_page(staff, folder=FOLDER, name="06-staff-answer")
    staff.get_by_role("button", name="Зберегти відповідь").click()
    assert staff.get_by_text("Відповідь на пропозицію №1 збережено").is_visible()

    # The resident sees the answer with its reason.
    phone.goto(f"/consultations/{number}/proposals/1/")
    answer = phone.locator(".cons-answer")
    assert answer.get_by_text("Враховано частково:").is_visible()
    assert "Прибирання взимку від снігу" in answer.inner_text()
    problems += check_page(phone, folder=FOLDER, name="07-phone-answer")
    phone.goto(f"/consultations/{number}/text/{consultation.paragraphs.get(number='1.2').public_id}/")
    problems += check_page(phone, folder=FOLDER, name="08-phone-paragraph")
    phone.goto(f"/consultations/{number}/proposals/")
    problems += check_page(phone, folder=FOLDER, name="09-phone-list")
    assert Consultation.objects.get(pk=consultation.pk).proposals.get().status == "partly"
    assert problems == [], "\n".join(problems)
