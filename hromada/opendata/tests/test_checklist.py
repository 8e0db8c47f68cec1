"""The Resolution 835 checklist: statuses from the linked dataset and its frequency,
staff answers with their refusals, the published-share indicator and the reminder."""

import datetime as dt

import pytest

from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification
from hromada.opendata import checklist
from hromada.opendata.checklist import Status
from hromada.opendata.models import (
    Dataset,
    Publisher,
    PublisherMember,
    RequiredDataset,
    Requirement,
    Resource,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


def _dataset(hromada, publisher, name, *, frequency="Щомісяця", updated_days_ago=0, state="published"):
    moment = NOW - dt.timedelta(days=updated_days_ago)
    d = Dataset.objects.create(
        hromada=hromada,
        publisher=publisher,
        name=name,
        title=f"Набір {name}",
        state=state,
        frequency=frequency,
        published_at=NOW - dt.timedelta(days=400) if state != "draft" else None,
        metadata_modified=moment,
    )
    Resource.objects.create(
        hromada=hromada,
        dataset=d,
        name="Дані",
        format="CSV",
        url="https://example.org/x.csv",
        last_modified=moment,
    )
    return d


@pytest.fixture
def publisher(hromada, officer):
    p = Publisher.objects.create(hromada=hromada, name="finance", title="Фінансове управління")
    PublisherMember.objects.create(hromada=hromada, publisher=p, user=officer)
    return p


def _row(rows, required):
    return next(r for r in rows if r.required.pk == required.pk)


def test_the_list_is_the_resolution_and_starts_missing(hromada):
    rows = checklist.checklist(hromada, now=NOW)
    sections = {r.required.section for r in rows}
    assert len(rows) == RequiredDataset.objects.count() > 20
    assert sections == {"Усі розпорядники інформації", "Органи місцевого самоврядування"}
    assert {r.status for r in rows} == {Status.MISSING}
    s = checklist.summary(rows)
    assert (s.required, s.published, s.missing, s.published_share) == (len(rows), 0, len(rows), 0.0)


def test_statuses_follow_the_frequency(hromada, hromada_admin, publisher):
    required = list(RequiredDataset.objects.order_by("section", "number")[:5])
    fresh = _dataset(hromada, publisher, "fresh", updated_days_ago=3)  # monthly, 3 days old
    soon = _dataset(hromada, publisher, "soon", updated_days_ago=27)  # due in 4 days (window 7)
    late = _dataset(hromada, publisher, "late", updated_days_ago=40)
    draft = _dataset(hromada, publisher, "draft", state="draft")
    for req, ds in zip(required, (fresh, soon, late, draft), strict=False):
        checklist.requirement_answer(hromada, hromada_admin, req, dataset=ds)
    checklist.requirement_answer(
        hromada, hromada_admin, required[4], not_applicable="Немає комунальних підприємств"
    )
    rows = checklist.checklist(hromada, now=NOW)
    got = [_row(rows, r).status for r in required]
    assert got == [Status.CURRENT, Status.DUE_SOON, Status.OVERDUE, Status.UNPUBLISHED, Status.NOT_APPLICABLE]
    late_row = _row(rows, required[2])
    assert late_row.due == NOW - dt.timedelta(days=40) + dt.timedelta(days=31)
    assert late_row.dataset == late and late_row.last_update == NOW - dt.timedelta(days=40)
    s = checklist.summary(rows)
    assert s.required == len(rows) - 1
    assert s.published == 3 and s.overdue == 1
    assert s.published_share == pytest.approx(3 / (len(rows) - 1))
    # "immediately after changes" has no term: never overdue
    checklist.requirement_answer(
        hromada,
        hromada_admin,
        required[2],
        dataset=_dataset(hromada, publisher, "event", frequency="Позапланово", updated_days_ago=900),
    )
    assert _row(checklist.checklist(hromada, now=NOW), required[2]).status == Status.CURRENT
    assert LedgerEntry.objects.filter(hromada=hromada, kind="opendata.requirement_answered").count() == 6


def test_answers_are_refused_clearly(hromada, other_hromada, hromada_admin, officer, publisher):
    req = RequiredDataset.objects.first()
    ds = _dataset(hromada, publisher, "a")
    with pytest.raises(DomainError) as e:
        checklist.requirement_answer(hromada, officer, req, dataset=ds)
    assert e.value.code == "forbidden"
    with pytest.raises(DomainError) as e:
        checklist.requirement_answer(hromada, hromada_admin, req, dataset=ds, not_applicable="бо так")
    assert e.value.code == "requirement_either"
    theirs = _dataset(
        other_hromada, Publisher.objects.create(hromada=other_hromada, name="x", title="X"), "b"
    )
    with pytest.raises(DomainError) as e:
        checklist.requirement_answer(hromada, hromada_admin, req, dataset=theirs)
    assert e.value.code == "dataset_not_found"
    with pytest.raises(DomainError) as e:
        checklist.requirement_answer(hromada, hromada_admin, req, not_applicable="x" * 501)
    assert e.value.code == "reason_too_long"
    assert not Requirement.objects.filter(hromada=hromada).exists()
    # a good answer after the refusals, then cleared again
    checklist.requirement_answer(hromada, hromada_admin, req, dataset=ds)
    r = checklist.requirement_answer(hromada, hromada_admin, req)
    assert r.dataset is None and r.not_applicable == "" and r.publisher is None


def test_reminder_once_per_due_date(hromada, hromada_admin, officer, publisher):
    req = RequiredDataset.objects.first()
    checklist.requirement_answer(
        hromada, hromada_admin, req, dataset=_dataset(hromada, publisher, "soon", updated_days_ago=27)
    )
    other = RequiredDataset.objects.all()[1]
    checklist.requirement_answer(
        hromada, hromada_admin, other, dataset=_dataset(hromada, publisher, "ok", updated_days_ago=1)
    )
    assert checklist.remind_tick(now=NOW) == {"reminded": 1}
    assert checklist.remind_tick(now=NOW + dt.timedelta(hours=6)) == {"reminded": 0}
    notes = Notification.objects.filter(user=officer, kind="opendata.update_due")
    assert notes.count() == 1
    assert "Набір soon" in str(notes.get().title)
    # a new update moves the due date: the next falling due is reminded again (and by
    # then the other dataset, due on day 30, is within the window too)
    Resource.objects.filter(dataset__name="soon").update(last_modified=NOW + dt.timedelta(days=1))
    assert checklist.remind_tick(now=NOW + dt.timedelta(days=26)) == {"reminded": 2}
    assert notes.count() == 3
