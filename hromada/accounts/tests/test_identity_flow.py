"""The id.gov.ua flow end to end against the built-in development identity
provider, with every server-to-server call going over real HTTP to the live
server: redirect -> authorize page -> callback -> get-access-token ->
get-user-info -> get-user-logout."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from hromada.accounts.identity import taxnumber
from hromada.accounts.identity.dev_idp import dev_people
from hromada.accounts.identity.providers import dev_client_credentials
from hromada.accounts.models import DevIdpGrant, Identity
from hromada.accounts.tests.factories import UserFactory

from .fake_servers import free_port
from .helpers import _path, authorize, run_flow, start

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dev_idp(settings, live_server, hromada):
    """The browser talks to the test client's host; the server calls the dev IdP
    on the live server over HTTP."""
    settings.DEV_IDP_INTERNAL_URL = live_server.url + "/dev-idp"
    return live_server


@pytest.fixture
def browser(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def test_authorization_redirect_carries_the_id_gov_ua_parameters(dev_idp, browser):
    url = start(browser)
    parts = urlsplit(url)
    assert parts.path == "/dev-idp/"
    query = parse_qs(parts.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [dev_client_credentials()[0]]
    assert query["auth_type"] == ["dig_sign,bank_id,diia_id"]
    assert len(query["state"][0]) >= 40
    # Each flow has its own redirect (bound to its state in the session, see flows).
    redirect = urlsplit(query["redirect_uri"][0])
    assert (
        f"{redirect.scheme}://{redirect.netloc}{redirect.path}"
        == "http://testserver/accounts/verify/dev/callback/"
    )
    assert len(parse_qs(redirect.query)["flow"][0]) >= 20


def test_the_redirect_binding_can_be_switched_off_for_an_exact_registration(dev_idp, browser, settings):
    settings.IDGOVUA_BIND_REDIRECT = False
    query = parse_qs(urlsplit(start(browser)).query)
    assert query["redirect_uri"] == ["http://testserver/accounts/verify/dev/callback/"]
    response, _callback = run_flow(browser, next_url="/sample/")
    assert response.status_code == 302 and response["Location"] == "/sample/"
    assert Identity.objects.filter(user=browser.user).exists()


def test_verification_succeeds_and_returns_to_next(dev_idp, browser):
    response, _callback = run_flow(browser, next_url="/sample/")
    assert response.status_code == 302 and response["Location"] == "/sample/"
    identity = Identity.objects.get(user=browser.user)
    chosen = dev_people()[0]
    assert identity.full_name == chosen.full_name
    assert identity.birth_date == chosen.born  # derived from the tax number
    assert identity.tax_hash == taxnumber.tax_hash(chosen.tax_number)
    assert identity.method == "dev" and identity.auth_type == "bank_id"
    # The IdP forgot the person after get-user-logout.
    assert DevIdpGrant.objects.get().person == {}


def test_next_pointing_elsewhere_is_dropped(dev_idp, browser):
    response, _callback = run_flow(browser, next_url="https://evil.example/steal")
    assert response["Location"] == "/accounts/profile/"


def test_forged_state_is_refused(dev_idp, browser):
    callback = authorize(browser, start(browser))
    query = parse_qs(urlsplit(callback).query)
    response = browser.get("/accounts/verify/dev/callback/", {"code": query["code"][0], "state": "forged"})
    assert response.status_code == 400
    assert "не належить до вашого сеансу" in response.content.decode()
    assert not Identity.objects.exists()


def test_state_from_another_session_is_refused(dev_idp, browser):
    callback = authorize(browser, start(browser))
    other = Client()
    other.force_login(UserFactory())
    response = other.get(_path(callback))
    assert response.status_code == 400
    assert "не належить до вашого сеансу" in response.content.decode()
    assert not Identity.objects.exists()


def test_replayed_callback_is_refused(dev_idp, browser):
    first, callback = run_flow(browser)
    assert first.status_code == 302
    before = Identity.objects.get().verified_at
    again = browser.get(_path(callback))
    assert again.status_code == 400
    assert "код авторизації вже використано" in again.content.decode()
    assert Identity.objects.get().verified_at == before


def test_code_used_by_someone_else_first_is_refused(dev_idp, browser):
    callback = authorize(browser, start(browser))
    code = parse_qs(urlsplit(callback).query)["code"][0]
    client_id, secret = dev_client_credentials()
    stolen = httpx.post(
        dev_idp.url + "/dev-idp/get-access-token",
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "client_secret": secret,
            "code": code,
        },
    )
    assert stolen.status_code == 200
    response = browser.get(_path(callback))
    assert response.status_code == 400
    assert "код авторизації вже використано" in response.content.decode()
    assert not Identity.objects.exists()


def test_person_cancelling_at_the_idp(dev_idp, browser):
    url = start(browser)
    response = browser.post(_path(url), {"cancel": "1"})
    callback = response["Location"]
    assert "error=access_denied" in callback
    page = browser.get(_path(callback))
    assert page.status_code == 400
    assert "Ви скасували підтвердження особи" in page.content.decode()


def test_idp_error_in_callback(dev_idp, browser):
    query = parse_qs(urlsplit(start(browser)).query)
    flow = parse_qs(urlsplit(query["redirect_uri"][0]).query)["flow"][0]
    page = browser.get(
        "/accounts/verify/dev/callback/", {"error": "server_error", "state": query["state"][0], "flow": flow}
    )
    assert page.status_code == 502
    assert "Сервіс ідентифікації відповів помилкою" in page.content.decode()


def test_unreachable_idp(settings, hromada, browser):
    settings.DEV_IDP_INTERNAL_URL = f"http://127.0.0.1:{free_port()}/dev-idp"
    callback = authorize(browser, start(browser))
    page = browser.get(_path(callback))
    assert page.status_code == 502
    assert "Сервіс ідентифікації зараз недоступний" in page.content.decode()
    assert not Identity.objects.exists()


def test_invalid_tax_number_checksum(dev_idp, browser):
    good = taxnumber.make(dt.date(1990, 5, 5), 1111)
    bad = good[:9] + str((int(good[9]) + 1) % 10)
    page, _callback = run_flow(
        browser, person="custom", last_name="Іваненко", first_name="Іван", tax_number=bad
    )
    assert page.status_code == 400
    assert "РНОКПП має складатися з 10 цифр" in page.content.decode()
    assert not Identity.objects.exists()


def test_missing_tax_number(dev_idp, browser):
    page, _callback = run_flow(browser, person="custom", last_name="Іваненко", first_name="Іван")
    assert page.status_code == 400
    assert "не передав РНОКПП" in page.content.decode()


def test_one_person_one_account_through_the_flow(dev_idp, browser):
    run_flow(browser)
    second = Client()
    second.force_login(UserFactory())
    page, _callback = run_flow(second)
    assert page.status_code == 409
    assert "вже підтверджено в іншому обліковому записі" in page.content.decode()
    assert Identity.objects.count() == 1


def test_the_minor_is_verified_with_their_birth_date(dev_idp, browser):
    minor_index = next(i for i, p in enumerate(dev_people()) if p.note == "молодше 16 років")
    run_flow(browser, person=str(minor_index))
    identity = Identity.objects.get()
    assert (dt.date.today() - identity.birth_date).days < 16 * 365


def test_whole_journey_over_http(live_server, hromada):
    """The browser too is an HTTP client: no test client anywhere."""
    user = UserFactory()
    seed = Client()
    seed.force_login(user)
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10) as http:
        http.cookies.set("sessionid", seed.cookies["sessionid"].value)
        page = http.get("/accounts/verify/", params={"next": "/sample/"})
        assert page.status_code == 200 and "/accounts/verify/dev/start/" in page.text
        start_response = http.get("/accounts/verify/dev/start/", params={"next": "/sample/"})
        authorize_url = start_response.headers["location"]
        assert authorize_url.startswith(live_server.url + "/dev-idp/?")
        form = http.get(authorize_url)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        chosen = http.post(
            authorize_url,
            data={"csrfmiddlewaretoken": token, "person": "1", "auth_type": "diia_id"},
        )
        callback = chosen.headers["location"]
        assert callback.startswith(live_server.url + "/accounts/verify/dev/callback/?flow=")
        done = http.get(callback)
        assert done.status_code == 302 and done.headers["location"] == "/sample/"
    identity = Identity.objects.get(user=user)
    assert identity.full_name == dev_people()[1].full_name and identity.auth_type == "diia_id"


# --- the development IdP's own endpoints -----------------------------------------------------------------


def _grant_code(client, dev_idp) -> str:
    callback = authorize(client, start(client))
    return parse_qs(urlsplit(callback).query)["code"][0]


def test_dev_idp_checks_client_credentials_and_single_use(dev_idp, browser):
    code = _grant_code(browser, dev_idp)
    client_id, secret = dev_client_credentials()
    base = dev_idp.url + "/dev-idp"
    wrong = httpx.post(
        f"{base}/get-access-token",
        data={
            "grant_type": "authorization_code",
            "client_id": client_id,
            "client_secret": "nope",
            "code": code,
        },
    )
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    params = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "client_secret": secret,
        "code": code,
    }
    first = httpx.get(f"{base}/get-access-token", params=params)  # GET works as well as POST
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "user_id"}
    replay = httpx.post(f"{base}/get-access-token", data=params)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"

    info_params = {
        "access_token": body["access_token"],
        "user_id": body["user_id"],
        "fields": "lastname,drfocode",
    }
    info = httpx.post(f"{base}/get-user-info", data=info_params)
    assert info.status_code == 200
    assert info.json() == {"lastname": dev_people()[0].last_name, "drfocode": dev_people()[0].tax_number}
    replayed_token = httpx.post(f"{base}/get-user-info", data=info_params)
    assert replayed_token.status_code == 401 and replayed_token.json()["error"] == "invalid_token"

    logout = httpx.post(
        f"{base}/get-user-logout", params={"access_token": body["access_token"], "user_id": body["user_id"]}
    )
    assert logout.json()["error"] == "0"


def test_dev_idp_refuses_bad_authorize_requests(dev_idp, browser):
    url = start(browser)
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    base = {k: v[0] for k, v in query.items()}
    for change in (
        {"redirect_uri": "https://evil.example/callback"},
        {"client_id": "someone-else"},
        {"response_type": "token"},
        {"state": ""},
    ):
        response = browser.get("/dev-idp/", {**base, **change})
        assert response.status_code == 400
        assert "Запит на ідентифікацію відхилено" in response.content.decode()


def test_dev_idp_form_errors_are_ukrainian(dev_idp, browser):
    url = start(browser)
    response = browser.post(_path(url), {"person": "custom", "auth_type": "bank_id"})
    assert response.status_code == 400
    assert "вкажіть щонайменше прізвище та ім" in response.content.decode()


def test_a_code_is_bound_to_the_state_of_its_own_flow(dev_idp, browser):
    """Security issue 8, finding 7: two sign-ins pending in one session; the code the
    IdP issued for the first is refused with the second's state, whichever
    redirect it is sent to; a state no longer pending is refused."""
    first = authorize(browser, start(browser, next_url="/sample/"))
    second = authorize(browser, start(browser))
    first_query = parse_qs(urlsplit(first).query)
    second_query = parse_qs(urlsplit(second).query)
    swapped = {**{k: v[0] for k, v in first_query.items()}, "state": second_query["state"][0]}
    response = browser.get(urlsplit(first).path, swapped)
    assert response.status_code == 400
    assert not Identity.objects.exists()
    # The first code sent to another flow's own redirect, with that flow's state, is
    # refused too: the token request names the redirect, and the IdP bound the code to it.
    third = authorize(browser, start(browser))
    third_query = parse_qs(urlsplit(third).query)
    moved = {**{k: v[0] for k, v in third_query.items()}, "code": first_query["code"][0]}
    response = browser.get(urlsplit(third).path, moved)
    assert response.status_code == 400
    assert not Identity.objects.exists()
    # The state of a flow no longer pending is refused as well.
    assert browser.get(urlsplit(second).path, {**swapped}).status_code == 400
