"""Abuse limits on petitions (issue 8, finding 4): submissions per account through the
API and the page, the moderation queue paged, signing never limited."""

from __future__ import annotations

import json

import pytest

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.petitions.models import Petition, Signature, Status
from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """The shipped limits, switched on (the suite runs with them off)."""
    settings.RATE_LIMITS_ENABLED = True
    return settings.RATE_LIMITS


def _allowed(limits, name: str) -> int:
    return int(limits[name].split("/")[0])  # "<count>/<period>"


def _submit(client, category, n: int):
    return client.post(
        "/api/v1/petitions",
        data=json.dumps(
            {
                "title": f"Петиція номер {n} про сквер",
                "text": "Просимо облаштувати сквер. " * 5,
                "category": category.slug,
            }
        ),
        content_type="application/json",
    )


def test_api_submissions_are_limited_per_account(limits, client, hromada):
    category = CategoryFactory(hromada=hromada)
    author = verified_user()
    client.force_login(author)
    allowed = _allowed(limits, "petition.submit")
    for n in range(allowed):
        response = _submit(client, category, n)
        assert response.status_code == 201, response.content
    refused = _submit(client, category, allowed)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    body = refused.json()
    assert body["code"] == "rate_limited" and body["field"] is None
    assert "Забагато запитів" in body["message"]
    assert Petition.objects.filter(author=author).count() == allowed
    # Another resident (from the same address) is not held back by this one.
    client.force_login(verified_user())
    assert _submit(client, category, 99).status_code == 201


def test_page_submissions_are_limited_per_account(limits, client, hromada):
    category = CategoryFactory(hromada=hromada)
    author = verified_user()
    client.force_login(author)
    allowed = _allowed(limits, "petition.submit")

    def submit(n: int):
        return client.post(
            "/petitions/new/",
            {
                "title": f"Петиція номер {n} про сквер",
                "text": "Просимо облаштувати сквер. " * 5,
                "category": category.slug,
            },
        )

    for n in range(allowed):
        assert submit(n).status_code == 302
    refused = submit(allowed)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Забагато запитів" in refused.content.decode()
    assert Petition.objects.filter(author=author).count() == allowed


def test_signing_is_never_limited(limits, settings, client, hromada):
    settings.RATE_LIMITS = {**limits, "api.write": "1/m", "api.write:address": "1/m"}
    petitions = [collecting(hromada=hromada) for _ in range(3)]
    client.force_login(verified_user())
    for p in petitions:
        response = client.post(f"/api/v1/petitions/{p.public_id}/sign", content_type="application/json")
        assert response.status_code == 201, response.content
    assert Signature.objects.count() == 3


def test_the_moderation_queue_is_paged_with_a_maximum(client, hromada):
    PetitionFactory.create_batch(130, hromada=hromada, author=verified_user())
    assert Petition.objects.filter(status=Status.MODERATION).count() == 130
    client.force_login(staff_user(hromada, "moderator"))
    body = client.get("/api/v1/staff/petitions/moderation").json()
    assert body["count"] == 130 and len(body["items"]) == 20
    page = client.get("/api/v1/staff/petitions/moderation", {"page": 7}).json()
    assert len(page["items"]) == 10
    big = client.get("/api/v1/staff/petitions/moderation", {"page_size": 100000}).json()
    assert len(big["items"]) == 100
