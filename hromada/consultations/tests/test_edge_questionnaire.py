"""Submitting at the edge: the response, every answer and the ledger entry stored
together (no counter: the results snapshot counts); every refusal, odd request and second answer handed to Django with
its body intact; on PostgreSQL, a double submit racing is one response."""

from __future__ import annotations

import io
import json
import threading

import pytest
from django.db import connection

from hromada.accounts.services import api_token_create
from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.consultations import edge_questionnaire as edge
from hromada.consultations.models import Answer, Response
from hromada.consultations.services.snapshots import snapshot_compute
from hromada.core import edge as core_edge
from hromada.ledger.models import LedgerEntry

from .test_results_data import option, survey

pytestmark = pytest.mark.django_db


def environ(path, token, body: bytes, content_type="application/json", host="testserver"):
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
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
    """Stands for Django: records what reached it."""

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


def token_of(user) -> str:
    return api_token_create(user=user, name="edge")[1]


def full_answers(qs) -> dict:
    return {
        str(qs["single"].public_id): str(option(qs["single"], "Так").public_id),
        str(qs["multiple"].public_id): [str(option(qs["multiple"], "Лави").public_id)],
        str(qs["ranking"].public_id): [str(o.public_id) for o in qs["ranking"].options.order_by("-order")],
        str(qs["scale"].public_id): 4,
        str(qs["number"].public_id): "2,5",
        str(qs["long"].public_id): "Більше тіні",
        str(qs["point"].public_id): {"lat": 48.5, "lon": 32.2},
    }


def body_of(answers) -> bytes:
    return json.dumps({"answers": answers}).encode()


@pytest.fixture
def poll(hromada):
    consultation, qs = survey(hromada, audience="verified")
    return consultation, qs, f"/api/v1/consultations/{consultation.number}/response"


def test_the_edge_stores_everything_and_answers_201(poll):
    consultation, qs, path = poll
    user = verified_user()
    inner = Recorder()
    status, answer = call(
        core_edge.Edge(inner, edge.ROUTES), environ(path, token_of(user), body_of(full_answers(qs)))
    )
    assert status == "201 Created" and inner.bodies == []
    data = json.loads(answer)
    response = Response.objects.get(consultation=consultation, user=user)
    assert data == {  # field for field the API view's SubmittedOut
        "status": "submitted",
        "submitted_at": data["submitted_at"],
        "answers": 7,  # answered questions (the ranking's three rows are one)
        "receipt": response.participant,
    }
    assert data["submitted_at"].endswith("Z") and response.status == "submitted"
    rows = Answer.objects.filter(response=response)
    assert rows.count() == 9
    ranks = list(rows.filter(question=qs["ranking"]).order_by("rank").values_list("option__label", flat=True))
    assert ranks == ["Парки", "Школи", "Дороги"]
    assert str(rows.get(question=qs["number"]).number) == "2.50"
    assert rows.get(question=qs["long"]).text_state == "pending"
    assert (rows.get(question=qs["point"]).lat, rows.get(question=qs["point"]).lon) == (48.5, 32.2)
    assert response.age_group == "36-59"
    consultation.refresh_from_db()
    assert consultation.response_count == 0  # no hot counter: the results snapshot counts
    assert snapshot_compute(consultation=consultation).respondents == 1
    entry = LedgerEntry.objects.get(kind="consultations.response_submitted")
    assert entry.payload == {
        "consultation": str(consultation.public_id),
        "participant": response.participant,
        "answers": 7,  # answered questions (services.responses.answered_count), not rows
    }


