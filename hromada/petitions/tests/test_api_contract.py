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
