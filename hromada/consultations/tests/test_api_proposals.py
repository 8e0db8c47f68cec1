"""The proposals API through HTTP: the text, the list (paginated, filtered), one
proposal, submitting with stable error codes, support once."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.consultations.models import Proposal
from hromada.consultations.services import proposals as svc

from .factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(hromada):
    return make_consultation(hromada, kind="discussion", anonymous=False)


def test_text_and_proposals_read(client, discussion):
    p12 = discussion.paragraphs.get(number="1.2")
    svc.proposal_submit(
        consultation=discussion, user=verified_user(), title="Т", wording="Нова", paragraph=p12
    )
    body = client.get(f"/api/v1/consultations/{discussion.number}/text").json()
    assert [(p["number"], p["heading"], p["proposals"]) for p in body["paragraphs"]] == [
        ("1", True, 0),
        ("1.1", False, 0),
        ("1.2", False, 1),
    ]
    listed = client.get(
        f"/api/v1/consultations/{discussion.number}/proposals", {"paragraph": str(p12.public_id)}
    ).json()
    assert listed["count"] == 1 and listed["items"][0]["paragraph"] == "1.2"
    one = client.get(f"/api/v1/consultations/{discussion.number}/proposals/1").json()
    assert one["wording"] == "Нова" and one["status"] == "pending"
    assert (
        client.get(f"/api/v1/consultations/{discussion.number}/proposals/9").json()["code"]
        == "proposal_not_found"
    )
    assert client.get("/api/v1/consultations/99/text").json()["code"] == "consultation_not_found"


def test_submit_through_http_with_codes(client, discussion):
    url = f"/api/v1/consultations/{discussion.number}/proposals"
    p12 = discussion.paragraphs.get(number="1.2")
    assert client.post(url, {"title": "Т"}, content_type="application/json").status_code == 401
    client.force_login(verified_user())
    response = client.post(
        url, {"title": "Т", "paragraph": str(p12.public_id)}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "wording_required",
        "message": response.json()["message"],
        "field": "wording",
    }
    response = client.post(
        url,
        {"title": "Т", "wording": "x", "paragraph": "00000000-0000-0000-0000-000000000000"},
        content_type="application/json",
    )
    assert response.json()["code"] == "paragraph_invalid"
    response = client.post(
        url,
        {"title": "Строк", "wording": "1.2. Інакше.", "paragraph": str(p12.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["number"] == 1
    assert Proposal.objects.count() == 1


def test_support_once_through_http(client, discussion):
    author = verified_user()
    svc.proposal_submit(consultation=discussion, user=author, title="Т", wording="x")
    url = f"/api/v1/consultations/{discussion.number}/proposals/1/support"
    client.force_login(author)
    assert client.post(url).json()["code"] == "own_proposal"
    client.force_login(verified_user())
    first = client.post(url)
    assert first.status_code == 201 and first.json()["support_count"] == 1
    again = client.post(url)
    assert again.status_code == 409 and again.json()["code"] == "already_supported"
    client.force_login(UserFactory(email_confirmed_at=None))
    assert client.post(url).json()["code"] == "email_unconfirmed"


def test_closed_and_other_hromada(client, hromada, other_hromada):
    closed = make_consultation(hromada, kind="discussion", current="report")
    client.force_login(verified_user())
    response = client.post(
        f"/api/v1/consultations/{closed.number}/proposals", {"title": "Т"}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "closed"
    foreign = make_consultation(other_hromada, kind="discussion", title="Чужа")
    svc.proposal_submit(consultation=foreign, user=verified_user(), title="Чужа", wording="x")
    # The test client's host is this hromada: the other's consultation number 1 is not reached.
    listed = client.get(f"/api/v1/consultations/{closed.number}/proposals").json()
    assert listed["count"] == 0
