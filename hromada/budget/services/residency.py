"""The address a person declares for a cycle, checked against the community register
with places.selectors.where: it decides whether they are a resident and which district
or okrug pots they vote in. It may be changed until they have voted in the cycle."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.places import selectors as places
from hromada.places.lookup import AddressInvalid, AddressNotFound
from hromada.places.models import AreaKind

from .. import rules
from ..models import Ballot, Cycle, Residency

ADDRESS_MAX = 300
AREA_KINDS = (AreaKind.DISTRICT, AreaKind.OKRUG)
AUTHORISATION_HINT = _(
    "Якщо ви живете в громаді, але адреси немає в реєстрі, або ви внутрішньо переміщена особа, "
    "зверніться до ЦНАП чи старости: вам можуть підтвердити право голосу вручну."
)


class AddressUnknown(DomainError):
    """No such address in the hromada; `suggestions` are the nearest ones that exist
    (labels), shown as choices."""

    def __init__(self, message, suggestions: list[str]) -> None:
        super().__init__("address_not_found", message, field="address", status=400)
        self.suggestions = suggestions


@dataclass
class CheckedAddress:
    label: str
    building: object | None
    inside: bool
    areas: list = field(default_factory=list)


def check_address(*, hromada, address: str) -> CheckedAddress:
    """Look `address` up in the hromada's register (raises AddressUnknown, or
    DomainError address_invalid / address_required)."""
    address = (address or "").strip()
    if not address:
        raise DomainError("address_required", _("Вкажіть адресу: вулицю і номер будинку."), field="address")
    if len(address) > ADDRESS_MAX:
        raise DomainError("address_invalid", _("Адреса задовга."), field="address")
    try:
        found = places.where(hromada=hromada, address=address)
    except AddressNotFound as exc:
        message = f"{exc.message} {AUTHORISATION_HINT if not exc.suggestions else ''}".strip()
        raise AddressUnknown(message, [s.label for s in exc.suggestions[:8]]) from None
    except AddressInvalid as exc:
        raise DomainError(
            "address_invalid",
            _("Не вдалося розібрати адресу: вкажіть вулицю і номер будинку, напр. «вул. Шевченка, 12».")
            if not str(exc)
            else str(exc),
            field="address",
        ) from None
    # Found in the hromada's own register: inside, unless its point falls outside the
    # drawn boundary.
    inside = found.inside_hromada if found.inside_hromada is not None else found.street is not None
    areas: dict[int, object] = {}
    for area in [found.district, found.okrug, *found.areas]:
        if area is not None and area.kind in AREA_KINDS:
            areas[area.pk] = area
    return CheckedAddress(found.label or address, found.building, bool(inside), list(areas.values()))


def has_voted(*, cycle: Cycle, user) -> bool:
    person_key = rules.person_key_of(user, hromada=cycle.hromada)
    voter = rules.voter_pseudonym(cycle=cycle, person_key=person_key)
    rows = Ballot.objects.for_hromada(cycle.hromada_id).filter(category__cycle=cycle)
    return rows.filter(voter=voter).exists() or rows.filter(user=user).exists()


def residency_declare(*, cycle: Cycle, user, address: str) -> Residency:
    """Store (or change) the address `user` lives at for `cycle`."""
    if user is None or not user.is_authenticated:
        raise DomainError("login_required", _("Увійдіть, щоб вказати адресу."), status=401)
    if has_voted(cycle=cycle, user=user):
        raise DomainError(
            "residency_locked",
            _("Ви вже проголосували в цьому циклі: адресу змінити не можна."),
            field="address",
            status=409,
        )
    checked = check_address(hromada=cycle.hromada, address=address)
    if not checked.inside:
        raise DomainError(
            "not_resident",
            _("Адреса «%(address)s» поза межами громади.") % {"address": checked.label}
            + " "
            + str(AUTHORISATION_HINT),
            field="address",
            status=403,
        )
    with transaction.atomic():
        residency, _created = Residency.objects.update_or_create(
            hromada_id=cycle.hromada_id,
            cycle=cycle,
            user=user,
            defaults={
                "address": checked.label[:ADDRESS_MAX],
                "building": checked.building,
                "inside_hromada": True,
            },
        )
        residency.areas.set(checked.areas)
    return residency
