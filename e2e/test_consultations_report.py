"""The whole journey in Chromium, through the pages: staff create a survey, build three
questions with a condition and publish it; residents answer on a 390 px phone; staff
close it now with a reason; the report drafted at closing has the residents' figures;
staff edit and publish it; a resident follows the consultation page to the report and
the results, and the link stays after the report's term. Then an e-consultation: a
resident's proposal, a comment and a reply on it, staff accept it with a reason, close,
publish the report that lists the decision. axe and the phone's width on the results
and report pages; screenshots in e2e/screenshots/consultations-report/."""

import datetime as dt

import pytest

from e2e.checks import check_page
from e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
FOLDER = "consultations-report"


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import UserFactory, staff_user
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    return {
        "hromada": hromada,
        "admin": staff_user(hromada, "admin"),
        "residents": [
            UserFactory(display_name="Оксана Коваль"),
            UserFactory(display_name="Петро Мельник"),
            UserFactory(display_name="Ірина Бойко"),
        ],
    }


def create_on_staff_pages(staff, *, kind_label: str, title: str, question: str = "", proposals=False):
    """The staff form: a consultation open from today 00:00 for ten days."""
    from django.utils import timezone

    staff.goto("/staff/consultations/")
    staff.get_by_role("link", name="Нова консультація чи опитування").click()
    staff.get_by_label(kind_label, exact=True).check()
    staff.locator("#id_title").fill(title)
    staff.locator("#id_summary").fill("Скажіть, яким має бути міський парк.")
    if question:
        staff.locator("#id_question").fill(question)
    today = timezone.localdate()
    staff.locator("#id_opens_date").fill(today.isoformat())
    staff.locator("#id_opens_time").fill("00:00")
    staff.locator("#id_closes_date").fill((today + dt.timedelta(days=10)).isoformat())
    staff.locator("#id_closes_time").fill("18:00")
    staff.get_by_label("Будь-хто з обліковим записом").check()
    if proposals:
        staff.get_by_label("Учасники можуть вносити пропозиції").check()
    staff.get_by_role("button", name="Створити чернетку").click()
    staff.wait_for_load_state()


def open_in_staff_list(staff, title: str):
    staff.goto("/staff/consultations/")
    staff.get_by_role("link", name=title).first.click()
    staff.wait_for_load_state()


def publish_on_staff_pages(staff, title: str) -> None:
    open_in_staff_list(staff, title)
    staff.get_by_role("link", name="Оприлюднення").click()
    staff.get_by_role("button", name="Оприлюднити").click()
    staff.wait_for_load_state()


def close_now_on_phase_page(staff, title: str, reason: str) -> None:
    open_in_staff_list(staff, title)
    staff.get_by_role("link", name="Строки").click()
    staff.locator("#id_close-reason").fill(reason)
    staff.get_by_role("button", name="Завершити зараз").click()
    staff.wait_for_load_state()


def add_question(staff, *, kind_label: str, text: str, options: str = "", scale=("", "")):
    staff.get_by_role("link", name=kind_label).first.click()
    staff.locator("#id_text").fill(text)
    if options:
        staff.get_by_label("Варіанти відповіді, кожен з нового рядка").fill(options)
    if scale[0]:
        staff.get_by_label("Підпис початку шкали").fill(scale[0])
        staff.get_by_label("Підпис кінця шкали").fill(scale[1])
    staff.get_by_role("button", name="Додати питання").click()
    staff.wait_for_load_state()


