"""The id.gov.ua client against an id.gov.ua look-alike and an EUSignCP
decryption sidecar running in a thread of this process."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from hromada.accounts.identity import taxnumber
from hromada.accounts.models import Identity
from hromada.accounts.tests.factories import UserFactory

from .fake_servers import FakeIdGovUa

pytestmark = pytest.mark.django_db

TAX = taxnumber.make(dt.date(1999, 7, 21), 2208)


@pytest.fixture
def idgovua(settings, hromada):
    with FakeIdGovUa() as fake:
        fake.person["drfocode"] = TAX
        settings.IDGOVUA_BASE_URL = fake.url
        settings.IDGOVUA_CLIENT_ID = fake.client_id
        settings.IDGOVUA_CLIENT_SECRET = fake.client_secret
        settings.IDGOVUA_DECRYPT_URL = fake.url
        yield fake


@pytest.fixture
def browser():
    client = Client()
    client.user = UserFactory()
    client.force_login(client.user)
    return client


def flow_of(browser) -> dict:
    """Start a flow: the `state` and this flow's own `flow` binding the callback carries."""
    response = browser.get("/accounts/verify/idgovua/start/")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    redirect = parse_qs(urlsplit(query["redirect_uri"][0]).query)
    return {"state": query["state"][0], "flow": redirect["flow"][0]}


def test_encrypted_user_info_is_opened_by_the_sidecar(browser, idgovua):
    response = browser.get("/accounts/verify/idgovua/callback/", {"code": "good-code", **flow_of(browser)})
    assert response.status_code == 302
    identity = Identity.objects.get(user=browser.user)
    assert identity.full_name == "Бондаренко Ірина Василівна"
    assert identity.method == "idgovua" and identity.auth_type == "diia_id"
    assert identity.birth_date == dt.date(1999, 7, 21)

    paths = [r["path"] for r in idgovua.requests]
    assert paths == [
        "/get-access-token",
        "/api/v1/certificate",
        "/get-user-info",
        "/api/v1/decrypt",
        "/get-user-logout",
    ]
    token_call = idgovua.requests[0]
    # The secret travels in the form body, never in the URL or as HTTP Basic.
    assert token_call["method"] == "POST" and token_call["raw_query"] == ""
    assert "client_secret=rp-secret" in token_call["body"].decode()
    assert "Authorization" not in token_call["headers"]
    info_call = idgovua.requests[2]
    # The certificate is URL-encoded twice in the URL ("+" -> %2B -> %252B).
    assert "cert=MIIB%252Bbase64%252Fcertificate%253D%253D" in info_call["raw_query"]
    fields = parse_qs(info_call["raw_query"])["fields"][0].split(",")
    # Only what is kept, plus the e-mail that pre-fills a newcomer's sign-up form.
    assert set(fields) == {"lastname", "givenname", "middlename", "drfocode", "auth_type", "email"}


def test_anonymous_newcomer_through_id_gov_ua_gets_the_e_mail_pre_filled(idgovua, client):
    idgovua.person["email"] = "Iryna.B@Example.test"
    flow = flow_of(client)
    response = client.get("/accounts/verify/idgovua/callback/", {"code": "good-code", **flow})
    assert response.status_code == 302 and response["Location"] == "/accounts/signup/verified/"
    page = client.get("/accounts/signup/verified/")
    assert page.status_code == 200
    assert page.context["form"].initial["email"] == "iryna.b@example.test"
    assert "Бондаренко Ірина Василівна" in page.content.decode()
    assert not Identity.objects.exists()


def test_an_e_mail_that_is_not_one_is_not_offered(idgovua, client):
    idgovua.person["email"] = "n/a"
    flow = flow_of(client)
    client.get("/accounts/verify/idgovua/callback/", {"code": "good-code", **flow})
    page = client.get("/accounts/signup/verified/")
    assert page.status_code == 200 and page.context["form"].initial["email"] == ""


def test_plain_json_when_no_sidecar_is_configured(browser, idgovua, settings):
    settings.IDGOVUA_DECRYPT_URL = ""
    response = browser.get("/accounts/verify/idgovua/callback/", {"code": "good-code", **flow_of(browser)})
    assert response.status_code == 302
    assert "cert" not in parse_qs(idgovua.requests[1]["raw_query"])


def test_encrypted_answer_without_sidecar_is_a_clear_error(browser, idgovua, settings):
    settings.IDGOVUA_DECRYPT_URL = ""
    idgovua.always_encrypt = True
    response = browser.get("/accounts/verify/idgovua/callback/", {"code": "good-code", **flow_of(browser)})
    assert response.status_code == 502
    assert "Не вдалося розшифрувати" in response.content.decode()
    assert not Identity.objects.exists()


def test_unknown_code_and_wrong_secret(browser, idgovua, settings):
    response = browser.get("/accounts/verify/idgovua/callback/", {"code": "bad-code", **flow_of(browser)})
    assert response.status_code == 400 and "код авторизації" in response.content.decode()
    settings.IDGOVUA_CLIENT_SECRET = "wrong"
    response = browser.get("/accounts/verify/idgovua/callback/", {"code": "good-code", **flow_of(browser)})
    assert response.status_code == 502
    assert "відповів помилкою" in response.content.decode()
    assert not Identity.objects.exists()


def test_n_a_names_are_treated_as_missing(browser, idgovua):
    idgovua.person["givenname"] = "n/a"
    response = browser.get("/accounts/verify/idgovua/callback/", {"code": "good-code", **flow_of(browser)})
    assert response.status_code == 400
    assert "не передав прізвище та ім" in response.content.decode()


def test_missing_configuration(browser, settings, hromada):
    settings.IDGOVUA_CLIENT_ID = ""
    response = browser.get("/accounts/verify/idgovua/start/")
    assert response.status_code == 503
    assert "налаштовано неповністю" in response.content.decode()
