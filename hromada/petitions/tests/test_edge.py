"""Signing at the edge: the same answer as the API view for the common case, and every
other case handed to Django untouched."""

import datetime as dt
import io
import json

import pytest
from django.db import OperationalError
from django.urls import resolve
from django.utils import timezone

from hromada.accounts.services import api_token_create, api_token_revoke
from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.core import edge as core_edge
from hromada.ledger.models import LedgerEntry
from hromada.petitions import edge, services
from hromada.petitions.models import Signature, Status
from hromada.petitions.tests.factories import collecting

pytestmark = pytest.mark.django_db


def environ(path, token=None, host="testserver", method="POST", **extra):
    env = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "CONTENT_LENGTH": "0",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if token is not None:
        env["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    env.update(extra)
    return env


def sign_path(petition) -> str:
    return f"/api/v1/petitions/{petition.public_id}/sign"


def edge_sign(petition, token, **kw):
    path = sign_path(petition)
    return edge.sign(environ(path, token, **kw), edge.SIGN_PATH.match(path))


def token_for(user) -> str:
    return api_token_create(user=user, name="bench")[1]


class Recorder:
    """A stand-in for Django behind the edge: records what reached it."""

    def __init__(self):
        self.calls = []

    def __call__(self, env, start_response):
        self.calls.append(env["PATH_INFO"])
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"django"]


def call(app, env):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    body = b"".join(app(env, start_response))
    return seen["status"], dict(seen["headers"]), body


def test_edge_signs_and_answers_as_the_api_does(client, hromada):
    petition = collecting(hromada=hromada)
    user = verified_user()
    answer = edge_sign(petition, token_for(user))
    assert answer is not None and answer.status == 201
    body = json.loads(answer.body)
    signature = Signature.objects.get(petition=petition, user=user)
    assert signature.person_key == user.identity.tax_hash
    entry = LedgerEntry.objects.get(hromada=hromada, kind="petition.signed")
    assert entry.payload == {"petition": str(petition.public_id), "signer": body["receipt"]}
    assert body == {"signed": True, "signatures": 1, "receipt": body["receipt"]}

    # The API view, for another resident, gives the same shape.
    other = token_for(verified_user())
    via_django = client.post(sign_path(petition), HTTP_AUTHORIZATION=f"Bearer {other}")
    assert via_django.status_code == 201
    assert set(via_django.json()) == set(body)
    assert via_django.json()["signatures"] == 2


def test_edge_sends_the_headers_django_sends(client, hromada):
    petition = collecting(hromada=hromada)
    django_answer = client.post(
        sign_path(petition), HTTP_AUTHORIZATION=f"Bearer {token_for(verified_user())}"
    )
    assert django_answer.status_code == 201
    status, headers, body = call(
        core_edge.Edge(Recorder(), edge.ROUTES), environ(sign_path(petition), token_for(verified_user()))
    )
    assert status == "201 Created"
    assert headers["Content-Length"] == str(len(body))
    for name, value in django_answer.headers.items():
        if name not in ("Content-Length",):
            assert headers.get(name) == value, name


def test_metrics_label_is_djangos_route_for_the_same_url(hromada):
    petition = collecting(hromada=hromada)
    assert edge.ROUTES[0].label == resolve(sign_path(petition)).route


@pytest.mark.parametrize(
    "case",
    [
        "already_signed",
        "closed",
        "ended",
        "unknown_token",
        "revoked",
        "no_identity",
        "not_found",
        "other_host",
        "bad_host",
    ],
)
def test_edge_hands_every_refusal_to_django(hromada, other_hromada, case):
    petition = collecting(hromada=hromada)
    user = verified_user()
    token = token_for(user)
    kw = {}
    if case == "already_signed":
        services.petition_sign(petition=petition, user=user)
    elif case == "closed":  # past its threshold, under rules that stop there
        petition.status = Status.CONSIDERATION
        petition.sign_after_threshold = False
        petition.save()
    elif case == "ended":
        petition.collection_ends_at = timezone.now() - dt.timedelta(minutes=1)
        petition.save()
    elif case == "unknown_token":
        token = "hrm_" + "x" * 43
    elif case == "revoked":
        api_token_revoke(user=user, token=user.api_tokens.get())
    elif case == "no_identity":
        token = token_for(UserFactory())
    elif case == "not_found":
        petition.public_id = "00000000-0000-4000-8000-000000000000"
    elif case == "other_host":
        kw["host"] = "other.example.test"  # the petition is not that hromada's
    elif case == "bad_host":
        kw["host"] = "evil.example.com"  # not in ALLOWED_HOSTS
    before = Signature.objects.count()
    assert edge_sign(petition, token, **kw) is None
    assert Signature.objects.count() == before