def test_a_survey_from_the_builder_to_the_published_report(new_page, world):
    from hromada.consultations.models import Consultation, Report, Response

    problems: list[str] = []
    title = "Опитування про міський парк"
    staff = new_page(**DESKTOP)
    login(staff, world["admin"].email)
    create_on_staff_pages(staff, kind_label="Опитування", title=title)
    consultation = Consultation.objects.get(hromada=world["hromada"])

    # The builder: three questions, the second shown only after «Так».
    staff.get_by_role("link", name="Анкета").click()
    questions_url = staff.url
    add_question(staff, kind_label="Один варіант", text="Чи буваєте ви в парку?", options="Так\nНі")
    staff.goto(questions_url)
    add_question(
        staff, kind_label="Кілька варіантів", text="Що ви там робите?", options="Гуляю\nБігаю\nЧитаю"
    )
    staff.get_by_label("Показувати це питання лише коли відповідь містить").select_option(label="Так")
    staff.get_by_role("button", name="Додати умову").click()
    staff.wait_for_load_state()
    staff.goto(questions_url)
    add_question(staff, kind_label="Шкала", text="Як ви оцінюєте парк?", scale=("Погано", "Чудово"))
    assert consultation.questions.count() == 3
    publish_on_staff_pages(staff, title)
    consultation.refresh_from_db()
    assert consultation.number == 1 and consultation.status == "published"

    # Three residents answer on a phone.
    answers = [("Так", ["Гуляю", "Читаю"], "4"), ("Так", ["Гуляю"], "5"), ("Ні", [], "2")]
    for resident, (visit, doing, mark) in zip(world["residents"], answers, strict=True):
        phone = new_page(**PHONE)
        login(phone, resident.email)
        phone.goto("/consultations/1/")
        phone.get_by_role("link", name="Відповісти на питання").click()
        phone.get_by_role("radio", name=visit, exact=True).check()
        for label in doing:
            phone.get_by_role("checkbox", name=label).check()
        phone.get_by_role("radio", name=mark).check()
        phone.get_by_role("button", name="Надіслати").click()
        phone.wait_for_load_state()
        assert "Дякуємо! Ваші відповіді надіслано" in phone.content()
        phone.context.close()
    assert Response.objects.filter(consultation=consultation, status="submitted").count() == 3

    # Staff close it now; the phase hook drafts the report from the data.
    close_now_on_phase_page(staff, title, "Зібрано достатньо відповідей, рішення сесії 14 травня")
    consultation.refresh_from_db()
    report = Report.objects.get(consultation=consultation)
    assert report.published_at is None
    figures = report.figures
    assert figures["responses"] == 3 and figures["participants"] == 3 and figures["ledger_responses"] == 3
    by_text = {q["text"]: q for q in figures["questions"]}
    visit_q = {o["label"]: o["count"] for o in by_text["Чи буваєте ви в парку?"]["options"]}
    doing_q = by_text["Що ви там робите?"]
    scale_q = by_text["Як ви оцінюєте парк?"]
    assert visit_q == {"Так": 2, "Ні": 1}
    assert doing_q["answered"] == 2
    assert {o["label"]: o["count"] for o in doing_q["options"]} == {"Гуляю": 2, "Бігаю": 0, "Читаю": 1}
    assert scale_q["answered"] == 3 and scale_q["median"] == 4
    assert dict((v, n) for v, n in scale_q["distribution"]) == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}

    # The staff report page: the draft's words, edited and published.
    staff.get_by_role("link", name="Звіт", exact=True).click()
    text = staff.get_by_label("Текст звіту")
    draft = text.input_value()
    assert "Учасників: 3" in draft
    assert "Так — 2 (66,7 %); Ні — 1 (33,3 %)" in draft
    assert "Гуляю — 2 (100 %); Бігаю — 0 (0 %); Читаю — 1 (50 %)" in draft
    problems += check_page(staff, folder=FOLDER, name="01-staff-report-draft")
    text.fill(draft + "\n\nВиконавчий комітет дякує всім, хто відповів.")
    staff.get_by_label("Ухвалене рішення і як враховано результати").fill(
        "Облаштувати бігові доріжки не будемо: бігають рідко. Додати лавки для читання."
    )
    staff.get_by_label("Посилання на рішення").fill("https://rada.example.test/rishennia/14")
    staff.get_by_role("button", name="Зберегти звіт").click()
    assert staff.get_by_text("Звіт збережено.").is_visible()
    staff.get_by_label("Я перевірив звіт").check()
    staff.get_by_role("button", name="Оприлюднити звіт").click()
    assert staff.get_by_text("Звіт оприлюднено, учасникам надіслано сповіщення.").is_visible()
    problems += check_page(staff, folder=FOLDER, name="02-staff-report-published")
    report.refresh_from_db()
    assert report.published_at is not None and "дякує всім" in report.text

    # A resident follows the consultation page to the report, then to the results.
    phone = new_page(**PHONE)
    login(phone, world["residents"][0].email)
    phone.goto("/consultations/1/")
    problems += check_page(phone, folder=FOLDER, name="03-phone-detail-closed")
    phone.get_by_role("link", name="Читати звіт і ухвалене рішення").click()
    phone.wait_for_load_state()
    assert "Виконавчий комітет дякує всім, хто відповів." in phone.content()
    assert phone.get_by_text("Додати лавки для читання.").is_visible()
    assert phone.get_by_role("link", name="Текст рішення").get_attribute("href") == (
        "https://rada.example.test/rishennia/14"
    )
    problems += check_page(phone, folder=FOLDER, name="04-phone-report")
    phone.get_by_role("link", name="Результати з діаграмами").click()
    phone.wait_for_load_state()
    visit_table = phone.locator("section.cons-question").nth(0).locator("table")
    assert visit_table.locator("tbody tr").nth(0).inner_text().split()[:2] == ["Так", "2"]
    assert phone.locator("section.cons-question svg.cons-bar").count() >= 7  # 2 + 3 + 5 bars
    problems += check_page(phone, folder=FOLDER, name="05-phone-results")
    phone.get_by_role("link", name="За віком").click()
    phone.wait_for_load_state()
    problems += check_page(phone, folder=FOLDER, name="06-phone-results-by-age")

    # Linked for ever: long after the report's term the page still leads to it.
    from hromada.core.clock import travel_to
    from hromada.core.phases import phases_tick

    with travel_to(consultation.closes_at + dt.timedelta(days=60)):
        phases_tick()
        later = new_page(**PHONE)
        later.goto("/consultations/1/")
        later.get_by_role("link", name="Читати звіт і ухвалене рішення").click()
        later.wait_for_load_state()
        assert later.url.endswith("/consultations/1/report/")
        later.context.close()
    assert problems == [], "\n".join(problems)


