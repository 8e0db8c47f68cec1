"""In-process measurement of the appeals hot paths (not a test: pytest collects
test_*.py only; run it explicitly, PostgreSQL for the edge):

    DATABASE_URL=postgres://… TEST_DB_NAME=test_x .venv/bin/pytest -q -s -p no:warnings \
        hromada/appeals/tests/measure_appeals.py [-k report|map|open311]

Per request: CPU (process time of this process: Python only, the database's CPU is not
in it), wall time, statements and their time as the client saw it, and with PROFILE=1
cProfile's top functions. The storm's report (through the edge, as served: a 1280 × 960
JPEG, a department of five, 2,000 buildings), the map's viewport read and Open311's GET
requests with filters over SEED reports seeded as bench/appeals_data.py seeds them (fewer:
SEED, default 20,000)."""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import os
import pstats
import random
import time
from collections import Counter

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hromada.accounts.services.tokens import api_token_create
from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.appeals import edge_report as edge
from hromada.appeals.models import Case, CaseKind, CaseStatus, Channel, Moderation
from hromada.appeals.tests.factories import LAT, LON, make_category, make_department
from hromada.appeals.tests.intake_helpers import draw_boundary
from hromada.appeals.tests.test_edge_report import call, environ, multipart
from hromada.core import edge as core_edge

N = int(os.environ.get("MEASURE_N", "200"))
SEED = int(os.environ.get("SEED", "20000"))
PROFILE = os.environ.get("PROFILE") == "1"