def test_the_host_is_read_as_django_reads_it(hromada, other_hromada, settings):
    petition = collecting(hromada=hromada)
    token = token_for(verified_user())
    settings.USE_X_FORWARDED_HOST = True
    forwarded = {"HTTP_X_FORWARDED_HOST": "other.example.test"}
    settings.ALLOWED_HOSTS = ["testserver", "other.example.test"]
    assert edge_sign(petition, token, **forwarded) is None  # the other hromada: no such petition
    settings.USE_X_FORWARDED_HOST = False
    assert edge_sign(petition, token, **forwarded).status == 201


def test_requests_the_edge_does_not_answer_reach_django(hromada):
    petition = collecting(hromada=hromada)
    inner = Recorder()
    app = core_edge.Edge(inner, edge.ROUTES)
    path = sign_path(petition)
    # A browser session (no bearer token), another method, another path.
    for env in (
        environ(path),
        environ(path, token_for(verified_user()), method="GET"),
        environ(path + "/extra", token_for(verified_user())),
        environ("/petitions/", method="GET"),
    ):
        status, _headers, body = call(app, env)
        assert (status, body) == ("418 I'm a teapot", b"django")
    assert len(inner.calls) == 4
    assert not Signature.objects.exists()


def test_a_database_error_hands_the_request_to_django(hromada, monkeypatch):
    petition = collecting(hromada=hromada)

    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "petition_sign", broken)
    inner = Recorder()
    status, _h, _b = call(
        core_edge.Edge(inner, edge.ROUTES), environ(sign_path(petition), token_for(verified_user()))
    )
    assert status.startswith("418") and inner.calls == [sign_path(petition)]


def test_an_unexpected_error_is_logged_and_handed_to_django(hromada, monkeypatch, caplog):
    petition = collecting(hromada=hromada)
    monkeypatch.setattr(services, "petition_sign", lambda **kw: 1 / 0)
    inner = Recorder()
    status, _h, _b = call(
        core_edge.Edge(inner, edge.ROUTES), environ(sign_path(petition), token_for(verified_user()))
    )
    assert status.startswith("418")
    assert "handing the request to Django" in caplog.text


def test_edge_counts_its_answers_in_metrics(hromada, monkeypatch):
    seen = []
    monkeypatch.setattr(core_edge.metrics, "observe_request", lambda **kw: seen.append(kw))
    petition = collecting(hromada=hromada)
    call(core_edge.Edge(Recorder(), edge.ROUTES), environ(sign_path(petition), token_for(verified_user())))
    assert [(s["method"], s["route"], s["status"]) for s in seen] == [("POST", edge.ROUTES[0].label, 201)]


@pytest.mark.django_db(transaction=True)
def test_the_served_application_signs_at_the_edge_and_refuses_in_django(hromada, ledger_cleanup):
    """config.wsgi.application end to end: the first signature is answered by the
    edge, the second by the API view with its stable error code."""
    from config import wsgi

    petition = collecting(hromada=hromada)
    token = token_for(verified_user())
    reached_django = []
    inner = wsgi.application.app

    def spy(env, start_response):
        reached_django.append(env["PATH_INFO"])
        return inner(env, start_response)

    app = core_edge.Edge(spy, wsgi.application.routes["POST"])
    status, headers, body = call(app, environ(sign_path(petition), token))
    assert status == "201 Created" and reached_django == []
    assert json.loads(body)["signed"] is True
    status, headers, body = call(app, environ(sign_path(petition), token))
    assert status.startswith("409") and reached_django == [sign_path(petition)]
    assert json.loads(body)["code"] == "already_signed"
    assert headers["Content-Type"].startswith("application/json")
    assert Signature.objects.filter(petition=petition).count() == 1


@pytest.mark.parametrize(("in_transaction", "closed"), [(False, [True]), (True, [])])
def test_a_connection_past_its_max_age_is_closed_but_never_inside_a_transaction(
    monkeypatch, in_transaction, closed
):
    seen = []

    class FakeConnection:
        connection = object()
        close_at = 0.0  # long past
        in_atomic_block = in_transaction

        def close(self):
            seen.append(True)

    monkeypatch.setattr(core_edge, "connection", FakeConnection())
    core_edge._expire_connection()
    assert seen == closed


def test_edge_signs_after_the_threshold_while_the_rules_allow_it(hromada):
    """The fast path and the INSERT's own check follow rules.signing_open: a petition in
    consideration still takes signatures until its period ends, unless its rules stop
    collection at the threshold (then Django refuses it, as test_edge_hands_every_refusal_to_django)."""
    petition = collecting(hromada=hromada, status=Status.CONSIDERATION)
    user = verified_user()
    answer = edge_sign(petition, token_for(user))
    assert answer is not None and answer.status == 201
    assert Signature.objects.filter(petition=petition, user=user).exists()
    ended = collecting(
        hromada=hromada,
        status=Status.CONSIDERATION,
        collection_ends_at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert edge_sign(ended, token_for(verified_user())) is None
    assert not Signature.objects.filter(petition=ended).exists()
