"""Dated phases that move on their own (hromada.core.phases), with the test-only sample
module as the owner."""

from __future__ import annotations

import datetime as dt

import pytest

from hromada.accounts.tests.factories import UserFactory
from hromada.core.clock import travel_to
from hromada.core.errors import DomainError
from hromada.core.models import Phase, PhaseExtension, PhasePlan
from hromada.core.modules import registry
from hromada.core.phases import (
    PhaseSpec,
    current_phase,
    next_phase,
    phase_at,
    phase_extend,
    phases_tick,
    plan_create,
    plan_get,
    plan_phases,
)
from hromada.core.tests.sample.views import PHASE_CHANGES
from hromada.ledger.models import LedgerEntry
from hromada.tenancy.models import ModuleSwitch
from hromada.tenancy.tests.factories import HromadaFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def specs(*, gap: dt.timedelta = dt.timedelta(0)) -> list[PhaseSpec]:
    return [
        PhaseSpec("ideas", "Подання ідей", T0, T0 + 10 * DAY),
        PhaseSpec("review", "Експертиза", T0 + 10 * DAY + gap, T0 + 15 * DAY + gap),
        PhaseSpec("voting", "Голосування", T0 + 15 * DAY + gap, T0 + 20 * DAY + gap),
    ]


def make_plan(hromada, owner: str = "sample:1", **kw) -> PhasePlan:
    with travel_to(T0 - DAY):
        return plan_create(
            hromada=hromada,
            owner=owner,
            title="Цикл 2027",
            phases=kw.pop("phases", specs()),
            ledger_kind="sample.schedule",
            **kw,
        )


def kinds(hromada) -> list[tuple[str, str]]:
    return [
        (e.kind, e.payload["event"])
        for e in LedgerEntry.objects.filter(hromada=hromada, kind__startswith="sample.").order_by("id")
    ]


@pytest.fixture(autouse=True)
def _changes():
    PHASE_CHANGES.clear()
    yield
    PHASE_CHANGES.clear()


@pytest.fixture
def hromada():
    return HromadaFactory()


# --- validation ---------------------------------------------------------------------------


def test_a_plan_is_created_with_its_phases_and_a_ledger_entry(hromada):
    plan = make_plan(hromada)
    assert [p.code for p in plan_phases(plan)] == ["ideas", "review", "voting"]
    assert [p.order for p in plan_phases(plan)] == [1, 2, 3]
    assert plan.current_code == "" and plan.next_change_at == T0
    assert plan_get(hromada=hromada, owner="sample:1") == plan
    entry = LedgerEntry.objects.get(hromada=hromada, kind="sample.schedule")
    assert entry.payload["event"] == "created" and entry.payload["owner"] == "sample:1"
    assert [p["code"] for p in entry.payload["phases"]] == ["ideas", "review", "voting"]


def test_gaps_between_phases_are_allowed(hromada):
    plan = make_plan(hromada, phases=specs(gap=2 * DAY))
    assert phase_at(plan, T0 + 11 * DAY) is None
    assert phase_at(plan, T0 + 12 * DAY).code == "review"
    assert next_phase(plan, T0 + 11 * DAY).code == "review"


@pytest.mark.parametrize(
    ("phases", "code"),
    [
        ([], "phase_plan_empty"),
        ([PhaseSpec("ideas", "Ідеї", T0, T0)], "phase_dates_invalid"),
        ([PhaseSpec("ideas", "Ідеї", T0 + DAY, T0)], "phase_dates_invalid"),
        (
            [PhaseSpec("ideas", "Ідеї", T0.replace(tzinfo=None), T0.replace(tzinfo=None) + DAY)],
            "phase_dates_invalid",
        ),
        (
            [
                PhaseSpec("ideas", "Ідеї", T0, T0 + 2 * DAY),
                PhaseSpec("vote", "Голос", T0 + DAY, T0 + 3 * DAY),
            ],
            "phase_overlap",
        ),
        (
            [PhaseSpec("ideas", "Ідеї", T0, T0 + DAY), PhaseSpec("ideas", "Ще", T0 + DAY, T0 + 2 * DAY)],
            "phase_code_duplicate",
        ),
        ([PhaseSpec("Ідеї!", "Ідеї", T0, T0 + DAY)], "phase_code_invalid"),
        ([PhaseSpec("ideas", " ", T0, T0 + DAY)], "phase_name_required"),
    ],
)
def test_a_bad_plan_is_refused_with_a_stable_code_and_nothing_saved(hromada, phases, code):
    with pytest.raises(DomainError) as refused:
        plan_create(
            hromada=hromada, owner="sample:1", title="Цикл", phases=phases, ledger_kind="sample.schedule"
        )
    assert refused.value.code == code and refused.value.field == "phases"
    assert str(refused.value.message)
    assert not PhasePlan.objects.exists() and not Phase.objects.exists()
    assert not kinds(hromada)


