"""The resident's journey in Chromium at a phone's and a desktop's width: read how it
works, see the photos, follow, sign, read the explained receipt, share, and, as a
14-year-old, see why signing is not possible. axe-core on every page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = (390, 844)
DESKTOP = (1280, 900)


@pytest.fixture
def world(db):
    from PIL import Image, ImageDraw

    from hromada.accounts.tests.factories import verified_user
    from hromada.petitions.models import Attachment
    from hromada.petitions.tests.factories import CategoryFactory, collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    category = CategoryFactory(hromada=hromada, slug="blagoustrii", name="Благоустрій")
    petition = collecting(
        hromada=hromada,
        category=category,
        title="Відновити освітлення в парку імені Тараса Шевченка",
        text="Після пошкодження мереж у парку не працює жоден ліхтар. Увечері парк стає небезпечним. "
        "Просимо відновити вуличне освітлення з енергоощадними світильниками та датчиками руху.",
    )
    for i in range(2):
        collecting(
            hromada=hromada, category=category, title=f"Облаштувати зупинку громадського транспорту №{i + 1}"
        )
    photo = io.BytesIO()
    image = Image.new("RGB", (1600, 1200), (40, 90, 160))
    ImageDraw.Draw(image).ellipse((500, 300, 1100, 900), fill=(240, 200, 40))
    image.save(photo, "JPEG")
    Attachment.objects.create(
        hromada=hromada,
        petition=petition,
        file=SimpleUploadedFile("park.jpg", photo.getvalue(), "image/jpeg"),
        original_name="park-vechir.jpg",
        content_type="image/jpeg",
        size=len(photo.getvalue()),
    )
    Attachment.objects.create(
        hromada=hromada,
        petition=petition,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        original_name="plan-osvitlennia.pdf",
        content_type="application/pdf",
        size=1_234_567,
    )
    today = timezone.localdate()
    return {
        "petition": petition,
        "resident": verified_user(),
        "teen": verified_user(birth_date=today.replace(year=today.year - 14, day=min(today.day, 28))),
    }


def check(page, name):
    violations = axe_serious(page)
    assert violations == [], f"{name}: {violations}"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name}: the page scrolls sideways by {overflow}px"


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])
def test_resident_reads_follows_signs_and_shares(new_page, world, size):
    width, height = size
    petition = world["petition"]
    page = new_page(width=width, height=height)

    page.goto("/")
    assert page.get_by_role("heading", name="Як це працює").is_visible()
    shot(page, f"resident-{width}-01-home")
    check(page, "home")

    page.goto("/petitions/")
    first = page.locator(".petition-card").first
    assert first.bounding_box()["y"] + 60 < height, "the first petition is below the first screen"
    assert page.locator(".petition-card .progress").count() == 3
    assert "днів залишилось" in first.inner_text()
    if width < 700:
        assert not page.get_by_label("Категорія").is_visible()  # folded away on a phone
        page.get_by_text("Фільтри й порядок").click()
    assert page.get_by_label("Категорія").is_visible()
    shot(page, f"resident-{width}-02-list")
    check(page, "list")

    login(page, world["resident"].email)
    page.goto(f"/petitions/{petition.public_id}/")
    thumb = page.get_by_role("img", name="park-vechir.jpg")
    thumb.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") == 480  # a real thumbnail, not the photo
    assert (
        "plan-osvitlennia.pdf" in page.content() and "1,2" in page.locator(".attachment-files").inner_text()
    )
    qr = page.locator(".share-qr img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    assert page.locator('meta[property="og:image"]').get_attribute("content").endswith("/card.png")
    assert (
        page.get_by_label("Посилання на петицію").input_value().endswith(f"/petitions/{petition.public_id}/")
    )

    page.get_by_role("button", name="Відстежувати петицію").click()
    page.get_by_role("button", name="Не відстежувати").wait_for()

    page.get_by_role("button", name="Підписати петицію").click()
    page.get_by_text("Ваш підпис враховано").wait_for()
    receipt = page.locator("code.receipt")
    assert len(receipt.inner_text()) == 32
    assert page.get_by_role("link", name="Перевірити в публічному реєстрі").get_attribute("href") == (
        f"/ledger/receipt/?receipt={receipt.inner_text()}"
    )
    box = page.locator(".receipt-box")
    assert box.evaluate("el => el.scrollWidth <= el.clientWidth"), "the receipt runs out of its box"
    assert receipt.bounding_box()["x"] + receipt.bounding_box()["width"] <= width
    shot(page, f"resident-{width}-03-signed")
    check(page, "signed petition")

    first = receipt.inner_text()
    page.reload()  # the receipt is there again while signed
    code = page.locator("code.receipt").inner_text()
    assert code == first

    page.get_by_role("link", name="Мої підписи").first.click()
    page.wait_for_url("**/petitions/signed/")
    assert page.locator("code.receipt").inner_text() == code
    shot(page, f"resident-{width}-03b-my-signatures")
    check(page, "my signatures")

    page.goto(f"/petitions/{petition.public_id}/poster")
    assert page.get_by_role("img", name=f"QR-код петиції №{petition.number}").is_visible()
    shot(page, f"resident-{width}-04-poster")
    check(page, "poster")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])
def test_a_fourteen_year_old_sees_why_before_pressing_anything(new_page, world, size):
    width, height = size
    page = new_page(width=width, height=height)
    login(page, world["teen"].email)
    page.goto(f"/petitions/{world['petition'].public_id}/")
    reason = page.locator("#sign-reason")
    assert "Підписувати петиції можна з 16 років." in reason.inner_text()
    button = page.get_by_role("button", name="Підписати петицію")
    assert button.is_disabled()
    assert button.get_attribute("aria-describedby") == "sign-reason"
    shot(page, f"resident-{width}-05-too-young")
    check(page, "too young")


def test_an_open_page_shows_new_signers_beside_the_new_count(new_page, world):
    """Defect 4 in the browser: the counter's poll brings the signer list along."""
    from hromada.accounts.tests.factories import verified_user
    from hromada.petitions import services

    petition = world["petition"]
    page = new_page(width=PHONE[0], height=PHONE[1])
    page.goto(f"/petitions/{petition.public_id}/")
    assert page.get_by_text("Ще ніхто не підписав.").is_visible()
    for _ in range(2):
        services.petition_sign(petition=petition, user=verified_user())
    page.locator("#signers ol.signers li").nth(1).wait_for(timeout=15_000)
    assert page.locator("#progress .count strong").inner_text() == "2"
    assert page.locator("#signers ol.signers li").count() == 2

    page.get_by_role("button", name="Копіювати").click()
    page.get_by_text("Посилання скопійовано.").wait_for()

    page.goto(f"/petitions/{petition.public_id}/poster")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    shot(page, "resident-print-poster")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])
