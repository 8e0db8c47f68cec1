"""The staff's work in Chromium: the street-lighting enterprise's worker opens the queue
on a phone, starts a broken-street-light report and resolves it; an information request
is answered within 5 working days (status answered, on time). Pages at 390 and 1280 px,
axe and overflow checked; screenshots in e2e/screenshots/appeals-work/."""

import pytest

from e2e.checks import check_page
from e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOLDER = "appeals-work"


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import staff_user, verified_user
    from hromada.appeals.models import CaseKind
    from hromada.appeals.tests.factories import make_case, make_category, make_department
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    worker = staff_user(hromada, "officer")
    lighting = make_department(hromada, name="КП «Міськсвітло»", members=[worker])
    category = make_category(hromada, code="streetlight", name="Не світить ліхтар", department=lighting)
    resident = verified_user()
    report = make_case(
        hromada,
        category=category,
        applicant=resident,
        title="Не світить ліхтар біля школи №3",
        address="вул. Садова, 14",
    )
    request = make_case(
        hromada,
        kind=CaseKind.INFO,
        applicant=resident,
        department=lighting,
        title="Графік ремонту вуличного освітлення",
        text="Прошу надати графік ремонту освітлення на 2027 рік.",
    )
    return {"worker": worker, "report": report, "request": request, "resident": resident}


def test_the_worker_starts_and_resolves_a_report_and_answers_a_request(new_page, world):  # noqa: F811
    from hromada.appeals.models import CaseEvent, CaseStatus
    from hromada.notify.models import Notification

    problems: list[str] = []
    phone = new_page(width=390, height=844)
    login(phone, world["worker"].email)
    phone.goto("/staff/appeals/")
    assert phone.get_by_text("у строк").first.is_visible()
    problems += check_page(phone, folder=FOLDER, name="01-queue-390")
    phone.get_by_role("link", name="Не світить ліхтар біля школи №3").click()
    phone.wait_for_load_state()
    problems += check_page(phone, folder=FOLDER, name="02-case-390")
    phone.get_by_role("button", name="Взяти в роботу").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Звернення взято в роботу.").is_visible()
    # A resolution without its text is refused, the error summary takes the focus.
    phone.get_by_role("button", name="Позначити вирішеним").click()
    phone.wait_for_load_state()
    assert phone.locator("[data-error-summary]").is_visible()
    assert phone.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    problems += check_page(phone, folder=FOLDER, name="03-case-error-390")
    phone.get_by_label("Що зроблено (публічна відповідь)").fill("Замінено лампу й перевірено живлення опори.")
    phone.get_by_role("button", name="Позначити вирішеним").click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Повідомлення позначено вирішеним.").is_visible()
    report = world["report"]
    report.refresh_from_db()
    assert report.status == CaseStatus.RESOLVED and report.answer.startswith("Замінено лампу")
    assert Notification.objects.filter(user=world["resident"], kind="appeals.answered").count() == 1

    desk = new_page(width=1280, height=900)
    login(desk, world["worker"].email)
    desk.goto("/staff/appeals/?kind=info")
    problems += check_page(desk, folder=FOLDER, name="04-queue-1280")
    desk.get_by_role("link", name="Графік ремонту вуличного освітлення").click()
    desk.wait_for_load_state()
    assert desk.get_by_text("Закон «Про доступ до публічної інформації», ст. 20").is_visible()
    problems += check_page(desk, folder=FOLDER, name="05-request-1280")
    desk.locator("#id_answer-text").fill("Графік ремонту освітлення на 2027 рік додаємо нижче.")
    desk.get_by_role("button", name="Надіслати відповідь").click()
    desk.wait_for_load_state()
    assert desk.get_by_text("Відповідь надіслано заявникові.").is_visible()
    assert desk.get_by_text("вчасно", exact=True).is_visible()
    problems += check_page(desk, folder=FOLDER, name="06-request-answered-1280")
    request = world["request"]
    request.refresh_from_db()
    assert request.status == CaseStatus.ANSWERED and request.answered_at <= request.due_at
    assert CaseEvent.objects.get(case=request, kind="answered").data["on_time"] is True
    assert problems == []
