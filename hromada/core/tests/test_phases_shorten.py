"""Ending a phase earlier (hromada.core.phases.phase_shorten), with the test-only sample
module as the owner."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from hromada.accounts.tests.factories import UserFactory
from hromada.core.clock import travel_to
from hromada.core.errors import DomainError
from hromada.core.models import PhaseExtension, PhasePlan
from hromada.core.phases import PhaseSpec, current_phase, phase_shorten, phases_tick, plan_create, plan_phases
from hromada.core.tests.sample.views import PHASE_CHANGES
from hromada.ledger.models import LedgerEntry
from hromada.tenancy.tests.factories import HromadaFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def make_plan(hromada, *, gap: dt.timedelta = dt.timedelta(0)) -> PhasePlan:
    with travel_to(T0 - DAY):
        return plan_create(
            hromada=hromada,
            owner="sample:1",
            title="Цикл 2027",
            phases=[
                PhaseSpec("ideas", "Подання ідей", T0, T0 + 10 * DAY),
                PhaseSpec("review", "Експертиза", T0 + 10 * DAY + gap, T0 + 15 * DAY + gap),
                PhaseSpec("voting", "Голосування", T0 + 15 * DAY + gap, T0 + 20 * DAY + gap),
            ],
            ledger_kind="sample.schedule",
        )


@pytest.fixture(autouse=True)
def _changes():
    PHASE_CHANGES.clear()
    yield
    PHASE_CHANGES.clear()


@pytest.fixture
def hromada():
    return HromadaFactory()


def whole(moment: dt.datetime) -> dt.datetime:
    # travel_to's clock ticks a microsecond per reading.
    return moment.replace(microsecond=0)


def dates(plan) -> list[tuple[dt.datetime, dt.datetime]]:
    return [(whole(p.starts_at), whole(p.ends_at)) for p in plan_phases(plan)]


def test_closing_the_current_phase_now_moves_the_plan_at_the_next_tick(
    hromada, django_capture_on_commit_callbacks
):
    plan = make_plan(hromada)
    official = UserFactory()
    with travel_to(T0 + DAY), django_capture_on_commit_callbacks(execute=True):
        phases_tick()
    ideas = plan_phases(plan)[0]
    now = T0 + 2 * DAY
    with travel_to(now):
        extension = phase_shorten(
            actor=official, phase=ideas, new_ends_at=now, reason="Ідей досить", shift_following=True
        )
        assert current_phase(plan).code == "review"
        plan.refresh_from_db()
        assert whole(plan.next_change_at) == now
        with django_capture_on_commit_callbacks(execute=True):
            assert phases_tick() == 1
    assert [c[2:] for c in PHASE_CHANGES] == [(None, "ideas"), ("ideas", "review")]
    assert (extension.old_ends_at, whole(extension.new_ends_at)) == (T0 + 10 * DAY, now)
    assert extension.shifted_following and extension.by == official
    # Later phases moved earlier by the same 8 days: order kept, no overlap.
    assert dates(plan) == [(T0, now), (now, now + 5 * DAY), (now + 5 * DAY, now + 10 * DAY)]
    entry = LedgerEntry.objects.filter(hromada=hromada, payload__event="shortened").get()
    assert entry.kind == "sample.schedule"
    assert entry.payload["phase"] == "ideas" and entry.payload["shifted"] == ["review", "voting"]
    assert entry.payload["reason"] == "Ідей досить"


def test_without_shifting_the_later_phases_keep_their_dates(hromada):
    plan = make_plan(hromada)
    ideas = plan_phases(plan)[0]
    with travel_to(T0 + DAY):
        phase_shorten(actor=UserFactory(), phase=ideas, new_ends_at=T0 + 5 * DAY, reason="Рішення №3")
        assert current_phase(plan, T0 + 6 * DAY) is None  # a gap opened
    assert dates(plan)[0] == (T0, T0 + 5 * DAY)
    assert dates(plan)[1] == (T0 + 10 * DAY, T0 + 15 * DAY)
    assert not PhaseExtension.objects.get().shifted_following


def test_a_future_phase_may_be_shortened_but_not_to_before_its_start(hromada):
    plan = make_plan(hromada, gap=2 * DAY)
    review = plan_phases(plan)[1]
    official = UserFactory()
    with travel_to(T0 + DAY):
        with pytest.raises(DomainError) as refused:
            phase_shorten(actor=official, phase=review, new_ends_at=T0 + 2 * DAY, reason="Швидше")
        assert refused.value.code == "phase_shorten_before_start"
        phase_shorten(
            actor=official, phase=review, new_ends_at=T0 + 14 * DAY, reason="Швидше", shift_following=True
        )
    assert dates(plan)[1] == (T0 + 12 * DAY, T0 + 14 * DAY)
    assert dates(plan)[2] == (T0 + 14 * DAY, T0 + 19 * DAY)  # moved earlier by 3 days, no overlap


@pytest.mark.parametrize(
    ("offset", "reason", "code"),
    [
        (12 * DAY, "Рішення", "phase_shorten_not_earlier"),  # later: that is an extension
        (10 * DAY, "Рішення", "phase_shorten_not_earlier"),  # the same end
        (DAY, "Рішення", "phase_shorten_in_past"),  # before now (now is day 2)
        (5 * DAY, "  ", "phase_shorten_reason_required"),
        (5 * DAY, "x" * 2001, "phase_extension_reason_too_long"),
    ],
)
def test_bad_shortenings_are_refused_and_change_nothing(hromada, offset, reason, code):
    plan = make_plan(hromada)
    before = dates(plan)
    now = T0 + 2 * DAY
    with travel_to(now), pytest.raises(DomainError) as refused:
        phase_shorten(actor=UserFactory(), phase=plan_phases(plan)[0], new_ends_at=T0 + offset, reason=reason)
    assert refused.value.code == code
    assert dates(plan) == before
    assert not PhaseExtension.objects.exists()
    assert not LedgerEntry.objects.filter(payload__event="shortened").exists()


def test_a_phase_already_over_cannot_be_shortened(hromada):
    plan = make_plan(hromada)
    with travel_to(T0 + 11 * DAY), pytest.raises(DomainError) as refused:
        phase_shorten(actor=UserFactory(), phase=plan_phases(plan)[0], new_ends_at=T0 + 11 * DAY, reason="x")
    assert refused.value.code == "phase_over"


def test_a_moment_ago_counts_as_now(hromada):
    plan = make_plan(hromada)
    now = T0 + DAY
    with travel_to(now):
        phase_shorten(
            actor=UserFactory(),
            phase=plan_phases(plan)[0],
            new_ends_at=now - dt.timedelta(seconds=5),
            reason="x",
        )
    assert dates(plan)[0] == (T0, now)


def test_a_naive_date_is_refused(hromada):
    plan = make_plan(hromada)
    with travel_to(T0 + DAY), pytest.raises(DomainError) as refused:
        phase_shorten(
            actor=UserFactory(), phase=plan_phases(plan)[0], new_ends_at=dt.datetime(2027, 3, 5), reason="x"
        )
    assert refused.value.code == "phase_dates_invalid"


def test_the_database_refuses_a_record_that_does_not_move(hromada):
    plan = make_plan(hromada)
    phase = plan_phases(plan)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseExtension.objects.create(
            hromada=hromada,
            phase=phase,
            old_ends_at=phase.ends_at,
            new_ends_at=phase.ends_at,
            reason="x",
            by=UserFactory(),
            at=T0,
        )
