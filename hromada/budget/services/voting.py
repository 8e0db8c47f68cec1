"""Casting ballots: online (the hot path), and paper or assisted ballots entered by staff
(ADR 0006, decisions 5 and 6). Every channel ends in the same single INSERT of the
ballot and its `budget.ballot_cast` ledger entry; the (category, voter) constraint
decides duplicates, so one person votes once whichever channel."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts.identity import taxnumber
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_entry_new
from hromada.places.models import AreaKind

from .. import rules, tally
from ..models import Ballot, Category, CategoryKind, Channel, Cycle, Residence
from ..voting_selectors import BallotContext, ballot_context, cache_clear, channel_label
from .residency import check_address
from .voting_sql import store_ballot

PAPER_CHANNELS = (Channel.PAPER, Channel.ASSISTED)


def normalise_choices(choices: Iterable) -> list[str]:
    """Project ids as the ledger writes them (canonical UUID text); anything else is
    kept as typed, for check_ballot to name as unknown."""
    out = []
    for choice in choices or ():
        text = str(choice).strip()
        try:
            text = str(uuid.UUID(text))
        except ValueError:
            pass
        out.append(text)
    return out


def _context(category: Category) -> BallotContext:
    return ballot_context(hromada=category.hromada_id, public_id=category.public_id)


def _check_open(ctx: BallotContext) -> None:
    if not ctx.voting_open():
        refusal = rules.voting_phase_refusal(ctx.cycle)
        if refusal is None:  # the cache is behind the plan: read again next time
            cache_clear()
            ctx = _context(ctx.category)
            refusal = None if ctx.voting_open() else rules.voting_phase_refusal(ctx.cycle)
        if refusal is not None:
            raise refusal
    if ctx.cycle.published_at is None:
        raise DomainError(
            "ballot_not_published",
            _("Бюлетень ще не оприлюднено: голосування розпочнеться після його оприлюднення."),
            status=409,
        )


def check_choices(ctx: BallotContext, choices: list[str]) -> None:
    """tally.check_ballot, its refusal as a DomainError with the same code (the amount
    over — or missing — is in the message)."""
    try:
        tally.check_ballot(ctx.tally_category, ctx.projects, choices)
    except tally.BallotInvalid as exc:
        error = DomainError(exc.code, exc.message_uk, field="choices", status=400)
        error.over_by = exc.over_by  # type: ignore[attr-defined]
        raise error from None


def _district_of(areas) -> int | None:
    by_kind = {a.kind: a.pk for a in areas}
    return by_kind.get(AreaKind.DISTRICT) or by_kind.get(AreaKind.OKRUG)


def _already_voted(category: Category, voter: str) -> DomainError:
    first = Ballot.objects.for_hromada(category.hromada_id).filter(category=category, voter=voter).first()
    how = channel_label(first.channel) if first is not None else _("раніше")
    return DomainError(
        "already_voted",
        _(
            "Ви вже проголосували в цій категорії — %(how)s. Бюлетень остаточний, повторно голосувати не можна."
        )
        % {"how": how},
        status=409,
    )


def _store(ctx: BallotContext, ballot: Ballot) -> Ballot:
    entry = ledger_entry_new(
        hromada=ctx.cycle.hromada,
        kind="budget.ballot_cast",
        payload={"voter": ballot.voter, "category": str(ctx.category.public_id), "choices": ballot.choices},
    )
    if ctx.voting_phase_id is None or not store_ballot(
        ballot, entry, phase_id=ctx.voting_phase_id, now=ballot.cast_at
    ):
        if (
            Ballot.objects.for_hromada(ctx.cycle.hromada_id)
            .filter(category=ctx.category, voter=ballot.voter)
            .exists()
        ):
            raise _already_voted(ctx.category, ballot.voter)
        # The statement saw the phase closed: this process's dates were stale.
        cache_clear()
        raise rules.voting_phase_refusal(ctx.cycle) or DomainError(
            "voting_closed", _("Голосування зараз не триває."), status=409
        )
    return ballot


def ballot_cast(*, category: Category, user, choices) -> Ballot:
    """Cast `user`'s online ballot in `category`. Final when cast."""
    ctx = _context(category)
    category, cycle = ctx.category, ctx.cycle
    _check_open(ctx)
    refusal, standing = rules.participant_refusal(user, cycle, category=category)
    if refusal is not None:
        raise refusal
    picked = normalise_choices(choices)
    check_choices(ctx, picked)
    now = timezone.now()
    district = None
    if standing.residency is not None:
        district = _district_of(standing.residency.areas.all())
    ballot = Ballot(
        hromada_id=cycle.hromada_id,
        category=category,
        voter=rules.voter_pseudonym(cycle=cycle, person_key=standing.person_key),
        channel=Channel.ONLINE,
        choices=picked,
        cast_at=now,
        age_group=rules.age_group(standing.birth_date, timezone.localdate()),
        district_id=district,
        user=user,
    )
    return _store(ctx, ballot)


