"""The results snapshot: pages and the API read it and never aggregate the answers; the
worker's tick refreshes live results every few seconds (paced by their cost), hidden
ones less often, and makes them final after the close; a request computes it once
when there is none (one computation under concurrency), and redoes a stale or
no-longer-final one; moderation after the close redoes the final one."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hromada.accounts.tests.factories import staff_user
from hromada.consultations.models import Answer, Consultation, Response, ResultSnapshot
from hromada.consultations.result_selectors import results_of, snapshot_of
from hromada.consultations.services import snapshots
from hromada.consultations.services.moderation import answers_moderate
from hromada.consultations.services.reports import report_figures
from hromada.consultations.services.snapshots import LIVE_INTERVAL, snapshot_compute, snapshot_get
from hromada.consultations.tasks import results_tick

from .test_results_data import submit, survey

pytestmark = pytest.mark.django_db

ANSWERS = {"single": "Так", "multiple": ["Лави"], "ranking": ["Школи", "Дороги", "Парки"], "scale": 4}


def _stored(consultation) -> ResultSnapshot:
    return ResultSnapshot.objects.get(consultation=consultation)


def _answer_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "consultations_answer" in q["sql"]]


def test_the_first_read_computes_it_and_then_no_request_aggregates(client, hromada):
    consultation, qs = survey(hromada, results_visibility="live")
    for _ in range(2):
        submit(consultation, qs, ANSWERS, age_group="18-35")
    assert not ResultSnapshot.objects.filter(consultation=consultation).exists()
    url = f"/consultations/{consultation.number}/results/"
    assert client.get(url).status_code == 200
    assert _stored(consultation).respondents == 2
    paths = [
        url,
        url + "?by=age_group",
        url + "?by=area",
        f"/api/v1/consultations/{consultation.number}/results",
    ]
    with CaptureQueriesContext(connection) as queries:
        for path in paths:
            assert client.get(path).status_code == 200
    assert _answer_queries(queries) == []
    assert not [q for q in queries if 'consultations_response"' in q["sql"] and "COUNT" in q["sql"].upper()]


def test_a_response_is_shown_after_the_tick_refreshes(hromada):
    consultation, qs = survey(hromada, results_visibility="live")
    submit(consultation, qs, ANSWERS)
    first = snapshot_get(consultation=consultation)
    submit(consultation, qs, ANSWERS)
    assert results_of(consultation).respondents == 1  # the snapshot's, not the rows'
    now = first.computed_at
    assert results_tick(now=now + dt.timedelta(seconds=1)) == 0  # not due yet
    assert results_tick(now=now + dt.timedelta(seconds=LIVE_INTERVAL)) == 1
    assert results_of(consultation).respondents == 2
    assert Consultation.objects.get(pk=consultation.pk).response_count == 2
    assert not _stored(consultation).final


def test_the_refresh_is_paced_by_its_own_cost(hromada):
    consultation, qs = survey(hromada, results_visibility="live")
    snapshot = snapshot_compute(consultation=consultation)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(took_ms=2000)  # a big poll: 2 s a computation
    assert results_tick(now=snapshot.computed_at + dt.timedelta(seconds=10)) == 0
    assert results_tick(now=snapshot.computed_at + dt.timedelta(seconds=snapshots.PACE * 2)) == 1


def test_hidden_results_are_refreshed_less_often_for_the_count(hromada):
    consultation, qs = survey(hromada)  # results after the close
    snapshot = snapshot_compute(consultation=consultation)
    submit(consultation, qs, ANSWERS)
    assert results_tick(now=snapshot.computed_at + dt.timedelta(seconds=LIVE_INTERVAL)) == 0
    at = snapshot.computed_at + dt.timedelta(seconds=snapshots.HIDDEN_INTERVAL)
    assert results_tick(now=at) == 1
    assert Consultation.objects.get(pk=consultation.pk).response_count == 1


def test_after_the_close_the_tick_makes_it_final_and_exact(hromada):
    consultation, qs = survey(hromada, current="report", results_visibility="live")
    for _ in range(3):
        submit(consultation, qs, ANSWERS)
    assert results_tick() == 1
    snapshot = _stored(consultation)
    raw = Response.objects.filter(consultation=consultation, status="submitted").count()
    assert snapshot.final and snapshot.respondents == raw == 3
    assert Consultation.objects.get(pk=consultation.pk).response_count == 3
    assert report_figures(consultation)["responses"] == snapshot.respondents
    single = results_of(consultation).question(qs["single"].public_id)
    assert {o.label: o.count for o in single.options} == {
        "Так": Answer.objects.filter(question=qs["single"], option__label="Так").count(),
        "Ні": 0,
    }
    assert results_tick() == 0  # final: never again


def test_a_request_redoes_a_snapshot_that_can_be_final_now(hromada):
    consultation, qs = survey(hromada, current="report", results_visibility="live")
    submit(consultation, qs, ANSWERS)
    snapshot = snapshot_compute(consultation=consultation)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(final=False)  # computed before the close
    submit(consultation, qs, ANSWERS)  # the last one in flight at the end
    assert results_of(consultation).respondents == 2
    assert _stored(consultation).final


def test_a_request_redoes_a_stale_snapshot_when_no_worker_runs(hromada):
    consultation, qs = survey(hromada, results_visibility="live")
    snapshot = snapshot_compute(consultation=consultation)
    submit(consultation, qs, ANSWERS)
    assert results_of(consultation).respondents == 0  # fresh: served as it is
    old = timezone.now() - dt.timedelta(seconds=snapshots.STALE_AFTER + 1)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=old)
    assert results_of(consultation).respondents == 1


def test_a_request_leaves_a_slow_snapshot_to_the_worker_within_its_pace(hromada):
    """A computation of 4 s is refreshed by the worker every PACE × 4 s: a request within
    that period serves the stored snapshot instead of computing it again in a rush."""
    consultation, qs = survey(hromada, results_visibility="live")
    snapshot = snapshot_compute(consultation=consultation)
    submit(consultation, qs, ANSWERS)
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(took_ms=4000)
    snapshot.refresh_from_db()
    limit = snapshots.stale_after(snapshot)
    assert limit == 2 * snapshots.PACE * 4 + snapshots.LIVE_INTERVAL > snapshots.STALE_AFTER
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - dt.timedelta(seconds=limit - 5)
    )
    assert results_of(consultation).respondents == 0  # within the worker's pace: served
    ResultSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=timezone.now() - dt.timedelta(seconds=limit + 1)
    )
    assert results_of(consultation).respondents == 1  # past it: the worker is down


def test_moderation_after_the_close_redoes_the_final_snapshot(client, hromada):
    consultation, qs = survey(hromada, current="report", results_visibility="live")
    submit(consultation, qs, {**ANSWERS, "long": "Більше тіні"})
    assert snapshot_of(consultation).final
    long = results_of(consultation).question(qs["long"].public_id)
    assert long.shown_texts == 0
    answer = Answer.objects.get(question=qs["long"])
    answers_moderate(
        consultation=consultation,
        actor=staff_user(hromada, "moderator"),
        answer_ids=[answer.pk],
        state="shown",
    )
    assert not _stored(consultation).final
    assert results_of(consultation).question(qs["long"].public_id).shown_texts == 1
    assert "Більше тіні" in client.get(f"/consultations/{consultation.number}/results/").content.decode()


def test_an_extension_after_the_close_unfinalises_it(hromada):
    consultation, qs = survey(hromada, current="report", results_visibility="live")
    assert snapshot_of(consultation).final
    data = _stored(consultation).data
    ResultSnapshot.objects.filter(consultation=consultation).update(data={**data, "ends_at": "2000-01-01"})
    submit(consultation, qs, ANSWERS)
    assert results_of(consultation).respondents == 1


def test_the_page_says_when_it_was_computed(client, hromada):
    consultation, qs = survey(hromada, results_visibility="live")
    submit(consultation, qs, ANSWERS)
    text = client.get(f"/consultations/{consultation.number}/results/").content.decode()
    at = timezone.localtime(_stored(consultation).computed_at)
    assert "Оновлено о" in text
    assert f'<time datetime="{at.isoformat(timespec="seconds")}' in text or "<time datetime=" in text
    assert f">{at:%H:%M:%S}</time>" in text


def test_the_cross_tab_and_points_come_from_the_snapshot(hromada):
    consultation, qs = survey(hromada, results_visibility="live")
    for _ in range(5):
        submit(consultation, qs, {**ANSWERS, "point": (48.5, 32.2)}, age_group="36-59")
    snapshot = snapshot_of(consultation)
    stored = snapshot.crosstabs["age_group"][str(qs["single"].pk)]
    assert stored["rows"] == [{"key": "36-59", "label": "", "cells": [5, 0], "total": 5}]
    point = snapshot.results.question(qs["point"].public_id)
    assert point.points["features"][0]["properties"]["count"] == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_first_reads_compute_it_once(hromada, ledger_cleanup, monkeypatch):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    consultation, qs = survey(hromada, results_visibility="live")
    submit(consultation, qs, ANSWERS)
    calls = []
    real = snapshots.snapshot_compute

    def slow(**kwargs):
        calls.append(1)
        time.sleep(0.3)  # long enough for every reader to arrive while it computes
        return real(**kwargs)

    monkeypatch.setattr(snapshots, "snapshot_compute", slow)
    seen: list[int] = []
    barrier = threading.Barrier(5)

    def read():
        from django.db import connection as conn

        try:
            barrier.wait()
            seen.append(snapshot_get(consultation=consultation).respondents)
        finally:
            conn.close()

    threads = [threading.Thread(target=read) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and seen == [1] * 5
