"""The one rate limiter (hromada.core.ratelimit), against the test-only sample module:
counts live in the database (shared by every process), a refusal is 429 with
Retry-After and a Ukrainian message, on pages and under /api/ alike."""

from __future__ import annotations

import re
import threading

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from hromada.accounts.services import api_token_create
from hromada.accounts.tests.factories import verified_user
from hromada.core import ratelimit
from hromada.core.models import RateCounter
from hromada.core.modules import registry
from hromada.core.ratelimit import Rate, RateLimited, hit, parse_rate, parse_rates, rate_limit
from hromada.core.tests.sample.models import Thing

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sample.make": "3/h", "sample.make:address": "5/h"}
    return settings.RATE_LIMITS


def test_rates_parse():
    assert parse_rate("5/h") == Rate(5, 3600)
    assert parse_rate("10/15m") == Rate(10, 900)
    assert parse_rate(" 2 / d ") == Rate(2, 86400)
    assert parse_rate("off") is None
    with pytest.raises(ImproperlyConfigured):
        parse_rate("five per hour")
    assert parse_rates("petition.submit=10/h, signup:address=off") == {
        "petition.submit": "10/h",
        "signup:address": "off",
    }


def test_the_shipped_defaults_parse_and_limit_what_the_issue_named(settings):
    for value in settings.RATE_LIMITS.values():
        parse_rate(value)
    for name in ("petition.submit", "signup:address", "email.password_reset", "api.write"):
        assert parse_rate(settings.RATE_LIMITS[name]) is not None, name


def test_a_window_counts_to_its_limit_then_refuses_until_it_ends():
    rate = Rate(3, 60)
    assert [hit("k", rate, now=1000) for _ in range(3)] == [None, None, None]
    assert hit("k", rate, now=1010) == 50  # refused: seconds until the window ends
    assert RateCounter.objects.get(key="k").hits == 3  # a refusal counts nothing
    assert hit("k", rate, now=1060) is None  # a new window
    assert RateCounter.objects.get(key="k").hits == 1


@pytest.mark.django_db(transaction=True)  # the other thread's connection commits
def test_counts_are_shared_by_every_process(limits, resident):
    """Two 'processes' (threads with their own database connections, no shared memory
    but the database) count into the same rows."""
    from django.test.client import RequestFactory

    def charge(times: int) -> None:
        request = RequestFactory().post("/sample/limited", REMOTE_ADDR="203.0.113.7")
        request.user = resident
        for _ in range(times):
            rate_limit(request, "sample.make")

    def in_another_connection(times: int) -> None:
        try:
            charge(times)
        finally:
            connection.close()  # this thread's own connection

    if connection.vendor == "sqlite":
        charge(2)  # in-memory SQLite cannot be shared between threads' connections
    else:
        worker = threading.Thread(target=in_another_connection, args=(2,))
        worker.start()
        worker.join()
    from django.test.client import RequestFactory as RF

    request = RF().post("/sample/limited", REMOTE_ADDR="203.0.113.7")
    request.user = resident
    rate_limit(request, "sample.make")
    with pytest.raises(RateLimited) as refused:
        rate_limit(request, "sample.make")
    assert 3500 < refused.value.retry_after <= 3600
    rows = dict(RateCounter.objects.values_list("key", "hits"))
    assert sorted(rows.values()) == [3, 3]  # one row per account and per address
    # Keys are keyed hashes: no address (or e-mail) in clear.
    assert all(re.fullmatch(r"sample\.make\|(account|address)\|[0-9a-f]{32}", key) for key in rows)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_processes_never_exceed_the_limit(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: threads share no in-memory SQLite database")
    rate = Rate(5, 60)
    allowed = []
    barrier = threading.Barrier(12)

    def race() -> None:
        try:
            barrier.wait()
            if hit("race", rate) is None:
                allowed.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=race) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(allowed) == 5
    assert RateCounter.objects.get(key="race").hits == 5


def test_a_page_answers_429_with_retry_after_and_a_message(limits, client, hromada, resident):
    client.force_login(resident)
    for _ in range(3):
        assert client.post("/sample/limited").status_code == 200
    refused = client.post("/sample/limited")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Забагато запитів" in refused.content.decode()


def test_the_address_is_limited_across_accounts(limits, client, hromada):
    for _ in range(5):
        client.force_login(verified_user())
        assert client.post("/sample/limited").status_code == 200
    client.force_login(verified_user())
    assert client.post("/sample/limited").status_code == 429
    # Another address is another count.
    assert client.post("/sample/limited", REMOTE_ADDR="198.51.100.2").status_code == 200


