"""Resident pages render, and bad input answers in Ukrainian, never with a 500."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail

from hromada.accounts.models import ApiToken, User
from hromada.accounts.tests.factories import IdentityFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def user(hromada):
    return UserFactory(email="olena@example.test")


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/verify/",
        "/accounts/password/reset/",
        "/accounts/password/reset/sent/",
    ],
)
def test_public_pages_render(client, hromada, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "<h1>" in response.content.decode()


@pytest.mark.parametrize("url", ["/accounts/profile/", "/accounts/password/change/"])
def test_private_pages_render_and_need_login(client, user, url):
    assert client.get(url).status_code == 302
    client.force_login(user)
    assert client.get(url).status_code == 200


def test_signup_logs_in_and_confirms_by_link(client, hromada, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "New@Example.test",
                "display_name": "Тарас",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": "/sample/",
            },
        )
    assert response.status_code == 302 and response["Location"] == "/sample/"
    user = User.objects.get(email="new@example.test")
    assert client.get("/accounts/profile/").context["user"] == user
    link = re.search(r"http://testserver(/accounts/confirm/[^/\s]+/)", mail.outbox[0].body).group(1)
    confirmed = client.get(link, follow=True)
    assert "підтверджено" in confirmed.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"email": "x@example.test", "password1": PASSWORD, "password2": "other words"},
            "Паролі не збігаються",
        ),
        ({"email": "olena@example.test", "password1": PASSWORD, "password2": PASSWORD}, "вже існує"),
        ({"email": "not an email", "password1": PASSWORD, "password2": PASSWORD}, "коректну email адресу"),
        ({"email": "x@example.test", "password1": "12345678", "password2": "12345678"}, "пароль"),
        ({}, "Це поле обов"),
    ],
)
def test_signup_bad_input(client, user, data, message):
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert User.objects.count() == 1


def test_confirm_with_a_broken_link(client, hromada):
    response = client.get("/accounts/confirm/garbage/")
    assert response.status_code == 400
    assert "Посилання для підтвердження недійсне" in response.content.decode()


def test_resend_confirmation(logged_in, user, django_capture_on_commit_callbacks):
    user.email_confirmed_at = None
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in.post("/accounts/confirm/resend/", follow=True)
    assert "Новий лист" in response.content.decode()
    response = logged_in.post("/accounts/confirm/resend/", follow=True)
    assert "за хвилину" in response.content.decode()
    assert len(mail.outbox) == 1


def test_login_by_email_any_case_and_logout_by_post(client, user):
    response = client.post("/accounts/login/", {"username": "OLENA@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/profile/").status_code == 302


def test_login_keeps_a_safe_next_only(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": "/sample/"}
    )
    assert response["Location"] == "/sample/"
    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert "evil" not in response["Location"]


def test_wrong_password_and_throttling(client, user):
    for _attempt in range(4):
        response = client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
        assert response.status_code == 200
        assert "Неправильна електронна пошта або пароль" in response.content.decode()
    response = client.post("/accounts/login/", {"username": user.email, "password": "wrong"})
    assert response.status_code == 429  # the fifth failure locks (see test_lockout.py)
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429 and "Забагато невдалих спроб" in response.content.decode()
    assert client.get("/accounts/profile/").status_code == 302


def test_profile_update_sets_language(logged_in, user):
    response = logged_in.post("/accounts/profile/", {"display_name": "Олена К.", "language": "en"})
    assert response.status_code == 302
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert user.language == "en" and user.display_name == "Олена К."
    bad = logged_in.post("/accounts/profile/", {"display_name": "x", "language": "klingon"})
    assert bad.status_code == 400
    user.refresh_from_db()
    assert user.language == "en"


def test_profile_shows_identity_status(logged_in, user):
    page = logged_in.get("/accounts/profile/").content.decode()
    assert "Особу не підтверджено" in page and "/accounts/verify/" in page
    assert "/notifications/preferences/" in page
    identity = IdentityFactory(user=user, last_name="Коваленко", first_name="Олена", middle_name="Петрівна")
    page = logged_in.get("/accounts/profile/").content.decode()
    assert "Особу підтверджено" in page and identity.full_name in page
    assert identity.verified_at.astimezone().strftime("%d.%m.%Y") in page


def test_api_token_is_shown_once_and_can_be_revoked(logged_in, user):
    response = logged_in.post("/accounts/profile/tokens/", {"name": "звіти"})
    assert response.status_code == 201
    raw = response.context["new_token"]["raw"]
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert raw not in logged_in.get("/accounts/profile/").content.decode()
    response = logged_in.post(f"/accounts/profile/tokens/{token.public_id}/revoke/", follow=True)
    assert "відкликано" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    empty = logged_in.post("/accounts/profile/tokens/", {"name": ""})
    assert empty.status_code == 400
    assert ApiToken.objects.count() == 1


def test_someone_elses_token_cannot_be_revoked(logged_in):
    other = ApiToken.objects.create(user=UserFactory(), name="чужий", token_hash="0" * 64)
    response = logged_in.post(f"/accounts/profile/tokens/{other.public_id}/revoke/", follow=True)
    assert "Такого токена немає" in response.content.decode()
    other.refresh_from_db()
    assert other.revoked_at is None


def test_password_reset_end_to_end(client, user):
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0]
    new = "a brand new passphrase"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    bad = client.get("/accounts/password/reset/MQ/bad-token/")
    assert bad.status_code == 200 and "недійсне" in bad.content.decode()


def test_a_password_reset_confirms_the_address_it_was_sent_to(client, user):
    user.email_confirmed_at = None
    user.save()
    client.post("/accounts/password/reset/", {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    user.refresh_from_db()
    assert user.email_confirmed_at is None  # opening the link alone changes nothing
    new = "a brand new passphrase"
    client.post(set_url, {"new_password1": new, "new_password2": new})
    user.refresh_from_db()
    assert user.email_confirmed_at is not None


def test_password_reset_for_unknown_email_reveals_nothing(client, hromada):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_verify_page_lists_providers_and_keeps_next(logged_in):
    page = logged_in.get("/accounts/verify/", {"next": "/sample/abc/"}).content.decode()
    for key in ("dev", "idgovua", "oidc"):
        assert f"/accounts/verify/{key}/start/?next=/sample/abc/" in page


def test_disabled_provider_is_refused(logged_in, settings):
    settings.IDENTITY_PROVIDERS = ["dev"]
    page = logged_in.get("/accounts/verify/").content.decode()
    assert "/accounts/verify/oidc/start/" not in page
    response = logged_in.get("/accounts/verify/oidc/start/")
    assert response.status_code == 404
    assert "не ввімкнено" in response.content.decode()
    response = logged_in.get("/accounts/verify/nonsense/callback/", {"code": "x", "state": "y"})
    assert response.status_code == 404
