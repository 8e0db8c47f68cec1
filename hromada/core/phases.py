"""Dated phases that move on their own: the kernel's piece for anything that runs in
stages on a published schedule (a participatory budget's cycle, a consultation, an
enrolment campaign). See docs/phases.md.

A module creates a plan for one of its things (`plan_create`, owner
"<module label>:<object key>"); the periodic job `phases_tick` notices when the
phase in force changes, records it (PhasePlan.current_code, a ledger entry of the
plan's kind) and, after commit, calls the owning module's `phase_changed` hook. Rules
that depend on the phase read the dates (`current_phase`, `phase_at`), so they hold
from the exact moment even before the tick has run.

Nothing here knows a module: the owner's label picks it from the registry.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.ledger.services import ledger_append

from .errors import DomainError
from .models import Phase, PhaseExtension, PhasePlan
from .modules import registry, resolve

logger = logging.getLogger("hromada.phases")

OWNER_RE = re.compile(r"^[a-z][a-z0-9_]*:[A-Za-z0-9_.-]{1,100}$")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
REASON_MAX = 2000


@dataclass(frozen=True)
class PhaseSpec:
    """A phase to create: in force from `starts_at` (inclusive) to `ends_at` (exclusive)."""

    code: str
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime


# --- selectors ---------------------------------------------------------------------------


def plan_get(*, hromada, owner: str) -> PhasePlan | None:
    """The plan `owner` ("<label>:<key>") has in `hromada`, or None."""
    return PhasePlan.objects.for_hromada(hromada).filter(owner=owner).first()


def plan_phases(plan: PhasePlan) -> list[Phase]:
    """The plan's phases in their order."""
    return list(Phase.objects.for_hromada(plan.hromada_id).filter(plan=plan).order_by("order"))


def phase_at(plan: PhasePlan, at: dt.datetime) -> Phase | None:
    """The phase in force at `at` by the dates (None before the first, in a gap, after
    the last)."""
    return (
        Phase.objects.for_hromada(plan.hromada_id)
        .filter(plan=plan, starts_at__lte=at, ends_at__gt=at)
        .order_by("order")
        .first()
    )


def current_phase(plan: PhasePlan, at: dt.datetime | None = None) -> Phase | None:
    """The phase in force now (or at `at`): what a module's rules ask ("may ideas be
    submitted?"). By the dates, not by the last tick."""
    return phase_at(plan, at or timezone.now())


def next_phase(plan: PhasePlan, at: dt.datetime | None = None) -> Phase | None:
    """The first phase starting after now (or `at`): "voting starts on …"."""
    at = at or timezone.now()
    return (
        Phase.objects.for_hromada(plan.hromada_id)
        .filter(plan=plan, starts_at__gt=at)
        .order_by("starts_at")
        .first()
    )


# --- services ----------------------------------------------------------------------------


def _check_kind(owner_label: str, kind: str) -> None:
    """The plan's ledger kind must be one its owning module declared (a programming error)."""
    module = registry.owner_of_kind(kind)
    if module is None or module.label != owner_label or kind not in module.ledger_kinds:
        raise ValueError(
            f"ledger kind {kind!r} is not declared in the ledger_kinds of module {owner_label!r}"
        )


def _check_specs(specs: Sequence[PhaseSpec]) -> None:
    if not specs:
        raise DomainError("phase_plan_empty", _("Графік має містити принаймні один етап."), field="phases")
    codes: set[str] = set()
    for spec in specs:
        if not CODE_RE.match(spec.code or ""):
            raise DomainError(
                "phase_code_invalid",
                _("Код етапу «%(code)s» має складатися з малих латинських літер, цифр, «-» або «_».")
                % {"code": spec.code},
                field="phases",
            )
        if spec.code in codes:
            raise DomainError(
                "phase_code_duplicate",
                _("Код етапу «%(code)s» повторюється.") % {"code": spec.code},
                field="phases",
            )
        codes.add(spec.code)
        if not (spec.name or "").strip():
            raise DomainError(
                "phase_name_required",
                _("Вкажіть назву етапу «%(code)s».") % {"code": spec.code},
                field="phases",
            )
        if timezone.is_naive(spec.starts_at) or timezone.is_naive(spec.ends_at):
            raise DomainError(
                "phase_dates_invalid",
                _("Дати етапу «%(name)s» мають містити часовий пояс.") % {"name": spec.name},
                field="phases",
            )
        if spec.starts_at >= spec.ends_at:
            raise DomainError(
                "phase_dates_invalid",
                _("Етап «%(name)s» має закінчуватися пізніше, ніж починається.") % {"name": spec.name},
                field="phases",
            )
    for previous, spec in zip(specs, specs[1:], strict=False):
        if spec.starts_at < previous.ends_at:
            raise DomainError(
                "phase_overlap",
                _(
                    "Етап «%(name)s» починається раніше, ніж закінчується попередній етап «%(previous)s»: "
                    "етапи не можуть накладатися."
                )
                % {"name": spec.name, "previous": previous.name},
                field="phases",
            )


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None


