"""Signing in (and up) by identity: an anonymous visitor verifies through the
development identity provider, whose server-to-server calls go over real HTTP to
the live server, and either lands in the account bound to that person or
completes a password-less sign-up with an e-mail address."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from hromada.accounts import rules, services
from hromada.accounts.identity import taxnumber
from hromada.accounts.identity.base import VerifiedPerson
from hromada.accounts.identity.dev_idp import dev_people
from hromada.accounts.identity.pending import PENDING_SALT, PENDING_SESSION_KEY
from hromada.accounts.models import Identity, User
from hromada.accounts.tests.factories import UserFactory
from hromada.tenancy.models import IdentityLevel

from .helpers import _path, authorize, run_flow, start

pytestmark = pytest.mark.django_db(transaction=True)

SIGNUP = "/accounts/signup/verified/"


@pytest.fixture
def dev_idp(settings, live_server, hromada):
    settings.DEV_IDP_INTERNAL_URL = live_server.url + "/dev-idp"
    return live_server


@pytest.fixture
def anonymous():
    return Client()


def dev_person(index: int) -> VerifiedPerson:
    chosen = dev_people()[index]
    return VerifiedPerson(
        last_name=chosen.last_name,
        first_name=chosen.first_name,
        middle_name=chosen.middle_name,
        tax_number=chosen.tax_number,
        auth_type="dig_sign",
        provider="idgovua",
    )


def account_of(person_index: int, *, active: bool = True) -> User:
    """An account already bound to one of the dev IdP's invented people, verified a while ago."""
    user = UserFactory()
    services.identity_verify(user=user, person=dev_person(person_index), method="idgovua")
    Identity.objects.filter(user=user).update(verified_at=timezone.now() - dt.timedelta(days=400))
    User.objects.filter(pk=user.pk).update(is_active=active)
    return user


def logged_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def snapshot() -> tuple:
    return (
        sorted(User.objects.values_list("email", flat=True)),
        sorted(Identity.objects.values_list("tax_hash", "user_id", "method", "verified_at")),
    )


# --- the ways in ---------------------------------------------------------------------------------


def test_login_and_signup_pages_offer_the_providers_and_keep_next(client, hromada):
    for url in ("/accounts/login/", "/accounts/signup/"):
        page = client.get(url, {"next": "/sample/"}).content.decode()
        assert 'href="/accounts/verify/dev/start/?next=/sample/"' in page
        assert 'href="/accounts/verify/idgovua/start/?next=/sample/"' in page
        assert "Увійти через id.gov.ua" in page


