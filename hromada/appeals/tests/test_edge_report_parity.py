"""The report edge and the API view are one behaviour: the same sequence of reports —
valid ones with and without photos, in Ukrainian and in English, to a department and
to none, and each kind of refusal (no category, an unknown one, a point outside, no
text, a missing answer, a file that is no image, a bad coordinate, too many photos, no
token, a control character) and what the edge leaves to Django (an address, an unknown
field) — sent through the full WSGI stack once with the edge's route and once without
it gives the same statuses, the same JSON bodies (ids by name, times by shape), and the
same stored rows: cases with consecutive numbers, photos, history steps, ledger
payloads, notifications (the applicant's, the department's, by preference and
language). The edge answers the common cases itself (checked: Django never saw them)
and hands everything else over. The edge writes on PostgreSQL only: on SQLite every
report must reach Django."""

from __future__ import annotations

import json
import re

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection, transaction

from hromada.accounts.services.tokens import api_token_create
from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.appeals import edge_report as edge
from hromada.appeals.models import Attachment, Case, CaseEvent, CaseKind
from hromada.appeals.services.intake import full_name_of
from hromada.appeals.tests.factories import LAT, LON, make_category, make_department
from hromada.appeals.tests.intake_helpers import OUT_LAT, OUT_LON, draw_boundary, pole_attribute
from hromada.consultations.tests.test_edge_parity import Counting, fresh_process, wsgi_in_test_transaction
from hromada.core import edge as core_edge
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification, Preference

from .test_edge_report import call, environ, jpeg, multipart

pytestmark = pytest.mark.django_db

TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
BY_EDGE = {
    "valid",
    "no photo, no department",
    "in English",
    "two photos, described",
    "named",
    "the same person again",
}


class World:
    def __init__(self, hromada):
        self.hromada = hromada
        draw_boundary(hromada)
        self.head = staff_user(hromada, "officer")
        quiet = staff_user(hromada, "officer")  # wants no in-app copy, only e-mail
        Preference.objects.create(user=quiet, kind="appeals.case_new", in_app=False, email=True)
        english = staff_user(hromada, "officer")
        english.language = "en"
        english.save(update_fields=["language"])
        self.staff = {self.head.pk: "<head>", quiet.pk: "<quiet>", english.pk: "<english>"}
        department = make_department(hromada, head=self.head, members=[quiet, english])
        self.tree = make_category(hromada, code="tree", name="Повалене дерево", department=department)
        pole_attribute(self.tree)
        self.light = make_category(hromada, code="light", name="Ліхтар", target_hours=24)
        self.users: dict[str, object] = {}
        self.tokens: dict[str, str] = {}

    def token(self, name: str) -> str:
        if name not in self.users:
            self.users[name] = verified_user()
            self.tokens[name] = api_token_create(user=self.users[name], name="parity")[1]
        return self.tokens[name]


def point(lat=LAT, lon=LON) -> list[tuple[str, str]]:
    return [("lat", f"{lat:.6f}"), ("lon", f"{lon:.6f}")]


TREE = [("category", "tree"), ("attribute[pole]", "17"), ("description", "Впало дерево на дорогу")]
LIGHT = [("category", "light"), ("description", "Не світить ліхтар")]


