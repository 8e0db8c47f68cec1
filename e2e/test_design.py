"""The design system in Chromium: the style guide and the kernel's pages at a phone's and a
desktop's width, each screenshotted (e2e/screenshots/design/), without horizontal overflow
on the phone and without serious axe findings; the phone menu; the first petition on the
phone's first screen."""

import pytest

from e2e.checks import DESKTOP, PHONE, WIDTHS, check_page, overflow, shot
from e2e.conftest import axe_serious, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import DepartmentFactory, StaffRoleFactory, staff_user
    from hromada.notify.services import notify_send
    from hromada.petitions.tests.factories import CategoryFactory, collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    category = CategoryFactory(hromada=hromada, slug="transport", name="Транспорт і дороги")
    for title in (
        "Облаштувати велопарковку біля центру надання адміністративних послуг",
        "Відремонтувати тротуар на вулиці Шевченка від школи до парку",
    ):
        collecting(hromada=hromada, category=category, title=title)
    admin = staff_user(hromada, "admin")
    from hromada.accounts.services.tokens import api_token_create

    api_token_create(user=admin, name="Скрипт звітності для відділу статистики")
    department = DepartmentFactory(
        hromada=hromada, name="Відділ житлово-комунального господарства та благоустрою"
    )
    StaffRoleFactory(hromada=hromada, role="officer", department=department)
    StaffRoleFactory(hromada=hromada, role="moderator")
    notify_send(
        hromada=hromada,
        users=[admin],
        kind="petition.moderated",
        title="Петицію опубліковано",
        body="Петиція №1 почала збирати підписи.",
        url="/petitions/",
    )
    return {"hromada": hromada, "admin": admin}


ANONYMOUS = [
    ("home", "/"),
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("password-reset", "/accounts/password/reset/"),
    ("verify-anonymous", "/accounts/verify/"),
    ("ledger", "/ledger/"),
]
STAFF = [
    ("design", "/design/"),
    ("profile", "/accounts/profile/"),
    ("verify", "/accounts/verify/"),
    ("password-change", "/accounts/password/change/"),
    ("delete-account", "/accounts/profile/delete/"),
    ("notifications", "/notifications/"),
    ("notification-preferences", "/notifications/preferences/"),
    ("staff", "/staff/"),
    ("staff-roles", "/staff/roles/"),
    ("staff-departments", "/staff/departments/"),
    ("staff-settings", "/staff/settings/"),
]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_kernel_pages_fit_the_screen_and_pass_axe(new_page, world, width):
    page = new_page(**WIDTHS[width])
    problems = []
    for name, url in ANONYMOUS:
        page.goto(url)
        problems += check_page(page, folder="design", name=f"{name}-{width}")
    login(page, world["admin"].email)
    for name, url in STAFF:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        problems += check_page(page, folder="design", name=f"{name}-{width}")
    assert problems == [], "\n".join(problems)


def test_staff_tables_stack_on_a_phone(new_page, world):
    """Issue 9, defect 10: the roles and departments tables overflowed a 390 px phone."""
    page = new_page(**PHONE)
    login(page, world["admin"].email)
    for url in ("/staff/roles/", "/staff/departments/"):
        page.goto(url)
        assert overflow(page) is None, url
        # Stacked: the table's header row is hidden and each cell names its column.
        assert page.locator("table.responsive thead").bounding_box()["height"] <= 1
        assert page.locator("table.responsive td[data-label]").count() > 0


def test_phone_menu_folds_and_opens_with_keyboard(new_page, world):
    page = new_page(**PHONE)
    page.goto("/")
    menu = page.get_by_role("button", name="Меню")
    nav = page.get_by_role("navigation", name="Головне меню")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    menu.focus()
    page.keyboard.press("Enter")
    assert menu.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Увійти").is_visible()
    assert nav.get_by_role("link", name="Реєстр подій").is_visible()
    shot(page, "design", "menu-open-390")
    assert axe_serious(page) == []
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    # The language switch stays outside the fold.
    assert page.get_by_role("link", name="English").is_visible()


def test_desktop_shows_the_navigation_without_a_menu_button(new_page, world):
    page = new_page(**DESKTOP)
    page.goto("/")
    assert not page.get_by_role("button", name="Меню").is_visible()
    assert page.get_by_role("navigation", name="Головне меню").get_by_role("link", name="Увійти").is_visible()


def test_first_petition_is_on_a_phones_first_screen(new_page, world):
    page = new_page(**PHONE)
    for url in ("/", "/petitions/"):
        page.goto(url)
        first = page.locator("main .cards .card").first
        box = first.bounding_box()
        assert box is not None, url
        assert box["y"] < PHONE["height"] - 60, f"{url}: first petition starts at {box['y']} px"


def test_filters_fold_on_a_phone_and_show_on_a_desktop(new_page, world):
    phone = new_page(**PHONE)
    login(phone, world["admin"].email)
    phone.goto("/design/")
    search = phone.get_by_role("search", name="Пошук і фільтри")
    assert not search.is_visible()
    phone.get_by_text("Фільтри", exact=True).click()
    assert search.is_visible()
    desktop = new_page(**DESKTOP)
    login(desktop, world["admin"].email)
    desktop.goto("/design/")
    assert desktop.get_by_role("search", name="Пошук і фільтри").is_visible()
    assert not desktop.get_by_text("Фільтри", exact=True).is_visible()


def test_print_leaves_only_the_content(new_page, world):
    page = new_page(**DESKTOP)
    page.goto("/staff/")  # redirects to log-in: any page with the frame will do
    page.emulate_media(media="print")
    for selector in ("header.site-header", "footer.site-footer", "main button"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("main h1").is_visible()


def test_without_scripts_the_phone_menu_stays_open(browser, live_server, world):
    context = browser.new_context(viewport=PHONE, base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/")
        assert not page.get_by_role("button", name="Меню").is_visible()
        nav = page.get_by_role("navigation", name="Головне меню")
        assert nav.get_by_role("link", name="Увійти").is_visible()
        assert overflow(page) is None
    finally:
        context.close()


def test_english_pages_fit_a_phone(new_page, world):
    """English runs longer than Ukrainian in places (and the language link reads
    «Українська»): the same pages, in English, still fit 390 px."""
    page = new_page(**PHONE)
    login(page, world["admin"].email)
    page.goto("/lang/en/?next=/")
    assert page.locator("html").get_attribute("lang") == "en"
    problems = []
    for name, url in [*ANONYMOUS, *STAFF]:
        page.goto(url)
        problems += check_page(page, folder="design", name=f"en-{name}-390")
    assert problems == [], "\n".join(problems)
