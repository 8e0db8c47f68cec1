"""Who may do what in a cycle. Each refusal is a DomainError in people's words, with a
stable code: the page shows it before the button, the service raises it (ADR 0006,
decision 3). Phases are read by their dates (hromada.core.phases.current_phase), so a
rule holds from the exact second."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from hromada.accounts import rules as account_rules
from hromada.core import phases
from hromada.core.errors import DomainError
from hromada.tenancy.models import IdentityLevel

from .models import AgeGroup, Authorisation, Category, CategoryKind, Cycle, Residence, Residency


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_group(birth: dt.date | None, day: dt.date) -> str:
    """The ballot's age group (AgeGroup value) for the turnout charts."""
    if birth is None:
        return AgeGroup.UNKNOWN
    age = age_on(birth, day)
    if age < 18:
        return AgeGroup.TEEN
    if age < 36:
        return AgeGroup.YOUNG
    if age < 60:
        return AgeGroup.MIDDLE
    return AgeGroup.SENIOR


def person_key_of(user, *, hromada) -> str:
    """The key that names a person across channels: the verified identity's keyed tax
    number hash (what a paper ballot's tax number hashes to), else the account."""
    identity = account_rules.identity_in(user, hromada=hromada)
    return identity.tax_hash if identity is not None else f"user:{user.public_id}"


def voter_pseudonym(*, cycle: Cycle, person_key: str) -> str:
    """The per-cycle pseudonym on ballots and supports: the same person gets the same id
    in every channel of one cycle and unlinkable ids across cycles (ADR 0006, 5)."""
    key = str(settings.IDENTITY_HASH_KEY).encode()
    return hmac.new(key, f"budget:{cycle.voter_salt}:{person_key}".encode(), hashlib.sha256).hexdigest()[:32]


def school_code_hash(code: str) -> str:
    """A printed code's SHA-256 (of its normalised form: upper case, no spaces or dashes)."""
    normalised = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


# --- phases ------------------------------------------------------------------------------


def phase_code(cycle: Cycle, now: dt.datetime | None = None) -> str:
    phase = phases.current_phase(cycle.plan, now)
    return phase.code if phase is not None else ""


def _phase_refusal(
    cycle: Cycle, wanted: tuple[str, ...], code: str, now: dt.datetime | None
) -> DomainError | None:
    if phase_code(cycle, now) in wanted:
        return None
    plan_phases = {p.code: p for p in phases.plan_phases(cycle.plan)}
    phase = next((plan_phases[c] for c in wanted if c in plan_phases), None)
    if phase is None:
        return DomainError(code, _("Цей етап у циклі не передбачено."), status=409)
    when = {
        "start": date_format(timezone.localtime(phase.starts_at), "DATETIME_FORMAT"),
        "end": date_format(timezone.localtime(phase.ends_at), "DATETIME_FORMAT"),
        "phase": phase.name,
    }
    now = now or timezone.now()
    if now < phase.starts_at:
        message = _("Етап «%(phase)s» ще не розпочався: він триває з %(start)s до %(end)s.") % when
    else:
        message = _("Етап «%(phase)s» завершився %(end)s.") % when
    return DomainError(code, message, status=409)


def submission_phase_refusal(cycle: Cycle, now: dt.datetime | None = None) -> DomainError | None:
    return _phase_refusal(cycle, ("ideas",), "submission_closed", now)


def support_phase_refusal(cycle: Cycle, now: dt.datetime | None = None) -> DomainError | None:
    # Support is collected from submission until the support phase ends.
    return _phase_refusal(cycle, ("ideas", "support"), "support_closed", now)


def voting_phase_refusal(cycle: Cycle, now: dt.datetime | None = None) -> DomainError | None:
    return _phase_refusal(cycle, ("voting",), "voting_closed", now)


# --- who takes part ----------------------------------------------------------------------


@dataclass
class Standing:
    """What the rules found about a person in a cycle (for the page and the services)."""

    identity: object | None = None
    person_key: str = ""
    authorisation: Authorisation | None = None
    residency: Residency | None = None
    birth_date: dt.date | None = None


_AUTH_COLUMNS = ("id", "hromada_id", "cycle_id", "person_key", "user_id", "reason", "document_seen", "note")
_RESIDENCY_COLUMNS = ("id", "hromada_id", "cycle_id", "user_id", "address", "building_id", "inside_hromada")


def _one(model, columns: tuple[str, ...], where: str, params: list):
    """One row of `model` by a raw indexed read (the ballot's hot path: no ORM query
    compilation), as a model instance, or None."""
    from django.db import connection

    q = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(q(c) for c in columns)} FROM {q(model._meta.db_table)} "  # noqa: S608
        f"WHERE {where} LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return model.from_db(connection.alias, list(columns), row)


def authorisation_of(cycle: Cycle, person_key: str, user=None) -> Authorisation | None:
    """The person's authorisation in force in `cycle` (by person key, else by account)."""
    base = "hromada_id = %s AND cycle_id = %s AND revoked_at IS NULL AND "
    if user is not None and getattr(user, "pk", None) is not None:
        return _one(
            Authorisation,
            _AUTH_COLUMNS,
            base + "(person_key = %s OR user_id = %s) ORDER BY CASE WHEN person_key = %s THEN 0 ELSE 1 END",
            [cycle.hromada_id, cycle.pk, person_key, user.pk, person_key],
        )
    return _one(
        Authorisation, _AUTH_COLUMNS, base + "person_key = %s", [cycle.hromada_id, cycle.pk, person_key]
    )


