"""The whole participatory-budget journey in Chromium: the admin creates a cycle, a
resident submits a project, it is reviewed and admitted, residents vote online and on
paper (one vote per person whichever channel), the results are published and the
implementation is reported — with axe-core on the public pages."""

import datetime as dt
import re

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SLUG = "bu-2026"
TITLE = "Освітлення скверу на вулиці Шевченка"
OTHER = "Лавки й урни біля бібліотеки"
TENDER = "UA-2026-03-14-004512-a"
ADDRESS = "вул. Шевченка, 12а"
BORN = dt.date(1985, 6, 15)


@pytest.fixture
def world(db):
    from hromada.accounts.identity.taxnumber import make, tax_hash
    from hromada.accounts.tests.factories import (
        DepartmentFactory,
        StaffRoleFactory,
        staff_user,
        verified_user,
    )
    from hromada.places.tests.geo_fixtures import build_geo
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    build_geo(hromada)
    department = DepartmentFactory(hromada=hromada, name="Відділ благоустрою")
    officer = StaffRoleFactory(hromada=hromada, role="officer", department=department).user
    voter_tax = make(BORN, 1234)
    return {
        "hromada": hromada,
        "department": department,
        "admin": staff_user(hromada, "admin"),
        "officer": officer,
        "author": verified_user(birth_date=BORN),
        "voter": verified_user(birth_date=BORN, tax_hash=tax_hash(voter_tax)),
        "voter_tax": voter_tax,
        "paper_tax": make(dt.date(1950, 1, 20), 4321),
    }


class Accessibility:
    """Collects serious axe-core violations page by page; the test asserts them at the
    end, so one page's defect does not hide the rest of the journey."""

    def __init__(self):
        self.found: dict[str, list[dict]] = {}

    def check(self, page, name: str) -> None:
        violations = axe_serious(page)
        if violations:
            self.found[name] = violations


def close_phase(page, code: str, reason: str) -> None:
    """The cycle page's "close this phase now" for phase `code` (it must be current)."""
    page.goto(f"/staff/budget/cycles/{SLUG}/")
    phase = page.locator(f"#phase-{code}")
    phase.locator("summary").click()
    phase.get_by_label("Підстава дострокового завершення").fill(reason)
    phase.get_by_role("button", name="Завершити етап зараз").click()
    page.wait_for_load_state()
    assert "Етап завершено" in page.content(), page.content()[:3000]


def declare_residency(page) -> None:
    page.goto(f"/budget/{SLUG}/residency/")
    page.get_by_label("Адреса, за якою ви проживаєте").fill(ADDRESS)
    page.get_by_role("button", name="Зберегти адресу").click()
    page.wait_for_load_state()


def submit_project(page, title: str, lines: list[tuple[str, str, str, str]]) -> None:
    page.goto(f"/budget/{SLUG}/submit/")
    page.get_by_label("Категорія").select_option(index=1)
    page.get_by_label("Назва проєкту").fill(title)
    page.get_by_label("Коротко про проєкт").fill(
        "Сучасні енергоощадні ліхтарі, щоб увечері було світло й безпечно."
    )
    page.get_by_label("Опис проєкту").fill(
        "Встановити ліхтарі на сонячних панелях уздовж головної алеї скверу до кінця літа."
    )
    page.get_by_label("Яку проблему розв'язує").fill("Увечері в сквері темно, люди обходять його.")
    page.get_by_label("Хто отримає користь").fill("Мешканці мікрорайону, близько 2 000 осіб.")
    page.get_by_label("Адреса чи місце").fill(ADDRESS)
    page.get_by_label("Широта").fill("49.031")
    page.get_by_label("Довгота").fill("32.101")
    for n, (item, qty, unit, price) in enumerate(lines):
        page.locator(f"#id_lines-{n}-item").fill(item)
        page.locator(f"#id_lines-{n}-quantity").fill(qty)
        page.locator(f"#id_lines-{n}-unit").fill(unit)
        page.locator(f"#id_lines-{n}-unit_price").fill(price)
    page.get_by_role("button", name="Подати проєкт").click()
    page.wait_for_load_state()
    assert "подано" in page.content(), page.content()[:3000]


