"""Writes for service territories: a territory (an Area of kind territory, by
registers.area_save) and its street rules, each in one transaction with its ledger entry."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import Hromada

from .. import territories
from ..models import Area, AreaKind, Street, TerritoryRule
from .registers import _require, area_save

PURPOSE_MAX = 60


def _purpose(value: str) -> str:
    purpose = (value or "").strip()
    if not purpose:
        raise DomainError(
            "purpose_required",
            _("Вкажіть, для чого територія (модуль, напр. «education»)."),
            field="purpose",
        )
    if (
        len(purpose) > PURPOSE_MAX
        or not all(ch.isalnum() or ch in "_-." for ch in purpose)
        or not purpose.isascii()
    ):
        raise DomainError(
            "purpose_invalid",
            _("Призначення — коротке ім'я латиницею без пропусків (напр. «education»), до %(n)s символів.")
            % {"n": PURPOSE_MAX},
            field="purpose",
        )
    return purpose


def territory_create(*, actor, hromada: Hromada, name: str, purpose: str, geometry_value: Any = None) -> Area:
    """A service territory of `purpose`: defined by street rules (territory_rule_add), by
    a polygon (geometry_value, GeoJSON), or both."""
    return area_save(
        actor=actor,
        hromada=hromada,
        kind=AreaKind.TERRITORY,
        name=name,
        purpose=_purpose(purpose),
        geometry_value=geometry_value,
    )


def _territory(actor, area: Area) -> None:
    _require(actor, area.hromada, "places.manage_territories")
    if area.kind != AreaKind.TERRITORY:
        raise DomainError("area_not_territory", _("Правила вулиць мають лише території обслуговування."))


def territory_rule_add(
    *, actor, area: Area, street: Street, parity: str = "all", from_house: str = "", to_house: str = ""
) -> TerritoryRule:
    """Houses of a street a territory takes: all, odd or even, optionally from–to (both
    ends included; to empty: to the end of the street). Refuses a reversed range
    ("15–9"), a bound that is not a house number, a bound of the wrong parity, and a
    rule the territory already has."""
    _territory(actor, area)
    if street.hromada_id != area.hromada_id:
        raise PermissionDenied("forbidden", _("Вулиця належить іншій громаді."))
    rule = territories.rule_check(parity=parity, from_house=from_house, to_house=to_house)
    with transaction.atomic():
        if TerritoryRule.objects.filter(
            area=area, street=street, parity=rule.parity, from_house=rule.from_house, to_house=rule.to_house
        ).exists():
            raise DomainError(
                "rule_exists",
                _("Таке правило для вулиці «%(s)s» уже є.") % {"s": str(street)},
                field="street",
            )
        row = TerritoryRule.objects.create(
            hromada_id=area.hromada_id,
            area=area,
            street=street,
            parity=rule.parity,
            from_house=rule.from_house,
            to_house=rule.to_house,
        )
        ledger_append(
            hromada=area.hromada,
            kind="places.territory_rule_added",
            payload={
                "area": str(area.public_id),
                "purpose": area.purpose,
                "street": str(street.public_id),
                "street_name": str(street),
                "rule": territories.rule_text(row),
                "parity": row.parity,
                "from": row.from_house,
                "to": row.to_house,
            },
        )
    return row


def territory_rule_delete(*, actor, rule: TerritoryRule) -> None:
    area = rule.area
    _territory(actor, area)
    with transaction.atomic():
        ledger_append(
            hromada=area.hromada,
            kind="places.territory_rule_deleted",
            payload={
                "area": str(area.public_id),
                "purpose": area.purpose,
                "street": str(rule.street.public_id),
                "street_name": str(rule.street),
                "rule": territories.rule_text(rule),
            },
        )
        rule.delete()


@dataclass
class RuleImportReport:
    added: int = 0
    # [{"row": 3, "errors": ["…"]}]: each bad row with its reason, good rows kept.
    failed: list[dict] = field(default_factory=list)


def territory_rules_import(*, actor, area: Area, text: str) -> RuleImportReport:
    """Rules from CSV text, one a line: street, rule ("Шевченка; непарні 1–15" or
    "вул. Шевченка,парні з 10"). The street is found as people type it (a former name,
    a settlement before it); each line is its own transaction, bad lines are reported."""
    from .. import lookup

    _territory(actor, area)
    report = RuleImportReport()
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in ("вулиця", "street", "назва"):
            continue  # a header
        street_text, rule_text = cells[0], (delimiter.join(cells[1:]) if len(cells) > 1 else "")
        try:
            parsed = territories.parse_rule(rule_text)
            found = lookup.find(hromada=area.hromada, q=street_text)
            street = found.street
            if street is None or found.kind != "street":
                raise DomainError("street_expected", _("Вкажіть вулицю без номера будинку."), field="street")
            territory_rule_add(
                actor=actor,
                area=area,
                street=street,
                parity=parsed.parity,
                from_house=parsed.from_house,
                to_house=parsed.to_house,
            )
            report.added += 1
        except lookup.AddressNotFound as exc:
            near = "; ".join(s.label for s in exc.suggestions[:3])
            message = str(exc.message) + (" " + _("Можливо: %(n)s.") % {"n": near} if near else "")
            report.failed.append({"row": number, "errors": [message]})
        except lookup.AddressInvalid:
            report.failed.append({"row": number, "errors": [_("Рядок не містить назви вулиці.")]})
        except DomainError as exc:
            report.failed.append({"row": number, "errors": [str(exc.message)]})
    return report
