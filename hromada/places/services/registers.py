"""Writes to the registers: settlements from the codifier, areas, streets (and their
renaming), buildings. Each in one transaction with its ledger entry; the address index
is rebuilt for what changed in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from hromada.accounts import rules as account_rules
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import Hromada

from .. import geometry, katottg, search
from ..addresses import fold, house_key
from ..models import (
    EXCLUSIVE_KINDS,
    Area,
    AreaKind,
    Building,
    BuildingUse,
    Settlement,
    Street,
    StreetName,
    StreetType,
)
from ..translit import transliterate

NAME_MAX = 200


def _require(actor, hromada: Hromada, codename: str) -> None:
    """actor None is the install itself (a management command, the demo seed)."""
    if actor is not None and not account_rules.has_perm(actor, hromada, codename):
        raise PermissionDenied("forbidden", _("Недостатньо прав для зміни реєстрів громади."))


def bump_version(hromada: Hromada) -> None:
    """Tell every process that this hromada's areas changed (lookup caches)."""
    from ..geocode import areas_changed

    transaction.on_commit(lambda: areas_changed(hromada.pk))


def _unique_slug(model, hromada: Hromada, base: str, *, exclude_pk=None, **scope) -> str:
    base = (slugify(base) or "item")[:70]
    slug, n = base, 1
    qs = model.objects.filter(hromada=hromada, **scope)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    taken = set(qs.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- settlements -----------------------------------------------------------------


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    districts: int = 0
    missing: list[str] = field(default_factory=list)  # in the register, no longer in the codifier


def settlements_load(*, actor, hromada: Hromada) -> LoadReport:
    """The hromada's settlements (and a city's districts) from КАТОТТГ, chosen by the
    hromada's own code. Idempotent: names and categories are refreshed, nothing a
    hromada administrator set (okrug, point, population) is touched, and a settlement
    the codifier no longer lists is reported, not deleted (streets stand on it)."""
    _require(actor, hromada, "places.manage_areas")
    code = (hromada.katottg or "").strip().upper()
    entry = katottg.hromada_entry(code)
    if entry is None:
        raise DomainError(
            "katottg_unknown",
            _("Код КАТОТТГ %(code)s не є кодом територіальної громади в кодифікаторі.") % {"code": code},
            field="katottg",
        )
    children = katottg.hromada_children(code)
    report = LoadReport()
    with transaction.atomic():
        centre = next((c.code for c in children if c.category != katottg.DISTRICT_CATEGORY), None)
        # The centre moves only if the codifier lists another one first: clear the old
        # flag before setting the new one (one centre per hromada is a constraint).
        Settlement.objects.filter(hromada=hromada, is_centre=True).exclude(katottg=centre).update(
            is_centre=False
        )
        existing = {s.katottg: s for s in Settlement.objects.filter(hromada=hromada)}
        seen = set()
        first = True
        for child in children:
            if child.category == katottg.DISTRICT_CATEGORY:
                made = not Area.objects.filter(
                    hromada=hromada, kind=AreaKind.DISTRICT, name=child.name
                ).exists()
                if made:
                    Area.objects.create(
                        hromada=hromada,
                        kind=AreaKind.DISTRICT,
                        name=child.name,
                        name_en=transliterate(child.name),
                        slug=_unique_slug(Area, hromada, transliterate(child.name), kind=AreaKind.DISTRICT),
                    )
                report.districts += int(made)
                continue
            seen.add(child.code)
            is_centre = first
            first = False
            settlement = existing.get(child.code)
            if settlement is None:
                Settlement.objects.create(
                    hromada=hromada,
                    katottg=child.code,
                    category=child.category,
                    name=child.name,
                    name_en=transliterate(child.name),
                    slug=_unique_slug(Settlement, hromada, transliterate(child.name)),
                    is_centre=is_centre,
                )
                report.created += 1
                continue
            changed = {
                "category": child.category,
                "name": child.name,
                "name_en": transliterate(child.name),
                "is_centre": is_centre,
            }
            if any(getattr(settlement, k) != v for k, v in changed.items()):
                Settlement.objects.filter(pk=settlement.pk).update(**changed)
                report.updated += 1
            else:
                report.unchanged += 1
        report.missing = sorted(s.name for code_, s in existing.items() if code_ not in seen)
        ledger_append(
            hromada=hromada,
            kind="places.settlements_loaded",
            payload={
                "katottg": code,
                "source": katottg.version(),
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "districts": report.districts,
                "missing": report.missing,
            },
        )
    return report


def settlement_update(
    *,
    actor,
    settlement: Settlement,
    okrug: Area | None = None,
    lat: float | None = None,
    lon: float | None = None,
    population: int | None = None,
) -> Settlement:
    """What a hromada administrator sets on a settlement: its okrug, centre point, population."""
    hromada = settlement.hromada
    _require(actor, hromada, "places.manage_areas")
    if okrug is not None and (okrug.hromada_id != hromada.pk or okrug.kind != AreaKind.OKRUG):
        raise DomainError("okrug_invalid", _("Оберіть старостинський округ цієї громади."), field="okrug")
    if (lat is None) != (lon is None):
        raise DomainError("point_invalid", _("Вкажіть і широту, і довготу (або жодної)."), field="lat")
    if lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        # The database refuses it too (a check constraint): say why instead of failing.
        raise DomainError(
            "point_invalid",
            _("Координати поза межами: широта від −90 до 90, довгота від −180 до 180."),
            field="lat",
        )
    if population is not None and population < 0:
        raise DomainError("population_invalid", _("Населення не може бути від'ємним."), field="population")
    with transaction.atomic():
        settlement.okrug = okrug
        settlement.lat, settlement.lon, settlement.population = lat, lon, population
        settlement.save(update_fields=["okrug", "lat", "lon", "population", "updated_at"])
        ledger_append(
            hromada=hromada,
            kind="places.settlement_updated",
            payload={
                "katottg": settlement.katottg,
                "name": settlement.name,
                "okrug": okrug.name if okrug else None,
                "point": [lat, lon] if lat is not None else None,
                "population": population,
            },
        )
    return settlement


# --- areas -----------------------------------------------------------------------


def area_check(
    *, hromada: Hromada, kind: str, geometry_value: Any, purpose: str = "", exclude_pk=None
) -> dict | None:
    """Validated, normalised GeoJSON (or None for no geometry). Refuses invalid geometry
    and an overlap with a neighbour of the same exclusive kind, naming the neighbour."""
    if geometry_value in (None, "", {}):
        if kind == AreaKind.BOUNDARY or kind == AreaKind.DISTRICT or kind == AreaKind.ZONE:
            raise geometry.GeometryInvalid(_("Намалюйте або завантажте межі цієї території."))
        return None
    geom = geometry.polygon_from_geojson(geometry_value)
    if kind in EXCLUSIVE_KINDS:
        neighbours = Area.objects.filter(hromada=hromada, kind=kind, geometry__isnull=False)
        if exclude_pk is not None:
            neighbours = neighbours.exclude(pk=exclude_pk)
        box = geometry.bbox_of(geom)
        neighbours = neighbours.filter(
            min_lon__lte=box.max_lon,
            max_lon__gte=box.min_lon,
            min_lat__lte=box.max_lat,
            max_lat__gte=box.min_lat,
        )
        for other in neighbours:
            share = geometry.overlap_share(geom, geometry.polygon_from_geojson(other.geometry))
            if share > geometry.OVERLAP_TOLERANCE:
                raise geometry.GeometryInvalid(
                    _(
                        "Ділянка накладається на сусідню «%(name)s» (%(share)s%% меншої з них). Сусідні території можуть лише торкатися."
                    )
                    % {"name": other.name, "share": f"{share * 100:.1f}".replace(".", ",")}
                )
    return geometry.to_geojson(geom)


def area_save(
    *,
    actor,
    hromada: Hromada,
    kind: str,
    name: str,
    geometry_value: Any = None,
    area: Area | None = None,
    purpose: str = "",
    name_en: str = "",
    description: str = "",
    settlements: list[Settlement] | None = None,
    **contacts: str,
) -> Area:
    """Create or change an area. For an okrug, `settlements` (when given) become its
    villages. Contacts: head_name, head_title, phone, email, office_address, office_hours."""
    if kind not in AreaKind.values:
        raise DomainError("area_kind_invalid", _("Невідомий вид території."), field="kind")
    codename = "places.manage_areas" if kind in EXCLUSIVE_KINDS else "places.manage_territories"
    _require(actor, hromada, codename)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Вкажіть назву території."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(
            "name_too_long", _("Назва задовга (до %(n)s символів).") % {"n": NAME_MAX}, field="name"
        )
    if area is not None and (area.hromada_id != hromada.pk):
        raise PermissionDenied("forbidden", _("Ця територія належить іншій громаді."))
    if area is not None and area.kind != kind:
        raise DomainError("area_kind_invalid", _("Вид наявної території змінити не можна."), field="kind")
    if (
        area is None
        and kind == AreaKind.BOUNDARY
        and Area.objects.filter(hromada=hromada, kind=kind).exists()
    ):
        # One boundary per hromada (a constraint): a second one is a change of the first.
        raise DomainError("boundary_exists", _("Межу громади вже задано: змініть її, а не додавайте другу."))
    allowed = {"head_name", "head_title", "phone", "email", "office_address", "office_hours"}
    unknown = set(contacts) - allowed
    if unknown:
        raise TypeError(f"unknown area fields: {sorted(unknown)}")
    for key, val in contacts.items():
        # PostgreSQL refuses an over-long value with an error: say which field and why.
        limit = Area._meta.get_field(key).max_length
        if limit and len((val or "").strip()) > limit:
            raise DomainError(
                "field_too_long",
                _("Поле «%(f)s» задовге (до %(n)s символів).")
                % {"f": Area._meta.get_field(key).verbose_name, "n": limit},
                field=key,
            )
    if (contacts.get("email") or "").strip():
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(contacts["email"].strip())
        except ValidationError:
            raise DomainError(
                "email_invalid", _("Адреса електронної пошти має вигляд name@example.com."), field="email"
            ) from None
    if len(purpose) > 60:
        raise DomainError(
            "purpose_invalid", _("Позначка «для чого» задовга (до 60 символів)."), field="purpose"
        )
    value = area_check(
        hromada=hromada,
        kind=kind,
        geometry_value=geometry_value,
        purpose=purpose,
        exclude_pk=area.pk if area else None,
    )
    if settlements is not None and kind != AreaKind.OKRUG:
        raise DomainError(
            "settlements_only_okrug", _("Населені пункти входять лише до старостинського округу.")
        )
    for s in settlements or ():
        if s.hromada_id != hromada.pk:
            raise DomainError(
                "settlement_invalid", _("Населений пункт «%(name)s» не належить громаді.") % {"name": s.name}
            )
    with transaction.atomic():
        created = area is None
        if area is None:
            area = Area(hromada=hromada, kind=kind, purpose=purpose)
            area.slug = _unique_slug(Area, hromada, transliterate(name), kind=kind, purpose=purpose)
        area.name, area.name_en, area.description = name, name_en or transliterate(name), description
        for key, val in contacts.items():
            setattr(area, key, (val or "").strip())
        area.geometry = value
        if value is None:
            area.min_lon = area.min_lat = area.max_lon = area.max_lat = None
        else:
            box = geometry.bbox_of(geometry.polygon_from_geojson(value))
            area.min_lon, area.min_lat, area.max_lon, area.max_lat = (
                box.min_lon,
                box.min_lat,
                box.max_lon,
                box.max_lat,
            )
        area.save()
        if settlements is not None:
            Settlement.objects.filter(hromada=hromada, okrug=area).exclude(
                pk__in=[s.pk for s in settlements]
            ).update(okrug=None)
            Settlement.objects.filter(pk__in=[s.pk for s in settlements]).update(okrug=area)
        ledger_append(
            hromada=hromada,
            kind="places.area_saved",
            payload={
                "area": str(area.public_id),
                "kind": kind,
                "purpose": purpose,
                "name": name,
                "created": created,
                "settlements": sorted(s.katottg for s in settlements) if settlements is not None else None,
                "bbox": [area.min_lon, area.min_lat, area.max_lon, area.max_lat] if value else None,
            },
        )
        bump_version(hromada)
    return area


