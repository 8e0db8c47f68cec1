"""Cycles, their regulation, categories and phases (ADR 0006, decisions 2–4)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hromada.accounts.rules import has_perm
from hromada.core import phases
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import IdentityLevel
from hromada.tenancy.selectors import module_settings

from .. import tally
from ..models import PHASE_CODES, Category, CategoryKind, Cycle, Residence, VotingRule

logger = logging.getLogger("hromada.budget")

PHASE_LEDGER_KIND = "budget.phase_changed"
# Path segments of /budget/ that are not cycles (hromada/budget/urls_*.py).
RESERVED_SLUGS = frozenset({"my", "coauthors", "projects", "tools"})


def phase_names() -> dict[str, str]:
    """The phases' names for people, by code."""
    return {
        "ideas": _("Подання ідей"),
        "support": _("Збір підтримки"),
        "review": _("Експертиза"),
        "ballot": _("Оприлюднення бюлетеня"),
        "voting": _("Голосування"),
        "results": _("Підсумки"),
        "implementation": _("Реалізація"),
    }


@dataclass(frozen=True)
class CategorySpec:
    """A category to create with a cycle (or to add before the ballot is published)."""

    title: str
    pot: int
    max_cost: int
    rule: str
    min_cost: int = 0
    max_choices: int | None = None
    min_share: Decimal | float | None = None
    tie_rule: str = tally.TIE_RULES[0]
    kind: str = CategoryKind.GENERAL
    slug: str = ""
    area: object | None = None  # places.Area of an area pot
    school: str = ""
    max_age: int | None = None


@dataclass(frozen=True)
class Regulation:
    """Who may submit and vote in a cycle."""

    min_age: int = 14
    identity_level: str = IdentityLevel.VERIFIED
    residence: str = Residence.HROMADA
    residence_area: object | None = None
    allow_authorisation: bool = True
    support_threshold: int = 0
    max_projects_per_author: int = 3
    extra: dict = field(default_factory=dict)


def _require(actor, hromada, codename: str) -> None:
    if not has_perm(actor, hromada, codename):
        raise PermissionDenied("forbidden", _("Недостатньо прав для цієї дії."))


def _check_category(spec: CategorySpec, *, hromada) -> None:
    if not (spec.title or "").strip():
        raise DomainError("category_title_required", _("Вкажіть назву категорії."), field="title")
    if spec.rule not in tally.RULES:
        raise DomainError("category_rule_invalid", _("Оберіть правило голосування."), field="rule")
    if spec.pot <= 0:
        raise DomainError(
            "category_pot_invalid", _("Обсяг коштів категорії має бути більшим за нуль."), field="pot"
        )
    if spec.min_cost < 0 or spec.min_cost > spec.max_cost:
        raise DomainError(
            "category_cost_range_invalid",
            _("Мінімальна вартість проєкту не може перевищувати максимальну."),
            field="min_cost",
        )
    if spec.max_cost > spec.pot:
        raise DomainError(
            "category_max_cost_over_pot",
            _("Максимальна вартість проєкту (%(max)s) перевищує обсяг категорії (%(pot)s).")
            % {"max": tally.format_uah(spec.max_cost), "pot": tally.format_uah(spec.pot)},
            field="max_cost",
        )
    if spec.rule == VotingRule.APPROVAL and not (spec.max_choices and spec.max_choices >= 1):
        raise DomainError(
            "category_max_choices_required",
            _("Для правила «обрати до N проєктів» вкажіть N."),
            field="max_choices",
        )
    if spec.rule == VotingRule.MIN_SHARE and not (spec.min_share and 0 < Decimal(str(spec.min_share)) <= 1):
        raise DomainError(
            "category_min_share_invalid",
            _("Мінімальна частка має бути від 0 до 1 (напр. 0,7)."),
            field="min_share",
        )
    if spec.tie_rule not in tally.TIE_RULES:
        raise DomainError("category_tie_rule_invalid", _("Оберіть правило за рівної кількості голосів."))
    if spec.kind == CategoryKind.AREA and spec.area is None:
        raise DomainError(
            "category_area_required", _("Оберіть район чи округ для цієї категорії."), field="area"
        )
    if spec.area is not None and getattr(spec.area, "hromada_id", None) != hromada.pk:
        raise DomainError("category_area_required", _("Оберіть район чи округ цієї громади."), field="area")
    if spec.kind == CategoryKind.SCHOOL and not spec.school.strip():
        raise DomainError(
            "category_school_required", _("Вкажіть заклад освіти шкільного бюджету."), field="school"
        )


