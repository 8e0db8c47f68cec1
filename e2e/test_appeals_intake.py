"""The intake in Chromium: a resident reports a broken street light on the map, with a
photo, and sees its number; an operator registers a hotline call and reads out its
number. Screenshots at 390 px and 1280 px (e2e/screenshots/appeals-*)."""

import io

import pytest
from playwright.sync_api import expect

from e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import staff_user, verified_user
    from hromada.appeals.tests.factories import make_category, make_department
    from hromada.appeals.tests.intake_helpers import draw_boundary
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    draw_boundary(hromada)
    lighting = make_department(hromada, name="КП «Міськсвітло»")
    make_category(
        hromada,
        code="streetlight",
        name="Не світить ліхтар",
        group="Освітлення",
        department=lighting,
        target_hours=72,
    )
    make_category(hromada, code="pothole", name="Яма на дорозі", group="Дороги", target_hours=240)
    return {
        "hromada": hromada,
        "resident": verified_user(),
        "neighbour": verified_user(),
        "officer": staff_user(hromada, "officer"),
    }


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 30, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_resident_reports_a_broken_street_light_with_a_photo(new_page, world):  # noqa: F811
    from hromada.appeals.models import Case

    page = new_page(width=390, height=844)
    login(page, world["resident"].email)
    page.goto("/appeals/")
    shot(page, "appeals-index-390")
    page.get_by_role("link", name="Повідомити про проблему («Відкрите місто»)").click()
    page.get_by_label("Що сталося").select_option("streetlight")
    page.wait_for_selector("#report-pick[data-map-settled='1']")
    page.evaluate(
        "id => window.scrollTo(0, document.getElementById(id).getBoundingClientRect().top + window.scrollY - 8)",
        "report-pick",
    )
    box = page.locator("#report-pick").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("#id_lat")).not_to_have_value("")
    page.get_by_label("Опис проблеми").fill("Ліхтар біля зупинки «Школа» не світить уже тиждень.")
    page.set_input_files(
        "#id_file_1", files=[{"name": "lamp.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_label("Що на фото 1").fill("Темний ліхтар біля зупинки")
    shot(page, "appeals-report-form-390")
    page.get_by_role("button", name="Надіслати повідомлення").click()
    page.wait_for_load_state()
    case = Case.objects.get()
    assert case.number == 1 and case.attachments.count() == 1 and case.department.name == "КП «Міськсвітло»"
    assert "зареєстровано за №1" in page.content()
    shot(page, "appeals-report-done-390")

    wide = new_page(width=1280, height=900)
    login(wide, world["neighbour"].email)  # their own report is never offered to join
    wide.goto("/appeals/new/report/")
    wide.get_by_label("Що сталося").select_option("streetlight")
    wide.get_by_label("Широта").fill(str(case.lat))
    wide.get_by_label("Довгота").fill(str(case.lon))
    wide.get_by_label("Довгота").dispatch_event("change")
    wide.wait_for_selector("text=Схожі повідомлення поруч")
    shot(wide, "appeals-report-nearby-1280")


def test_an_operator_registers_a_hotline_call(new_page, world):  # noqa: F811
    from hromada.appeals.models import Case

    page = new_page(width=1280, height=900)
    login(page, world["officer"].email)
    page.goto("/staff/appeals/hotline/")
    page.get_by_label("Телефон, e-mail чи прізвище заявника").fill("0671234567")
    page.get_by_role("button", name="Знайти заявника").click()
    page.wait_for_load_state()
    assert "Нікого не знайдено" in page.content()
    page.get_by_label("Звернення (пропозиція, заява, скарга)").check()
    page.get_by_label("Скарга", exact=True).check()
    page.get_by_label("Прізвище, ім'я та по батькові").fill("Мельник Олег Іванович")
    page.get_by_label("Телефон", exact=True).fill("067 123 45 67")
    page.get_by_label("Місце проживання").fill("вул. Миру, 4")
    page.get_by_label("Суть (зі слів заявника)").fill("Не вивозять сміття з двору вже два тижні.")
    shot(page, "appeals-hotline-1280")
    page.get_by_role("button", name="Зареєструвати").click()
    page.wait_for_load_state()
    case = Case.objects.get()
    assert case.channel == "hotline" and case.registered_by == world["officer"]
    assert f"номером {case.number}" in page.content()
    shot(page, "appeals-hotline-done-1280")

    phone = new_page(width=390, height=844)
    login(phone, world["officer"].email)
    phone.goto("/staff/appeals/hotline/?q=%2B380671234567")
    assert "Мельник Олег Іванович" in phone.content()
    shot(phone, "appeals-hotline-returning-390")