def area_delete(*, actor, area: Area) -> None:
    hromada = area.hromada
    _require(
        actor, hromada, "places.manage_areas" if area.kind in EXCLUSIVE_KINDS else "places.manage_territories"
    )
    with transaction.atomic():
        ledger_append(
            hromada=hromada,
            kind="places.area_deleted",
            payload={"area": str(area.public_id), "kind": area.kind, "name": area.name},
        )
        area.delete()
        bump_version(hromada)


# --- streets and buildings -------------------------------------------------------


def _street_type(value: str) -> str:
    from ..addresses import _TYPE_OF

    value = fold(value or "").rstrip(".")
    canonical = _TYPE_OF.get(value, value) if value else StreetType.STREET
    if canonical not in StreetType.values:
        raise DomainError(
            "street_type_invalid",
            _("Невідомий тип вулиці «%(type)s». Можна: %(types)s.")
            % {"type": value, "types": ", ".join(StreetType.values)},
            field="street_type",
        )
    return canonical


def _clean_name(value: str, field_name: str = "name") -> str:
    name = " ".join((value or "").replace("’", "'").replace("ʼ", "'").split())
    name = name.replace("'", "’")  # the register writes the Ukrainian apostrophe
    if not name or not any(ch.isalpha() for ch in name):
        raise DomainError("name_required", _("Вкажіть назву вулиці."), field=field_name)
    if len(name) > NAME_MAX:
        raise DomainError(
            "name_too_long", _("Назва задовга (до %(n)s символів).") % {"n": NAME_MAX}, field=field_name
        )
    return name


