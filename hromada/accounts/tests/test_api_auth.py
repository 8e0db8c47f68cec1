"""session_or_token: bearer tokens (one indexed query) or the session with CSRF."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hromada.accounts import services
from hromada.accounts.models import ApiToken
from hromada.accounts.tests.factories import UserFactory, verified_user

pytestmark = pytest.mark.django_db

WHOAMI = "/accounts-test-api/whoami"
ECHO = "/accounts-test-api/echo"


@pytest.fixture
def token(hromada):
    user = verified_user()
    row, raw = services.api_token_create(user=user, name="бенчмарк")
    return row, raw


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_bearer_token_authenticates(client, token):
    row, raw = token
    response = client.get(WHOAMI, **bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"email": row.user.email, "verified": True}
    row.refresh_from_db()
    assert row.last_used_at is not None
    # Unsafe methods need no CSRF token with a bearer token.
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(ECHO, **bearer(raw)).status_code == 200


def test_bearer_check_is_one_indexed_query_and_last_used_is_written_once_a_minute(client, token):
    row, raw = token
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(WHOAMI, **bearer(raw)).status_code == 200
    token_queries = [q["sql"] for q in queries if "accounts_apitoken" in q["sql"]]
    assert len(token_queries) == 1 and token_queries[0].lstrip().upper().startswith("SELECT")
    # The same query brought the user and their identity: nothing else touched them.
    assert not [q for q in queries if "accounts_user" in q["sql"] and "accounts_apitoken" not in q["sql"]]
    assert not [q for q in queries if "django_session" in q["sql"]]

    # A stale last-used time is buffered and written in one UPDATE per process every few
    # seconds, never as an extra write in each request.
    from hromada.accounts import api_auth

    stale = timezone.now() - dt.timedelta(minutes=2)
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=stale)
    api_auth._last_flush[0] = time.monotonic()  # a flush just happened
    with CaptureQueriesContext(connection) as queries:
        client.get(WHOAMI, **bearer(raw))
    assert [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")] == []
    row.refresh_from_db()
    assert row.last_used_at == stale
    assert api_auth.flush_token_use() == 1
    row.refresh_from_db()
    assert row.last_used_at > stale

    api_auth._last_flush[0] = 0.0  # the interval has passed: this request flushes
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=stale)
    with CaptureQueriesContext(connection) as queries:
        client.get(WHOAMI, **bearer(raw))
    updates = [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "accounts_apitoken" in updates[0]["sql"]


def test_token_lookup_uses_the_unique_index():
    field = ApiToken._meta.get_field("token_hash")
    assert field.unique


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer ", "bearer " + "x" * 300])
def test_bad_tokens_are_refused(client, token, header):
    response = client.get(WHOAMI, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert "недійсний" in response.json()["message"]


def test_revoked_token_and_disabled_account_are_refused(client, token):
    row, raw = token
    services.api_token_revoke(user=row.user, token=row)
    assert client.get(WHOAMI, **bearer(raw)).status_code == 401
    _row2, raw2 = services.api_token_create(user=row.user, name="другий")
    row.user.is_active = False
    row.user.save()
    assert client.get(WHOAMI, **bearer(raw2)).status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session(client, token):
    client.force_login(UserFactory())
    assert client.get(WHOAMI, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_no_credentials(client, hromada):
    response = client.get(WHOAMI)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_required"
    assert Client(enforce_csrf_checks=True).post(ECHO).status_code == 401


def test_session_works_and_unsafe_methods_need_csrf(hromada):
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(WHOAMI).json()["email"] == user.email
    refused = client.post(ECHO)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    client.get("/accounts/profile/")  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    allowed = client.post(ECHO, HTTP_X_CSRFTOKEN=csrf)
    assert allowed.status_code == 200 and allowed.json() == {"email": user.email}
