import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from hromada.core import views
from hromada.core.models import Heartbeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(views, "_migrations_applied", False)


def beat(seconds_ago: float) -> None:
    Heartbeat.objects.update_or_create(
        name="worker", defaults={"beat_at": timezone.now() - dt.timedelta(seconds=seconds_ago)}
    )


def test_healthz_ok(client):
    beat(5)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok" and body["migrations"] == "ok" and body["worker"] == "ok"
    assert 4 <= body["worker_heartbeat_age_s"] < 60
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_works_on_any_host(client, settings, hromada, other_hromada):
    """/healthz needs no tenant: on a host that is allowed but serves no hromada it
    still reports, where every other page is a 404."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "unknown.example.test"]
    beat(1)
    response = client.get("/healthz", HTTP_HOST="unknown.example.test")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert client.get("/", HTTP_HOST="unknown.example.test").status_code == 404


def test_healthz_answers_only_allowed_hosts(client):
    """No tenant is needed, but Django's ALLOWED_HOSTS check still applies."""
    beat(1)
    assert client.get("/healthz", HTTP_HOST="not-allowed.example.test").status_code == 400


def test_healthz_fails_when_migrations_are_pending(client):
    beat(1)
    with mock.patch.object(
        views.MigrationExecutor, "migration_plan", return_value=[("m1", False), ("m2", False)]
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "2 pending"
    assert response.json()["status"] == "fail"


def test_healthz_fails_when_the_worker_is_stale_or_never_seen(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "never seen"
    beat(views.WORKER_STALE_SECONDS + 30)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == "stale"
    # A load balancer asks only about the web side.
    assert client.get("/healthz?scope=web").status_code == 200


def test_healthz_fails_when_the_database_is_down(client):
    with mock.patch.object(views.Heartbeat.objects, "filter", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "database": "error: OperationalError"}


def _families(response) -> dict:
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


def test_metrics_counts_requests_and_business_gauges(client, hromada, resident):
    """The kernel's own series and every module's gauges (here the sample module's; the
    petitions gauges are tested in hromada/petitions/tests/test_with_kernel.py)."""
    from hromada.core.tests.sample.models import Thing

    Thing.objects.create(hromada=hromada, owner=resident, title="лава")
    Thing.objects.create(hromada=hromada, owner=resident, title="ліхтар")
    beat(3)
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    families = _families(response)
    requests = {
        (s.labels["route"], s.labels["status"]): s.value
        for s in families["hromada_http_requests"].samples
        if s.name == "hromada_http_requests_total"
    }
    assert requests[("healthz", "200")] >= 1
    assert "hromada_http_request_seconds" in families
    assert [s.value for s in families["hromada_sample_things"].samples] == [2]
    assert families["hromada_worker_heartbeat_age_seconds"].samples[0].value >= 3
    assert families["hromada_notification_emails_pending"].samples[0].value == 0


def test_metrics_counts_queued_tasks(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from hromada.notify.tasks import send_notification_emails

    send_notification_emails.enqueue([1])
    send_notification_emails.enqueue([2])
    families = _families(client.get("/metrics"))
    assert {s.labels["queue"]: s.value for s in families["hromada_tasks_ready"].samples} == {"default": 2}
    assert families["hromada_tasks_oldest_ready_age_seconds"].samples[0].value >= 0


def test_metrics_token(client, settings):
    settings.METRICS_TOKEN = "s3cret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


def test_metrics_in_multiprocess_mode(client, monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    response = client.get("/metrics")
    assert response.status_code == 200
    assert "hromada_notification_emails_pending" in response.content.decode()


def test_unknown_methods_share_one_label():
    from hromada.core import metrics

    metrics.observe_request(method="BREW", route="x", status=405, seconds=0.01)
    assert metrics.REQUESTS.labels("OTHER", "x", "405")._value.get() == 1