def _clean_url(value: str) -> str:
    """A decision's link: http(s) only (it is shown as a link; "javascript:" is not one)."""
    from django.core.exceptions import ValidationError
    from django.core.validators import URLValidator

    value = (value or "").strip()
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise DomainError(
            "decision_url_invalid",
            _("Посилання на рішення має бути адресою вебсторінки (https://…), а не «%(v)s».")
            % {"v": value[:80]},
            field="decision_url",
        ) from None
    if len(value) > 200:
        raise DomainError(
            "decision_url_invalid", _("Посилання на рішення задовге (до 200 символів)."), field="decision_url"
        )
    return value


def street_save(
    *,
    actor,
    hromada: Hromada,
    settlement: Settlement,
    name: str,
    street_type: str = StreetType.STREET,
    street: Street | None = None,
    osm_id: str = "",
    geometry_value: dict | None = None,
    ledger: bool = True,
    index: bool = True,
) -> Street:
    """Create a street or correct its current name (a correction; a renaming by a council
    decision is street_rename, which keeps the former name)."""
    _require(actor, hromada, "places.manage_addresses")
    if settlement.hromada_id != hromada.pk:
        raise DomainError("settlement_invalid", _("Населений пункт не належить громаді."), field="settlement")
    if street is not None and street.hromada_id != hromada.pk:
        raise PermissionDenied("forbidden", _("Ця вулиця належить іншій громаді."))
    name = _clean_name(name)
    kind = _street_type(street_type)
    clash = Street.objects.filter(settlement=settlement, street_type=kind, name_key=fold(name))
    if street is not None:
        clash = clash.exclude(pk=street.pk)
    if clash.exists():
        raise DomainError(
            "street_exists",
            _("У населеному пункті «%(place)s» вже є %(type)s %(name)s.")
            % {"place": settlement.name, "type": kind, "name": name},
            field="name",
        )
    with transaction.atomic():
        created = street is None
        street = street or Street(hromada=hromada)
        street.settlement, street.street_type, street.name = settlement, kind, name
        street.name_en, street.name_key = transliterate(name), fold(name)
        street.osm_id = osm_id or street.osm_id
        if geometry_value is not None:
            street.geometry = geometry_value
        street.save()
        if not created:  # corrected to one of its former names: that name is current again
            StreetName.objects.filter(street=street, street_type=kind, name_key=street.name_key).delete()
        if index:  # an import reindexes each street it touched once, at its end
            search.index_street(street)
        if ledger:
            ledger_append(
                hromada=hromada,
                kind="places.street_saved",
                payload={
                    "street": str(street.public_id),
                    "settlement": settlement.katottg,
                    "type": kind,
                    "name": name,
                    "created": created,
                },
            )
    return street