def _jpeg() -> bytes:
    """A photo like the bench's: 1280 × 960, some texture (~30–60 KB)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (1280, 960), (90, 120, 60))
    draw = ImageDraw.Draw(img)
    rng = random.Random(3)
    for _ in range(300):
        x, y = rng.randrange(1280), rng.randrange(960)
        draw.ellipse(
            (x, y, x + rng.randrange(5, 60), y + rng.randrange(5, 60)),
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=70)
    return out.getvalue()


def _buildings(hromada, n: int = 2000) -> list[tuple[float, float]]:
    from hromada.places.addresses import house_key
    from hromada.places.models import Building, Settlement, Street

    settlement = Settlement.objects.create(
        hromada=hromada,
        katottg="UA71080130000000001",
        category="M",
        name="Місто",
        slug="misto",
        is_centre=True,
        lat=LAT,
        lon=LON,
    )
    street = Street.objects.create(
        hromada=hromada, settlement=settlement, street_type="вулиця", name="Центральна", name_key="центральна"
    )
    rng = random.Random(1)
    points = [(LAT + rng.uniform(-0.03, 0.03), LON + rng.uniform(-0.04, 0.04)) for _ in range(n)]
    Building.objects.bulk_create(
        [
            Building(
                hromada=hromada,
                street=street,
                number=str(i + 1),
                house_key=house_key(str(i + 1)),
                lat=a,
                lon=o,
            )
            for i, (a, o) in enumerate(points)
        ],
        batch_size=2000,
    )
    return points


def _report(kind: str, cq, cpu: float, wall: float, n: int) -> None:
    total = sum(float(q["time"]) for q in cq.captured_queries)
    kinds = Counter(q["sql"].split()[0].upper() for q in cq.captured_queries)
    print(
        f"\n{kind}: cpu {1000 * cpu / n:.2f} ms, wall {1000 * wall / n:.2f} ms, "
        f"statements {len(cq.captured_queries) / n:.2f} ({dict(kinds)}), SQL {1000 * total / n:.2f} ms (client-seen)"
    )
    slow: dict[str, list[float]] = {}
    for q in cq.captured_queries:
        slow.setdefault(q["sql"][:150], []).append(float(q["time"]))
    for sql, times in sorted(slow.items(), key=lambda kv: -sum(kv[1]))[:6]:
        print(f"   {1000 * sum(times) / n:7.3f} ms/req  ×{len(times) / n:.2f}  {sql}")


def _run(kind: str, fn, n: int) -> None:
    profiler = cProfile.Profile() if PROFILE else None
    with CaptureQueriesContext(connection) as cq:
        t0, w0 = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for i in range(n):
            fn(i)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    _report(kind, cq, cpu, wall, n)
    if profiler:
        pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(35)


@pytest.mark.django_db
def test_measure_report(hromada, settings, tmp_path):
    from hromada.consultations.tests.test_edge_parity import wsgi_in_test_transaction

    settings.MEDIA_ROOT = str(tmp_path)
    draw_boundary(hromada)
    points = _buildings(hromada)
    department = make_department(hromada, members=[staff_user(hromada, "officer") for _ in range(5)])
    make_category(hromada, code="tree", department=department, target_hours=48)
    photo = _jpeg()
    print(f"\nphoto {len(photo)} bytes")
    rng = random.Random(7)
    bodies = []
    for i in range(N + 5):
        lat, lon = points[i % len(points)]
        fields = [
            ("category", "tree"),
            ("lat", f"{lat + rng.uniform(-1e-4, 1e-4):.6f}"),
            ("lon", f"{lon + rng.uniform(-1e-4, 1e-4):.6f}"),
            ("title", "Впало дерево"),
            ("description", f"Після нічної бурі впало дерево. Просимо прибрати. (№ {i})"),
            ("anonymous", "true" if i % 10 < 7 else "false"),
        ]
        bodies.append(multipart(fields, [("photo", f"photo-{i % 4}.jpg", "image/jpeg", photo)]))
    tokens = [api_token_create(user=verified_user(), name="bench")[1] for _ in range(N + 5)]
    app = core_edge.Edge(get_wsgi_application(), edge.ROUTES)

    def one(i: int) -> None:
        status, answer = call(app, environ(bodies[i], tokens[i]))
        assert status == "201 Created", answer

    with wsgi_in_test_transaction():
        for i in range(N, N + 5):  # warm: imports, caches
            one(i)
        _run(f"REPORT via the edge ({connection.vendor})", one, N)


def _seed(hromada, n: int) -> list:
    """Shown reports as appeals_data.py seeds them: every category, 35 % open, over the
    past year, 75 % near buildings, the rest anywhere in the box."""
    rng = random.Random(n)
    departments = [make_department(hromada, name=f"Служба {i}") for i in range(3)]
    categories = [
        make_category(hromada, code=f"c{i}", name=f"Категорія {i}", department=departments[i % 3])
        for i in range(12)
    ]
    hubs = [(LAT + rng.uniform(-0.03, 0.03), LON + rng.uniform(-0.04, 0.04)) for _ in range(2000)]
    now = timezone.now()
    closed = [CaseStatus.RESOLVED, CaseStatus.NOT_FIXED, CaseStatus.REJECTED]
    opened = [CaseStatus.REGISTERED, CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS]
    rows = []
    for k in range(n):
        at = now - dt.timedelta(seconds=rng.uniform(0, 365 * 86400))
        if rng.random() < 0.75:
            lat, lon = rng.choice(hubs)
            lat, lon = lat + rng.uniform(-3e-4, 3e-4), lon + rng.uniform(-4e-4, 4e-4)
        else:
            lat, lon = LAT + rng.uniform(-0.045, 0.045), LON + rng.uniform(-0.045, 0.045)
        category = categories[k % 12]
        rows.append(
            Case(
                hromada=hromada,
                kind=CaseKind.REPORT,
                channel=Channel.WEB,
                status=rng.choice(opened) if rng.random() < 0.35 else rng.choice(closed),
                number=k + 1,
                category=category,
                department_id=category.department_id,
                title="Не світить ліхтар",
                text="Опис проблеми",
                answer="Виправлено",
                lat=round(lat, 6),
                lon=round(lon, 6),
                moderation=Moderation.SHOWN,
                registered_at=at,
                due_at=at + dt.timedelta(days=3),
                anonymous=True,
            )
        )
    Case.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return categories


@pytest.mark.django_db
def test_measure_map(client, hromada):
    from hromada.appeals import public_selectors as ps

    categories = _seed(hromada, SEED)
    rng = random.Random(5)
    urls = []
    for i in range(N):
        if i % 10 == 0:
            w, s, e, n = LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05  # the whole hromada
        else:
            half = rng.choice([0.004, 0.008, 0.016, 0.03])  # zoom 17 … 13
            lat, lon = LAT + rng.uniform(-0.02, 0.02), LON + rng.uniform(-0.03, 0.03)
            w, s, e, n = lon - half, lat - half * 0.6, lon + half, lat + half * 0.6
        url = f"/api/v1/appeals/reports.geojson?bbox={w:.6f},{s:.6f},{e:.6f},{n:.6f}"
        if i % 5 == 1:
            url += f"&category={rng.choice(categories).code}"
        if i % 7 == 2:
            url += "&status=open"
        urls.append(url)
    client.get(urls[0])

    def one(i: int) -> None:
        assert client.get(urls[i]).status_code == 200

    _run(f"MAP viewport, {SEED} reports, grid kept ({connection.vendor})", one, N)
    clear = getattr(ps, "_grid_of", None) and ps.grid_cache_clear
    if clear is not None:

        def cold(i: int) -> None:
            clear()
            assert client.get(urls[i]).status_code == 200

        _run("MAP viewport, the grid counted every time (a TTL's first request)", cold, N // 4)


@pytest.mark.django_db
def test_measure_open311(client, hromada):
    categories = _seed(hromada, SEED)
    rng = random.Random(9)
    now = timezone.now()
    urls = []
    for i in range(N):
        if i % 10 < 7:
            days = rng.choice([1, 7, 14, 30, 60, 90])
            end = now - dt.timedelta(days=rng.uniform(0, 365 - days))
            start = end - dt.timedelta(days=days)
            fmt = "%Y-%m-%dT%H:%M:%SZ"
            urls.append(
                f"/open311/v2/requests.json?service_code={rng.choice(categories).code}&status=open"
                f"&start_date={start.astimezone(dt.UTC).strftime(fmt)}&end_date={end.astimezone(dt.UTC).strftime(fmt)}"
            )
        else:
            ids = ",".join(str(rng.randrange(1, SEED)) for _ in range(rng.randrange(1, 6)))
            urls.append(f"/open311/v2/requests.json?service_request_id={ids}")
    client.get(urls[0])

    def one(i: int) -> None:
        assert client.get(urls[i]).status_code == 200

    _run(f"OPEN311 GET requests, {SEED} reports ({connection.vendor})", one, N)
