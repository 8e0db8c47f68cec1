"""Who may do what in consultations: predicates over permissions, the dates of a
consultation's plan, and who may take part (one predicate returning the refusal)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts import rules as account_rules
from hromada.accounts.rules import has_perm
from hromada.core import phases
from hromada.core.errors import DomainError
from hromada.tenancy.models import IdentityLevel

from .models import PHASE_OPEN, PHASE_REPORT, AgeGroup, Audience, Consultation, ResultsVisibility, Status


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_group(birth: dt.date | None, day: dt.date) -> str:
    """The response's age group (AgeGroup value) for the cross-tabulation."""
    if birth is None:
        return AgeGroup.UNKNOWN
    age = age_on(birth, day)
    if age < 14:
        return AgeGroup.CHILD
    if age < 18:
        return AgeGroup.TEEN
    if age < 36:
        return AgeGroup.YOUNG
    if age < 60:
        return AgeGroup.MIDDLE
    return AgeGroup.SENIOR


def person_key_of(user, *, hromada) -> str:
    """The key naming a person: the verified identity's keyed tax-number hash (so two
    accounts of one person are one participant), else the account."""
    identity = account_rules.identity_in(user, hromada=hromada)
    return identity.tax_hash if identity is not None else f"user:{user.public_id}"


def participant_pseudonym(*, consultation: Consultation, person_key: str) -> str:
    """The per-consultation pseudonym on responses, proposals and supports: stable within
    one consultation, unlinkable across consultations. It is the person's receipt."""
    key = str(settings.IDENTITY_HASH_KEY).encode()
    message = f"consultations:{consultation.salt}:{person_key}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def pseudonym_of(user, consultation: Consultation) -> str:
    return participant_pseudonym(
        consultation=consultation, person_key=person_key_of(user, hromada=consultation.hromada)
    )


# --- phases ----------------------------------------------------------------------------


def phase_code(consultation: Consultation, now: dt.datetime | None = None) -> str:
    """ "upcoming", "open", "report" (closed, report due), "closed", "draft" or "cancelled"."""
    if consultation.status == Status.DRAFT:
        return "draft"
    if consultation.status == Status.CANCELLED:
        return "cancelled"
    assert consultation.plan is not None
    now = now or timezone.now()
    phase = phases.current_phase(consultation.plan, now)
    if phase is not None:
        return phase.code
    first = phases.next_phase(consultation.plan, now)
    return "upcoming" if first is not None and first.code == PHASE_OPEN else "closed"


def is_open(consultation: Consultation, now: dt.datetime | None = None) -> bool:
    return phase_code(consultation, now) == PHASE_OPEN


def is_closed(consultation: Consultation, now: dt.datetime | None = None) -> bool:
    return phase_code(consultation, now) in (PHASE_REPORT, "closed")


def open_refusal(consultation: Consultation, now: dt.datetime | None = None) -> DomainError | None:
    """Why nobody may take part now (not yet open, closed, cancelled), or None."""
    code = phase_code(consultation, now)
    if code == PHASE_OPEN:
        return None
    if code in ("draft", "upcoming"):
        return DomainError("not_open_yet", _("Консультація ще не розпочалася."), status=409)
    if code == "cancelled":
        return DomainError("cancelled", _("Консультацію скасовано."), status=409)
    return DomainError(
        "closed", _("Консультацію завершено: відповіді й пропозиції більше не приймаються."), status=409
    )


def results_visible(consultation: Consultation, user=None, now: dt.datetime | None = None) -> bool:
    """Results are public live (when staff chose so) or once closed; staff who manage or
    report see them at any time."""
    if consultation.status == Status.DRAFT:
        return user is not None and can_manage(user, consultation.hromada)
    if consultation.results_visibility == ResultsVisibility.LIVE or is_closed(consultation, now):
        return True
    return user is not None and (
        can_manage(user, consultation.hromada) or can_report(user, consultation.hromada)
    )


