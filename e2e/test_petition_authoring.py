"""Writing a petition in Chromium, on a phone and on a desktop: every error at once with a
summary, similar petitions as the title is typed, a draft with a described photo, the
preview, editing, submitting, editing in moderation, a co-author who accepts, and
withdrawing with confirmation; axe-core on every page."""

import io
import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EXISTING = "Відремонтувати дорогу на вулиці Садовій"
TITLE = "Ремонт дороги на Садовій біля школи"
TEXT = (
    "На вулиці Садовій біля школи №3 ями глибиною до двадцяти сантиметрів. Діти ходять "
    "проїжджою частиною, машини ламаються. Просимо відремонтувати покриття до вересня."
)


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import verified_user
    from hromada.petitions.tests.factories import CategoryFactory, collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    category = CategoryFactory(hromada=hromada, slug="transport", name="Транспорт і дороги")
    existing = collecting(hromada=hromada, title=EXISTING, category=category, signature_count=7)
    return {
        "hromada": hromada,
        "existing": existing,
        "author": verified_user(),
        "coauthor": verified_user(),
    }


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#888").save(buffer, format="PNG")
    return buffer.getvalue()


def check(page, name):
    shot(page, name)
    violations = axe_serious(page)
    assert violations == [], f"{name}: {violations}"


@pytest.mark.parametrize("width", [390, 1280])
def test_write_a_petition_from_draft_to_withdrawal(new_page, world, width):
    from hromada.petitions.models import CoAuthor, Petition, Status

    w = f"authoring-{width}"
    page = new_page(width=width, height=900)
    login(page, world["author"].email)
    page.goto("/petitions/new/")
    # One slot for a file is shown; the next appears when a file is chosen.
    assert page.locator("[data-attachment-slot]:visible").count() == 1
    check(page, f"{w}-01-new")

    # 1. Submitted empty: every error at once, a summary at the top that has the focus.
    page.get_by_role("button", name="Подати на модерацію").click()
    summary = page.locator(".error-summary")
    summary.wait_for()
    page.wait_for_load_state()  # the deferred script has run
    assert summary.evaluate("el => el === document.activeElement")
    links = summary.get_by_role("link")
    assert links.count() == 3
    assert [links.nth(i).get_attribute("href") for i in range(3)] == ["#id_title", "#id_text", "#id_category"]
    assert page.locator(".field-error").count() == 3
    check(page, f"{w}-02-all-errors")
    links.nth(1).click()
    assert page.evaluate("document.activeElement.id") == "id_text"

    # 2. Typing a title like an existing petition's shows it, with its status and count.
    title = page.get_by_label("Назва петиції")
    title.fill("")
    title.press_sequentially(TITLE, delay=20)
    similar = page.locator("#similar")
    similar.get_by_role("link", name=re.compile(EXISTING)).wait_for()
    assert "Збір підписів" in similar.inner_text() and "7 з" in similar.inner_text()
    assert similar.get_attribute("aria-live") == "polite"
    expect(page.locator("#id_title-count")).to_have_text(f"{len(TITLE)} з 200 символів")
    expect(page.locator("#id_text-count")).to_have_text("Ще щонайменше 50 символів")
    check(page, f"{w}-03-similar")

    # 3. Save a draft with a described photo.
    page.get_by_label("Текст петиції").fill(TEXT[:60])
    page.get_by_label("Категорія").select_option("transport")
    page.locator("#id_file_1").set_input_files(
        files=[{"name": "yama.png", "mimeType": "image/png", "buffer": _png()}]
    )
    assert page.locator("[data-attachment-slot]:visible").count() == 2
    page.get_by_label("Короткий опис зображення 1").fill("Яма на дорозі біля школи")
    page.get_by_role("button", name="Зберегти чернетку").click()
    page.wait_for_url(re.compile(r"/edit/(#.*)?$"))
    assert "Чернетку збережено" in page.content()
    draft = Petition.objects.get(title=TITLE)
    assert draft.status == Status.DRAFT and draft.number is None
    check(page, f"{w}-04-draft")

    # 4. Preview it as it will appear.
    page.get_by_role("button", name="Переглянути").click()
    page.wait_for_url(re.compile(r"/preview/(#.*)?$"))
    assert page.get_by_role("heading", name=TITLE).is_visible()
    assert page.get_by_role("img", name="Яма на дорозі біля школи").is_visible()
    check(page, f"{w}-05-preview")

    # 5. Edit and submit.
    page.get_by_role("link", name="Редагувати").click()
    page.get_by_label("Текст петиції").fill(TEXT)
    page.get_by_role("button", name="Подати на модерацію").click()
    page.wait_for_url(re.compile(rf"/petitions/{draft.public_id}/(#.*)?$"))
    draft.refresh_from_db()
    assert draft.status == Status.MODERATION and draft.number == world["existing"].number + 1

    # 6. Edit in moderation, from «My petitions».
    page.goto("/petitions/mine/")
    check(page, f"{w}-06-mine")
    page.get_by_role("link", name=re.compile(rf"^Редагувати\s*: {TITLE}")).click()
    page.get_by_label("Назва петиції").fill(TITLE + " №3")
    page.get_by_role("button", name="Зберегти зміни").click()
    page.wait_for_url(re.compile(r"/edit/(#.*)?$"))
    assert "Зміни збережено" in page.content()
    draft.refresh_from_db()
    assert draft.title == TITLE + " №3" and draft.revision == 4
    check(page, f"{w}-07-edit-in-moderation")

    # 7. Invite a co-author by e-mail, who accepts.
    page.get_by_role("link", name="Співавтори").click()
    page.get_by_label("Електронна пошта співавтора").fill(world["coauthor"].email)
    page.get_by_role("button", name="Надіслати запрошення").click()
    page.wait_for_load_state()
    assert "Очікує відповіді" in page.content()
    check(page, f"{w}-08-coauthors")
    other = new_page(width=width, height=900)
    login(other, world["coauthor"].email)
    other.goto("/petitions/mine/")
    other.get_by_role("link", name=draft.title).click()
    check(other, f"{w}-09-accept")
    other.get_by_role("button", name="Прийняти запрошення").click()
    other.wait_for_url(re.compile(r"/edit/(#.*)?$"))
    assert CoAuthor.objects.get(petition=draft).accepted_at is not None
    page.reload()
    assert "Співавтор" in page.locator("table").inner_text()

    # 8. Withdraw, after a confirmation that says what will happen.
    page.goto("/petitions/mine/")
    page.get_by_role("link", name=re.compile(rf"^Відкликати петицію\s*: {draft.title}")).click()
    assert page.get_by_role("heading", name="Що станеться").is_visible()
    check(page, f"{w}-10-withdraw-confirm")
    page.get_by_role("button", name="Так, відкликати петицію").click()
    page.wait_for_url(re.compile(r"/petitions/mine/(#.*)?$"))
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    assert page.get_by_role("heading", name="Відкликані та відхилені").is_visible()
    check(page, f"{w}-11-withdrawn")