def test_a_consultation_with_a_proposal_accepted_in_the_report(new_page, world):
    from hromada.consultations.models import Consultation, Proposal, Report

    problems: list[str] = []
    title = "Консультація про нічне освітлення парку"
    staff = new_page(**DESKTOP)
    login(staff, world["admin"].email)
    create_on_staff_pages(
        staff,
        kind_label="Електронна консультація",
        title=title,
        question="Де в парку насамперед потрібні ліхтарі?",
        proposals=True,
    )
    consultation = Consultation.objects.get(hromada=world["hromada"])
    assert consultation.allow_proposals and consultation.allow_comments
    publish_on_staff_pages(staff, title)

    # A resident proposes; another comments, the author replies.
    author, commenter = world["residents"][0], world["residents"][1]
    phone = new_page(**PHONE)
    login(phone, author.email)
    phone.goto("/consultations/1/")
    phone.get_by_role("link", name="Пропозиції").click()
    phone.get_by_role("link", name="Подати пропозицію").first.click()
    phone.get_by_label("Суть пропозиції").fill("Ліхтарі вздовж алеї до озера")
    phone.get_by_label("Обґрунтування").fill("Увечері там темно, а алеєю ходять до зупинки.")
    phone.get_by_role("button", name="Подати пропозицію").click()
    assert phone.get_by_text("Пропозицію №1 подано").is_visible()
    proposal_url = phone.url

    other = new_page(**PHONE)
    login(other, commenter.email)
    other.goto(proposal_url)
    thread = other.locator("section.comments")
    thread.get_by_label("Ваш коментар").fill("Підтримую, і ще біля спортивного майданчика.")
    thread.get_by_role("button", name="Опублікувати").click()
    other.locator("article.comment").first.wait_for()

    phone.goto(proposal_url)
    phone.locator("article.comment summary", has_text="Відповісти").first.click()
    phone.get_by_label("Відповідь для Петро Мельник").fill("Дякую, додам це до пропозиції.")
    phone.locator("article.comment form button", has_text="Відповісти").first.click()
    phone.locator(".comments-replies article.comment").wait_for()
    assert "додам це" in phone.locator(".comments-replies").inner_text()

    # Staff accept it with a reason, close the consultation, publish the report.
    open_in_staff_list(staff, title)
    staff.get_by_role("link", name="Пропозиції").first.click()
    staff.get_by_role("link", name="Ліхтарі вздовж алеї до озера").first.click()
    staff.get_by_label("Враховано", exact=True).check()
    reason = "Ліхтарі на алеї до озера включено до плану благоустрою на наступний рік."
    staff.get_by_label("Обґрунтування рішення").fill(reason)
    staff.get_by_role("button", name="Зберегти відповідь").click()
    assert staff.get_by_text("Відповідь на пропозицію №1 збережено").is_visible()
    assert Proposal.objects.get(consultation=consultation).status == "accepted"

    close_now_on_phase_page(staff, title, "Пропозицію враховано, далі — план благоустрою")
    report = Report.objects.get(consultation=consultation)
    assert report.figures["proposals"]["accepted"] == 1
    assert report.figures["proposal_list"][0]["reason"] == reason
    staff.get_by_role("link", name="Звіт", exact=True).click()
    assert (
        "1. Ліхтарі вздовж алеї до озера — Враховано: " + reason
        in staff.get_by_label("Текст звіту").input_value()
    )
    staff.get_by_label("Я перевірив звіт").check()
    staff.get_by_role("button", name="Оприлюднити звіт").click()
    assert staff.get_by_text("Звіт оприлюднено, учасникам надіслано сповіщення.").is_visible()

    phone.goto("/consultations/1/")
    phone.get_by_role("link", name="Читати звіт і ухвалене рішення").click()
    phone.wait_for_load_state()
    body = phone.locator("main").inner_text()
    assert "Ліхтарі вздовж алеї до озера — Враховано: " + reason in body
    problems += check_page(phone, folder=FOLDER, name="07-phone-consultation-report")
    phone.get_by_role("link", name="Результати з діаграмами").click()
    phone.wait_for_load_state()
    problems += check_page(phone, folder=FOLDER, name="08-phone-consultation-results")
    assert problems == [], "\n".join(problems)