def plan_create(
    *, hromada, owner: str, title: str, phases: Sequence[PhaseSpec], ledger_kind: str
) -> PhasePlan:
    """Create `owner`'s plan in `hromada`, its phases in the order given (each starting no
    earlier than the previous one ends; gaps are allowed), and record it under
    `ledger_kind` — a kind the owning module declares. The same kind records every
    later change of the plan (payload `event`: created, extended, changed)."""
    if not OWNER_RE.match(owner or ""):
        raise ValueError(f"a plan's owner is '<module label>:<object key>', not {owner!r}")
    label = owner.partition(":")[0]
    if label not in registry:
        raise ValueError(f"module {label!r} of owner {owner!r} is not installed")
    _check_kind(label, ledger_kind)
    if not (title or "").strip():
        raise DomainError("phase_plan_title_required", _("Вкажіть назву графіка."), field="title")
    specs = list(phases)
    _check_specs(specs)
    with transaction.atomic():
        if PhasePlan.objects.for_hromada(hromada).filter(owner=owner).exists():
            raise DomainError(
                "phase_plan_exists", _("Графік етапів для цього вже створено."), field="owner", status=409
            )
        plan = PhasePlan.objects.create(
            hromada=hromada,
            owner=owner,
            title=title.strip(),
            ledger_kind=ledger_kind,
            next_change_at=specs[0].starts_at,
        )
        Phase.objects.bulk_create(
            Phase(
                hromada=hromada,
                plan=plan,
                code=spec.code,
                name=spec.name.strip(),
                order=n,
                starts_at=spec.starts_at,
                ends_at=spec.ends_at,
            )
            for n, spec in enumerate(specs, 1)
        )
        ledger_append(
            hromada=hromada,
            kind=ledger_kind,
            payload={
                "event": "created",
                "owner": owner,
                "title": plan.title,
                "phases": [
                    {"code": s.code, "starts_at": _iso(s.starts_at), "ends_at": _iso(s.ends_at)}
                    for s in specs
                ],
            },
        )
    return plan


def _checked_move(new_ends_at: dt.datetime, reason: str, missing_reason: DomainError) -> str:
    """The arguments every move of a phase's end shares: an aware date and a reason
    (`missing_reason` says which move asked for one). Returns the reason, stripped."""
    if timezone.is_naive(new_ends_at):
        raise DomainError(
            "phase_dates_invalid", _("Нова дата має містити часовий пояс."), field="new_ends_at"
        )
    reason = (reason or "").strip()
    if not reason:
        raise missing_reason
    if len(reason) > REASON_MAX:
        raise DomainError(
            "phase_extension_reason_too_long",
            _("Підстава має бути не довшою за %(max)d символів.") % {"max": REASON_MAX},
            field="reason",
        )
    return reason


def _move_end(
    *, plan, phase, later, new_ends_at, shift_following, actor, reason, now, kind, event
) -> PhaseExtension:
    """Move `phase`'s end to `new_ends_at` (and, with `shift_following`, every later phase
    by the same amount), record it and ledger it — under the plan's lock, held by the
    caller."""
    old_ends_at = phase.ends_at
    shift = new_ends_at - old_ends_at
    phase.ends_at = new_ends_at
    phase.save(update_fields=["ends_at", "updated_at"])
    if shift_following:
        # Later: latest first; earlier: earliest first — a phase never overlaps one not yet moved.
        for p in reversed(later) if shift > dt.timedelta(0) else later:
            p.starts_at += shift
            p.ends_at += shift
            p.save(update_fields=["starts_at", "ends_at", "updated_at"])
    extension = PhaseExtension.objects.create(
        hromada_id=phase.hromada_id,
        phase=phase,
        old_ends_at=old_ends_at,
        new_ends_at=new_ends_at,
        shifted_following=bool(shift_following and later),
        reason=reason,
        by=actor,
        at=now,
    )
    # The tick looks at the plan again and finds its next moment from the new dates.
    PhasePlan.objects.filter(pk=plan.pk).update(next_change_at=now)
    ledger_append(
        hromada=plan.hromada,
        kind=kind,
        payload={
            "event": event,
            "owner": plan.owner,
            "phase": phase.code,
            "old_ends_at": _iso(old_ends_at),
            "new_ends_at": _iso(new_ends_at),
            "shifted": [p.code for p in later] if shift_following else [],
            "reason": reason,
        },
    )
    return extension