def street_rename(
    *,
    actor,
    street: Street,
    name: str,
    street_type: str | None = None,
    renamed_on: dt.date | None = None,
    decision: str = "",
    decision_url: str = "",
) -> Street:
    """Rename a street by a council decision: the old name becomes a former name (with
    the date and the decision), and stays findable."""
    hromada = street.hromada
    _require(actor, hromada, "places.manage_addresses")
    new_name = _clean_name(name)
    new_type = _street_type(street_type) if street_type else street.street_type
    if fold(new_name) == street.name_key and new_type == street.street_type:
        raise DomainError("rename_same", _("Нова назва збігається з теперішньою."), field="name")
    decision_url = _clean_url(decision_url)
    if (
        Street.objects.filter(settlement=street.settlement, street_type=new_type, name_key=fold(new_name))
        .exclude(pk=street.pk)
        .exists()
    ):
        raise DomainError(
            "street_exists", _("Вулиця з такою назвою вже є в цьому населеному пункті."), field="name"
        )
    with transaction.atomic():
        StreetName.objects.update_or_create(
            hromada=hromada,
            street=street,
            street_type=street.street_type,
            name_key=street.name_key,
            defaults={
                "name": street.name,
                "renamed_on": renamed_on,
                "decision": decision.strip()[:300],
                "decision_url": decision_url,
            },
        )
        # A street renamed back to a former name: that name is current again.
        StreetName.objects.filter(street=street, street_type=new_type, name_key=fold(new_name)).delete()
        old = f"{street.street_type} {street.name}"
        street.street_type, street.name = new_type, new_name
        street.name_en, street.name_key = transliterate(new_name), fold(new_name)
        street.save()
        search.index_street(street)
        ledger_append(
            hromada=hromada,
            kind="places.street_renamed",
            payload={
                "street": str(street.public_id),
                "from": old,
                "to": f"{new_type} {new_name}",
                "renamed_on": renamed_on.isoformat() if renamed_on else None,
                "decision": decision.strip()[:300],
            },
        )
    return street


