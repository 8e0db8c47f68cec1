"""The generic OpenID Connect client against a tiny provider running in a thread
of this process (discovery, JWKS from a generated RSA key, token, userinfo)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from hromada.accounts.identity import taxnumber
from hromada.accounts.models import Identity
from hromada.accounts.tests.factories import UserFactory

from .fake_servers import FakeOidcProvider

pytestmark = pytest.mark.django_db

TAX = taxnumber.make(dt.date(1972, 11, 2), 3517)


@pytest.fixture
def provider(settings, hromada):
    with FakeOidcProvider() as fake:
        fake.claims["drfocode"] = TAX
        settings.OIDC_ISSUER = fake.issuer
        settings.OIDC_CLIENT_ID = fake.client_id
        settings.OIDC_CLIENT_SECRET = fake.client_secret
        settings.OIDC_TAX_CLAIM = "drfocode"
        settings.OIDC_TOKEN_AUTH = ""
        yield fake


@pytest.fixture
def browser():
    client = Client()
    client.user = UserFactory()
    client.force_login(client.user)
    return client


def begin(browser, provider, next_url="/sample/") -> tuple[dict, str]:
    """Start the flow; play the provider's authorize page; return the callback query."""
    response = browser.get("/accounts/verify/oidc/start/", {"next": next_url})
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(provider.url + "/authorize?")
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    code = provider.issue_code(
        nonce=query["nonce"], challenge=query["code_challenge"], redirect_uri=query["redirect_uri"]
    )
    return query, code


def callback(browser, query, code):
    return browser.get("/accounts/verify/oidc/callback/", {"code": code, "state": query["state"]})


def test_authorization_request_uses_pkce_state_and_nonce(browser, provider):
    query, _code = begin(browser, provider)
    assert query["response_type"] == "code"
    assert query["client_id"] == provider.client_id
    assert "openid" in query["scope"].split()
    assert query["code_challenge_method"] == "S256"
    assert len(query["state"]) >= 40 and len(query["nonce"]) >= 20
    assert query["redirect_uri"] == "http://testserver/accounts/verify/oidc/callback/"


def test_successful_verification(browser, provider):
    query, code = begin(browser, provider)
    response = callback(browser, query, code)
    assert response.status_code == 302 and response["Location"] == "/sample/"
    identity = Identity.objects.get(user=browser.user)
    assert identity.full_name == "Шевчук Андрій Миколайович"
    assert identity.birth_date == dt.date(1972, 11, 2)
    assert identity.method == "oidc"
    assert identity.tax_hash == taxnumber.tax_hash(TAX)
    # Discovery says basic is supported, so the secret went in the Authorization header.
    assert provider.token_auth_seen == ["client_secret_basic"]


def test_client_secret_post(browser, provider, settings):
    settings.OIDC_TOKEN_AUTH = "client_secret_post"
    query, code = begin(browser, provider)
    assert callback(browser, query, code).status_code == 302
    assert provider.token_auth_seen == ["client_secret_post"]


def test_pkce_verifier_is_sent_and_checked(browser, provider):
    query, code = begin(browser, provider)
    callback(browser, query, code)
    token_request = next(r for r in provider.requests if r["path"] == "/token")
    form = {k: v[0] for k, v in parse_qs(token_request["body"].decode()).items()}
    digest = hashlib.sha256(form["code_verifier"].encode()).digest()
    assert base64.urlsafe_b64encode(digest).rstrip(b"=").decode() == query["code_challenge"]


@pytest.mark.parametrize(
    "tamper",
    [
        {"id_token_overrides": {"nonce": "another-nonce"}},
        {"id_token_overrides": {"aud": "someone-else"}},
        {"id_token_overrides": {"iss": "https://impostor.example"}},
        {"id_token_overrides": {"exp": int(time.time()) - 3600}},
        {"sign_with_other_key": True},
    ],
    ids=["nonce", "audience", "issuer", "expired", "signature"],
)
def test_bad_id_tokens_are_refused(browser, provider, tamper):
    for name, value in tamper.items():
        setattr(provider, name, value)
    query, code = begin(browser, provider)
    response = callback(browser, query, code)
    assert response.status_code == 502
    assert "недійсний токен особи" in response.content.decode()
    assert not Identity.objects.exists()


def test_forged_state_and_replayed_code(browser, provider):
    query, code = begin(browser, provider)
    forged = browser.get("/accounts/verify/oidc/callback/", {"code": code, "state": "forged"})
    assert forged.status_code == 400
    assert "не належить до вашого сеансу" in forged.content.decode()
    assert callback(browser, query, code).status_code == 302
    replay = callback(browser, query, code)
    assert replay.status_code == 400
    assert "код авторизації вже використано" in replay.content.decode()


def test_code_rejected_by_the_provider(browser, provider):
    query, code = begin(browser, provider)
    provider.codes[code]["used"] = True
    response = callback(browser, query, code)
    assert response.status_code == 400
    assert "код авторизації вже використано" in response.content.decode()


def test_missing_tax_claim(browser, provider):
    provider.claims["drfocode"] = ""
    query, code = begin(browser, provider)
    response = callback(browser, query, code)
    assert response.status_code == 400
    assert "не передав РНОКПП" in response.content.decode()


def test_configurable_tax_claim(browser, provider, settings):
    settings.OIDC_TAX_CLAIM = "tax_id"
    provider.claims["drfocode"] = ""
    provider.claims["tax_id"] = TAX
    query, code = begin(browser, provider)
    assert callback(browser, query, code).status_code == 302
    assert Identity.objects.get().tax_hash == taxnumber.tax_hash(TAX)


def test_user_cancelled_at_the_provider(browser, provider):
    query, _code = begin(browser, provider)
    response = browser.get(
        "/accounts/verify/oidc/callback/", {"error": "access_denied", "state": query["state"]}
    )
    assert response.status_code == 400
    assert "Ви скасували" in response.content.decode()


def test_unconfigured_or_unreachable_provider(browser, settings, hromada):
    settings.OIDC_ISSUER = ""
    response = browser.get("/accounts/verify/oidc/start/")
    assert response.status_code == 503
    assert "налаштовано неповністю" in response.content.decode()
    from .fake_servers import free_port

    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.OIDC_CLIENT_ID = "x"
    response = browser.get("/accounts/verify/oidc/start/")
    assert response.status_code == 502
    assert "зараз недоступний" in response.content.decode()