def test_the_verify_page_is_open_to_anonymous_visitors(client, hromada):
    page = client.get("/accounts/verify/", {"next": "/sample/"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "Вхід із підтвердженням особи" in body
    assert 'href="/accounts/verify/dev/start/?next=/sample/"' in body
    assert 'href="/accounts/login/?next=/sample/"' in body


# --- a person who already has an account -----------------------------------------------------------


def test_a_known_person_is_logged_in_and_returned_to_next(dev_idp, anonymous):
    owner = account_of(0)
    before = Identity.objects.get(user=owner).verified_at
    response, _callback = run_flow(anonymous, next_url="/sample/", auth_type="diia_id")
    assert response.status_code == 302 and response["Location"] == "/sample/"
    assert logged_in_as(anonymous) == owner.pk
    identity = Identity.objects.get(user=owner)
    assert identity.method == "dev" and identity.auth_type == "diia_id" and identity.verified_at > before
    assert User.objects.count() == 1 and PENDING_SESSION_KEY not in anonymous.session
    assert anonymous.get("/accounts/profile/").status_code == 200


def test_a_disabled_account_is_not_logged_in(dev_idp, anonymous):
    owner = account_of(0, active=False)
    before = snapshot()
    response, _callback = run_flow(anonymous)
    assert response.status_code == 403
    assert "вимкнено" in response.content.decode()
    assert logged_in_as(anonymous) is None and snapshot() == before
    assert not User.objects.get(pk=owner.pk).is_active


def test_a_logged_in_resident_still_only_attaches_and_never_switches_account(dev_idp):
    owner = account_of(0)
    before = snapshot()
    other = UserFactory()
    browser = Client()
    browser.force_login(other)
    response, _callback = run_flow(browser)
    assert response.status_code == 409
    assert "вже підтверджено в іншому обліковому записі" in response.content.decode()
    assert logged_in_as(browser) == other.pk
    assert snapshot()[1] == before[1] and Identity.objects.get().user == owner


# --- a newcomer -------------------------------------------------------------------------------------


def test_a_newcomer_completes_sign_up_with_an_e_mail(dev_idp, anonymous):
    chosen = dev_people()[0]
    response, _callback = run_flow(anonymous, next_url="/sample/")
    assert response.status_code == 302 and response["Location"] == SIGNUP
    assert not User.objects.exists() and not Identity.objects.exists()
    assert logged_in_as(anonymous) is None

    # The session keeps the hash and the names, never the tax number.
    stored = signing.loads(anonymous.session[PENDING_SESSION_KEY], salt=PENDING_SALT)
    assert stored["h"] == taxnumber.tax_hash(chosen.tax_number)
    assert chosen.tax_number not in repr(stored) and chosen.tax_number not in repr(dict(anonymous.session))

    page = anonymous.get(SIGNUP)
    assert page.status_code == 200
    body = page.content.decode()
    assert chosen.full_name in body and chosen.born.strftime("%d.%m.%Y") in body
    assert f'value="{chosen.email}"' in body  # the provider's e-mail, pre-filled
    assert "password" not in body

    done = anonymous.post(SIGNUP, {"email": "Olena.K@Example.test", "display_name": "Олена К."})
    assert done.status_code == 302 and done["Location"] == "/sample/"
    user = User.objects.get()
    assert user.email == "olena.k@example.test" and user.display_name == "Олена К."
    assert not user.has_usable_password() and not user.email_confirmed
    identity = user.identity
    assert identity.tax_hash == taxnumber.tax_hash(chosen.tax_number)
    assert identity.full_name == chosen.full_name and identity.birth_date == chosen.born
    assert identity.method == "dev" and identity.auth_type == "bank_id"
    assert logged_in_as(anonymous) == user.pk
    assert PENDING_SESSION_KEY not in anonymous.session
    assert rules.has_identity_level(user, IdentityLevel.VERIFIED, hromada=None)

    # The confirmation letter went out; its link confirms the address.
    assert [m.to for m in mail.outbox] == [["olena.k@example.test"]]
    link = re.search(r"http://testserver(/accounts/confirm/[^/\s]+/)", mail.outbox[0].body).group(1)
    assert anonymous.get(link).status_code == 302
    user.refresh_from_db()
    assert user.email_confirmed

    # Next time the same person is simply logged in.
    again = Client()
    response, _callback = run_flow(again, next_url="/sample/")
    assert response["Location"] == "/sample/" and logged_in_as(again) == user.pk
    assert User.objects.count() == 1


def test_a_person_without_an_e_mail_from_the_provider_gets_an_empty_field(dev_idp, anonymous):
    assert dev_people()[1].email == ""
    run_flow(anonymous, person="1")
    page = anonymous.get(SIGNUP)
    assert page.context["form"]["email"].value() in (None, "")


def test_a_passwordless_account_can_set_a_password(dev_idp, anonymous):
    run_flow(anonymous)
    anonymous.post(SIGNUP, {"email": "olena@example.test"})
    page = anonymous.get("/accounts/password/change/")
    assert page.status_code == 200
    assert "Встановлення пароля" in page.content.decode()
    assert "old_password" not in page.context["form"].fields
    response = anonymous.post(
        "/accounts/password/change/",
        {"new_password1": "a long enough passphrase", "new_password2": "a long enough passphrase"},
    )
    assert response.status_code == 302
    assert User.objects.get().check_password("a long enough passphrase")
    assert logged_in_as(anonymous) is not None  # the session survives the new password


def test_an_e_mail_that_has_an_account_is_refused_clearly(dev_idp, anonymous):
    UserFactory(email="taken@example.test")
    run_flow(anonymous, person="1", next_url="/sample/")
    before = snapshot()
    page = anonymous.post(SIGNUP, {"email": "Taken@Example.test"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "Обліковий запис з адресою taken@example.test уже існує" in body
    assert "Увійдіть до нього з паролем" in body
    assert 'href="/accounts/login/?next=%2Faccounts%2Fverify%2F%3Fnext%3D%252Fsample%252F"' in body
    assert snapshot() == before and logged_in_as(anonymous) is None
    assert len(mail.outbox) == 0
    # The verified person is still waiting: another address works.
    done = anonymous.post(SIGNUP, {"email": "andrii@example.test"})
    assert done.status_code == 302 and done["Location"] == "/sample/"
    assert User.objects.get(email="andrii@example.test").identity.last_name == "Шевчук"


def test_a_bad_e_mail_or_display_name_is_a_form_error(dev_idp, anonymous):
    run_flow(anonymous)
    before = snapshot()
    for data, message in (
        ({"email": "not an email"}, "коректну email адресу"),
        ({"email": ""}, "Це поле обов"),
        ({"email": "x@example.test", "display_name": "я" * 151}, "150"),
    ):
        page = anonymous.post(SIGNUP, data)
        assert page.status_code == 400 and message in page.content.decode()
    assert snapshot() == before
    assert anonymous.get(SIGNUP).status_code == 200  # still waiting


def test_the_person_takes_an_account_elsewhere_meanwhile(dev_idp, anonymous):
    run_flow(anonymous)
    owner = account_of(0)  # e.g. finished sign-up in another browser
    before = snapshot()
    page = anonymous.post(SIGNUP, {"email": "second@example.test"})
    assert page.status_code == 409
    assert "вже підтверджено в іншому обліковому записі" in page.content.decode()
    assert snapshot() == before and Identity.objects.get().user == owner
    assert PENDING_SESSION_KEY not in anonymous.session and logged_in_as(anonymous) is None
    assert mail.outbox == []


def test_cancelling_forgets_the_person(dev_idp, anonymous):
    run_flow(anonymous)
    response = anonymous.post(SIGNUP, {"cancel": "1", "email": "x@example.test"})
    assert response.status_code == 302
    assert PENDING_SESSION_KEY not in anonymous.session
    assert not User.objects.exists() and not Identity.objects.exists()


def test_a_logged_in_visitor_is_sent_to_the_profile(dev_idp, anonymous):
    run_flow(anonymous)
    anonymous.force_login(UserFactory())
    before = snapshot()
    assert anonymous.post(SIGNUP, {"email": "x@example.test"})["Location"] == "/accounts/profile/"
    assert snapshot() == before and PENDING_SESSION_KEY not in anonymous.session


# --- forged, stale and replayed --------------------------------------------------------------------


def _set_pending(client, value) -> None:
    session = client.session
    session[PENDING_SESSION_KEY] = value
    session.save()


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda v: v[:-1] + ("A" if v[-1] != "A" else "B"), id="signature-changed"),
        pytest.param(
            lambda v: signing.dumps({"h": "0" * 64, "l": "Підробка", "f": "Х"}, salt="another"),
            id="another-salt",
        ),
        pytest.param(
            lambda v: signing.dumps({"h": "0" * 64}, salt=PENDING_SALT, key="not-our-secret"),
            id="another-key",
        ),
        pytest.param(lambda v: signing.dumps({"h": "0" * 64}, salt=PENDING_SALT), id="incomplete"),
        pytest.param(lambda v: "garbage", id="garbage"),
    ],
)
def test_tampered_pending_data_is_refused_and_creates_nothing(dev_idp, anonymous, tamper):
    run_flow(anonymous)
    _set_pending(anonymous, tamper(anonymous.session[PENDING_SESSION_KEY]))
    before = snapshot()
    page = anonymous.post(SIGNUP, {"email": "forger@example.test"})
    assert page.status_code == 400
    assert "пошкоджено" in page.content.decode()
    assert snapshot() == before and not User.objects.exists()
    assert PENDING_SESSION_KEY not in anonymous.session and logged_in_as(anonymous) is None


def test_pending_data_expires_after_fifteen_minutes(dev_idp, anonymous, monkeypatch):
    sixteen_minutes_ago = int(timezone.now().timestamp()) - 16 * 60
    monkeypatch.setattr(
        signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(sixteen_minutes_ago)
    )
    response, _callback = run_flow(anonymous)
    monkeypatch.undo()
    assert response["Location"] == SIGNUP
    page = anonymous.post(SIGNUP, {"email": "late@example.test"})
    assert page.status_code == 400 and "Минуло понад 15 хвилин" in page.content.decode()
    assert PENDING_SESSION_KEY not in anonymous.session  # the stale entry is dropped
    assert not User.objects.exists() and not Identity.objects.exists()


def test_no_pending_person_sends_back_to_verification(hromada, anonymous):
    page = anonymous.post(SIGNUP, {"email": "nobody@example.test"})
    assert page.status_code == 400 and "Спершу підтвердьте особу" in page.content.decode()
    assert not User.objects.exists()


def test_a_replayed_callback_for_a_newcomer_is_refused(dev_idp, anonymous):
    first, callback = run_flow(anonymous)
    assert first["Location"] == SIGNUP
    pending = anonymous.session[PENDING_SESSION_KEY]
    again = anonymous.get(_path(callback))
    assert again.status_code == 400 and "код авторизації вже використано" in again.content.decode()
    assert anonymous.session[PENDING_SESSION_KEY] == pending  # nothing new was stored
    thief = Client()
    stolen = thief.get(_path(callback))
    assert stolen.status_code == 400
    assert PENDING_SESSION_KEY not in thief.session and logged_in_as(thief) is None
    assert not User.objects.exists() and not Identity.objects.exists()


def test_a_replayed_callback_for_a_known_person_logs_nobody_in(dev_idp, anonymous):
    owner = account_of(0)
    first, callback = run_flow(anonymous)
    assert logged_in_as(anonymous) == owner.pk
    before = snapshot()
    thief = Client()
    stolen = thief.get(_path(callback))
    assert stolen.status_code == 400 and "код авторизації вже використано" in stolen.content.decode()
    assert logged_in_as(thief) is None and snapshot() == before


def test_a_callback_in_another_browser_is_refused(dev_idp, anonymous):
    account_of(0)
    callback = authorize(anonymous, start(anonymous))
    other = Client()
    response = other.get(_path(callback))
    assert response.status_code == 400 and "не належить до вашого сеансу" in response.content.decode()
    assert logged_in_as(other) is None and logged_in_as(anonymous) is None


# --- the demo journey, with a real HTTP client as the browser ---------------------------------------------


@pytest.fixture
def ledger_wiped_after():
    """Acting (as signing does) writes the append-only ledger, which refuses the flush that ends a
    transactional test; empty it the sanctioned way."""
    from hromada.ledger.db import wipe_ledger_for_tests

    yield
    wipe_ledger_for_tests()


def test_newcomer_acts_in_a_module_without_an_e_mail_round_trip(dev_idp, hromada, ledger_wiped_after):
    """Sign-up by identity lands a newcomer on the module's page, able at once to do what
    needs a verified person (the sample module's action; signing a petition is the same)."""
    from hromada.core.tests.sample.models import Thing
    from hromada.ledger.models import LedgerEntry

    module_path = "/sample/"
    chosen = dev_people()[2]
    with httpx.Client(base_url=dev_idp.url, follow_redirects=False, timeout=10) as http:

        def csrf(page) -> str:
            return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

        login = http.get("/accounts/login/", params={"next": module_path})
        start_url = re.search(r'href="(/accounts/verify/dev/start/\?next=[^"]+)"', login.text).group(1)
        authorize_url = http.get(start_url.replace("&amp;", "&")).headers["location"]
        assert authorize_url.startswith(dev_idp.url + "/dev-idp/?")
        form = http.get(authorize_url)
        chosen_response = http.post(
            authorize_url, data={"csrfmiddlewaretoken": csrf(form), "person": "2", "auth_type": "bank_id"}
        )
        callback = http.get(chosen_response.headers["location"])
        assert callback.status_code == 302 and callback.headers["location"] == SIGNUP

        signup = http.get(SIGNUP)
        assert signup.status_code == 200 and f'value="{chosen.email}"' in signup.text
        done = http.post(SIGNUP, data={"csrfmiddlewaretoken": csrf(signup), "email": chosen.email})
        assert done.status_code == 302 and done.headers["location"] == module_path

        page = http.get(module_path)
        acted = http.post("/sample/act", data={"csrfmiddlewaretoken": csrf(page)})
        assert acted.status_code == 302, acted.text[:500]
    user = User.objects.get(email=chosen.email)
    assert not user.email_confirmed  # the "verified" level does not wait for the letter
    thing = Thing.objects.get(owner=user)
    assert thing.hromada_id == hromada.pk
    assert LedgerEntry.objects.get(hromada=hromada, kind="sample.signed").payload == {"thing": thing.pk}