def phase_extend(
    *,
    actor,
    phase: Phase,
    new_ends_at: dt.datetime,
    reason: str,
    shift_following: bool = False,
    ledger_kind: str | None = None,
) -> PhaseExtension:
    """Move the end of `phase` (current or still to come) later, to `new_ends_at`.

    Refused when it would run into the next phase, unless `shift_following`: then every
    later phase moves by the same amount. Recorded as a PhaseExtension and a ledger
    entry of `ledger_kind` (the plan's kind when not given). Who may extend is the
    owning module's rule: its service checks the actor's permission before calling."""
    reason = _checked_move(
        new_ends_at,
        reason,
        DomainError(
            "phase_extension_reason_required", _("Вкажіть підставу продовження етапу."), field="reason"
        ),
    )
    with transaction.atomic():
        # The plan's row lock serialises every change of its phases (no overlap).
        plan = PhasePlan.objects.select_for_update().get(pk=phase.plan_id, hromada_id=phase.hromada_id)
        kind = ledger_kind or plan.ledger_kind
        _check_kind(plan.module_label, kind)
        phases = plan_phases(plan)
        phase = next(p for p in phases if p.pk == phase.pk)
        now = timezone.now()
        if phase.ends_at <= now:
            raise DomainError(
                "phase_over",
                _("Етап «%(name)s» уже закінчився, його не можна продовжити.") % {"name": phase.name},
                field="new_ends_at",
            )
        if new_ends_at <= phase.ends_at:
            raise DomainError(
                "phase_extension_not_forward",
                _("Етап можна лише продовжити: нова дата має бути пізнішою за %(ends)s.")
                % {"ends": timezone.localtime(phase.ends_at).strftime("%d.%m.%Y %H:%M")},
                field="new_ends_at",
            )
        later = [p for p in phases if p.order > phase.order]
        if later and not shift_following and new_ends_at > later[0].starts_at:
            raise DomainError(
                "phase_overlap",
                _(
                    "Етап «%(name)s» не можна продовжити до цієї дати: наступний етап «%(next)s» "
                    "починається раніше. Перенесіть і наступні етапи."
                )
                % {"name": phase.name, "next": later[0].name},
                field="new_ends_at",
            )
        return _move_end(
            plan=plan,
            phase=phase,
            later=later,
            new_ends_at=new_ends_at,
            shift_following=shift_following,
            actor=actor,
            reason=reason,
            now=now,
            kind=kind,
            event="extended",
        )


# A caller closing a phase "now" passes its own clock reading; it may be a moment behind ours.
CLOCK_SLACK = dt.timedelta(minutes=1)


def phase_shorten(
    *,
    actor,
    phase: Phase,
    new_ends_at: dt.datetime,
    reason: str,
    shift_following: bool = False,
    ledger_kind: str | None = None,
) -> PhaseExtension:
    """End `phase` (current or still to come) EARLIER, at `new_ends_at` — not before now
    and not at or before its start. "Close this phase now" passes the present moment.

    With `shift_following` every later phase moves earlier by the same amount (so the
    next one starts when this one now ends; order and gaps are kept, nothing overlaps);
    without it the later phases keep their dates and a gap opens. Recorded as a
    PhaseExtension (old and new end) and a ledger entry of `ledger_kind` (the plan's kind
    when not given) with event "shortened", under the plan's lock, as phase_extend. The
    plan's next moment is set to now, so the next tick moves it at once. Who may shorten
    is the owning module's rule: its service checks the permission before calling."""
    reason = _checked_move(
        new_ends_at,
        reason,
        DomainError(
            "phase_shorten_reason_required",
            _("Вкажіть підставу дострокового завершення етапу."),
            field="reason",
        ),
    )
    with transaction.atomic():
        plan = PhasePlan.objects.select_for_update().get(pk=phase.plan_id, hromada_id=phase.hromada_id)
        kind = ledger_kind or plan.ledger_kind
        _check_kind(plan.module_label, kind)
        phases = plan_phases(plan)
        phase = next(p for p in phases if p.pk == phase.pk)
        now = timezone.now()
        if phase.ends_at <= now:
            raise DomainError(
                "phase_over",
                _("Етап «%(name)s» уже закінчився.") % {"name": phase.name},
                field="new_ends_at",
            )
        if new_ends_at < now - CLOCK_SLACK:
            raise DomainError(
                "phase_shorten_in_past",
                _("Етап не можна завершити в минулому: вкажіть теперішній або пізніший час."),
                field="new_ends_at",
            )
        new_ends_at = max(new_ends_at, now)
        if new_ends_at >= phase.ends_at:
            raise DomainError(
                "phase_shorten_not_earlier",
                _("Нова дата завершення має бути ранішою за %(ends)s.")
                % {"ends": timezone.localtime(phase.ends_at).strftime("%d.%m.%Y %H:%M")},
                field="new_ends_at",
            )
        if new_ends_at <= phase.starts_at:
            raise DomainError(
                "phase_shorten_before_start",
                _("Етап «%(name)s» ще не розпочався: він не може завершитися раніше за початок (%(starts)s).")
                % {
                    "name": phase.name,
                    "starts": timezone.localtime(phase.starts_at).strftime("%d.%m.%Y %H:%M"),
                },
                field="new_ends_at",
            )
        later = [p for p in phases if p.order > phase.order]
        return _move_end(
            plan=plan,
            phase=phase,
            later=later,
            new_ends_at=new_ends_at,
            shift_following=shift_following,
            actor=actor,
            reason=reason,
            now=now,
            kind=kind,
            event="shortened",
        )