def cases() -> list[tuple]:
    """(name, person or None, fields, files, extra environ)."""
    photo = [("photo", "photo-0.jpg", "image/jpeg", jpeg())]
    return [
        ("valid", "ann", TREE + point() + [("title", "Дерево"), ("anonymous", "true")], photo, {}),
        ("no photo, no department", "bob", LIGHT + point(), [], {}),
        ("in English", "eve", LIGHT + point(), photo, {"HTTP_ACCEPT_LANGUAGE": "en"}),
        (
            "two photos, described",
            "dan",
            TREE + point() + [("photo_alt", "Дерево на дорозі"), ("photo_alt", "")],
            photo + [("photo", "photo-1.jpg", "image/jpeg", jpeg((20, 30)))],
            {},
        ),
        ("named", "fay", LIGHT + point() + [("anonymous", "false")], [], {}),
        ("no category", "r1", [("description", "Щось")] + point(), [], {}),
        ("an unknown category", "r2", [("category", "nope"), ("description", "Щось")] + point(), [], {}),
        ("a point outside", "r3", LIGHT + point(OUT_LAT, OUT_LON), [], {}),
        ("no text", "r4", [("category", "light")] + point(), [], {}),
        (
            "no answer to a required question",
            "r5",
            [("category", "tree"), ("description", "x")] + point(),
            [],
            {},
        ),
        (
            "not an image",
            "r6",
            LIGHT + point(),
            [("photo", "p.jpg", "image/jpeg", b"not a picture at all")],
            {},
        ),
        ("a coordinate not a number", "r7", LIGHT + [("lat", "north"), ("lon", "1")], [], {}),
        ("too many photos", "r8", LIGHT + point(), photo * 4, {}),
        ("no token", None, LIGHT + point(), [], {}),
        ("a control character", "r9", [("category", "light"), ("description", "a\x01b")] + point(), [], {}),
        ("an address", "r10", LIGHT + [("address", "вул. Неіснуюча, 999")], [], {}),
        ("an unknown field is ignored", "r11", LIGHT + point() + [("comment", "x")], [], {}),
        ("the same person again", "ann", LIGHT + point(), [], {}),
    ]


