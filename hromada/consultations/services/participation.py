"""Taking part: a person's participation record in one consultation is their Response
(a draft until a questionnaire is submitted), found by the per-consultation pseudonym.
It keeps what the results are cut by — the age group and the district or okrug — and,
for a consultation limited to an area, the area the person's address was found in.
Every part (questionnaire, proposals, supports) asks `refusal` before acting."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts import rules as account_rules
from hromada.core.errors import DomainError
from hromada.places import selectors as places
from hromada.places.lookup import AddressInvalid, AddressNotFound
from hromada.places.models import AreaKind

from .. import rules
from ..models import Consultation, Response

ADDRESS_MAX = 300
AREA_KINDS = (AreaKind.DISTRICT, AreaKind.OKRUG)


def response_of(consultation: Consultation, user) -> Response | None:
    """`user`'s response (draft or submitted) in `consultation`, or None."""
    if user is None or not user.is_authenticated:
        return None
    return (
        Response.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation, participant=rules.pseudonym_of(user, consultation))
        .select_related("area")
        .first()
    )


def areas_of(response: Response | None) -> list | None:
    """The areas a response's person declared (None: not declared)."""
    if response is None or response.area_id is None:
        return None
    return [response.area]


def refusal(user, consultation: Consultation, *, check_open: bool = True) -> DomainError | None:
    """Why `user` may not take part now, with what they declared (their response's area)."""
    response = response_of(consultation, user) if consultation.area_id else None
    return rules.participation_refusal(user, consultation, areas=areas_of(response), check_open=check_open)


def address_areas(*, hromada, address: str) -> tuple[str, list]:
    """(the address as found, the districts/okrugs it falls in) — DomainError
    address_required / address_invalid / address_not_found (with suggestions in the
    message) for what the register does not know."""
    address = (address or "").strip()
    if not address:
        raise DomainError("address_required", _("Вкажіть адресу: вулицю і номер будинку."), field="address")
    if len(address) > ADDRESS_MAX:
        raise DomainError("address_invalid", _("Адреса задовга."), field="address")
    try:
        found = places.where(hromada=hromada, address=address)
    except AddressNotFound as exc:
        hint = ", ".join(s.label for s in exc.suggestions[:5])
        message = (
            exc.message
            if not hint
            else f"{exc.message} {_('Можливо, ви мали на увазі: %(hint)s.') % {'hint': hint}}"
        )
        raise DomainError("address_not_found", message, field="address") from None
    except AddressInvalid as exc:
        raise DomainError(
            "address_invalid",
            str(exc) or _("Не вдалося розібрати адресу: вкажіть вулицю і номер будинку."),
            field="address",
        ) from None
    areas = {}
    for area in [found.district, found.okrug, *found.areas]:
        if area is not None and area.kind in AREA_KINDS:
            areas[area.pk] = area
    return found.label or address, list(areas.values())


def participation_join(*, consultation: Consultation, user, address: str = "", area=None) -> Response:
    """The person's response, created as a draft when missing (idempotent). A consultation
    limited to an area needs `address` (checked against the register); otherwise `area`
    (a district or okrug the person chose, for the cross-tabulation) is optional. The
    area may be changed until the response is submitted."""
    hromada = consultation.hromada
    declared = None
    if consultation.area_id is not None:
        existing = response_of(consultation, user)
        if address or existing is None or existing.area is None:
            _label, found = address_areas(hromada=hromada, address=address)
        else:
            found = [existing.area]
        problem = rules.participation_refusal(user, consultation, areas=found)
        if problem is not None:
            raise problem
        declared = consultation.area
    else:
        problem = rules.participation_refusal(user, consultation)
        if problem is not None:
            raise problem
        if area is not None:
            if area.hromada_id != hromada.pk or area.kind not in AREA_KINDS:
                raise DomainError("area_invalid", _("Такого району чи округу в громаді немає."), field="area")
            declared = area
    identity = account_rules.identity_in(user, hromada=hromada)
    group = rules.age_group(getattr(identity, "birth_date", None), timezone.localdate())
    participant = rules.pseudonym_of(user, consultation)
    with transaction.atomic():
        response = (
            Response.objects.for_hromada(hromada)
            .select_for_update()
            .filter(consultation=consultation, participant=participant)
            .first()
        )
        if response is None:
            try:
                with transaction.atomic():
                    response = Response.objects.create(
                        hromada=hromada,
                        consultation=consultation,
                        participant=participant,
                        user=user,
                        age_group=group,
                        area=declared,
                    )
            except IntegrityError:
                # Another request of the same person created it meanwhile.
                response = Response.objects.for_hromada(hromada).get(
                    consultation=consultation, participant=participant
                )
        if declared is not None and response.area_id != declared.pk and response.status == "draft":
            response.area = declared
            response.save(update_fields=["area"])
    return response