def test_refusals_and_odd_requests_reach_django_with_their_body(poll, hromada):
    consultation, qs, path = poll
    user = verified_user()
    token = token_of(user)
    good = full_answers(qs)
    single, multiple = str(qs["single"].public_id), str(qs["multiple"].public_id)
    ranking = str(qs["ranking"].public_id)
    invalid = [
        {k: v for k, v in good.items() if k != single},  # a required answer missing
        good | {single: "00000000-0000-0000-0000-000000000000"},  # not an option
        good | {multiple: [str(o.public_id) for o in qs["multiple"].options.all()]},  # too many
        good | {ranking: [good[ranking][0]] * 3},  # duplicates in a ranking
        good | {str(qs["scale"].public_id): 9},  # off the scale
        good | {str(qs["number"].public_id): "2,555"},  # too precise
        good | {str(qs["long"].public_id): "a\x01b"},  # a control character
    ]
    bodies = [body_of(a) for a in invalid]
    bodies += [b"not json", json.dumps({"answers": good, "extra": 1}).encode(), json.dumps(good).encode()]
    for body in bodies:
        inner = Recorder()
        status, _answer = call(core_edge.Edge(inner, edge.ROUTES), environ(path, token, body))
        assert status.startswith("418") and inner.bodies == [body]
    body = body_of(good)
    for env in (
        environ(path, token, body, content_type="text/plain"),
        environ(path, "wrong-token", body),
        environ(path, token, body, host="other.example.test"),
        environ("/api/v1/consultations/999/response", token, body),
    ):
        inner = Recorder()
        status, _answer = call(core_edge.Edge(inner, edge.ROUTES), env)
        assert status.startswith("418") and inner.bodies == [body]
    # Not verified: an ineligible person is Django's to refuse.
    inner = Recorder()
    call(core_edge.Edge(inner, edge.ROUTES), environ(path, token_of(UserFactory()), body))
    assert inner.bodies == [body]
    assert (
        Response.objects.count() == 0
        and not LedgerEntry.objects.filter(kind__startswith="consultations.response").exists()
    )
    # The first goes in; a second answer (a replay) goes to Django, which says 409.
    assert call(core_edge.Edge(Recorder(), edge.ROUTES), environ(path, token, body))[0] == "201 Created"
    inner = Recorder()
    status, _answer = call(core_edge.Edge(inner, edge.ROUTES), environ(path, token, body))
    assert status.startswith("418") and inner.bodies == [body]
    assert Response.objects.count() == 1 and Answer.objects.count() == 9
    assert snapshot_compute(consultation=consultation).respondents == 1


def test_an_existing_draft_and_a_closed_poll_go_to_django(poll, hromada):
    consultation, qs, path = poll
    user = verified_user()
    from hromada.consultations.services.participation import participation_join

    participation_join(consultation=consultation, user=user)  # a draft
    inner = Recorder()
    status, _ = call(
        core_edge.Edge(inner, edge.ROUTES), environ(path, token_of(user), body_of(full_answers(qs)))
    )
    assert status.startswith("418")
    closed, closed_qs = survey(hromada, current="report")
    inner = Recorder()
    path = f"/api/v1/consultations/{closed.number}/response"
    status, _ = call(
        core_edge.Edge(inner, edge.ROUTES), environ(path, token_of(verified_user()), body_of({}))
    )
    assert status.startswith("418")
    assert Response.objects.filter(status="submitted").count() == 0


def test_a_hidden_question_is_dropped_by_the_edge(hromada):
    import datetime as dt

    from hromada.accounts.tests.factories import staff_user
    from hromada.consultations.services.consultations import consultation_publish

    from .factories import add_condition

    consultation, qs = survey(hromada, publish=False)
    add_condition(qs["scale"], "Ні", qs["single"])  # the scale only after "no"
    consultation = consultation_publish(
        consultation=consultation,
        actor=staff_user(hromada, "admin"),
        now=consultation.opens_at - dt.timedelta(hours=1),
    )
    path = f"/api/v1/consultations/{consultation.number}/response"
    inner = Recorder()
    user = verified_user()
    status, answer = call(
        core_edge.Edge(inner, edge.ROUTES), environ(path, token_of(user), body_of(full_answers(qs)))
    )
    assert status == "201 Created" and inner.bodies == []  # "Так": the scale's answer dropped
    assert json.loads(answer)["answers"] == 6
    response = Response.objects.get(consultation=consultation, user=user)
    assert not Answer.objects.filter(response=response, question=qs["scale"]).exists()


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_is_one_response(hromada, ledger_cleanup):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    consultation, qs = survey(hromada, audience="verified")
    path = f"/api/v1/consultations/{consultation.number}/response"
    user = verified_user()
    token = token_of(user)
    body = body_of(full_answers(qs))
    statuses: list[str] = []
    barrier = threading.Barrier(6)

    def run():
        from django.db import connection as conn

        try:
            barrier.wait()
            statuses.append(call(core_edge.Edge(Recorder(), edge.ROUTES), environ(path, token, body))[0])
        finally:
            conn.close()

    threads = [threading.Thread(target=run) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == ["201 Created"] + ["418 I'm a teapot"] * 5
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert Answer.objects.filter(response__consultation=consultation).count() == 9
    assert LedgerEntry.objects.filter(kind="consultations.response_submitted").count() == 1
    assert snapshot_compute(consultation=consultation).respondents == 1
