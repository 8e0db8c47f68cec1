"""The development identity provider keeps only what its flow needs (security issue 8,
finding 8): no clear tax number, code or token at rest, the person forgotten once
handed over, abandoned grants purged within minutes."""

import datetime as dt
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from hromada.accounts.identity import dev_idp
from hromada.accounts.identity.providers import dev_client_credentials
from hromada.accounts.models import DevIdpGrant

pytestmark = pytest.mark.django_db

REDIRECT = "http://testserver/accounts/verify/dev/callback/"


def _authorize(client, **person) -> str:
    client_id, _secret = dev_client_credentials()
    query = {"response_type": "code", "client_id": client_id, "state": "s" * 40, "redirect_uri": REDIRECT}
    url = "/dev-idp/?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = client.post(url, {"person": "custom", "auth_type": "bank_id", **person})
    assert response.status_code == 302, response.content
    return parse_qs(urlsplit(response["Location"]).query)["code"][0]


def _exchange(client, code):
    client_id, secret = dev_client_credentials()
    data = {"grant_type": "authorization_code", "client_id": client_id, "client_secret": secret, "code": code}
    return client.post("/dev-idp/get-access-token", data)


def _row_text() -> str:
    return json.dumps(list(DevIdpGrant.objects.values()), default=str)


def test_no_clear_tax_number_code_or_token_is_kept(client, hromada):
    tax = "3344556677"
    code = _authorize(client, last_name="Тест", first_name="Особа", tax_number=tax)
    stored = _row_text()
    assert tax not in stored and "Тест" not in stored and code not in stored
    token_answer = _exchange(client, code).json()
    stored = _row_text()
    assert tax not in stored and token_answer["access_token"] not in stored
    info = client.post(
        "/dev-idp/get-user-info",
        {"access_token": token_answer["access_token"], "user_id": token_answer["user_id"]},
    )
    assert info.status_code == 200
    assert info.json()["drfocode"] == tax and info.json()["lastname"] == "Тест"
    # Handed over once: the IdP forgets the person at once.
    assert DevIdpGrant.objects.get().person == {}
    # And the code and token stay single-use.
    assert _exchange(client, code).status_code == 400


def test_abandoned_grants_are_purged_within_minutes(client, hromada):
    code = _authorize(client, last_name="Тест", first_name="Особа", tax_number="1122334455")
    assert DevIdpGrant.objects.count() == 1
    later = timezone.now() + dt.timedelta(minutes=16)
    dev_idp.dev_idp_purge(now=later)
    assert not DevIdpGrant.objects.exists()
    assert _exchange(client, code).status_code == 400


def test_the_purge_runs_as_a_job():
    from hromada.core.modules import registry

    paths = {job.path for module in registry.modules() for job in module.jobs}
    assert "hromada.accounts.identity.dev_idp.dev_idp_purge" in paths
