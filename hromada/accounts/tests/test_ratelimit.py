"""Abuse limits on accounts (issue 8, finding 4): sign-ups per address, e-mails sent
(password reset, confirmation, e-mail change), with the shipped defaults."""

from __future__ import annotations

import pytest
from django.core import mail

from hromada.accounts.models import User
from hromada.accounts.tests.factories import UserFactory
from hromada.core.ratelimit import once_per_reset

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def limits(settings):
    """The shipped limits, switched on (the suite runs with them off)."""
    settings.RATE_LIMITS_ENABLED = True
    return settings.RATE_LIMITS


def _allowed(limits, name: str) -> int:
    return int(limits[name].split("/")[0])  # "<count>/<period>"


def test_password_reset_sends_only_so_many_mails(limits, client, hromada):
    user = UserFactory(email="olena@example.test")
    allowed = _allowed(limits, "email.password_reset")
    for _ in range(allowed):
        assert client.post("/accounts/password/reset/", {"email": user.email}).status_code == 302
    for _ in range(3):
        refused = client.post("/accounts/password/reset/", {"email": user.email.upper()})
        assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Забагато запитів" in refused.content.decode()
    assert len(mail.outbox) == allowed


def test_password_reset_refuses_alike_for_unknown_addresses(limits, client, hromada):
    """The limit counts the address asked for, known or not: a refusal reveals nothing."""
    allowed = _allowed(limits, "email.password_reset")
    for _ in range(allowed):
        assert client.post("/accounts/password/reset/", {"email": "nobody@example.test"}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": "nobody@example.test"}).status_code == 429
    assert mail.outbox == []


def test_password_resets_are_limited_per_client_address(limits, client, hromada):
    allowed = _allowed(limits, "email.password_reset:address")
    for n in range(allowed):
        assert client.post("/accounts/password/reset/", {"email": f"p{n}@example.test"}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": "other@example.test"}).status_code == 429
    other = client.post(
        "/accounts/password/reset/", {"email": "other@example.test"}, REMOTE_ADDR="198.51.100.9"
    )
    assert other.status_code == 302


def test_sign_ups_are_limited_per_client_address(limits, client, hromada):
    allowed = _allowed(limits, "signup:address")

    def signup(n: int):
        client.logout()
        return client.post(
            "/accounts/signup/",
            {
                "email": f"new{n}@example.test",
                "display_name": "Тарас",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    for n in range(allowed):
        assert signup(n).status_code == 302
    refused = signup(allowed)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Забагато запитів" in refused.content.decode()
    assert User.objects.count() == allowed


def test_e_mail_changes_are_limited(limits, settings, client, hromada):
    user = UserFactory(email="olena@example.test", password=PASSWORD)
    client.force_login(user)
    allowed = _allowed(limits, "email.change")

    for n in range(allowed):
        once_per_reset("accounts.email_change", user.pk)  # the service's own once-a-minute pause
        response = client.post(
            "/accounts/profile/email/", {"new_email": f"n{n}@example.test", "password": PASSWORD}
        )
        assert response.status_code == 302, response.content
    once_per_reset("accounts.email_change", user.pk)
    refused = client.post(
        "/accounts/profile/email/", {"new_email": "late@example.test", "password": PASSWORD}
    )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_confirmation_resends_are_limited(limits, client, hromada):
    user = UserFactory(email="olena@example.test", email_confirmed_at=None)
    client.force_login(user)
    allowed = _allowed(limits, "email.confirm")

    for _ in range(allowed):
        once_per_reset("accounts.confirm_resend", user.pk)  # the service's own once-a-minute pause
        assert client.post("/accounts/confirm/resend/").status_code == 302
    once_per_reset("accounts.confirm_resend", user.pk)
    refused = client.post("/accounts/confirm/resend/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
