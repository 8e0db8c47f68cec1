"""Support for a submitted project, when the cycle asks for N supporters before review:
one per person (the per-cycle pseudonym, a unique constraint), counted with an F()."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import Project, ProjectStatus, Support


def support_refusal(project: Project, user) -> DomainError | None:
    """Why `user` may not support `project` now (shown before the button), or None."""
    cycle = project.cycle
    if cycle.support_threshold <= 0:
        return DomainError(
            "support_not_collected", _("У цьому циклі підтримку проєктів не збирають."), status=409
        )
    if project.status != ProjectStatus.SUBMITTED:
        return DomainError("support_closed", _("Цей проєкт уже не збирає підтримку."), status=409)
    refusal = rules.support_phase_refusal(cycle)
    if refusal is not None:
        return refusal
    refusal, _standing = rules.participant_refusal(user, cycle, purpose="support")
    return refusal


def supporter_of(project: Project, user) -> str:
    return rules.voter_pseudonym(
        cycle=project.cycle, person_key=rules.person_key_of(user, hromada=project.cycle.hromada)
    )


def has_supported(project: Project, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return Support.objects.filter(project=project, supporter=supporter_of(project, user)).exists()


def project_support(*, project: Project, user) -> Support:
    refusal = support_refusal(project, user)
    if refusal is not None:
        raise refusal
    supporter = supporter_of(project, user)
    try:
        with transaction.atomic():
            support = Support.objects.create(
                hromada=project.hromada,
                project=project,
                user=user,
                supporter=supporter,
                created_at=timezone.now(),
            )
            Project.objects.filter(pk=project.pk).update(support_count=F("support_count") + 1)
            ledger_append(
                hromada=project.hromada,
                kind="budget.project_supported",
                payload={"project": str(project.public_id), "supporter": supporter},
            )
    except IntegrityError:
        raise DomainError("already_supported", _("Ви вже підтримали цей проєкт."), status=409)
    project.refresh_from_db(fields=["support_count"])
    return support
