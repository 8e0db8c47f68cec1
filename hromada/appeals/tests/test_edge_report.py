"""The report edge's own parts: the strict multipart reader (what it takes apart and
what it leaves to Django), the 201 body against the API's schema, and what a report
costs through each path (CPU and statements, printed; the edge's statements bounded)."""

from __future__ import annotations

import io
import time

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hromada.accounts.services.tokens import api_token_create
from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.appeals import edge_report as edge
from hromada.appeals.models import Case
from hromada.appeals.tests.factories import LAT, LON, make_category, make_department
from hromada.appeals.tests.intake_helpers import draw_boundary, image
from hromada.core import edge as core_edge

BOUNDARY = "----hromada-test-7d3f9a"
PATH = "/api/v1/appeals/reports"


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]] = ()) -> bytes:
    """A body as a browser or the bench's wrk script writes it."""
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, filename, content_type, data in files:
        out.write(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        out.write(data + b"\r\n")
    out.write(f"--{BOUNDARY}--\r\n".encode())
    return out.getvalue()


def environ(body: bytes, token: str | None, *, content_type: str | None = None, **extra) -> dict:
    env = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_ACCEPT": "application/json",
        "CONTENT_TYPE": content_type or f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "192.0.2.7",
        "wsgi.input": io.BytesIO(body),
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


def call(app, env) -> tuple[str, bytes]:
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    body = b"".join(app(env, start_response))
    return seen["status"], body


def jpeg(size=(64, 48)) -> bytes:
    return image("photo.jpg", "JPEG", size=size).read()


# --- the reader ---------------------------------------------------------------------------


def test_the_reader_takes_the_bench_shape_apart():
    body = multipart(
        [("category", "tree"), ("description", "Впало дерево\r\nна дорогу"), ("attribute[pole]", "17")],
        [("photo", "photo-1.jpg", "image/jpeg", b"\xff\xd8\xff data")],
    )
    parts = edge.parts_of(body, BOUNDARY.encode())
    assert parts is not None
    form = edge.form_of(parts)
    assert form is not None
    assert form.fields == {"category": "tree", "description": "Впало дерево\r\nна дорогу"}
    assert form.attributes == {"pole": ["17"]}
    assert [(p.filename, p.content_type, p.data) for p in form.photos] == [
        ("photo-1.jpg", "image/jpeg", b"\xff\xd8\xff data")
    ]


@pytest.mark.parametrize(
    "fields, files",
    [
        ([("category", "a"), ("category", "b")], []),  # repeated: the schema's reading is Django's
        ([("comment", "x")], []),  # unknown
        ([("title", "я" * 201)], []),  # over max_length: Django's 422
        ([("description", "a\x01b")], []),  # TextGuardMiddleware's 400
        ([("anonymous", "maybe")], []),
        ([], [("photo", "фото.jpg", "image/jpeg", b"x")]),  # a name Django sanitises
        ([], [("photo", "", "image/jpeg", b"x")]),  # no file at all for Django
        ([], [("document", "a.pdf", "application/pdf", b"x")]),
        ([], [("photo", f"p{i}.jpg", "image/jpeg", b"x") for i in range(4)]),
    ],
)
def test_the_reader_leaves_anything_else_to_django(fields, files):
    parts = edge.parts_of(multipart(fields, files), BOUNDARY.encode())
    assert parts is None or edge.form_of(parts) is None


def test_a_body_written_another_way_is_not_read():
    good = multipart([("category", "tree")])
    assert edge.parts_of(good, BOUNDARY.encode()) is not None
    assert edge.parts_of(b"preamble\r\n" + good, BOUNDARY.encode()) is None
    assert edge.parts_of(good[:-10], BOUNDARY.encode()) is None
    extra_header = good.replace(b"\r\n\r\n", b"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n", 1)
    assert edge.parts_of(extra_header, BOUNDARY.encode()) is None
    assert edge._boundary("multipart/form-data; boundary=abc") == b"abc"
    assert edge._boundary('multipart/form-data; boundary="abc"') == b"abc"
    assert edge._boundary("application/x-www-form-urlencoded") is None


def test_the_201_body_is_the_api_schemas():
    import datetime as dt

    from hromada.appeals.api_intake import CreatedOut

    case = Case(number=7, status="assigned", due_at=dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC))
    body = edge.answer_body(case, "https", "hromada.example.test")
    assert set(body) == set(CreatedOut.model_fields)
    assert body["due_at"] == "2026-05-01T10:00:00Z"
    assert body["url"] == f"https://hromada.example.test/appeals/cases/{case.public_id}/"


# --- the cost -----------------------------------------------------------------------------


def _measure(app, bodies, tokens) -> tuple[float, float]:
    with CaptureQueriesContext(connection) as queries:
        started = time.process_time()
        for body, token in zip(bodies, tokens, strict=True):
            status, answer = call(app, environ(body, token))
            assert status == "201 Created", answer
        cpu = (time.process_time() - started) / len(bodies) * 1000
    return cpu, len(queries) / len(bodies)


@pytest.mark.django_db
def test_what_a_report_costs_through_each_path(hromada, settings, tmp_path, capsys):
    """The bench's report (a category with a department of five, a drawn boundary, one
    JPEG): statements and CPU per report, printed; the edge asks at most a third."""
    from hromada.consultations.tests.test_edge_parity import wsgi_in_test_transaction

    settings.MEDIA_ROOT = str(tmp_path)
    draw_boundary(hromada)
    department = make_department(hromada, members=[staff_user(hromada, "officer") for _ in range(5)])
    make_category(hromada, code="tree", department=department, target_hours=48)
    fields = [
        ("category", "tree"),
        ("lat", f"{LAT:.6f}"),
        ("lon", f"{LON:.6f}"),
        ("title", "Впало дерево"),
        ("description", "Після нічної бурі впало дерево. Просимо прибрати."),
        ("anonymous", "true"),
    ]
    body = multipart(fields, [("photo", "photo-0.jpg", "image/jpeg", jpeg((320, 240)))])
    n = 15
    tokens = [api_token_create(user=verified_user(), name="bench")[1] for _ in range(2 * n + 2)]
    django_app = get_wsgi_application()
    edge_app = core_edge.Edge(django_app, edge.ROUTES)
    with wsgi_in_test_transaction():
        call(django_app, environ(body, tokens[-1]))  # warm: imports, caches
        call(edge_app, environ(body, tokens[-2]))
        django_cpu, django_statements = _measure(django_app, [body] * n, tokens[:n])
        edge_cpu, edge_statements = _measure(edge_app, [body] * n, tokens[n : 2 * n])
    numbers = list(Case.objects.filter(hromada=hromada).order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, 2 * n + 3))
    with capsys.disabled():
        print(
            f"\nreport via Django: {django_cpu:.2f} ms CPU, {django_statements:.1f} statements;"
            f" via the edge: {edge_cpu:.2f} ms CPU, {edge_statements:.1f} statements"
        )
    if connection.vendor == "postgresql":
        assert edge_statements <= django_statements / 3
