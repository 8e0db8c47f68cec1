"""In Chromium: a visitor opens the map of problem reports, filters it by category and
opens a report from the list (the keyboard path beside the map); the reporter confirms
from the cabinet that a resolved report is fixed. Pages at 390 px and 1280 px, with
axe-core."""

import datetime as dt

import pytest

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(db):
    from hromada.accounts.tests.factories import verified_user
    from hromada.appeals.models import Case, CaseEvent, CaseStatus, EventKind, Moderation
    from hromada.appeals.tests.factories import make_case, make_category, make_department
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    lighting = make_department(hromada, name="КП «Міськсвітло»")
    lights = make_category(hromada, code="street-lights", name="Вуличне освітлення", department=lighting)
    roads = make_category(hromada, code="potholes", name="Ями на дорогах")
    reporter = verified_user()
    now = dt.datetime.now(dt.UTC)
    light = make_case(
        hromada,
        category=lights,
        applicant=reporter,
        address="вул. Соборна, 14",
        now=now - dt.timedelta(days=2),
    )
    pothole = make_case(hromada, category=roads, address="просп. Миру, 3", lat=48.51, lon=32.27)
    Case.objects.filter(pk__in=[light.pk, pothole.pk]).update(moderation=Moderation.SHOWN)
    Case.objects.filter(pk=light.pk).update(
        status=CaseStatus.RESOLVED, answered_at=now - dt.timedelta(hours=3), answer="Замінили світильник."
    )
    CaseEvent.objects.create(
        hromada=hromada,
        case=light,
        kind=EventKind.RESOLVED,
        public=True,
        text="Замінили світильник.",
        status=CaseStatus.RESOLVED,
    )
    return {"reporter": reporter, "light": light, "pothole": pothole}


def test_visitor_filters_the_map_and_the_reporter_confirms(new_page, world):
    light, pothole = world["light"], world["pothole"]
    page = new_page(width=1280, height=900)
    page.goto("/appeals/map/")
    page.wait_for_selector("#appeals-map[data-map-settled]")
    assert page.locator(".appeals-cards").get_by_text("вул. Соборна, 14").is_visible()
    assert page.locator(".appeals-cards").get_by_text("просп. Миру, 3").is_visible()
    # The map shows both as markers, each with its own shape (not colour alone).
    page.wait_for_selector("#appeals-map .map-point-muted")
    page.wait_for_selector("#appeals-map .map-point-default")
    shot(page, "appeals-map-1280")
    assert axe_serious(page) == []

    page.get_by_label("Категорія").select_option(label="Вуличне освітлення")
    page.get_by_role("button", name="Показати").click()
    page.wait_for_selector("#appeals-map[data-map-settled]")
    cards = page.locator(".appeals-cards")
    assert cards.get_by_text("вул. Соборна, 14").is_visible()
    assert cards.get_by_text("просп. Миру, 3").count() == 0
    assert "category=street-lights" in page.url

    cards.get_by_role("link", name=f"№{light.number} · Вуличне освітлення").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == f"№{light.number}. Вуличне освітлення"
    assert page.get_by_text("Замінили світильник.").first.is_visible()
    assert page.get_by_text("КП «Міськсвітло»").first.is_visible()
    page.wait_for_selector("#appeals-case-map[data-map-settled]")
    shot(page, "appeals-case-1280")
    assert axe_serious(page) == []

    phone = new_page(width=390, height=844)
    phone.goto("/appeals/map/")
    phone.wait_for_selector("#appeals-map[data-map-settled]")
    shot(phone, "appeals-map-390")
    phone.goto(f"/appeals/cases/{pothole.public_id}/")
    shot(phone, "appeals-case-390")

    login(phone, world["reporter"].email)
    phone.goto("/appeals/my/")
    shot(phone, "appeals-my-390")
    assert axe_serious(phone) == []
    phone.get_by_role("button", name=f"Так, вирішено (№{light.number})").click()
    phone.wait_for_load_state()
    assert phone.get_by_text(f"Ви підтвердили, що звернення №{light.number} вирішено.").is_visible()
    light.refresh_from_db()
    assert light.confirmed_at is not None
    phone.goto("/appeals/stats/")
    shot(phone, "appeals-stats-390")
    assert axe_serious(phone) == []
