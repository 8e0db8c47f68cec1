"""School budgets: pupils vote with single-use printed codes (ADR 0006, decision 5).
A code is shown once, when its batch is issued, and stored only as its SHA-256; its
hash is the voter of its ballot, and a guarded UPDATE of `used_at` in the ballot's
transaction makes each code one ballot."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import Ballot, Category, CategoryKind, Channel, SchoolCode, SchoolCodeBatch
from ..voting_selectors import ballot_context
from .voting import _check_open, _store, check_choices, normalise_choices

# No 0/O, 1/I/L: a code is read off paper and typed by a child.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
BATCH_MAX = 2000


def code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def code_display(code: str) -> str:
    """As printed: two groups of five ("ABCDE-FGH23"); typed with or without the dash."""
    return f"{code[:5]}-{code[5:]}"


def _require(actor, category: Category) -> None:
    if not rules.can_print_codes(actor, category.hromada):
        raise PermissionDenied("forbidden", _("Недостатньо прав, щоб видавати шкільні коди."))


def codes_issue(
    *, category: Category, actor, size: int, label: str = ""
) -> tuple[SchoolCodeBatch, list[str]]:
    """A batch of `size` new codes for a school pot; the codes are returned (to print)
    and never kept."""
    _require(actor, category)
    if category.kind != CategoryKind.SCHOOL:
        raise DomainError(
            "not_school_category", _("Коди видають лише для категорій шкільного бюджету."), field="category"
        )
    try:
        size = int(size)
    except (TypeError, ValueError):
        size = 0
    if not 1 <= size <= BATCH_MAX:
        raise DomainError(
            "batch_size_invalid",
            _("Кількість кодів — від 1 до %(max)d за раз.") % {"max": BATCH_MAX},
            field="size",
        )
    codes: set[str] = set()
    while len(codes) < size:
        codes.add(code_new())
    ordered = sorted(codes)
    with transaction.atomic():
        batch = SchoolCodeBatch.objects.create(
            hromada_id=category.hromada_id,
            category=category,
            size=size,
            label=(label or "").strip()[:100],
            created_by=actor,
        )
        SchoolCode.objects.bulk_create(
            [
                SchoolCode(
                    hromada_id=category.hromada_id,
                    batch=batch,
                    category=category,
                    code_hash=rules.school_code_hash(code),
                )
                for code in ordered
            ],
            batch_size=500,
        )
        ledger_append(
            hromada=category.hromada,
            kind="budget.codes_issued",
            payload={"category": str(category.public_id), "batch": str(batch.public_id), "size": size},
        )
    return batch, ordered


def batch_revoke(*, batch: SchoolCodeBatch, actor) -> SchoolCodeBatch:
    """Withdraw a batch (lost, or printed wrong): its unused codes stop working; the
    ballots already cast with it stay (final when cast)."""
    _require(actor, batch.category)
    if batch.revoked_at is not None:
        return batch
    with transaction.atomic():
        batch.revoked_at = timezone.now()
        batch.save(update_fields=["revoked_at", "updated_at"])
        ledger_append(
            hromada=batch.category.hromada,
            kind="budget.codes_issued",
            payload={
                "category": str(batch.category.public_id),
                "batch": str(batch.public_id),
                "size": batch.size,
                "revoked": True,
            },
        )
    return batch


def _code_refusal(category: Category, code_hash: str) -> DomainError:
    row = (
        SchoolCode.objects.for_hromada(category.hromada_id)
        .filter(code_hash=code_hash, category=category)
        .select_related("batch")
        .first()
    )
    if row is not None and row.used_at is not None:
        return DomainError(
            "school_code_used",
            _("Цим кодом уже проголосували: кожен код — один бюлетень. Якщо це не ви, скажіть учителеві."),
            field="code",
            status=409,
        )
    return DomainError(
        "school_code_invalid",
        _("Такого коду немає або він не чинний для цього голосування. Перевірте літери й цифри на картці."),
        field="code",
        status=400,
    )


def school_ballot_cast(*, category: Category, code: str, choices) -> Ballot:
    """A pupil's ballot with a printed code; nothing changes when it is refused."""
    ctx = ballot_context(hromada=category.hromada_id, public_id=category.public_id)
    category, cycle = ctx.category, ctx.cycle
    if category.kind != CategoryKind.SCHOOL:
        raise DomainError("not_school_category", _("Кодами голосують лише в шкільному бюджеті."), status=400)
    _check_open(ctx)
    if not (code or "").strip():
        raise DomainError("code_required", _("Введіть код з картки."), field="code")
    code_hash = rules.school_code_hash(code)
    picked = normalise_choices(choices)
    check_choices(ctx, picked)
    row = (
        SchoolCode.objects.for_hromada(category.hromada_id)
        .filter(code_hash=code_hash, category=category)
        .select_related("batch")
        .first()
    )
    if row is None or row.batch.revoked_at is not None or row.used_at is not None:
        raise _code_refusal(category, code_hash)
    now = timezone.now()
    with transaction.atomic():
        # Only the row's own columns in the guard: PostgreSQL re-checks them on the row
        # a concurrent pupil just updated (a join or subquery would not be re-checked).
        taken = (
            SchoolCode.objects.for_hromada(category.hromada_id)
            .filter(pk=row.pk, used_at__isnull=True)
            .update(used_at=now)
        )
        if taken != 1:
            raise _code_refusal(category, code_hash)
        ballot = Ballot(
            hromada_id=cycle.hromada_id,
            category=category,
            voter=code_hash[:32],
            channel=Channel.SCHOOL,
            choices=picked,
            cast_at=now,
        )
        _store(ctx, ballot)
    return ballot