def test_every_state_of_a_petition_page_is_accessible(new_page, world, size):
    """After the threshold (still signable), answered, and ended short of it."""
    import datetime as dt

    from hromada.accounts.tests.factories import staff_user, verified_user
    from hromada.petitions import services
    from hromada.petitions.models import Petition, Status
    from hromada.petitions.tests.factories import collecting

    petition = world["petition"]
    hromada = petition.hromada
    for _ in range(petition.threshold):
        services.petition_sign(petition=petition, user=verified_user())
    services.petitions_tick()
    petition.refresh_from_db()
    assert petition.status == Status.CONSIDERATION
    answered = collecting(hromada=hromada, title="Продовжити роботу шкільної бібліотеки до 18:00")
    for _ in range(answered.threshold):
        services.petition_sign(petition=answered, user=verified_user())
    services.petitions_tick()
    answered.refresh_from_db()
    services.petition_answer(
        petition=answered,
        officer=staff_user(hromada, "admin"),  # publishing outright needs approval rights
        decision="supported",
        text="Виконавчий комітет підтримує петицію: бібліотека працюватиме до 18:00 з наступного місяця.",
    )
    short = collecting(hromada=hromada, title="Замінити водогін на вулиці Садовій до зими")
    Petition.objects.filter(pk=short.pk).update(collection_ends_at=timezone.now() - dt.timedelta(minutes=1))
    services.petitions_tick()

    width, height = size
    page = new_page(width=width, height=height)
    login(page, world["resident"].email)
    for name, p in (("consideration", petition), ("answered", answered), ("unsuccessful", short)):
        page.goto(f"/petitions/{p.public_id}/")
        if name == "consideration":
            assert "Поріг досягнуто, але підписувати можна й далі." in page.content()
            page.get_by_role("button", name="Підписати петицію").click()
            page.get_by_text("Ваш підпис враховано").wait_for()
        if name == "unsuccessful":
            assert "Збір підписів під цією петицією завершено." in page.content()
        shot(page, f"resident-{width}-06-{name}")
        check(page, name)
