"""The administrator's setup and the moderator's queue in Chromium, at a phone's width
and a desktop's: every page through axe-core, a form's errors focused and linked, a
report shown after moderation. Screenshots in e2e/screenshots/appeals-setup-*.png."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize("width", [390, 1280])
def test_admin_sets_up_and_moderator_shows_a_report(new_page, live_server, width):  # noqa: F811
    from hromada.accounts.tests.factories import staff_user
    from hromada.appeals.models import Attachment, Case, Category, Department, Moderation
    from hromada.appeals.tests.factories import make_case, make_category
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    admin = staff_user(hromada, "admin")
    officer = staff_user(hromada, "officer")
    moderator = staff_user(hromada, "moderator")
    page = new_page(width=width, height=900)
    login(page, admin.email)

    page.goto("/staff/appeals/setup/")
    assert page.get_by_role("heading", name="Налаштування звернень", exact=True).is_visible()
    shot(page, f"appeals-setup-01-overview-{width}")
    assert axe_serious(page) == []

    # A municipal enterprise with its head and a member.
    page.goto("/staff/appeals/setup/departments/new/")
    page.get_by_label("Комунальне підприємство").check()
    page.get_by_label("Назва", exact=True).fill("КП «Міськсвітло»")
    page.get_by_label("E-mail підрозділу").fill("svitlo")
    page.get_by_label("Керівник").select_option(value=str(officer.public_id))
    page.locator(f'input[name="members"][value="{officer.public_id}"]').check()
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    assert page.get_by_label("Назва", exact=True).input_value() == "КП «Міськсвітло»"  # nothing lost
    shot(page, f"appeals-setup-02-department-error-{width}")
    assert axe_serious(page) == []
    page.get_by_label("E-mail підрозділу").fill("svitlo@example.com")
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_load_state()
    department = Department.objects.get(hromada=hromada, name="КП «Міськсвітло»")
    assert department.head == officer
    shot(page, f"appeals-setup-03-departments-{width}")
    assert axe_serious(page) == []

    # A category: two errors at once, then saved with its department.
    make_category(hromada, code="potholes", name="Ями на дорозі")
    page.goto("/staff/appeals/setup/categories/new/")
    page.get_by_label("Код (Open311 service_code)").fill("potholes")
    page.get_by_label("Цільовий строк, годин").fill("0")
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_load_state()
    assert summary.get_by_role("link").count() == 3  # code taken, name missing, hours out of range
    shot(page, f"appeals-setup-04-category-errors-{width}")
    assert axe_serious(page) == []
    page.get_by_label("Назва", exact=True).fill("Не світить ліхтар")
    page.get_by_label("Код (Open311 service_code)").fill("street-light")
    page.get_by_label("Цільовий строк, годин").fill("72")
    page.get_by_label("Виконавець").select_option(label="КП «Міськсвітло»")
    page.get_by_role("button", name="Зберегти").click()
    page.wait_for_load_state()
    category = Category.objects.get(hromada=hromada, code="street-light")
    assert category.department == department and category.target_hours == 72
    shot(page, f"appeals-setup-05-categories-{width}")
    assert axe_serious(page) == []

    page.goto(f"/staff/appeals/setup/categories/{category.public_id}/attributes/")
    page.get_by_label("Питання до заявника").fill("Номер опори")
    page.get_by_label("Код (Open311 attribute code)").fill("pole")
    page.get_by_role("button", name="Додати питання").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Номер опори").is_visible()
    shot(page, f"appeals-setup-06-attributes-{width}")
    assert axe_serious(page) == []

    page.goto("/staff/appeals/setup/templates/new/")
    shot(page, f"appeals-setup-07-template-{width}")
    assert axe_serious(page) == []

    page.goto("/staff/appeals/setup/keys/")
    page.get_by_label("Для кого ключ").fill("Мобільний застосунок")
    page.get_by_role("button", name="Видати ключ").click()
    page.wait_for_load_state()
    assert page.locator("#issued-key").input_value()
    shot(page, f"appeals-setup-08-keys-{width}")
    assert axe_serious(page) == []

    # The moderator: a report with a photo waits; shown with its photo in one step.
    case = make_case(hromada, category=category, text="Не світить ліхтар біля зупинки «Школа».")
    Attachment.objects.create(
        hromada=hromada,
        case=case,
        file=ContentFile(PNG, name="lamp.png"),
        original_name="lamp.png",
        content_type="image/png",
        size=len(PNG),
        sha256=hashlib.sha256(PNG).hexdigest(),
    )
    page.context.clear_cookies()
    login(page, moderator.email)
    page.goto("/staff/appeals/moderation/")
    assert page.get_by_text("Не світить ліхтар біля зупинки").is_visible()
    shot(page, f"appeals-setup-09-moderation-{width}")
    assert axe_serious(page) == []
    page.get_by_role("link", name=f"Переглянути, приховати чи виправити №{case.number}").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Приховати", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("[data-error-summary]").first.is_visible()  # a reason is needed
    shot(page, f"appeals-setup-10-moderation-case-{width}")
    assert axe_serious(page) == []
    page.get_by_role("button", name="Показати на карті").click()
    page.wait_for_load_state()
    case = Case.objects.get(pk=case.pk)
    assert case.moderation == Moderation.SHOWN
    assert Attachment.objects.get(case=case).moderation == Moderation.SHOWN