def residency_of(cycle: Cycle, user) -> Residency | None:
    return _one(
        Residency,
        _RESIDENCY_COLUMNS,
        "hromada_id = %s AND cycle_id = %s AND user_id = %s",
        [cycle.hromada_id, cycle.pk, user.pk],
    )


def participant_refusal(
    user,
    cycle: Cycle,
    *,
    purpose: str = "vote",
    category: Category | None = None,
    today: dt.date | None = None,
) -> tuple[DomainError | None, Standing]:
    """(why `user` may not take part in `cycle` — purpose "vote", "submit" or "support" —
    or None; what was found). Phases are not checked here (see *_phase_refusal). A staff
    authorisation stands for the identity level and the residence; the age still
    counts when a birth date is known. "Already voted" is the database's constraint."""
    standing = Standing()
    hromada = cycle.hromada
    if user is None or not user.is_authenticated:
        messages = {
            "vote": _("Увійдіть, щоб проголосувати."),
            "submit": _("Увійдіть, щоб подати проєкт."),
            "support": _("Увійдіть, щоб підтримати проєкт."),
        }
        return DomainError("login_required", messages.get(purpose, messages["vote"]), status=401), standing
    today = today or timezone.localdate()
    standing.identity = account_rules.identity_in(user, hromada=hromada)
    standing.person_key = person_key_of(user, hromada=hromada)
    standing.birth_date = getattr(standing.identity, "birth_date", None)
    standing.authorisation = (
        authorisation_of(cycle, standing.person_key, user) if cycle.allow_authorisation else None
    )
    standing.residency = residency_of(cycle, user)
    authorised = standing.authorisation is not None
    if category is not None and category.kind == CategoryKind.SCHOOL and purpose == "vote":
        return DomainError(
            "school_code_required",
            _("У шкільному бюджеті голосують учні кодами, які видає заклад освіти."),
            status=403,
        ), standing
    if not authorised and not account_rules.has_identity_level(user, cycle.identity_level, hromada=hromada):
        if cycle.identity_level == IdentityLevel.VERIFIED:
            message = _(
                "Потрібна підтверджена особа: увійдіть через id.gov.ua (Дія, BankID, КЕП) або підтвердіть "
                "особу в ЦНАП. Якщо у вас немає електронного підпису, зверніться до ЦНАП чи старости — "
                "вам можуть підтвердити право голосу вручну."
            )
            return DomainError("identity_required", message, status=403), standing
        return DomainError(
            "email_unconfirmed", _("Підтвердьте електронну пошту, щоб узяти участь."), status=403
        ), standing
    if cycle.min_age or (category is not None and category.max_age):
        if standing.birth_date is None and not authorised:
            return DomainError(
                "age_unknown",
                _("Неможливо перевірити ваш вік: підтвердьте особу з датою народження."),
                status=403,
            ), standing
        if standing.birth_date is not None:
            age = age_on(standing.birth_date, today)
            if age < cycle.min_age:
                return DomainError(
                    "underage",
                    _("Брати участь у бюджеті участі можна з %(age)d років.") % {"age": cycle.min_age},
                    status=403,
                ), standing
            if category is not None and category.max_age and age > category.max_age and purpose == "vote":
                return DomainError(
                    "over_age",
                    _("За молодіжні проєкти голосують особи до %(age)d років.") % {"age": category.max_age},
                    status=403,
                ), standing
    if authorised:
        return _area_pot_refusal(category, standing), standing
    if cycle.residence != Residence.ANY:
        residency = standing.residency
        if residency is None:
            return DomainError(
                "residence_required",
                _("Вкажіть адресу, за якою ви проживаєте: брати участь можуть мешканці громади."),
                status=403,
            ), standing
        if not residency.inside_hromada:
            return DomainError(
                "not_resident",
                _(
                    "Вказана адреса поза межами громади. Якщо ви проживаєте тут як внутрішньо переміщена "
                    "особа, зверніться до ЦНАП — вам підтвердять право голосу вручну."
                ),
                status=403,
            ), standing
        if (
            cycle.residence == Residence.AREA
            and not residency.areas.filter(pk=cycle.residence_area_id).exists()
        ):
            return DomainError(
                "not_in_area",
                _("У цьому циклі беруть участь мешканці: %(area)s.") % {"area": cycle.residence_area},
                status=403,
            ), standing
    return _area_pot_refusal(category, standing), standing


def _area_pot_refusal(category: Category | None, standing: Standing) -> DomainError | None:
    if category is None or category.kind != CategoryKind.AREA or category.area_id is None:
        return None
    if standing.residency is not None and standing.residency.areas.filter(pk=category.area_id).exists():
        return None
    return DomainError(
        "not_in_area",
        _("За проєкти категорії «%(category)s» голосують мешканці: %(area)s.")
        % {"category": category.title, "area": category.area},
        status=403,
    )


# --- staff -------------------------------------------------------------------------------


def can_manage(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "budget.manage_cycles")


def can_review(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "budget.review")


def can_enter_paper(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "budget.enter_paper")


def can_authorise(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "budget.authorise")


def can_print_codes(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "budget.school_codes")


def can_report_progress(user, hromada) -> bool:
    return account_rules.has_perm(user, hromada, "budget.report_progress")


def eligibility(*, user, hromada) -> list[str]:
    """The module's sentences after a verification: what the person may now do in the
    budget cycles running now (module.py `eligibility`)."""
    from .selectors import cycles_running

    sentences: list[str] = []
    for cycle in cycles_running(hromada=hromada):
        refusal, _standing = participant_refusal(user, cycle)
        if refusal is None:
            sentences.append(_("Ви можете голосувати в циклі «%(cycle)s».") % {"cycle": cycle.title})
        else:
            sentences.append(f"«{cycle.title}»: {refusal.message}")
    return sentences
