"""Budget pages on a phone, by keyboard only: the ballot's running total is announced
and a ballot over the pot is refused with the amount over, nothing cast."""

import pytest

from e2e.conftest import login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ballot(db):
    from hromada.budget.models import Category
    from hromada.budget.tests.helpers_voting import resident, voting_cycle
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    cycle = voting_cycle(hromada)
    return {"cycle": cycle, "large": Category.objects.get(cycle=cycle, slug="large"), "user": resident(cycle)}


def test_knapsack_ballot_by_keyboard_on_a_phone(new_page, ballot):
    from hromada.budget.models import Ballot

    page = new_page(width=390, height=844)
    login(page, ballot["user"].email)
    page.goto(f"/budget/{ballot['cycle'].slug}/vote/{ballot['large'].public_id}/")
    boxes = page.get_by_role("checkbox")
    assert boxes.count() == 4
    # Tab to the first project and tick the three dearest (900 000 + 800 000 + 700 000).
    boxes.first.focus()
    for _i in range(3):
        page.keyboard.press("Space")
        page.keyboard.press("Tab")  # past the project's "more" link
        page.keyboard.press("Tab")
    assert [boxes.nth(i).is_checked() for i in range(4)] == [True, True, True, False]
    total = page.locator("#ballot-total")
    assert total.get_attribute("aria-live") == "polite"
    assert "2 400 000" in total.inner_text().replace("\u00a0", " ")
    shot(page, "budget-20-ballot-over-phone")
    page.get_by_role("button", name="Далі: перевірити вибір").press("Enter")
    page.wait_for_load_state()
    error = page.locator("#ballot-error")
    assert "400 000" in error.inner_text().replace("\u00a0", " "), page.content()[:3000]
    # Nothing is lost: the three choices are still ticked, and nothing was cast.
    assert [page.get_by_role("checkbox").nth(i).is_checked() for i in range(4)] == [True, True, True, False]
    assert not Ballot.objects.filter(category=ballot["large"]).exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "budget-21-ballot-refused-phone")