def normal(value, names: dict[str, str]):
    if isinstance(value, dict):
        return {k: normal(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [normal(v, names) for v in value]
    if isinstance(value, str):
        if TIME.match(value):
            return "<time>"
        return UUID.sub(lambda m: names.get(m[0], "<uuid>"), value)
    return value


def stored(w: World) -> tuple[dict, dict[str, str]]:
    who = {u.pk: name for name, u in w.users.items()} | w.staff
    cases_ = list(Case.objects.filter(hromada=w.hromada, kind=CaseKind.REPORT).order_by("number"))
    names = {str(c.public_id): f"<case {c.number}>" for c in cases_}
    by_pk = {c.pk: f"<case {c.number}>" for c in cases_}
    rows = {
        "cases": [
            (
                c.number,
                who.get(c.applicant_id),
                c.status,
                c.channel,
                c.category.code,
                c.department_id is not None,
                c.title,
                c.text,
                c.lat,
                c.lon,
                c.anonymous,
                c.attributes,
                c.moderation,
                c.applicant_name == full_name_of(c.applicant, w.hromada),  # each run's people differ
                c.applicant_email == c.applicant.email,
                c.due_at - c.registered_at,
                c.first_due_at == c.due_at,
                c.area_id,
                c.building_id,
                c.api_client,
                c.supporters,
            )
            for c in cases_
        ],
        "attachments": sorted(
            (
                by_pk[a.case_id],
                a.kind,
                a.original_name,
                a.content_type,
                a.size,
                a.sha256,
                a.alt_text,
                a.public,
                a.moderation,
                who.get(a.uploaded_by_id),
                bool(re.match(r"^appeals/\d{4}/\d\d/[0-9a-f]{32}\.jpg$", a.file.name)),
                a.file.storage.exists(a.file.name),
            )
            for a in Attachment.objects.filter(hromada=w.hromada)
        ),
        "events": sorted(
            (by_pk[e.case_id], e.kind, who.get(e.actor_id), e.public, e.text, e.status, e.data)
            for e in CaseEvent.objects.filter(hromada=w.hromada)
        ),
        "ledger": [
            (e.kind, normal(e.payload, names))
            for e in LedgerEntry.objects.filter(hromada=w.hromada, kind="appeals.case_registered").order_by(
                "payload__number"
            )
        ],
        "notifications": sorted(
            (who.get(n.user_id), n.kind, n.title, n.body, normal(n.url, names), n.in_app, n.email_pending)
            for n in Notification.objects.filter(hromada=w.hromada)
        ),
    }
    return rows, names


def run(hromada, *, with_edge: bool) -> tuple[list, dict, set]:
    fresh_process()
    transcript, by_edge = [], set()
    with transaction.atomic():
        w = World(hromada)
        django_app = Counting(get_wsgi_application())
        app = core_edge.Edge(django_app, edge.ROUTES if with_edge else [])
        answers = []
        for name, person, fields, files, extra in cases():
            token = w.token(person) if person else None
            before = django_app.calls
            status, body = call(app, environ(multipart(fields, files), token, **extra))
            if django_app.calls == before:
                by_edge.add(name)
            answers.append((name, status, body))
        rows, names = stored(w)
        for name, status, body in answers:
            transcript.append((name, status, normal(json.loads(body), names)))
        transaction.set_rollback(True)
    fresh_process()
    return transcript, rows, by_edge


def test_the_edge_and_the_api_view_are_one_behaviour(hromada, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    with wsgi_in_test_transaction():
        via_django, rows_django, none = run(hromada, with_edge=False)
        via_edge, rows_edge, by_edge = run(hromada, with_edge=True)
    assert none == set()
    assert by_edge == (BY_EDGE if connection.vendor == "postgresql" else set())
    for (name, status, body), (_n, edge_status, edge_body) in zip(via_django, via_edge, strict=True):
        assert (name, edge_status, edge_body) == (name, status, body)
    for table in rows_django:
        assert rows_edge[table] == rows_django[table], table
    # The runs did what the cases say (not two identical failures).
    statuses = {name: status for name, status, _body in via_django}
    for name in (*BY_EDGE, "an unknown field is ignored", "the same person again"):
        assert statuses[name] == "201 Created", name
    for name in ("no category", "an unknown category", "a point outside", "no text", "not an image"):
        assert statuses[name].startswith("422"), name
    assert statuses["no token"].startswith("401") and statuses["a control character"].startswith("400")
    body = {n: b for n, _s, b in via_django}["valid"]
    assert body == {
        "id": "<case 1>",
        "number": 1,
        "status": "assigned",
        "due_at": "<time>",
        "url": "http://testserver/appeals/cases/<case 1>/",
    }
    numbers = [row[0] for row in rows_django["cases"]]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(rows_django["ledger"]) == len(numbers) == len(rows_django["events"])
    kinds = [n[1] for n in rows_django["notifications"]]
    # Three department reports (two by the edge) to three staff; everyone's own receipt.
    assert kinds.count("appeals.case_new") == 3 * 2 and kinds.count("appeals.registered") == len(numbers)
    quiet = [n for n in rows_django["notifications"] if n[0] == "<quiet>"]
    assert quiet and all(n[5] is False and n[6] is True for n in quiet)
    english = {n[2] for n in rows_django["notifications"] if n[0] == "<english>"}
    ukrainian = {n[2] for n in rows_django["notifications"] if n[0] == "<head>"}
    assert english.isdisjoint(ukrainian) or english == ukrainian  # translated when a catalogue has it


def test_rate_limits_are_charged_alike(hromada, settings, tmp_path):
    """With limits on, a report through the edge counts the same limits, under the same
    keys, as through Django; a person over their limit is refused by Django."""
    from hromada.core.models import RateCounter

    settings.MEDIA_ROOT = str(tmp_path)
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "appeals.submit": "1/h"}
    seen = []
    with wsgi_in_test_transaction():
        for with_edge in (False, True):
            fresh_process()
            with transaction.atomic():
                w = World(hromada)
                django_app = Counting(get_wsgi_application())
                app = core_edge.Edge(django_app, edge.ROUTES if with_edge else [])
                token = w.token("ann")
                first = call(app, environ(multipart(LIGHT + point()), token))
                second = call(app, environ(multipart(LIGHT + point()), token))
                counters = sorted(
                    (key.split("|")[0], key.split("|")[1], n)
                    for key, n in RateCounter.objects.values_list("key", "hits")
                )
                seen.append((first[0], second[0], json.loads(second[1])["code"], counters))
                transaction.set_rollback(True)
    assert seen[0] == seen[1]
    assert seen[0][0] == "201 Created" and seen[0][1].startswith("429")