def former_name_add(
    *,
    actor,
    street: Street,
    name: str,
    street_type: str = "",
    renamed_on: dt.date | None = None,
    decision: str = "",
    decision_url: str = "",
    ledger: bool = True,
    index: bool = True,
) -> StreetName:
    """Record a former name of a street renamed before the register existed."""
    hromada = street.hromada
    _require(actor, hromada, "places.manage_addresses")
    clean = _clean_name(name)
    kind = _street_type(street_type) if street_type else street.street_type
    if fold(clean) == street.name_key and kind == street.street_type:
        raise DomainError("rename_same", _("Колишня назва збігається з теперішньою."), field="name")
    decision_url = _clean_url(decision_url)
    with transaction.atomic():
        former, _created = StreetName.objects.update_or_create(
            hromada=hromada,
            street=street,
            street_type=kind,
            name_key=fold(clean),
            defaults={
                "name": clean,
                "renamed_on": renamed_on,
                "decision": decision.strip()[:300],
                "decision_url": decision_url,
            },
        )
        if index:
            search.index_street(street)
        if ledger:
            ledger_append(
                hromada=hromada,
                kind="places.street_renamed",
                payload={
                    "street": str(street.public_id),
                    "from": f"{kind} {clean}",
                    "to": f"{street.street_type} {street.name}",
                    "renamed_on": renamed_on.isoformat() if renamed_on else None,
                    "decision": decision.strip()[:300],
                },
            )
    return former


@dataclass
class BuildingData:
    number: str
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    floors: int | None = None
    year_built: int | None = None
    use: str = ""
    attributes: dict = field(default_factory=dict)
    osm_id: str = ""


