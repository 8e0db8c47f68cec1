"""Races (PostgreSQL; SQLite serialises writers): one person submitting from several
tabs at once is one response, one ledger entry, counted once by the results snapshot."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from hromada.accounts.tests.factories import UserFactory
from hromada.consultations.models import Answer, Consultation, Response
from hromada.consultations.questionnaire_selectors import questionnaire_of
from hromada.consultations.services.responses import response_save, response_submit
from hromada.consultations.services.snapshots import snapshot_compute
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry

from .factories import make_consultation

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls) -> list[str]:
    results: list[str] = []
    barrier = threading.Barrier(len(calls))

    def run(call):
        from django.db import connection as conn

        try:
            barrier.wait()
            call()
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            conn.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


def _needs_postgres():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")


def test_one_person_submitting_at_once_is_one_response(hromada, ledger_cleanup):
    _needs_postgres()
    consultation = make_consultation(hromada, audience="account")
    question = questionnaire_of(consultation).questions[0]
    user = UserFactory()
    raw = {question.id: question.options[0].id}
    calls = [lambda: response_submit(consultation=consultation, user=user, raw=raw) for _i in range(5)]
    calls.append(lambda: response_save(consultation=consultation, user=user, raw=raw))
    results = _race(*calls)
    assert results.count("ok") in (1, 2)  # the submission, and the draft save if it came first
    assert results.count("already_answered") == 6 - results.count("ok")
    assert Response.objects.filter(consultation=consultation).count() == 1
    assert Response.objects.get(consultation=consultation).status == "submitted"
    assert Answer.objects.filter(response__consultation=consultation).count() == 1
    # No counter on the consultation's row: the count is the results snapshot's.
    assert Consultation.objects.get(pk=consultation.pk).response_count == 0
    assert snapshot_compute(consultation=consultation).respondents == 1
    assert Consultation.objects.get(pk=consultation.pk).response_count == 1
    assert LedgerEntry.objects.filter(kind="consultations.response_submitted").count() == 1


def test_many_people_at_once_are_all_counted(hromada, ledger_cleanup):
    _needs_postgres()
    consultation = make_consultation(hromada, audience="account")
    question = questionnaire_of(consultation).questions[0]
    users = [UserFactory() for _i in range(6)]
    raw = {question.id: question.options[1].id}
    results = _race(*[lambda u=u: response_submit(consultation=consultation, user=u, raw=raw) for u in users])
    assert results == ["ok"] * 6
    assert snapshot_compute(consultation=consultation).respondents == 6
    assert Consultation.objects.get(pk=consultation.pk).response_count == 6
    assert LedgerEntry.objects.filter(kind="consultations.response_submitted").count() == 6
