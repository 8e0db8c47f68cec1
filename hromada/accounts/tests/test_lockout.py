"""Login lockout (issue 8, finding 2): failures are counted in the database, so every
worker and app server sees them; by account and by client address (as the TLS proxy
reports it); the site login and the Django admin's alike; a locked account can still
reset its password; staff get a stricter policy; the admin is for install
administrators only."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory

from hromada.accounts.models import Role
from hromada.accounts.tests.factories import StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _policy(settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.STAFF_LOGIN_FAILURE_LIMIT = 3


def login(client, email, password="wrong", **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def assert_locked(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "Забагато невдалих спроб входу" in page
    assert "/accounts/password/reset/" in page  # the way out stays open
    assert int(response["Retry-After"]) > 0


def test_an_account_is_locked_for_every_worker(hromada):
    user = UserFactory(email="olena@example.test")
    for _attempt in range(4):
        assert login(Client(), user.email).status_code == 200
        cache.clear()  # another worker process: nothing of this one's memory is shared
    assert_locked(login(Client(), user.email))
    cache.clear()
    # From another address, on another worker, even the right password is refused now.
    assert_locked(login(Client(REMOTE_ADDR="198.51.100.7"), "OLENA@example.test", PASSWORD))
    assert Client().get("/accounts/profile/").status_code == 302


def test_spraying_many_accounts_from_one_address_locks_the_address(hromada):
    client = Client()
    for n in range(4):
        assert login(client, f"victim{n}@example.test").status_code == 200
    assert_locked(login(client, "victim4@example.test"))
    someone = UserFactory(email="someone@example.test")
    assert_locked(login(client, someone.email, PASSWORD))
    # Another address is not affected by this one's lock.
    assert login(Client(REMOTE_ADDR="198.51.100.7"), someone.email, PASSWORD).status_code == 302


def test_admin_login_is_locked_too(hromada):
    admin = UserFactory(email="admin@example.test", is_staff=True, is_superuser=True)
    client = Client()
    for _attempt in range(2):
        response = client.post("/admin/login/", {"username": admin.email, "password": "wrong"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": admin.email, "password": "wrong"})
    assert_locked(response)
    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert_locked(response)
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_behind_the_proxy_the_client_address_is_the_one_the_proxy_reports(settings, hromada):
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for n in range(4):
        assert login(attacker, f"victim{n}@example.test").status_code == 200
    assert_locked(login(attacker, "victim9@example.test"))
    # A spoofed left-most entry does not move the attacker to a fresh address.
    spoofing = Client(**proxy, HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")
    assert_locked(login(spoofing, "victim10@example.test"))
    # Another resident behind the same proxy is not locked out with the attacker.
    user = UserFactory(email="resident@example.test")
    neighbour = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert login(neighbour, user.email, PASSWORD).status_code == 302


def test_without_the_proxy_a_forwarded_header_is_not_trusted(settings):
    from hromada.accounts.lockout import client_ip

    settings.BEHIND_TLS_PROXY = False
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(request) == "192.0.2.9"
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "203.0.113.5"


def test_a_locked_account_can_reset_its_password_and_the_reset_lifts_the_lock(hromada):
    user = UserFactory(email="olena@example.test")
    client = Client(REMOTE_ADDR="192.0.2.20")
    for _attempt in range(5):
        login(client, user.email)
    assert_locked(login(client, user.email, PASSWORD))
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new = "a brand new passphrase"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert login(client, user.email, new).status_code == 302


def test_staff_get_a_stricter_policy(hromada):
    from hromada.accounts.lockout import failure_limit

    moderator = StaffRoleFactory(hromada=hromada, role=Role.MODERATOR).user
    it_admin = UserFactory(email="it@example.test", is_staff=True)
    resident = UserFactory(email="resident@example.test")
    for user, limit in ((moderator, 3), (it_admin, 3), (resident, 5)):
        request = RequestFactory().post(LOGIN, {"username": user.email.upper()})
        assert failure_limit(request, {"username": user.email.upper()}) == limit
    client = Client(REMOTE_ADDR="192.0.2.30")
    for _attempt in range(2):
        assert login(client, moderator.email).status_code == 200
    assert_locked(login(client, moderator.email))
    other = Client(REMOTE_ADDR="192.0.2.31")
    for _attempt in range(3):
        assert login(other, resident.email).status_code == 200
    assert login(other, resident.email, PASSWORD).status_code == 302


def test_the_locked_answer_under_the_api_is_json_with_a_stable_code():
    from hromada.accounts.lockout import lockout_response

    request = RequestFactory().post("/api/v1/anything", {"username": "a@example.test"})
    response = lockout_response(request, None, {"username": "a@example.test"})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert body["code"] == "login_locked" and "Забагато" in body["message"]
    assert int(response["Retry-After"]) > 0


@pytest.mark.parametrize("is_superuser", [False, True])
def test_the_admin_is_for_install_administrators_only(hromada, is_superuser):
    user = UserFactory(email="it@example.test", is_staff=True, is_superuser=is_superuser)
    StaffRoleFactory(hromada=hromada, user=user, role=Role.ADMIN)
    client = Client()
    response = client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert (response.status_code == 302) is is_superuser
    client.force_login(user)
    index = client.get("/admin/")
    assert index.status_code == (200 if is_superuser else 302)
    users = client.get("/admin/accounts/user/")
    assert users.status_code == (200 if is_superuser else 302)


def _age_failures(minutes: int) -> None:
    """Move every recorded failure (and its expiry) this many minutes into the past."""
    import datetime as dt

    from axes.models import AccessAttempt, AccessAttemptExpiration

    delta = dt.timedelta(minutes=minutes)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - delta)
    for expiration in AccessAttemptExpiration.objects.all():
        AccessAttemptExpiration.objects.filter(pk=expiration.pk).update(
            expires_at=expiration.expires_at - delta
        )


def test_a_resident_cools_off_sooner_than_staff(settings, hromada):
    settings.LOGIN_COOLOFF_MINUTES = 15
    settings.STAFF_LOGIN_COOLOFF_MINUTES = 60
    moderator = StaffRoleFactory(hromada=hromada, role=Role.MODERATOR).user
    resident = UserFactory(email="resident@example.test")
    for user, address in ((moderator, "192.0.2.40"), (resident, "192.0.2.41")):
        client = Client(REMOTE_ADDR=address)
        for _attempt in range(5):
            login(client, user.email)
        assert_locked(login(client, user.email, PASSWORD))
    _age_failures(20)
    assert login(Client(REMOTE_ADDR="192.0.2.41"), resident.email, PASSWORD).status_code == 302
    assert_locked(login(Client(REMOTE_ADDR="192.0.2.40"), moderator.email, PASSWORD))
    # Trying during a lock counts as a failure: the hour starts again from that try.
    _age_failures(45)
    assert_locked(login(Client(REMOTE_ADDR="192.0.2.40"), moderator.email, PASSWORD))
    _age_failures(61)
    assert login(Client(REMOTE_ADDR="192.0.2.40"), moderator.email, PASSWORD).status_code == 302