def _paper_residence(
    *, cycle: Cycle, category: Category, person_key: str, address: str
) -> tuple[int | None, bool]:
    """(the district area id, authorised) for a paper voter; raises the refusal."""
    authorisation = rules.authorisation_of(cycle, person_key) if cycle.allow_authorisation else None
    needs_address = cycle.residence != Residence.ANY or category.kind == CategoryKind.AREA
    if authorisation is not None and category.kind != CategoryKind.AREA and not address.strip():
        return None, True
    if not address.strip():
        if not needs_address:
            return None, False
        raise DomainError(
            "address_required",
            _("Вкажіть адресу, за якою проживає виборець: голосують мешканці громади."),
            field="address",
        )
    found = check_address(hromada=cycle.hromada, address=address)
    inside, areas = found.inside, found.areas
    if authorisation is None:
        if cycle.residence != Residence.ANY and not inside:
            raise DomainError(
                "not_resident",
                _(
                    "Адреса поза межами громади. Якщо особа проживає тут як внутрішньо переміщена, "
                    "спершу підтвердьте її право голосу вручну (розділ «Ручне підтвердження»)."
                ),
                field="address",
                status=403,
            )
        if cycle.residence == Residence.AREA and cycle.residence_area_id not in {a.pk for a in areas}:
            raise DomainError(
                "not_in_area",
                _("У цьому циклі беруть участь мешканці: %(area)s.") % {"area": cycle.residence_area},
                field="address",
                status=403,
            )
    if category.kind == CategoryKind.AREA and category.area_id not in {a.pk for a in areas}:
        raise DomainError(
            "not_in_area",
            _("За проєкти категорії «%(category)s» голосують мешканці: %(area)s.")
            % {"category": category.title, "area": category.area},
            field="address",
            status=403,
        )
    return _district_of(areas), authorisation is not None


def paper_ballot_enter(
    *, category: Category, actor, tax_number: str, choices, channel: str = "paper", address: str = ""
) -> Ballot:
    """A paper or assisted ballot entered by an official at the service centre or a
    starosta office. The voter is named by their tax number (hashed to the same person
    key a verified account has; the number itself is never stored), so a person who
    already voted online is refused, and the other way round."""
    ctx = _context(category)
    category, cycle = ctx.category, ctx.cycle
    if not rules.can_enter_paper(actor, cycle.hromada):
        raise PermissionDenied("forbidden", _("Недостатньо прав, щоб вносити паперові бюлетені."))
    if channel not in PAPER_CHANNELS:
        raise DomainError(
            "channel_invalid", _("Оберіть спосіб: паперовий бюлетень або з допомогою."), field="channel"
        )
    if category.kind == CategoryKind.SCHOOL:
        raise DomainError(
            "school_code_required",
            _("У шкільному бюджеті голосують учні кодами, паперові бюлетені тут не вносять."),
            status=403,
        )
    _check_open(ctx)
    number = taxnumber.normalise(tax_number)
    if not taxnumber.is_valid(number):
        raise DomainError(
            "tax_number_invalid",
            _("Податковий номер (РНОКПП) має 10 цифр і правильну контрольну цифру: перевірте його."),
            field="tax_number",
        )
    birth = taxnumber.birth_date(number)
    today = timezone.localdate()
    if birth is not None:
        age = rules.age_on(birth, today)
        if age < cycle.min_age:
            raise DomainError(
                "underage",
                _("Голосувати можна з %(age)d років.") % {"age": cycle.min_age},
                field="tax_number",
                status=403,
            )
        if category.max_age and age > category.max_age:
            raise DomainError(
                "over_age",
                _("За молодіжні проєкти голосують особи до %(age)d років.") % {"age": category.max_age},
                field="tax_number",
                status=403,
            )
    person_key = taxnumber.tax_hash(number)
    district, _authorised = _paper_residence(
        cycle=cycle, category=category, person_key=person_key, address=address
    )
    picked = normalise_choices(choices)
    check_choices(ctx, picked)
    now = timezone.now()
    ballot = Ballot(
        hromada_id=cycle.hromada_id,
        category=category,
        voter=rules.voter_pseudonym(cycle=cycle, person_key=person_key),
        channel=channel,
        choices=picked,
        cast_at=now,
        age_group=rules.age_group(birth, today),
        district_id=district,
        entered_by=actor,
    )
    return _store(ctx, ballot)


def voter_receipt(ballot: Ballot) -> str:
    """The receipt a voter keeps: their pseudonym, as on the ledger entry."""
    return ballot.voter
