"""The edge and the API view are one behaviour: the same sequence of requests — a valid
questionnaire, each kind of invalid one, a second answer, a closed poll, an ineligible
person, nobody logged in, an existing draft, a declared district, a drawn boundary… —
sent through the full WSGI stack once with the edge's route and once without it gives
the same statuses, the same JSON bodies (times and receipts compared by shape and by
whose they are) and the same stored rows and ledger payloads. The edge answers the
common cases itself (checked: Django never saw them) and hands everything else over."""

from __future__ import annotations

import datetime as dt
import json
import re
from contextlib import contextmanager

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction

from hromada.accounts.services import api_token_create
from hromada.accounts.tests.factories import UserFactory, staff_user, verified_user
from hromada.consultations import edge_questionnaire as edge
from hromada.consultations.models import SHORT_TEXT_MAX, Answer, Consultation, Response
from hromada.consultations.services.consultations import consultation_publish
from hromada.consultations.services.snapshots import snapshot_compute
from hromada.core import edge as core_edge
from hromada.ledger.models import LedgerEntry
from hromada.places.models import Area

from .factories import add_condition
from .test_edge_questionnaire import call, environ
from .test_results_data import option, survey

pytestmark = pytest.mark.django_db

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")
ZERO = "00000000-0000-0000-0000-000000000000"
# The cases the edge answers itself; every other one must reach Django.
BY_EDGE = {
    "valid",
    "an unknown question is ignored",
    "a hidden answer is dropped",
    "condition met",
    "area",
    "no point, a boundary drawn",
    "a point inside the boundary",  # checked at the edge as response_submit checks it
}


class Counting:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self, app):
        self.app, self.calls = app, 0

    def __call__(self, env, start_response):
        self.calls += 1
        return self.app(env, start_response)


@contextmanager
def wsgi_in_test_transaction():
    # As django.test.Client does: a request's start and end must not close the test's
    # connection (it holds the test's transaction).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fresh_process() -> None:
    """Each run starts as a fresh server process would (conftest's caches, the edge's)."""
    from django.core.cache import cache

    from hromada.accounts import api_auth
    from hromada.core.modules import registry
    from hromada.tenancy.selectors import tenancy_cache_clear

    cache.clear()
    tenancy_cache_clear()
    registry.clear_caches()
    core_edge.edge_cache_clear()
    edge.cache_clear()
    with api_auth._pending_lock:
        api_auth._pending_use.clear()
        api_auth._last_flush[0] = 0.0


class World:
    """Two polls (open with a condition, closed), a district, the people; and the names
    that make two runs' ids comparable."""

    def __init__(self, hromada):
        self.hromada = hromada
        poll, qs = survey(hromada, audience="verified", publish=False)
        add_condition(qs["short"], "Ні", qs["single"])  # "one word" only after "no"
        self.poll = consultation_publish(
            consultation=poll, actor=staff_user(hromada, "admin"), now=poll.opens_at - dt.timedelta(hours=1)
        )
        self.qs = qs
        self.closed, closed_qs = survey(hromada, current="report", audience="verified")
        self.district = Area.objects.create(hromada=hromada, kind="district", name="Центральний")
        self.names: dict[str, str] = {
            str(self.poll.public_id): "<poll>",
            str(self.closed.public_id): "<closed>",
            str(self.district.public_id): "<district>",
        }
        for prefix, questions in (("", qs), ("closed.", closed_qs)):
            for key, q in questions.items():
                self.names[str(q.public_id)] = f"<{prefix}{key}>"
                for o in q.options.all():
                    self.names[str(o.public_id)] = f"<{prefix}{key}:{o.label}>"
        self.users: dict[str, object] = {}
        self.tokens: dict[str, str] = {}

    def person(self, name: str, *, verified: bool = True):
        if name not in self.users:
            user = verified_user() if verified else UserFactory()
            self.users[name] = user
            self.tokens[name] = api_token_create(user=user, name="parity")[1]
        return self.users[name]

    def q(self, key: str) -> str:
        return str(self.qs[key].public_id)

    def o(self, key: str, label: str) -> str:
        return str(option(self.qs[key], label).public_id)

    def full(self, **changes) -> dict:
        answers = {
            self.q("single"): self.o("single", "Так"),
            self.q("multiple"): [self.o("multiple", "Лави")],
            self.q("ranking"): [str(o.public_id) for o in self.qs["ranking"].options.order_by("-order")],
            self.q("scale"): 4,
            self.q("number"): "2,5",
            self.q("long"): "Більше тіні",
            self.q("point"): {"lat": 48.5, "lon": 32.2},
        }
        for key, value in changes.items():
            if value is None:
                answers.pop(self.q(key))
            else:
                answers[self.q(key)] = value
        return answers