def building_check(data: BuildingData) -> tuple[str, list[tuple[str, str]]]:
    """The house key and the problems with the data, as (field, message) pairs."""
    problems: list[tuple[str, str]] = []
    key = house_key(data.number or "")
    if not key:
        problems.append(
            (
                "number",
                str(
                    _("Номер будинку «%(n)s» не схожий на номер (напр. 12, 12А, 12/2, 12 корп. 3).")
                    % {"n": data.number}
                ),
            )
        )
    if data.postcode and not (len(data.postcode) == 5 and data.postcode.isdigit()):
        problems.append(
            ("postcode", str(_("Поштовий індекс — п'ять цифр, а не «%(v)s».") % {"v": data.postcode}))
        )
    if (data.lat is None) != (data.lon is None):
        problems.append(("lat", str(_("Вкажіть і широту, і довготу."))))
    elif data.lat is not None and data.lon is not None:
        if not (-90 <= data.lat <= 90 and -180 <= data.lon <= 180):
            problems.append(
                ("lat", str(_("Координати поза межами: широта від −90 до 90, довгота від −180 до 180.")))
            )
    if data.floors is not None and not (1 <= data.floors <= 200):
        problems.append(("floors", str(_("Поверхів має бути від 1 до 200."))))
    if data.year_built is not None and not (1000 <= data.year_built <= dt.date.today().year + 5):
        problems.append(("year_built", str(_("Рік побудови «%(y)s» неможливий.") % {"y": data.year_built})))
    if data.use and data.use not in BuildingUse.values:
        problems.append(
            (
                "use",
                str(
                    _("Невідоме призначення «%(v)s». Можна: %(all)s.")
                    % {"v": data.use, "all": ", ".join(BuildingUse.values)}
                ),
            )
        )
    return key, problems


def building_save(
    *,
    actor,
    street: Street,
    data: BuildingData,
    building: Building | None = None,
    ledger: bool = True,
    index: bool = True,
) -> tuple[Building, bool]:
    """Create or update a building of a street (matched by its house key). Returns
    (building, created)."""
    hromada = street.hromada
    _require(actor, hromada, "places.manage_addresses")
    if building is not None and building.hromada_id != hromada.pk:
        raise PermissionDenied("forbidden", _("Цей будинок належить іншій громаді."))
    key, problems = building_check(data)
    if problems:
        field_name, message = problems[0]
        raise DomainError("building_invalid", "; ".join(m for _f, m in problems), field=field_name)
    with transaction.atomic():
        if building is None:
            # order_by("pk"): the model's ordering would join the street for nothing.
            building = Building.objects.filter(street=street, house_key=key).order_by("pk").first()
        created = building is None
        building = building or Building(hromada=hromada, street=street)
        if (
            not created
            and building.house_key != key
            and Building.objects.filter(street=street, house_key=key).exclude(pk=building.pk).exists()
        ):
            raise DomainError(
                "building_exists",
                _("На цій вулиці вже є будинок %(n)s.") % {"n": data.number},
                field="number",
            )
        building.street = street
        building.number = (
            " ".join(data.number.split()).upper()
            if data.number.strip()[-1:].isalpha() and len(data.number) <= 6
            else " ".join(data.number.split())
        )
        building.house_key = key
        building.postcode, building.lat, building.lon = data.postcode, data.lat, data.lon
        building.floors, building.year_built, building.use = data.floors, data.year_built, data.use
        building.attributes = data.attributes or {}
        building.osm_id = data.osm_id or building.osm_id
        building.save()
        if index:
            search.index_street(street)
        if ledger:
            ledger_append(
                hromada=hromada,
                kind="places.building_saved",
                payload={
                    "building": str(building.public_id),
                    "street": str(street.public_id),
                    "number": building.number,
                    "created": created,
                },
            )
    return building, created


def building_delete(*, actor, building: Building) -> None:
    hromada = building.hromada
    _require(actor, hromada, "places.manage_addresses")
    with transaction.atomic():
        ledger_append(
            hromada=hromada,
            kind="places.building_deleted",
            payload={
                "building": str(building.public_id),
                "street": str(building.street.public_id),
                "number": building.number,
            },
        )
        street = building.street
        building.delete()
        search.index_street(street)