def test_the_overlap_message_names_both_phases(hromada):
    phases = [
        PhaseSpec("ideas", "Ідеї", T0, T0 + 2 * DAY),
        PhaseSpec("vote", "Голосування", T0 + DAY, T0 + 3 * DAY),
    ]
    with pytest.raises(DomainError) as refused:
        plan_create(
            hromada=hromada, owner="sample:1", title="Цикл", phases=phases, ledger_kind="sample.schedule"
        )
    assert "«Голосування»" in str(refused.value.message) and "«Ідеї»" in str(refused.value.message)


def test_one_plan_per_owner_in_a_hromada_but_each_hromada_its_own(hromada):
    make_plan(hromada)
    with pytest.raises(DomainError) as refused:
        make_plan(hromada)
    assert refused.value.code == "phase_plan_exists"
    make_plan(HromadaFactory())
    assert PhasePlan.objects.count() == 2


def test_the_kind_and_owner_must_belong_to_an_installed_module(hromada):
    with pytest.raises(ValueError, match="ledger kind"):
        plan_create(
            hromada=hromada, owner="sample:1", title="x", phases=specs(), ledger_kind="hromada.created"
        )
    with pytest.raises(ValueError, match="not installed"):
        plan_create(
            hromada=hromada, owner="nomodule:1", title="x", phases=specs(), ledger_kind="sample.schedule"
        )
    with pytest.raises(ValueError, match="owner"):
        plan_create(hromada=hromada, owner="sample", title="x", phases=specs(), ledger_kind="sample.schedule")


# --- moving on their own ------------------------------------------------------------------


def tick_at(moment: dt.datetime, capture) -> int:
    with travel_to(moment), capture(execute=True):
        return phases_tick()


def test_phases_move_on_their_dates_and_the_hook_is_told(hromada, django_capture_on_commit_callbacks):
    plan = make_plan(hromada, phases=specs(gap=DAY))
    assert tick_at(T0 - dt.timedelta(seconds=1), django_capture_on_commit_callbacks) == 0
    assert tick_at(T0, django_capture_on_commit_callbacks) == 1
    assert PHASE_CHANGES == [(hromada.slug, "sample:1", None, "ideas")]
    assert current_phase(plan, T0 + DAY).code == "ideas"
    tick_at(T0 + 10 * DAY, django_capture_on_commit_callbacks)  # the gap
    tick_at(T0 + 11 * DAY, django_capture_on_commit_callbacks)
    tick_at(T0 + 30 * DAY, django_capture_on_commit_callbacks)  # voting passed unseen: skipped
    assert [c[2:] for c in PHASE_CHANGES] == [
        (None, "ideas"),
        ("ideas", None),
        (None, "review"),
        ("review", None),
    ]
    plan.refresh_from_db()
    assert plan.current_code == "" and plan.current_since == T0 + 21 * DAY and plan.next_change_at is None
    changes = LedgerEntry.objects.filter(hromada=hromada, payload__event="changed").order_by("id")
    assert [(e.payload["old"], e.payload["new"]) for e in changes] == [
        (None, "ideas"),
        ("ideas", None),
        (None, "review"),
        ("review", None),
    ]


def test_the_hook_is_called_once_when_the_tick_runs_twice(hromada, django_capture_on_commit_callbacks):
    make_plan(hromada)
    assert tick_at(T0 + DAY, django_capture_on_commit_callbacks) == 1
    assert tick_at(T0 + DAY, django_capture_on_commit_callbacks) == 0
    assert tick_at(T0 + 2 * DAY, django_capture_on_commit_callbacks) == 0
    assert PHASE_CHANGES == [(hromada.slug, "sample:1", None, "ideas")]
    assert kinds(hromada).count(("sample.schedule", "changed")) == 1


