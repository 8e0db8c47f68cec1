"""Reads for the registers' staff pages, always scoped to one hromada."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts import rules as account_rules
from hromada.core.modules import StaffCounter
from hromada.tenancy.models import Hromada

from .addresses import fold
from .models import Area, AreaKind, Building, ImportRun, Settlement, Street, StreetName, TerritoryRule

PLACES_PERMS = ("places.manage_areas", "places.manage_addresses", "places.manage_territories")


def may_view(user, hromada: Hromada) -> bool:
    return any(account_rules.has_perm(user, hromada, p) for p in PLACES_PERMS)


def may_areas(user, hromada: Hromada) -> bool:
    return account_rules.has_perm(user, hromada, "places.manage_areas")


def may_addresses(user, hromada: Hromada) -> bool:
    return account_rules.has_perm(user, hromada, "places.manage_addresses")


def may_territories(user, hromada: Hromada) -> bool:
    return account_rules.has_perm(user, hromada, "places.manage_territories")


def may_import(user, hromada: Hromada) -> bool:
    return may_addresses(user, hromada) or may_areas(user, hromada)


@dataclass(frozen=True)
class Counts:
    settlements: int
    settlements_without_okrug: int
    okrugs: int
    districts: int
    has_boundary: bool
    streets: int
    renamed_streets: int
    buildings: int
    imports_with_errors: int


def register_counts(*, hromada: Hromada) -> Counts:
    areas = dict(
        Area.objects.filter(hromada=hromada)
        .values_list("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return Counts(
        settlements=Settlement.objects.filter(hromada=hromada).count(),
        settlements_without_okrug=Settlement.objects.filter(hromada=hromada, okrug__isnull=True).count(),
        okrugs=areas.get(AreaKind.OKRUG, 0),
        districts=areas.get(AreaKind.DISTRICT, 0),
        has_boundary=bool(areas.get(AreaKind.BOUNDARY)),
        streets=Street.objects.filter(hromada=hromada).count(),
        renamed_streets=StreetName.objects.filter(hromada=hromada).values("street").distinct().count(),
        buildings=Building.objects.filter(hromada=hromada).count(),
        imports_with_errors=_imports_with_errors(hromada).count(),
    )


def settlement_list(*, hromada: Hromada) -> QuerySet[Settlement]:
    return (
        Settlement.objects.filter(hromada=hromada)
        .select_related("okrug")
        .annotate(n_streets=Count("streets"))
    )


def settlement_get(*, hromada: Hromada, katottg: str) -> Settlement | None:
    return Settlement.objects.filter(hromada=hromada, katottg=katottg).first()


def area_list(*, hromada: Hromada, kind: str) -> QuerySet[Area]:
    return (
        Area.objects.filter(hromada=hromada, kind=kind)
        .annotate(n_settlements=Count("settlements"))
        .order_by("name")
    )


def _uuid(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def area_get(*, hromada: Hromada, public_id, kind: str | None = None) -> Area | None:
    pk = _uuid(public_id)
    if pk is None:
        return None
    qs = Area.objects.filter(hromada=hromada, public_id=pk)
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.first()


def boundary_get(*, hromada: Hromada) -> Area | None:
    return Area.objects.filter(hromada=hromada, kind=AreaKind.BOUNDARY).first()


def street_list(
    *, hromada: Hromada, q: str = "", settlement: str = "", empty: bool = False
) -> QuerySet[Street]:
    """Streets by a part of their current or former name, in one settlement (КАТОТТГ)."""
    qs = Street.objects.filter(hromada=hromada).select_related("settlement")
    if settlement:
        qs = qs.filter(settlement__katottg=settlement)
    key = fold(q or "")[:100]
    if key:
        formers = StreetName.objects.filter(hromada=hromada, name_key__contains=key).values("street_id")
        qs = qs.filter(Q(name_key__contains=key) | Q(pk__in=formers))
    qs = qs.annotate(
        n_buildings=Count("buildings", distinct=True), n_former=Count("former_names", distinct=True)
    )
    if empty:
        qs = qs.filter(n_buildings=0)
    return qs.order_by("settlement__name", "name", "street_type")


def street_get(*, hromada: Hromada, public_id) -> Street | None:
    pk = _uuid(public_id)
    if pk is None:
        return None
    return Street.objects.filter(hromada=hromada, public_id=pk).select_related("settlement").first()


def building_get(*, hromada: Hromada, public_id) -> Building | None:
    pk = _uuid(public_id)
    if pk is None:
        return None
    return (
        Building.objects.filter(hromada=hromada, public_id=pk)
        .select_related("street", "street__settlement")
        .first()
    )


def import_list(*, hromada: Hromada) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(hromada=hromada).select_related("created_by").defer("content", "report")


def import_get(*, hromada: Hromada, public_id) -> ImportRun | None:
    pk = _uuid(public_id)
    if pk is None:
        return None
    return (
        ImportRun.objects.filter(hromada=hromada, public_id=pk)
        .select_related("created_by")
        .defer("content")
        .first()
    )


def _imports_with_errors(hromada: Hromada) -> QuerySet[ImportRun]:
    since = timezone.now() - dt.timedelta(days=30)
    return ImportRun.objects.filter(hromada=hromada, created_at__gte=since).filter(
        Q(status=ImportRun.Status.FAILED) | Q(rows_failed__gt=0)
    )


def staff_summary(*, hromada: Hromada, user) -> list[StaffCounter]:
    """The registers' figures on the staff home, for what `user` may act on."""
    out: list[StaffCounter] = []
    if may_import(user, hromada):
        failed = _imports_with_errors(hromada).order_by("-created_at")
        out.append(
            StaffCounter(
                _("Імпорти з помилками за 30 днів"),
                failed.count(),
                reverse("staff_places:imports"),
                overdue=True,
                items=tuple(
                    (f"{r.file_name}: {r.rows_failed}", reverse("staff_places:import", args=[r.public_id]))
                    for r in failed[:3]
                ),
            )
        )
    if may_addresses(user, hromada):
        empty = Street.objects.filter(hromada=hromada, buildings__isnull=True).count()
        out.append(
            StaffCounter(_("Вулиці без будинків"), empty, reverse("staff_places:streets") + "?empty=1")
        )
    if may_areas(user, hromada):
        without = Settlement.objects.filter(hromada=hromada, okrug__isnull=True, is_centre=False).count()
        if Area.objects.filter(hromada=hromada, kind=AreaKind.OKRUG).exists():
            out.append(
                StaffCounter(
                    _("Села поза старостинськими округами"), without, reverse("staff_places:settlements")
                )
            )
    return out


