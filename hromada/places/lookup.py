"""Address search (a minimal stand-in: the lookup work replaces this module with its
own, to the same contract — `suggest`, `find`, `Suggestion`, `AddressNotFound`)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hromada.tenancy.models import Hromada

from .addresses import AddressInvalid, parse
from .models import AddressKey

__all__ = ["AddressInvalid", "AddressNotFound", "Suggestion", "find", "suggest"]


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "street" | "building"
    label: str
    former: str
    street_id: str
    building_id: str
    lat: float | None
    lon: float | None
    settlement: str


class AddressNotFound(Exception):
    def __init__(self, suggestions: list[Suggestion]):
        self.suggestions = suggestions
        self.message = _("Такої адреси не знайдено.")
        super().__init__(str(self.message))


def _label(street, building) -> str:
    text = f"{street.street_type} {street.name}"
    if building is not None:
        text += f", {building.number}"
    return f"{text}, {street.settlement.name}"


def suggest(*, hromada: Hromada, q: str, limit: int = 10) -> list[Suggestion]:
    try:
        parsed = parse(q)
    except AddressInvalid:
        return []
    prefix = f"{parsed.street} {parsed.house}".strip()
    rows = (
        AddressKey.objects.filter(hromada=hromada, key__startswith=prefix)
        .select_related("street__settlement", "building", "former")
        .order_by("building_id", "key")[: limit * 8]
    )
    seen: set[tuple[int, int | None]] = set()
    out: list[Suggestion] = []
    for row in rows:
        if parsed.house and row.building_id is None:
            continue
        ident = (row.street_id, row.building_id)
        if ident in seen:
            continue
        seen.add(ident)
        b = row.building
        out.append(
            Suggestion(
                kind="building" if b else "street",
                label=_label(row.street, b),
                former=f"{row.former.street_type} {row.former.name}" if row.former else "",
                street_id=str(row.street.public_id),
                building_id=str(b.public_id) if b else "",
                lat=b.lat if b else None,
                lon=b.lon if b else None,
                settlement=row.street.settlement.name,
            )
        )
        if len(out) >= limit:
            break
    return out


def find(*, hromada: Hromada, q: str) -> Suggestion:
    parsed = parse(q)  # AddressInvalid for text that is no address
    found = suggest(hromada=hromada, q=q, limit=10)
    if found and parsed.house and found[0].kind == "building":
        return found[0]
    if found and not parsed.house:
        return found[0]
    words = parsed.street.split()
    nearest = suggest(hromada=hromada, q=words[-1][:3], limit=5) if words else []
    raise AddressNotFound(found or nearest)