def _category_row(spec: CategorySpec, *, cycle: Cycle, order: int) -> Category:
    return Category(
        hromada=cycle.hromada,
        cycle=cycle,
        slug=spec.slug or slugify(spec.title, allow_unicode=False)[:50] or f"c{order}",
        title=spec.title.strip(),
        kind=spec.kind,
        pot=spec.pot,
        min_cost=spec.min_cost,
        max_cost=spec.max_cost,
        rule=spec.rule,
        max_choices=spec.max_choices,
        min_share=Decimal(str(spec.min_share)) if spec.min_share is not None else None,
        tie_rule=spec.tie_rule,
        area=spec.area,  # type: ignore[misc]
        school=spec.school.strip(),
        max_age=spec.max_age,
        order=order,
    )


def _phase_specs(
    dates: dict[str, tuple[dt.datetime, dt.datetime]], *, support: bool
) -> list[phases.PhaseSpec]:
    names = phase_names()
    required = [code for code in PHASE_CODES if code != "support" or support]
    missing = [code for code in required if code not in dates]
    if missing:
        raise DomainError(
            "cycle_phase_missing",
            _("Вкажіть дати етапу «%(phase)s».") % {"phase": names[missing[0]]},
            field=f"phase_{missing[0]}",
        )
    return [phases.PhaseSpec(code, names[code], *dates[code]) for code in required]


def cycle_create(
    *,
    hromada,
    actor,
    title: str,
    phase_dates: dict[str, tuple[dt.datetime, dt.datetime]],
    categories: list[CategorySpec],
    regulation: Regulation | None = None,
    slug: str = "",
    description: str = "",
    regulation_url: str = "",
) -> Cycle:
    """Create a cycle with its phase plan (one phase per code in PHASE_CODES; `support`
    only when the regulation asks for supporters) and its categories, in one
    transaction with its ledger entry. Dates are aware datetimes, [start, end)."""
    _require(actor, hromada, "budget.manage_cycles")
    title = (title or "").strip()
    if not title:
        raise DomainError("cycle_title_required", _("Вкажіть назву циклу."), field="title")
    reg = regulation or _default_regulation(hromada)
    if reg.residence == Residence.AREA and reg.residence_area is None:
        raise DomainError(
            "cycle_residence_area_required",
            _("Оберіть район чи округ, мешканці якого голосують."),
            field="residence_area",
        )
    if not 0 <= reg.min_age <= 35:
        raise DomainError("cycle_min_age_invalid", _("Мінімальний вік — від 0 до 35 років."), field="min_age")
    if not categories:
        raise DomainError(
            "cycle_categories_required", _("Додайте хоча б одну категорію."), field="categories"
        )
    for spec in categories:
        _check_category(spec, hromada=hromada)
    specs = _phase_specs(phase_dates, support=reg.support_threshold > 0)
    slug = slugify(slug or title)[:60] or secrets.token_hex(4)
    if slug in RESERVED_SLUGS:
        raise DomainError(
            "cycle_slug_reserved",
            _("Адреса «%(slug)s» зайнята сторінками бюджету участі: оберіть іншу.") % {"slug": slug},
            field="slug",
        )
    try:
        with transaction.atomic():
            cycle = Cycle(
                hromada=hromada,
                slug=slug,
                title=title,
                description=(description or "").strip(),
                regulation_url=regulation_url or "",
                min_age=reg.min_age,
                identity_level=reg.identity_level,
                residence=reg.residence,
                residence_area=reg.residence_area,  # type: ignore[misc]
                allow_authorisation=reg.allow_authorisation,
                support_threshold=reg.support_threshold,
                max_projects_per_author=reg.max_projects_per_author,
                voter_salt=secrets.token_hex(32),
                created_by=actor,
            )
            # The plan's owner names the cycle by its public id, known before the save.
            cycle.plan = phases.plan_create(
                hromada=hromada, owner=cycle.owner, title=title, phases=specs, ledger_kind=PHASE_LEDGER_KIND
            )
            cycle.save()
            Category.objects.bulk_create(
                _category_row(spec, cycle=cycle, order=n) for n, spec in enumerate(categories, 1)
            )
            ledger_append(
                hromada=hromada,
                kind="budget.cycle_created",
                payload={
                    "cycle": str(cycle.public_id),
                    "title": title,
                    "min_age": reg.min_age,
                    "identity_level": reg.identity_level,
                    "residence": reg.residence,
                    "support_threshold": reg.support_threshold,
                },
            )
    except IntegrityError as exc:
        raise DomainError(
            "cycle_slug_taken",
            _("Цикл з такою адресою вже є: оберіть іншу назву чи адресу."),
            field="slug",
            status=409,
        ) from exc
    return cycle


