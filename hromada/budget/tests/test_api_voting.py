"""The voting API through HTTP: casting, the stable error codes, my ballots, the
residence, school ballots; cross-hromada."""

from __future__ import annotations

import pytest
from django.test import Client

from hromada.accounts import services as account_services
from hromada.accounts.tests.factories import staff_user
from hromada.budget.models import Ballot, Category, CategoryKind
from hromada.budget.services.cycles import CategorySpec
from hromada.budget.services.school_codes import codes_issue

from .factories import category, make_cycle
from .helpers_voting import add_projects, ids, publish, resident, voting_cycle

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    _row, raw = account_services.api_token_create(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(path, body, **headers):
    return Client().post(path, body, content_type="application/json", **headers)


def test_cast_then_second_ballot_then_my_ballots(hromada):
    cycle = voting_cycle(hromada)
    small = category(cycle, "small")
    user = resident(cycle)
    auth = _auth(user)
    path = f"/api/v1/budget/categories/{small.public_id}/ballots"
    response = _post(path, {"choices": ids(small)[:2]}, **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "online" and body["choices"] == ids(small)[:2] and len(body["receipt"]) == 32
    again = _post(path, {"choices": ids(small)[:1]}, **auth)
    assert again.status_code == 409 and again.json()["code"] == "already_voted"
    over = _post(
        f"/api/v1/budget/categories/{category(cycle, 'large').public_id}/ballots",
        {"choices": ids(category(cycle, "large"))[:3]},
        **auth,
    )
    assert over.status_code == 400 and over.json()["code"] == "over_pot" and over.json()["field"] == "choices"
    mine = Client().get(f"/api/v1/budget/cycles/{cycle.slug}/my-ballots", **auth)
    assert mine.status_code == 200
    items = mine.json()["items"]
    assert [i["category_title"] for i in items] == ["Малі проєкти"] and items[0]["receipt"] == body["receipt"]
    assert Ballot.objects.count() == 1


def test_anonymous_and_unknown(hromada):
    cycle = voting_cycle(hromada)
    small = category(cycle, "small")
    path = f"/api/v1/budget/categories/{small.public_id}/ballots"
    assert _post(path, {"choices": ids(small)[:1]}).status_code == 401
    user = resident(cycle)
    missing = _post(
        "/api/v1/budget/categories/00000000-0000-0000-0000-000000000000/ballots",
        {"choices": []},
        **_auth(user),
    )
    assert missing.status_code == 404 and missing.json()["code"] == "category_not_found"
    assert Ballot.objects.count() == 0


def test_cross_hromada_category_is_not_found(hromada, other_hromada, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    cycle = voting_cycle(hromada)
    small = category(cycle, "small")
    user = resident(cycle)
    response = Client(HTTP_HOST=other_hromada.hosts[0]).post(
        f"/api/v1/budget/categories/{small.public_id}/ballots",
        {"choices": ids(small)[:1]},
        content_type="application/json",
        **_auth(user),
    )
    assert response.status_code == 404
    assert Ballot.objects.count() == 0


def test_residency_api_refuses_an_unknown_address(hromada):
    from hromada.places.tests.geo_fixtures import build_geo

    build_geo(hromada)
    cycle = voting_cycle(hromada)
    from .helpers_voting import voter

    user, _n = voter()
    auth = _auth(user)
    bad = _post(f"/api/v1/budget/cycles/{cycle.slug}/residency", {"address": "вулиця Неіснуюча, 1"}, **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "address_not_found"
    good = _post(f"/api/v1/budget/cycles/{cycle.slug}/residency", {"address": "вулиця Шевченка, 12а"}, **auth)
    assert good.status_code == 200, good.content
    assert good.json()["inside_hromada"] is True


def test_school_ballot_api(hromada):
    spec = CategorySpec(
        title="Школа № 1",
        slug="school1",
        kind=CategoryKind.SCHOOL,
        pot=100_000,
        max_cost=50_000,
        rule="approval",
        max_choices=1,
        school="Ліцей № 1",
    )
    cycle = make_cycle(hromada, current="voting", categories=[spec])
    school = Category.objects.get(cycle=cycle)
    add_projects(school, [30_000, 40_000])
    publish(cycle)
    _batch, codes = codes_issue(category=school, actor=staff_user(hromada, "officer"), size=2, label="7-А")
    path = f"/api/v1/budget/categories/{school.public_id}/school-ballots"
    ok = _post(path, {"code": codes[0].lower(), "choices": ids(school)[:1]})
    assert ok.status_code == 201, ok.content
    assert ok.json()["channel"] == "school"
    used = _post(path, {"code": codes[0], "choices": ids(school)[:1]})
    assert used.status_code == 409 and used.json()["code"] == "school_code_used"
    forged = _post(path, {"code": "ABCDE-FGHJK", "choices": ids(school)[:1]})
    assert forged.status_code == 400 and forged.json()["code"] == "school_code_invalid"
    assert Ballot.objects.count() == 1