def cases(w: World) -> list[tuple]:
    """(case, person or None, consultation, body or raw bytes, method)."""
    multiple_all = [str(o.public_id) for o in w.qs["multiple"].options.all()]
    ranking = w.full()[w.q("ranking")]
    poll, closed = w.poll, w.closed
    return [
        ("valid", "ann", poll, {"answers": w.full()}, "POST"),
        ("a second answer", "ann", poll, {"answers": w.full()}, "POST"),
        ("a required answer missing", "b1", poll, {"answers": w.full(single=None)}, "POST"),
        ("a choice outside the options", "b2", poll, {"answers": w.full(single=ZERO)}, "POST"),
        ("too many choices", "b3", poll, {"answers": w.full(multiple=multiple_all)}, "POST"),
        ("a ranking with duplicates", "b4", poll, {"answers": w.full(ranking=[ranking[0]] * 3)}, "POST"),
        ("a ranking incomplete", "b5", poll, {"answers": w.full(ranking=ranking[:2])}, "POST"),
        ("off the scale", "b6", poll, {"answers": w.full(scale=9)}, "POST"),
        ("a number too precise", "b7", poll, {"answers": w.full(number="2,555")}, "POST"),
        ("not a number", "b8", poll, {"answers": w.full(number="багато")}, "POST"),
        ("a point off the map", "b9", poll, {"answers": w.full(point={"lat": 200, "lon": 0})}, "POST"),
        (
            "a text too long",
            "b10",
            poll,
            {"answers": w.full(single=w.o("single", "Ні"), short="я" * (SHORT_TEXT_MAX + 1))},
            "POST",
        ),
        ("a control character in an answer", "b11", poll, {"answers": w.full(long="a\x01b")}, "POST"),
        ("a control character in a key", "b12", poll, {"answers": w.full() | {"\x01": 1}}, "POST"),
        ("answers not an object", "b13", poll, {"answers": [1]}, "POST"),
        ("not JSON", "b14", poll, b"{answers", "POST"),
        ("an unknown question is ignored", "c1", poll, {"answers": w.full() | {"nope": 1}}, "POST"),
        ("a hidden answer is dropped", "c2", poll, {"answers": w.full(short="Тінь")}, "POST"),
        ("condition met", "c3", poll, {"answers": w.full(single=w.o("single", "Ні"), short="Тінь")}, "POST"),
        ("area", "c4", poll, {"answers": w.full(), "area": str(w.district.public_id)}, "POST"),
        ("an unknown area", "c5", poll, {"answers": w.full(), "area": ZERO}, "POST"),
        ("an address", "c6", poll, {"answers": w.full(), "address": "вул. Шевченка, 1"}, "POST"),
        ("an extra key", "c7", poll, {"answers": w.full(), "extra": 1}, "POST"),
        ("a closed poll", "c8", closed, {"answers": {}}, "POST"),
        ("ineligible", "unverified", poll, {"answers": w.full()}, "POST"),
        ("not logged in", None, poll, {"answers": w.full()}, "POST"),
        ("a draft", "dan", poll, {"answers": {w.q("scale"): 3}}, "PUT"),
        ("submitting over a draft", "dan", poll, {"answers": w.full()}, "POST"),
        ("a draft's second answer", "dan", poll, {"answers": w.full()}, "POST"),
    ]


def boundary_cases(w: World) -> list[tuple]:
    from hromada.places.tests.geo_fixtures import CENTRE

    inside = {"lat": CENTRE[1], "lon": CENTRE[0]}
    return [
        ("a point inside the boundary", "d1", w.poll, {"answers": w.full(point=inside)}, "POST"),
        ("a point outside the boundary", "d2", w.poll, {"answers": w.full()}, "POST"),
        ("no point, a boundary drawn", "d3", w.poll, {"answers": w.full(point=None)}, "POST"),
    ]


def normal(value, w: World, receipts: dict[str, str]):
    """A JSON value with the run's ids replaced by their names."""
    if isinstance(value, dict):
        return {normal(k, w, receipts): normal(v, w, receipts) for k, v in value.items()}
    if isinstance(value, list):
        return [normal(v, w, receipts) for v in value]
    if isinstance(value, str):
        if TIME.match(value):
            return "<time>"
        if value in receipts:
            return receipts[value]
        for raw, name in w.names.items():
            value = value.replace(raw, name)
    return value


def send(app, w: World, case: tuple) -> tuple[str, bytes]:
    _name, person, consultation, body, method = case
    token = ""
    if person is not None:
        w.person(person, verified=person != "unverified")
        token = w.tokens[person]
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    env = environ(f"/api/v1/consultations/{consultation.number}/response", token, raw)
    env["REQUEST_METHOD"] = method
    if person is None:
        del env["HTTP_AUTHORIZATION"]
    return call(app, env)


