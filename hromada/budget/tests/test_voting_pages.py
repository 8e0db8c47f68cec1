"""The voting pages: the list, the ballot with its rule and refusal before the button,
the confirmation step, the receipt; the residence page; the staff pages' role matrix."""

from __future__ import annotations

import pytest
from django.test import Client

from hromada.accounts.tests.factories import role_matrix
from hromada.budget.models import Ballot

from .factories import category
from .helpers_voting import ids, resident, voter, voting_cycle

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    if user is not None and user.is_authenticated:
        client.force_login(user)
    return client


def test_the_ballot_page_states_the_rule_and_casts_after_confirmation(hromada):
    cycle = voting_cycle(hromada)
    small, large = category(cycle, "small"), category(cycle, "large")
    user = resident(cycle)
    client = _client(user)
    page = client.get(f"/budget/{cycle.slug}/vote/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Малі проєкти" in text and "Ще не голосували" in text
    ballot_url = f"/budget/{cycle.slug}/vote/{large.public_id}/"
    page = client.get(ballot_url)
    text = page.content.decode()
    assert "2\u00a0000\u00a0000" in text and "aria-live" in text and "остаточний" in text
    # Over the pot: refused with the amount over, nothing stored, the choice kept.
    over = client.post(ballot_url, {"choices": ids(large)[:3]})
    assert over.status_code == 400
    text = over.content.decode()
    assert "400\u00a0000" in text and "checked" in text
    # The confirmation step stores nothing yet.
    step = client.post(ballot_url, {"choices": ids(large)[:2]})
    assert step.status_code == 200 and "Перевірте свій вибір" in step.content.decode()
    assert Ballot.objects.count() == 0
    done = client.post(ballot_url, {"choices": ids(large)[:2], "confirm": "1"})
    assert done.status_code == 302 and done["Location"].endswith("/voted/")
    receipt_page = client.get(done["Location"])
    ballot = Ballot.objects.get()
    assert ballot.voter in receipt_page.content.decode()
    assert f"/ledger/receipt/?receipt={ballot.voter}" in receipt_page.content.decode()
    again = client.post(ballot_url, {"choices": ids(large)[:1], "confirm": "1"})
    assert "Ви вже проголосували" in again.content.decode()
    assert Ballot.objects.count() == 1
    assert "Проголосовано" in client.get(f"/budget/{cycle.slug}/vote/").content.decode()
    assert small  # the small pot is still open for this voter


def test_the_refusal_is_shown_before_the_button(hromada):
    cycle = voting_cycle(hromada)
    small = category(cycle, "small")
    user, _n = voter()  # no residence declared
    page = _client(user).get(f"/budget/{cycle.slug}/vote/{small.public_id}/")
    text = page.content.decode()
    assert "Вкажіть адресу" in text and 'aria-describedby="ballot-refusal"' in text and "disabled" in text
    assert f"/budget/{cycle.slug}/residency/" in text
    anonymous = Client().get(f"/budget/{cycle.slug}/vote/{small.public_id}/")
    assert anonymous.status_code == 200 and "Увійдіть" in anonymous.content.decode()


def test_residency_page_offers_suggestions_and_returns_to_next(hromada):
    from hromada.places.tests.geo_fixtures import build_geo

    build_geo(hromada)
    cycle = voting_cycle(hromada)
    user, _n = voter()
    client = _client(user)
    url = f"/budget/{cycle.slug}/residency/"
    bad = client.post(url, {"address": "вулиця Шевченка, 99", "next": f"/budget/{cycle.slug}/vote/"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "Шевченка" in text and 'name="address"' in text
    good = client.post(url, {"address": "вулиця Шевченка, 12а", "next": f"/budget/{cycle.slug}/vote/"})
    assert good.status_code == 302 and good["Location"] == f"/budget/{cycle.slug}/vote/"
    evil = client.post(url, {"address": "вулиця Шевченка, 12а", "next": "https://evil.example/"})
    assert evil["Location"] == f"/budget/{cycle.slug}/vote/"


STAFF_PAGES = {
    "/staff/budget/paper/": {"admin", "officer", "moderator"},
    "/staff/budget/authorisations/": {"admin", "officer"},
    "/staff/budget/codes/": {"admin", "officer"},
}


@pytest.mark.parametrize("path", list(STAFF_PAGES))
def test_staff_pages_role_matrix(hromada, other_hromada, path):
    voting_cycle(hromada)
    for name, user in role_matrix(hromada, other_hromada).items():
        response = _client(user).get(path)
        if name == "anonymous":
            assert response.status_code == 302, name
        elif name in STAFF_PAGES[path]:
            assert response.status_code == 200, (name, response.status_code)
        else:
            assert response.status_code == 403, (name, response.status_code)