def test_budget_from_idea_to_implementation(new_page, world):
    from hromada.budget.models import Ballot, Cycle, Project

    axe = Accessibility()

    # 0. The admin creates the cycle in the browser (the phase dates are proposed from today).
    admin = new_page(width=1280, height=900)
    login(admin, world["admin"].email)
    admin.goto("/staff/budget/cycles/new/")
    admin.get_by_label("Назва циклу").fill("Бюджет участі 2026")
    admin.get_by_label("Адреса циклу").fill(SLUG)
    admin.get_by_label("Обсяг коштів, грн").fill("300000")
    admin.get_by_label("Максимальна вартість проєкту, грн").fill("250000")
    shot(admin, "budget-01-cycle-new")
    admin.get_by_role("button", name="Створити цикл").click()
    admin.wait_for_load_state()
    assert "створено" in admin.content(), admin.content()[:3000]
    cycle = Cycle.objects.get(slug=SLUG)

    # 1. A verified resident declares residency and submits a project; a second resident
    # submits another, so the ballot has a choice.
    author = new_page()
    login(author, world["author"].email)
    declare_residency(author)
    submit_project(
        author,
        TITLE,
        [("Ліхтар на сонячній панелі", "8", "шт", "18000"), ("Монтаж", "1", "послуга", "16000")],
    )
    shot(author, "budget-02-project-submitted")
    project = Project.objects.get(title=TITLE)
    assert project.cost == 160_000
    voter = new_page()
    login(voter, world["voter"].email)
    declare_residency(voter)
    submit_project(voter, OTHER, [("Лавка", "4", "шт", "9000"), ("Урна", "4", "шт", "1500")])
    other = Project.objects.get(title=OTHER)

    public = new_page()
    public.goto(f"/budget/{SLUG}/")
    assert "Усі проєкти: 2" in public.content()
    shot(public, "budget-03-cycle")
    axe.check(public, "cycle page")
    public.goto(f"/budget/{SLUG}/projects/")
    assert TITLE in public.content() and OTHER in public.content()
    shot(public, "budget-03b-projects")
    axe.check(public, "project list")
    public.goto(f"/budget/projects/{project.public_id}/")
    assert TITLE in public.content() and "Монтаж" in public.content()
    shot(public, "budget-04-project")
    axe.check(public, "project page")

    # 2. The admin closes the ideas phase, assigns both projects to the department; the
    # officer fills the checklist and admits them with reasons.
    close_phase(admin, "ideas", "Рішення виконкому № 41: прийом ідей завершено.")
    for p in (project, other):
        admin.goto("/staff/budget/review/")
        admin.get_by_role("link", name=p.title).click()
        admin.get_by_label("Підрозділ").select_option(label="Відділ благоустрою")
        admin.get_by_role("button", name="Призначити").click()
        admin.wait_for_load_state()
    shot(admin, "budget-05-assigned")

    officer = new_page(width=1280, height=900)
    login(officer, world["officer"].email)
    from hromada.budget.models import CHECKLIST

    for p in (project, other):
        officer.goto(f"/staff/budget/review/{p.public_id}/")
        for _key, label in CHECKLIST:
            officer.get_by_role("group", name=str(label)).get_by_label("Так").check()
        officer.get_by_label("Допустити до голосування").check()
        officer.get_by_label("Обґрунтування (публічне)").fill(
            "Об'єкт у комунальній власності, кошторис відповідає ринковим цінам."
        )
        if p == project:
            shot(officer, "budget-06-review")
        officer.get_by_role("button", name="Ухвалити й оприлюднити рішення").click()
        officer.wait_for_load_state()
        p.refresh_from_db()
        assert p.status == "admitted", officer.content()[:3000]

    # 3. Review and ballot phases closed: voting opens with the ballot published.
    close_phase(admin, "review", "Експертизу завершено достроково.")
    close_phase(admin, "ballot", "Бюлетень оприлюднено, починаємо голосування.")
    cycle.refresh_from_db()
    assert cycle.published_at is not None

    # 4. A resident votes online and sees the receipt.
    category = project.category
    voter.goto(f"/budget/{SLUG}/vote/")
    shot(voter, "budget-07-vote-index")
    voter.goto(f"/budget/{SLUG}/vote/{category.public_id}/")
    axe.check(voter, "ballot page")
    voter.get_by_label(re.compile(TITLE)).check()
    shot(voter, "budget-08-ballot")
    voter.get_by_role("button", name="Далі: перевірити вибір").click()
    voter.wait_for_load_state()
    voter.get_by_role("button", name="Проголосувати", exact=True).click()
    voter.wait_for_load_state()
    assert "Ваш голос враховано" in voter.content(), voter.content()[:3000]
    shot(voter, "budget-09-receipt")
    assert voter.locator("code.receipt").inner_text().strip()

    # 5. Staff enter a paper ballot for another person; the online voter's second ballot
    # on paper is refused, naming the online channel.
    def paper(tax: str, choice: str):
        admin.goto(f"/staff/budget/paper/?cycle={SLUG}&category={category.public_id}")
        admin.get_by_label("РНОКПП (податковий номер) виборця").fill(tax)
        admin.get_by_label("Адреса проживання виборця").fill(ADDRESS)
        admin.get_by_label(re.compile(choice)).check()
        admin.get_by_role("button", name="Внести бюлетень").click()
        admin.wait_for_load_state()

    paper(world["paper_tax"], TITLE)
    shot(admin, "budget-10-paper-entered")
    assert Ballot.objects.filter(category=category).count() == 2, admin.content()[:3000]
    paper(world["voter_tax"], OTHER)
    shot(admin, "budget-11-paper-refused")
    refusal = admin.get_by_role("alert").filter(has_text="Ви вже проголосували в цій категорії")
    assert "онлайн" in refusal.inner_text()
    # Nothing typed is lost: the number and the choice are still there.
    assert admin.get_by_label("РНОКПП (податковий номер) виборця").input_value() == world["voter_tax"]
    assert admin.get_by_label(re.compile(OTHER)).is_checked()
    assert Ballot.objects.filter(category=category).count() == 2

    # 6. Voting closed; the results are published; the public results page shows the winner.
    close_phase(admin, "voting", "Голосування завершено.")
    admin.goto(f"/staff/budget/results/{SLUG}/")
    shot(admin, "budget-12-staff-results")
    publish = admin.get_by_role("button", name="Оприлюднити підсумки зараз")
    if publish.count():
        publish.click()
        admin.wait_for_load_state()
    cycle.refresh_from_db()
    assert cycle.results_published_at is not None, admin.content()[:3000]
    public.goto(f"/budget/{SLUG}/results/")
    winner = public.locator("tr.budget-winner")
    assert TITLE in winner.inner_text()
    assert re.search(r"(^|\s)2(\s|$)", winner.inner_text()), winner.inner_text()  # online + paper
    shot(public, "budget-13-results")
    axe.check(public, "results page")
    project.refresh_from_db()
    assert project.outcome == "winner"

    # 7. The officer reports the implementation with a Prozorro tender id.
    officer.goto(f"/staff/budget/implementation/{project.public_id}/")
    officer.get_by_label("Що зроблено").fill("Закуплено ліхтарі, монтаж почнеться наступного тижня.")
    officer.get_by_label("Виконано, %").fill("40")
    officer.get_by_label("Використано коштів усього, грн").fill("144000")
    officer.get_by_label("Ідентифікатор закупівлі в Prozorro").fill(TENDER)
    officer.get_by_role("button", name="Оприлюднити звіт").click()
    officer.wait_for_load_state()
    shot(officer, "budget-14-implementation-staff")
    public.goto(f"/budget/projects/{project.public_id}/")
    text = public.locator("main").inner_text()
    assert TENDER in text and "40" in text and "Закуплено ліхтарі" in text
    shot(public, "budget-15-project-implemented")
    axe.check(public, "implemented project page")

    # A phone-width look at the public results.
    phone = new_page(width=390, height=844)
    phone.goto(f"/budget/{SLUG}/results/")
    shot(phone, "budget-16-results-phone")
    # Nothing may make the page wider than the phone (a table may scroll in its box).
    width = phone.evaluate("document.documentElement.scrollWidth")
    offenders = phone.evaluate(
        """() => [...document.body.querySelectorAll("*")]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1
                  && getComputedStyle(e).position === "absolute")
          .map((e) => `${e.tagName}.${e.className} in ${e.parentElement.tagName}`)"""
    )
    problems = dict(axe.found)
    if width > 390:
        problems["results at 390 px"] = [{"scrollWidth": width, "offenders": offenders}]
    assert problems == {}, f"accessibility and layout problems: {problems}"