def test_a_refused_attempt_is_given_back(limits, client, hromada, resident):
    client.force_login(resident)
    for _ in range(5):
        assert client.post("/sample/limited", {"fail": "1"}).status_code == 400
    for _ in range(3):
        assert client.post("/sample/limited").status_code == 200
    assert client.post("/sample/limited").status_code == 429


def test_the_api_answers_json_429_with_retry_after(limits, client, hromada, resident):
    client.force_login(resident)
    for _ in range(3):
        assert client.post("/api/v1/sample/things").status_code == 201
    refused = client.post("/api/v1/sample/things")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    body = refused.json()
    assert body["code"] == "rate_limited" and body["field"] is None
    assert "Забагато запитів" in body["message"]
    assert Thing.objects.count() == 3


def test_api_writes_have_a_per_token_budget(limits, settings, client, hromada, resident):
    settings.RATE_LIMITS = {**limits, "api.write": "4/m", "api.write:address": "100/m"}
    _token, raw = api_token_create(user=resident, name="script")
    _token2, raw2 = api_token_create(user=resident, name="another")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for _ in range(4):
        assert client.post("/api/v1/sample/things/free", **auth).status_code == 201
        assert client.post("/api/v1/sample/things/free", **auth).status_code == 201  # not counted
    # Every write counts, whatever it is; reads do not.
    for path in ("/api/v1/sample/things",):
        for _ in range(2):
            assert client.get(path, **auth).status_code == 200
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sample.make": "off", "sample.make:address": "off"}
    for _ in range(4):
        assert client.post("/api/v1/sample/things", **auth).status_code == 201
    refused = client.post("/api/v1/sample/things", **auth)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 60
    # The budget is the token's: another token has its own.
    assert client.post("/api/v1/sample/things", HTTP_AUTHORIZATION=f"Bearer {raw2}").status_code == 201


def test_limits_can_be_turned_off(settings, client, hromada, resident):
    settings.RATE_LIMITS_ENABLED = False
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sample.make": "1/h"}
    client.force_login(resident)
    for _ in range(3):
        assert client.post("/sample/limited").status_code == 200
    assert not RateCounter.objects.exists()


def test_expired_windows_are_purged_by_a_job_of_the_core():
    core = registry.get("core")
    assert core is not None and core.kernel
    assert "hromada.core.ratelimit.rate_counters_purge" in [job.path for job in core.jobs]
    hit("old", Rate(1, 60), now=1000)
    hit("fresh", Rate(1, 3600))
    assert ratelimit.rate_counters_purge() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["fresh"]


def test_the_message_is_translated(limits, client, hromada, resident):
    client.force_login(resident)
    for _ in range(3):
        client.post("/api/v1/sample/things")
    client.cookies["django_language"] = "en"
    refused = client.post("/api/v1/sample/things")
    assert "Too many requests" in refused.json()["message"]


def test_a_bad_rate_fails_the_system_check(settings):
    settings.RATE_LIMITS = {"petition.submit": "lots"}
    errors = ratelimit.check_rate_limits()
    assert [e.id for e in errors] == ["hromada.E005"] and "petition.submit" in errors[0].msg


def test_behind_the_tls_proxy_the_address_is_the_proxys_last_hop(limits, settings, client, hromada):
    settings.BEHIND_TLS_PROXY = True
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        client.force_login(verified_user())
        forwarded = {
            "HTTP_X_FORWARDED_FOR": f"6.6.6.{n}, 203.0.113.9",
            **proxy,
        }  # the client forges the first
        assert client.post("/sample/limited", **forwarded).status_code == 200
    client.force_login(verified_user())
    assert client.post("/sample/limited", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 429
    assert client.post("/sample/limited", HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy).status_code == 200


@pytest.mark.django_db
def test_once_per_is_a_debounce_every_process_shares(settings):
    from django.core.cache import cache

    from hromada.core.ratelimit import once_per, once_per_reset

    settings.RATE_LIMITS_ENABLED = False  # behaviour, not an abuse limit: always on
    assert once_per("sample.remind", 7, 60) is None
    cache.clear()  # a process cache plays no part: the window is in the database
    left = once_per("sample.remind", 7, 60)
    assert left is not None and 0 < left <= 60
    assert once_per("sample.remind", 8, 60) is None  # another person
    once_per_reset("sample.remind", 7)
    assert once_per("sample.remind", 7, 60) is None
