"""In-process measurement (not a test; run explicitly): per-submission CPU/statements
through the edge, and per results-page request CPU/statements."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hromada.accounts.tests.factories import verified_user
from hromada.consultations import edge_questionnaire as edge
from hromada.consultations import result_selectors
from hromada.core import edge as core_edge

from .test_edge_questionnaire import Recorder, body_of, call, environ, full_answers, token_of
from .test_results_data import survey

N = 300
R = 200


@pytest.mark.django_db
def test_measure(client, hromada):
    consultation, qs = survey(hromada, audience="verified", results_visibility="live")
    path = f"/api/v1/consultations/{consultation.number}/response"
    tokens = [token_of(verified_user()) for _ in range(N + 20)]
    app = core_edge.Edge(Recorder(), edge.ROUTES)
    body = body_of(full_answers(qs))
    for t in tokens[:20]:  # warm
        assert call(app, environ(path, t, body))[0] == "201 Created"
    with CaptureQueriesContext(connection) as cq:
        t0, w0 = time.process_time(), time.perf_counter()
        for t in tokens[20:]:
            assert call(app, environ(path, t, body))[0] == "201 Created"
        cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    print(
        f"\nSUBMIT per request: cpu {1000 * cpu / N:.3f} ms wall {1000 * wall / N:.3f} ms "
        f"statements {len(cq.captured_queries) / N:.2f}"
    )
    for q in cq.captured_queries[-3:]:
        print("   ", q["sql"][:160])
    url = f"/consultations/{consultation.number}/results/"
    refresh = getattr(result_selectors, "measure_refresh", None)
    if refresh:
        refresh(consultation)
    for by in ("", "?by=age_group"):
        client.get(url + by)
        with CaptureQueriesContext(connection) as cq:
            t0, w0 = time.process_time(), time.perf_counter()
            for _ in range(R):
                r = client.get(url + by)
                assert r.status_code == 200
            cpu, wall = time.process_time() - t0, time.perf_counter() - w0
        print(
            f"RESULTS{by or ''} warm per request: cpu {1000 * cpu / R:.3f} ms wall {1000 * wall / R:.3f} ms "
            f"statements {len(cq.captured_queries) / R:.2f}"
        )
    # the computation a request pays when it (re)computes (old: every 10 s per process)
    reps = 20
    with CaptureQueriesContext(connection) as cq:
        t0, w0 = time.process_time(), time.perf_counter()
        for _ in range(reps):
            result_selectors.cache_clear()
            if refresh:
                refresh(consultation)
            else:
                result_selectors.results_of(consultation)
        cpu, wall = time.process_time() - t0, time.perf_counter() - w0
    print(
        f"COMPUTE per computation ({N + 20} responses): cpu {1000 * cpu / reps:.3f} ms wall {1000 * wall / reps:.3f} ms "
        f"statements {len(cq.captured_queries) / reps:.2f}"
    )
    api = f"/api/v1/consultations/{consultation.number}/results"
    client.get(api)
    with CaptureQueriesContext(connection) as cq:
        t0 = time.process_time()
        for _ in range(R):
            assert client.get(api).status_code == 200
        cpu = time.process_time() - t0
    print(
        f"API results per request: cpu {1000 * cpu / R:.3f} ms statements {len(cq.captured_queries) / R:.2f}"
    )
    print(json.dumps({"ok": True}))


@pytest.mark.django_db
def test_profile(client, hromada):
    import cProfile
    import pstats

    consultation, qs = survey(hromada, audience="verified", results_visibility="live")
    path = f"/api/v1/consultations/{consultation.number}/response"
    app = core_edge.Edge(Recorder(), edge.ROUTES)
    body = body_of(full_answers(qs))
    for _ in range(30):
        assert call(app, environ(path, token_of(verified_user()), body))[0] == "201 Created"
    url = f"/consultations/{consultation.number}/results/"
    refresh = getattr(result_selectors, "measure_refresh", None)
    if refresh:
        refresh(consultation)
    client.get(url)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(30):
        client.get(url)
    prof.disable()
    pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