def test_a_second_worker_holding_a_stale_plan_changes_nothing(hromada, django_capture_on_commit_callbacks):
    from hromada.core.phases import plan_advance

    make_plan(hromada)
    stale = PhasePlan.objects.select_related("hromada").get()
    with travel_to(T0 + DAY), django_capture_on_commit_callbacks(execute=True):
        assert plan_advance(PhasePlan.objects.select_related("hromada").get()) is True
        assert plan_advance(stale) is False  # read before the first worker's change
    assert len(PHASE_CHANGES) == 1
    assert kinds(hromada).count(("sample.schedule", "changed")) == 1


def test_a_plan_of_a_switched_off_module_waits(hromada, django_capture_on_commit_callbacks, caplog):
    make_plan(hromada)
    ModuleSwitch.objects.create(hromada=hromada, module="sample", enabled=False)
    with caplog.at_level("INFO", logger="hromada.phases"):
        assert tick_at(T0 + DAY, django_capture_on_commit_callbacks) == 0
    assert "skipped" in caplog.text
    assert PHASE_CHANGES == [] and PhasePlan.objects.get().current_code == ""
    ModuleSwitch.objects.filter(hromada=hromada).update(enabled=True)
    hromada.refresh_from_db()
    assert tick_at(T0 + DAY, django_capture_on_commit_callbacks) == 1


def test_a_plan_of_a_module_not_installed_is_skipped(hromada, django_capture_on_commit_callbacks, caplog):
    make_plan(hromada)
    PhasePlan.objects.update(owner="gone:1")
    with caplog.at_level("INFO", logger="hromada.phases"):
        assert tick_at(T0 + DAY, django_capture_on_commit_callbacks) == 0
    assert "gone:1 skipped" in caplog.text


def test_a_failing_hook_does_not_undo_the_change(hromada, django_capture_on_commit_callbacks, monkeypatch):
    import dataclasses

    module = registry.get("sample")

    def broken(**kw):
        raise RuntimeError("boom")

    monkeypatch.setitem(registry._modules, "sample", dataclasses.replace(module, phase_changed=broken))
    make_plan(hromada)
    assert tick_at(T0 + DAY, django_capture_on_commit_callbacks) == 1
    assert PhasePlan.objects.get().current_code == "ideas"


def test_plans_of_each_hromada_move_apart(django_capture_on_commit_callbacks):
    one, two = HromadaFactory(), HromadaFactory()
    make_plan(one)
    later = [PhaseSpec("ideas", "Ідеї", T0 + 5 * DAY, T0 + 6 * DAY)]
    make_plan(two, phases=later)
    tick_at(T0 + DAY, django_capture_on_commit_callbacks)
    assert PHASE_CHANGES == [(one.slug, "sample:1", None, "ideas")]
    assert plan_get(hromada=two, owner="sample:1").current_code == ""
    assert plan_get(hromada=one, owner="sample:2") is None
    assert not LedgerEntry.objects.filter(hromada=two, payload__event="changed").exists()


# --- extensions ---------------------------------------------------------------------------


def test_a_phase_is_extended_forward_only(hromada):
    plan = make_plan(hromada, phases=specs(gap=3 * DAY))
    ideas = plan_phases(plan)[0]
    official = UserFactory()
    with travel_to(T0 + DAY):
        with pytest.raises(DomainError) as refused:
            phase_extend(actor=official, phase=ideas, new_ends_at=T0 + 9 * DAY, reason="Менше часу")
        assert refused.value.code == "phase_extension_not_forward"
        with pytest.raises(DomainError) as refused:
            phase_extend(actor=official, phase=ideas, new_ends_at=T0 + 12 * DAY, reason=" ")
        assert refused.value.code == "phase_extension_reason_required"
        extension = phase_extend(
            actor=official, phase=ideas, new_ends_at=T0 + 12 * DAY, reason="Рішення виконкому №5"
        )
    assert extension.old_ends_at == T0 + 10 * DAY and extension.new_ends_at == T0 + 12 * DAY
    assert extension.by == official and not extension.shifted_following
    assert [p.ends_at for p in plan_phases(plan)][0] == T0 + 12 * DAY
    assert plan_phases(plan)[1].starts_at == T0 + 13 * DAY  # untouched
    entry = LedgerEntry.objects.filter(hromada=hromada, payload__event="extended").get()
    assert entry.payload["phase"] == "ideas" and entry.payload["reason"] == "Рішення виконкому №5"


