"""Casting at the edge: the API view's answer for the common case; every refusal and
every other request handed to Django with its body intact."""

from __future__ import annotations

import io
import json

import pytest

from hromada.accounts.services import api_token_create
from hromada.budget import edge_voting
from hromada.budget.models import Ballot
from hromada.core import edge as core_edge
from hromada.ledger.models import LedgerEntry

from .factories import category
from .helpers_voting import ids, voter, voting_cycle

pytestmark = pytest.mark.django_db


def environ(path, token, body: bytes, content_type="application/json"):
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


class Recorder:
    def __init__(self):
        self.bodies = []

    def __call__(self, env, start_response):
        self.bodies.append(env["wsgi.input"].read(int(env["CONTENT_LENGTH"])))
        start_response("418 I'm a teapot", [("Content-Type", "text/plain")])
        return [b"django"]


def call(app, env):
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    body = b"".join(app(env, start_response))
    return seen["status"], body


def _token(user) -> str:
    return api_token_create(user=user, name="edge")[1]


def test_the_edge_casts_and_answers_as_the_api_does(client, hromada):
    cycle = voting_cycle(hromada, residence="any")
    small = category(cycle, "small")
    path = f"/api/v1/budget/categories/{small.public_id}/ballots"
    body = json.dumps({"choices": ids(small)[:2]}).encode()
    user, _n = voter()
    status, answer = call(core_edge.Edge(Recorder(), edge_voting.ROUTES), environ(path, _token(user), body))
    assert status == "201 Created"
    data = json.loads(answer)
    ballot = Ballot.objects.get(user=user)
    assert data["receipt"] == ballot.voter and data["choices"] == ids(small)[:2]
    assert LedgerEntry.objects.filter(kind="budget.ballot_cast").count() == 1
    other, _n = voter()
    via_django = client.post(
        path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {_token(other)}"
    )
    assert via_django.status_code == 201
    assert set(via_django.json()) == set(data)
    assert via_django.json()["category"] == data["category"]
    assert len(via_django.json()["cast_at"]) == len(data["cast_at"]) and data["cast_at"].endswith("Z")


def test_refusals_and_odd_requests_reach_django_with_their_body(hromada):
    cycle = voting_cycle(hromada, residence="any")
    small = category(cycle, "small")
    path = f"/api/v1/budget/categories/{small.public_id}/ballots"
    user, _n = voter()
    token = _token(user)
    cases = [
        json.dumps({"choices": ids(small)}).encode(),  # over N: refused
        b"not json",
        json.dumps({"choices": ids(small)[:1], "extra": 1}).encode(),
    ]
    for body in cases:
        inner = Recorder()
        status, _answer = call(core_edge.Edge(inner, edge_voting.ROUTES), environ(path, token, body))
        assert status.startswith("418") and inner.bodies == [body]
    inner = Recorder()
    body = json.dumps({"choices": ids(small)[:1]}).encode()
    call(core_edge.Edge(inner, edge_voting.ROUTES), environ(path, token, body, content_type="text/plain"))
    assert inner.bodies == [body]
    # What Django reads or refuses before the view: a query string, control characters
    # in the credentials or in a choice (TextGuardMiddleware's 400).
    odd = [environ(path, token, body), environ(path, token + "\x07", body)]
    odd[0]["QUERY_STRING"] = "lang=en"
    odd.append(environ(path, token, json.dumps({"choices": [ids(small)[0] + "\u0000"]}).encode()))
    for env in odd:
        inner = Recorder()
        status, _answer = call(core_edge.Edge(inner, edge_voting.ROUTES), env)
        assert status.startswith("418") and len(inner.bodies) == 1
    assert Ballot.objects.count() == 0
    call(core_edge.Edge(Recorder(), edge_voting.ROUTES), environ(path, token, body))
    inner = Recorder()
    status, _answer = call(core_edge.Edge(inner, edge_voting.ROUTES), environ(path, token, body))
    assert status.startswith("418") and inner.bodies == [body]  # the second ballot: Django says 409
    assert Ballot.objects.count() == 1