# --- moving on their own -----------------------------------------------------------------


def _state(
    phases: Sequence[Phase], now: dt.datetime
) -> tuple[Phase | None, dt.datetime | None, dt.datetime | None]:
    """(phase in force, since when the state holds, when it next changes) at `now`."""
    since: dt.datetime | None = None
    for p in phases:
        if p.starts_at > now:
            return None, since, p.starts_at
        if p.ends_at > now:
            return p, p.starts_at, p.ends_at
        since = p.ends_at
    return None, since, None


def _module_on(plan: PhasePlan):
    """The plan's owning module when installed and switched on for its hromada, else None."""
    from hromada.tenancy.selectors import module_enabled

    module = registry.get(plan.module_label)
    if module is None or not module_enabled(plan.hromada, plan.module_label):
        return None
    return module


def _call_hook(hook, *, hromada, plan, old, new) -> None:
    try:
        resolve(hook)(hromada=hromada, plan=plan, old=old, new=new)
    except Exception:  # noqa: BLE001 - the change is recorded; one module's failure stops no other
        logger.exception("phase_changed hook of %s failed for %s -> %s", plan.owner, old, new)


def plan_advance(plan: PhasePlan, *, now: dt.datetime | None = None) -> bool:
    """Bring one plan to the phase in force at `now`: record the change and, after
    commit, call the owning module's hook. Idempotent: of two workers advancing the same
    plan one changes it, the other finds it changed (a guarded UPDATE). True when it
    moved the plan."""
    now = now or timezone.now()
    module = _module_on(plan)
    if module is None:
        logger.info(
            "phases: plan %s of %s skipped: module not installed or switched off", plan.pk, plan.owner
        )
        return False
    with transaction.atomic():
        # Lock the plan before reading its phases, so an extension committed meanwhile
        # (phase_extend holds the same lock) is seen, not overwritten by stale dates.
        fresh = (
            PhasePlan.objects.select_for_update().filter(pk=plan.pk).values("current_code", "current_since")
        )
        row = fresh.first()
        if row is None or (row["current_code"], row["current_since"]) != (
            plan.current_code,
            plan.current_since,
        ):
            return False  # another worker moved it first
        phases = plan_phases(plan)
        new, since, next_at = _state(phases, now)
        new_code = new.code if new else ""
        guard = PhasePlan.objects.filter(
            pk=plan.pk, current_code=plan.current_code, current_since=plan.current_since
        )
        if new_code == plan.current_code:
            guard.update(next_change_at=next_at)
            return False
        if not guard.update(current_code=new_code, current_since=since, next_change_at=next_at):
            return False  # another worker moved it first
        old = next((p for p in phases if p.code == plan.current_code), None)
        ledger_append(
            hromada=plan.hromada,
            kind=plan.ledger_kind,
            payload={
                "event": "changed",
                "owner": plan.owner,
                "old": old.code if old else None,
                "new": new_code or None,
                "since": _iso(since),
            },
        )
        plan.current_code, plan.current_since, plan.next_change_at = new_code, since, next_at
        if module.phase_changed:
            hook = module.phase_changed
            transaction.on_commit(lambda: _call_hook(hook, hromada=plan.hromada, plan=plan, old=old, new=new))
    return True


def phases_tick(now: dt.datetime | None = None) -> int:
    """The periodic job: advance every plan whose next moment has come. Returns how many
    plans moved."""
    now = now or timezone.now()
    due = (
        PhasePlan.objects.filter(next_change_at__lte=now)
        .select_related("hromada")
        .order_by("next_change_at", "pk")
    )
    moved = 0
    for plan in due.iterator(chunk_size=500):
        try:
            moved += plan_advance(plan, now=now)
        except Exception:  # noqa: BLE001 - one broken plan must not stop the others
            logger.exception("phases: could not advance plan %s of %s", plan.pk, plan.owner)
    return moved