def _default_regulation(hromada) -> Regulation:
    s = module_settings(hromada=hromada, label="budget")
    return Regulation(
        min_age=s.min_age, identity_level=s.identity_level, max_projects_per_author=s.max_projects_per_author
    )


def category_add(*, cycle: Cycle, actor, spec: CategorySpec) -> Category:
    """Add a category before the ballot is published (afterwards the ballot is fixed)."""
    _require(actor, cycle.hromada, "budget.manage_cycles")
    if cycle.published_at is not None:
        raise DomainError(
            "ballot_published", _("Бюлетень уже оприлюднено: категорії змінити не можна."), status=409
        )
    _check_category(spec, hromada=cycle.hromada)
    order = Category.objects.for_hromada(cycle.hromada).filter(cycle=cycle).count() + 1
    try:
        with transaction.atomic():
            row = _category_row(spec, cycle=cycle, order=order)
            row.save()
    except IntegrityError as exc:
        raise DomainError("category_slug_taken", _("Категорія з такою назвою вже є."), field="title") from exc
    return row


def cycle_phase_extend(
    *, cycle: Cycle, actor, code: str, new_ends_at: dt.datetime, reason: str, shift_following: bool = False
):
    """Staff extend a phase (current or to come): recorded, ledgered and announced to
    the people the phase concerns (after commit)."""
    _require(actor, cycle.hromada, "budget.manage_cycles")
    phase = next((p for p in phases.plan_phases(cycle.plan) if p.code == code), None)
    if phase is None:
        raise DomainError("phase_unknown", _("У цьому циклі немає такого етапу."), field="code")
    with transaction.atomic():
        extension = phases.phase_extend(
            actor=actor,
            phase=phase,
            new_ends_at=new_ends_at,
            reason=reason,
            shift_following=shift_following,
            ledger_kind="budget.phase_extended",
        )
        transaction.on_commit(
            lambda: _announce_extension(cycle, phase.code, new_ends_at, reason), robust=True
        )
    return extension


def _announce_extension(cycle: Cycle, code: str, new_ends_at: dt.datetime, reason: str) -> None:
    from . import notices

    notices.phase_extended(cycle=cycle, code=code, new_ends_at=new_ends_at, reason=reason)


def cycle_phase_changed(*, hromada, plan, old, new) -> None:
    """The phases' hook (module.py `phase_changed`), after commit: each moment of the
    cycle does its work — the ballot fixed and ledgered when it is published, voting
    announced, closed and then counted. Each step is idempotent: the tick may repeat."""
    from . import notices, results, review

    cycle = Cycle.objects.for_hromada(hromada).filter(plan=plan).first()
    if cycle is None:
        return
    new_code = new.code if new is not None else ""
    old_code = old.code if old is not None else ""
    if new_code == "review" and old_code in ("ideas", "support") and cycle.support_threshold:
        review.support_close(cycle=cycle)
    if new_code in ("ballot", "voting") and cycle.published_at is None:
        results.ballot_publish(cycle=cycle)
    if new_code == "voting":
        notices.voting_open(cycle=cycle)
    if old_code == "voting" or (new_code in ("results", "implementation") and cycle.voting_closed_at is None):
        results.voting_close(cycle=cycle)
    if new_code == "results" and cycle.results_published_at is None:
        results.results_publish(cycle=cycle)