# --- who may take part -----------------------------------------------------------------


def _area_name(consultation: Consultation) -> str:
    return consultation.area.name if consultation.area is not None else ""


def participation_refusal(
    user,
    consultation: Consultation,
    *,
    areas=None,
    today: dt.date | None = None,
    check_open: bool = True,
) -> DomainError | None:
    """Why `user` may not take part in `consultation` (answer, propose, support,
    comment), or None. `areas`: the districts/okrugs the person's declared address falls
    in (places.selectors.where), needed only for a consultation limited to an area.
    "Already answered" is the database's constraint, not a rule here."""
    if check_open:
        refusal = open_refusal(consultation)
        if refusal is not None:
            return refusal
    if user is None or not user.is_authenticated:
        return DomainError("login_required", _("Увійдіть, щоб узяти участь."), status=401)
    hromada = consultation.hromada
    if consultation.audience == Audience.VERIFIED and not account_rules.has_identity_level(
        user, IdentityLevel.VERIFIED, hromada=hromada
    ):
        return DomainError(
            "identity_required",
            _(
                "Узяти участь можуть мешканці з підтвердженою особою: увійдіть через id.gov.ua (Дія, "
                "BankID, КЕП) або підтвердіть особу в ЦНАП."
            ),
            status=403,
        )
    if consultation.audience == Audience.EMAIL and not account_rules.has_identity_level(
        user, IdentityLevel.EMAIL, hromada=hromada
    ):
        return DomainError(
            "email_unconfirmed", _("Підтвердьте електронну пошту, щоб узяти участь."), status=403
        )
    if consultation.min_age:
        identity = account_rules.identity_in(user, hromada=hromada)
        birth = getattr(identity, "birth_date", None)
        if birth is None:
            return DomainError(
                "age_unknown",
                _("Узяти участь можна з %(age)d років: підтвердьте особу з датою народження.")
                % {"age": consultation.min_age},
                status=403,
            )
        if age_on(birth, today or timezone.localdate()) < consultation.min_age:
            return DomainError(
                "underage",
                _("Узяти участь можна з %(age)d років.") % {"age": consultation.min_age},
                status=403,
            )
    if consultation.area_id is not None:
        if areas is None:
            return DomainError(
                "address_required",
                _("Ця консультація — для мешканців: %(area)s. Вкажіть свою адресу.")
                % {"area": _area_name(consultation)},
                field="address",
                status=403,
            )
        if consultation.area_id not in {a.pk for a in areas}:
            return DomainError(
                "outside_area",
                _("Ваша адреса не належить до: %(area)s. Узяти участь можуть лише його мешканці.")
                % {"area": _area_name(consultation)},
                field="address",
                status=403,
            )
    return None


# --- staff -----------------------------------------------------------------------------


def can_manage(user, hromada) -> bool:
    return has_perm(user, hromada, "consultations.manage")


def can_answer(user, hromada) -> bool:
    return has_perm(user, hromada, "consultations.answer")


def can_moderate(user, hromada) -> bool:
    return has_perm(user, hromada, "consultations.moderate")


def can_report(user, hromada) -> bool:
    return has_perm(user, hromada, "consultations.report")


def eligibility(*, user, hromada) -> list[str]:
    """The module's sentences after a verification: whether the person may take part in
    the consultations open now (module.py `eligibility`)."""
    from .selectors import consultations_open

    sentences: list[str] = []
    for consultation in consultations_open(hromada=hromada):
        refusal = participation_refusal(user, consultation)
        if refusal is None:
            sentences.append(
                _("Ви можете взяти участь у консультації «%(title)s».") % {"title": consultation.title}
            )
        elif refusal.code == "address_required":
            sentences.append(
                _("Якщо ви живете тут: %(area)s, — ви можете взяти участь у консультації «%(title)s».")
                % {"area": _area_name(consultation), "title": consultation.title}
            )
        else:
            sentences.append(f"«{consultation.title}»: {refusal.message}")
    return sentences
