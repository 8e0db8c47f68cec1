"""Follow-ups of issue 9 in Chromium: the moderator's decision on a text the author has just
changed, the extension's date and reason in the petition's timeline, and the staff roles
table with positions and heads on a phone; axe-core at 390 and 1280 px."""

import datetime as dt

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REASON = "Потрібен висновок управління архітектури щодо земельної ділянки під сквер."
NEW_TEXT = (
    "Просимо облаштувати сквер біля школи №3: лавки, освітлення й питний фонтанчик, а також "
    "пандус для візочків біля входу з вулиці Садової."
)


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import (
        DepartmentFactory,
        StaffRoleFactory,
        staff_user,
        verified_user,
    )
    from hromada.petitions import services
    from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting, route_to
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    category = CategoryFactory(hromada=hromada, slug="blago", name="Благоустрій")
    department = DepartmentFactory(hromada=hromada, name="Управління житлово-комунального господарства")
    officer = StaffRoleFactory(
        hromada=hromada,
        role="officer",
        department=department,
        position="головний спеціаліст відділу благоустрою",
    ).user
    StaffRoleFactory(
        hromada=hromada, role="officer", department=department, is_head=True, position="начальник управління"
    )
    waiting = PetitionFactory(hromada=hromada, title="Облаштувати сквер біля школи №3", category=category)
    considered = collecting(
        hromada=hromada, title="Новий тротуар на вулиці Лесі Українки", category=category, threshold=1
    )
    services.petition_sign(petition=considered, user=verified_user())
    services.petition_reach_threshold(petition=considered)
    considered.refresh_from_db()
    route_to(considered, officer)
    services.petition_extend_deadline(
        petition=considered,
        officer=officer,
        until=considered.consideration_due + dt.timedelta(days=5),
        notice=REASON,
    )
    return {
        "waiting": waiting,
        "considered": considered,
        "moderator": staff_user(hromada, "moderator"),
        "admin": staff_user(hromada, "admin"),
    }


def check(page, name):
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"followups-{name}-{width}")
        assert axe_serious(page) == [], f"{name} at {width}px"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} overflows {width}px by {overflow}px"


def test_the_moderator_publishes_the_text_they_read(new_page, world):
    from hromada.petitions import services
    from hromada.petitions.models import Petition

    waiting = world["waiting"]
    page = new_page(390, 844)
    login(page, world["moderator"].email)
    page.goto(f"/staff/petitions/moderation/{waiting.public_id}/")
    # The author edits while the moderator reads.
    services.petition_update(
        petition=waiting, editor=waiting.author, title=waiting.title, text=NEW_TEXT, category=waiting.category
    )
    page.get_by_role("button", name="Опублікувати петицію").click()
    alert = page.locator("#petition-changed")
    assert "автор її змінив" in alert.inner_text()
    assert "пандус для візочків" in page.locator(".petition-text").first.inner_text()
    assert Petition.objects.get(pk=waiting.pk).status == "moderation"
    check(page, "moderation-changed")
    page.get_by_role("button", name="Опублікувати петицію").click()
    page.wait_for_url("**/staff/petitions/moderation/")
    assert Petition.objects.get(pk=waiting.pk).status == "collecting"


def test_the_timeline_shows_the_extensions_date_and_reason(new_page, world):
    considered = world["considered"]
    page = new_page(390, 844)
    page.goto(f"/petitions/{considered.public_id}/")
    entry = page.locator("#timeline-extension").inner_text()
    assert considered.consideration_due.strftime("%d.%m.%Y") in entry
    assert REASON in entry
    assert page.get_by_text(REASON).count() == 1
    check(page, "timeline-extension")


def test_the_roles_table_stacks_on_a_phone(new_page, world):
    page = new_page(390, 844)
    login(page, world["admin"].email)
    page.goto("/staff/roles/")
    table = page.locator("table.responsive")
    assert table.get_by_text("начальник управління").count() == 1
    assert table.get_by_text("керівник підрозділу").count() == 1
    check(page, "roles")
