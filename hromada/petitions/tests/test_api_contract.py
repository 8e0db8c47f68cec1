"""The API's contract (security issue 8, finding 7): tokens on GET operations, JSON
errors everywhere under /api/, errors documented in the OpenAPI."""

import pytest
from django.test import Client

from hromada.accounts import services as account_services
from hromada.petitions.tests.factories import PetitionFactory

pytestmark = pytest.mark.django_db


def _bearer(user) -> dict:
    _row, raw = account_services.api_token_create(user=user, name="contract")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_an_author_reads_their_own_petition_in_moderation_with_a_token(hromada):
    petition = PetitionFactory(hromada=hromada)
    path = f"/api/v1/petitions/{petition.public_id}"
    client = Client()
    assert client.get(path).status_code == 404  # not public yet
    response = client.get(path, **_bearer(petition.author))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "moderation"


def test_a_bad_token_on_a_get_is_refused_not_ignored(hromada):
    response = Client().get("/api/v1/petitions", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


@pytest.mark.parametrize(
    "method, path",
    [
        ("post", "/api/v1/petitions/not-a-uuid/sign"),
        ("get", "/api/v1/petitions/not-a-uuid"),
        ("get", "/api/v1/petitions/not-a-uuid/signatures"),
    ],
)
def test_a_malformed_petition_id_is_a_json_404(hromada, method, path):
    response = getattr(Client(), method)(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_body_over_the_limit_is_a_json_413(hromada, moderator, settings):
    petition = PetitionFactory(hromada=hromada)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post(
        f"/api/v1/petitions/{petition.public_id}/reject",
        data='{"reason": "duplicate", "comment": "' + "x" * 2000 + '"}',
        content_type="application/json",
        **_bearer(moderator),
    )
    assert response.status_code == 413, response.content[:300]
    assert response.json()["code"] == "request_too_large"