# --- service territories (staff_views_territories.py) ----------------------------------


def territory_get(*, hromada: Hromada, public_id) -> Area | None:
    pk = _uuid(public_id)
    if pk is None:
        return None
    return Area.objects.filter(hromada=hromada, kind=AreaKind.TERRITORY, public_id=pk).first()


def territory_list(*, hromada: Hromada, purpose: str = "") -> tuple[list[Area], list[str]]:
    """The territories (of one purpose, when given) with their rule counts, and every
    purpose in use, for the filter."""
    areas = Area.objects.filter(hromada=hromada, kind=AreaKind.TERRITORY)
    purposes = sorted(set(areas.values_list("purpose", flat=True)))
    if purpose:
        areas = areas.filter(purpose=purpose)
    listed = list(areas.annotate(rule_count=Count("rules")).order_by("purpose", "name"))
    return listed, purposes


def territory_rules(*, area: Area) -> list[tuple[TerritoryRule, str]]:
    """A territory's rules with their text, by street and then by the first house."""
    from . import territories

    rules = [
        (rule, territories.rule_text(rule))
        for rule in TerritoryRule.objects.filter(hromada=area.hromada, area=area).select_related(
            "street__settlement"
        )
    ]
    rules.sort(key=lambda r: (r[0].street.name_key, territories.house_order(r[0].from_house or "0")))
    return rules


def territory_rule_get(*, area: Area, rule_id: int) -> TerritoryRule | None:
    return (
        TerritoryRule.objects.filter(hromada=area.hromada, area=area, pk=rule_id)
        .select_related("street")
        .first()
    )


def settlements_of(*, hromada: Hromada, okrug: Area | None = None, codes=None) -> list[Settlement]:
    """The hromada's settlements: all, an okrug's, or those with these КАТОТТГ codes."""
    qs = Settlement.objects.filter(hromada=hromada)
    if okrug is not None:
        qs = qs.filter(okrug=okrug)
    if codes is not None:
        qs = qs.filter(katottg__in=list(codes))
    return list(qs)