def stored(w: World, receipts: dict[str, str]) -> dict:
    who = {u.pk: name for name, u in w.users.items()}
    responses = Response.objects.filter(hromada=w.hromada)
    for participant, user_id in responses.values_list("participant", "user_id"):
        receipts[participant] = f"<receipt of {who[user_id]}>"
    label = {w.poll.pk: "<poll>", w.closed.pk: "<closed>"}
    questions = {q.pk: f"<{k}>" for k, q in w.qs.items()}
    return {
        "responses": sorted(
            (
                who[r.user_id],
                label[r.consultation_id],
                r.status,
                r.age_group,
                w.names.get(str(r.area.public_id)) if r.area else None,
                r.submitted_at is not None,
                receipts[r.participant],
            )
            for r in responses.select_related("area")
        ),
        "answers": sorted(
            (
                who[a.response.user_id],
                questions[a.question_id],
                w.names[str(a.option.public_id)] if a.option else None,
                a.rank,
                None if a.number is None else str(a.number),
                a.text,
                a.text_state,
                a.lat,
                a.lon,
            )
            for a in Answer.objects.filter(hromada=w.hromada).select_related("response", "option")
        ),
        # Neither path touches a counter; the snapshot counts the same rows.
        "counters": {
            label[pk]: n
            for pk, n in Consultation.objects.filter(pk__in=label).values_list("pk", "response_count")
        },
        "snapshots": {label[c.pk]: snapshot_compute(consultation=c).respondents for c in (w.poll, w.closed)},
        "ledger": [
            (e.kind, normal(e.payload, w, receipts))
            for e in LedgerEntry.objects.filter(
                hromada=w.hromada, kind__startswith="consultations.response"
            ).order_by("id")
        ],
    }


def run(hromada, *, with_edge: bool) -> tuple[list, dict, set]:
    """One run in a savepoint rolled back at its end: (transcript, stored rows, the cases
    the edge answered itself)."""
    fresh_process()
    transcript, answered_by_edge = [], set()
    with transaction.atomic():
        w = World(hromada)
        django_app = Counting(get_wsgi_application())
        app = core_edge.Edge(django_app, edge.ROUTES if with_edge else [])
        raw_answers = []
        for case in cases(w):
            before = django_app.calls
            status, body = send(app, w, case)
            if django_app.calls == before:
                answered_by_edge.add(case[0])
            raw_answers.append((case[0], status, body))
        from hromada.places import services as places_services
        from hromada.places.tests.geo_fixtures import CENTRE, square

        places_services.area_save(
            actor=None,
            hromada=hromada,
            kind="boundary",
            name="Межа громади",
            geometry_value=square(*CENTRE, 0.5),
        )
        # What the area's commit does (rolled back here): this process's snapshot of the
        # areas is forgotten.
        from hromada.places import geocode

        geocode.areas_changed(hromada.pk)
        for case in boundary_cases(w):
            before = django_app.calls
            status, body = send(app, w, case)
            if django_app.calls == before:
                answered_by_edge.add(case[0])
            raw_answers.append((case[0], status, body))
        receipts: dict[str, str] = {}
        rows = stored(w, receipts)
        for name, status, body in raw_answers:
            data = json.loads(body) if body else None
            transcript.append((name, status, normal(data, w, receipts)))
        transaction.set_rollback(True)
    fresh_process()
    return transcript, rows, answered_by_edge


def test_the_edge_and_the_api_view_are_one_behaviour(hromada):
    with wsgi_in_test_transaction():
        via_django, rows_django, none = run(hromada, with_edge=False)
        via_edge, rows_edge, by_edge = run(hromada, with_edge=True)
    assert none == set()
    assert by_edge == BY_EDGE
    for (name, status, body), (_n, edge_status, edge_body) in zip(via_django, via_edge, strict=True):
        assert (name, edge_status, edge_body) == (name, status, body)
    assert rows_edge == rows_django
    # The runs did what the cases say (not two identical failures).
    statuses = {name: status for name, status, _body in via_django}
    assert statuses["valid"] == "201 Created" and statuses["a second answer"].startswith("409")
    assert statuses["submitting over a draft"] == "201 Created"
    assert statuses["a point outside the boundary"].startswith("400")
    assert statuses["not logged in"].startswith("401") and statuses["ineligible"].startswith("403")
    assert statuses["a closed poll"].startswith("409")
    for name in BY_EDGE:
        assert statuses[name] == "201 Created", name
    body = dict((n, b) for n, _s, b in via_django)["valid"]
    assert body == {
        "status": "submitted",
        "submitted_at": "<time>",
        "receipt": "<receipt of ann>",
        "answers": 7,
    }
    submitted = [e for e in rows_django["ledger"] if e[0] == "consultations.response_submitted"]
    assert (
        "consultations.response_submitted",
        {"consultation": "<poll>", "participant": "<receipt of ann>", "answers": 7},
    ) in submitted
    # No submission touched the consultation's row; the snapshot counts every response.
    assert rows_django["counters"] == {"<poll>": 0, "<closed>": 0}
    assert rows_django["snapshots"]["<poll>"] == len(submitted)


def test_the_201_body_is_the_api_schemas(hromada):
    """The edge's body has SubmittedOut's fields, no more."""
    from hromada.consultations.api_questionnaire import SubmittedOut

    response = Response(
        status="submitted", submitted_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC), participant="x"
    )
    body = edge.answer_body(response, 3)
    assert set(body) == set(SubmittedOut.model_fields)
    assert body["submitted_at"] == "2026-05-01T10:00:00Z"  # as DjangoJSONEncoder writes it
