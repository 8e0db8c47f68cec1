"""Staff moving a cycle's schedule earlier: "close this phase now" (the kernel's
phase_shorten), so a cycle can be run from idea to implementation in one sitting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core import phases
from hromada.core.errors import DomainError
from hromada.core.models import PhaseExtension

from ..models import Cycle
from .cycles import PHASE_LEDGER_KIND, _require


def cycle_phase_shorten(
    *,
    cycle: Cycle,
    actor,
    code: str,
    reason: str,
    new_ends_at: dt.datetime | None = None,
    shift_following: bool = True,
) -> PhaseExtension:
    """End phase `code` of the cycle at `new_ends_at` (now when not given); by default
    the later phases move earlier with it, so the next one starts at once. The plan is
    then advanced at once (the hook runs after commit, as with the tick)."""
    _require(actor, cycle.hromada, "budget.manage_cycles")
    phase = next((p for p in phases.plan_phases(cycle.plan) if p.code == code), None)
    if phase is None:
        raise DomainError("phase_unknown", _("У цьому циклі немає такого етапу."), field="code")
    # Bring the plan up to the phase in force first, so the hook hears the true "old".
    phases.plan_advance(cycle.plan)
    with transaction.atomic():
        extension = phases.phase_shorten(
            actor=actor,
            phase=phase,
            new_ends_at=new_ends_at or timezone.now(),
            reason=reason,
            shift_following=shift_following,
            ledger_kind=PHASE_LEDGER_KIND,
        )
    plan = type(cycle.plan).objects.get(pk=cycle.plan_id)
    phases.plan_advance(plan)
    return extension