def test_an_extension_into_the_next_phase_is_refused_unless_they_shift(
    hromada, django_capture_on_commit_callbacks
):
    plan = make_plan(hromada)
    ideas, review, voting = plan_phases(plan)
    official = UserFactory()
    with travel_to(T0 + DAY):
        with pytest.raises(DomainError) as refused:
            phase_extend(actor=official, phase=ideas, new_ends_at=T0 + 12 * DAY, reason="Карантин")
        assert refused.value.code == "phase_overlap" and "«Експертиза»" in str(refused.value.message)
        assert not PhaseExtension.objects.exists()
        phase_extend(
            actor=official, phase=ideas, new_ends_at=T0 + 12 * DAY, reason="Карантин", shift_following=True
        )
    ideas, review, voting = plan_phases(plan)
    assert (ideas.ends_at, review.starts_at, review.ends_at) == (T0 + 12 * DAY, T0 + 12 * DAY, T0 + 17 * DAY)
    assert (voting.starts_at, voting.ends_at) == (T0 + 17 * DAY, T0 + 22 * DAY)
    assert PhaseExtension.objects.get().shifted_following
    entry = LedgerEntry.objects.filter(hromada=hromada, payload__event="extended").get()
    assert entry.payload["shifted"] == ["review", "voting"]
    # The tick follows the new dates.
    tick_at(T0 + 2 * DAY, django_capture_on_commit_callbacks)
    tick_at(T0 + 11 * DAY, django_capture_on_commit_callbacks)
    assert [c[3] for c in PHASE_CHANGES] == ["ideas"]
    tick_at(T0 + 12 * DAY, django_capture_on_commit_callbacks)
    assert [c[3] for c in PHASE_CHANGES] == ["ideas", "review"]


def test_a_phase_already_over_cannot_be_extended(hromada):
    plan = make_plan(hromada)
    with travel_to(T0 + 11 * DAY), pytest.raises(DomainError) as refused:
        phase_extend(
            actor=UserFactory(), phase=plan_phases(plan)[0], new_ends_at=T0 + 12 * DAY, reason="Пізно"
        )
    assert refused.value.code == "phase_over"


def test_an_extension_may_use_another_kind_of_the_owning_module_only(hromada):
    plan = make_plan(hromada)
    ideas = plan_phases(plan)[0]
    with travel_to(T0 + DAY):
        with pytest.raises(ValueError):
            phase_extend(
                actor=UserFactory(),
                phase=ideas,
                new_ends_at=T0 + 10 * DAY + 1 * dt.timedelta(hours=1),
                reason="x",
                ledger_kind="hromada.created",
                shift_following=True,
            )
        phase_extend(
            actor=UserFactory(),
            phase=ideas,
            new_ends_at=T0 + 11 * DAY,
            reason="Наказ",
            ledger_kind="sample.deadline_moved",
            shift_following=True,
        )
    assert LedgerEntry.objects.filter(hromada=hromada, kind="sample.deadline_moved").count() == 1


def test_the_tick_is_a_kernel_job():
    assert "hromada.core.phases.phases_tick" in [job.path for job in registry.jobs()]


def test_the_database_refuses_a_reversed_phase(hromada):
    from django.db import IntegrityError, transaction

    plan = make_plan(hromada)
    with pytest.raises(IntegrityError), transaction.atomic():
        Phase.objects.filter(plan=plan, code="ideas").update(ends_at=T0 - DAY)


def test_an_extension_is_declared_an_act_of_office():
    from hromada.core.checks import check_modules

    assert "core.PhaseExtension" in registry.get("core").not_personal
    assert not [e for e in check_modules() if "PhaseExtension" in e.msg]
