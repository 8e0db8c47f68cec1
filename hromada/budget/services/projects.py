"""Projects: drafts, edits before review, submission with a number, withdrawal, files.

Every problem in a project's content is reported at once (`ProjectInvalid.errors`, each
with its field) so a person fixes the whole form in one go; drafts are checked gently
(limits), submission strictly (completeness, the estimate within the category's range)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts import rules as account_rules
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.uploads import MB, check_upload
from hromada.ledger.services import ledger_append

from .. import rules
from ..models import (
    ALT_TEXT_MAX,
    EDITABLE_STATUSES,
    TEXT_MAX,
    TITLE_MAX,
    Category,
    CoAuthor,
    CostLine,
    Cycle,
    Project,
    ProjectFile,
    ProjectStatus,
)
from ..tally import format_uah

TITLE_MIN = 5
SUMMARY_MAX = 500
MAX_COST_LINES = 50
MAX_FILES = 10
FILE_MAX_BYTES = 5 * MB
FILE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
TEXT_FIELDS = ("title", "summary", "description", "problem", "beneficiaries")
EDITABLE_FIELDS = (
    *TEXT_FIELDS,
    "category",
    "cost_lines",
    "address",
    "lat",
    "lon",
    "area_geojson",
    "cofunding_amount",
    "cofunding_partner",
    "author_name",
)


class ProjectInvalid(DomainError):
    """Every problem found; code/message/field are the first one's (the API's answer)."""

    def __init__(self, errors: list[DomainError]) -> None:
        first = errors[0]
        super().__init__(first.code, first.message, field=first.field, status=first.status)
        self.errors = errors


@dataclass
class CostLineData:
    """One line of the estimate as typed: the amount is quantity × unit price, rounded
    to whole hryvnias."""

    item: str
    quantity: Any
    unit: str
    unit_price: int

    @property
    def amount(self) -> int:
        return int((Decimal(str(self.quantity)) * int(self.unit_price)).quantize(Decimal(1), ROUND_HALF_UP))


def author_display_name(user) -> str:
    identity = account_rules.identity_in(user, hromada=None)
    if identity is not None:
        return identity.public_name_full
    return user.display_name or user.email.split("@")[0]


def is_editor(user, project: Project) -> bool:
    """The author or an accepted co-author."""
    if user is None or not user.is_authenticated:
        return False
    if project.author_id == user.pk:
        return True
    return CoAuthor.objects.filter(project=project, user=user, accepted_at__isnull=False).exists()


def _forbidden() -> PermissionDenied:
    return PermissionDenied("forbidden", _("Змінювати проєкт можуть лише його автор і співавтори."))


def _clean(text: Any) -> str:
    return str(text or "").replace("\r\n", "\n").strip()


def _lines(raw: Any, errors: list[DomainError]) -> list[CostLineData]:
    lines: list[CostLineData] = []
    for n, line in enumerate(raw or [], start=1):
        if isinstance(line, dict):
            line = CostLineData(
                item=line.get("item", ""),
                quantity=line.get("quantity", 0),
                unit=line.get("unit", ""),
                unit_price=line.get("unit_price", 0),
            )
        item = _clean(line.item)[:TITLE_MAX]
        try:
            quantity = Decimal(str(line.quantity)).quantize(Decimal("0.01"))
            price = int(line.unit_price)
        except (InvalidOperation, ValueError, TypeError):
            errors.append(
                DomainError(
                    "cost_line_invalid",
                    _("Рядок кошторису %(n)d: кількість і ціна мають бути числами.") % {"n": n},
                    field="cost_lines",
                )
            )
            continue
        if not item:
            errors.append(
                DomainError(
                    "cost_line_invalid",
                    _("Рядок кошторису %(n)d: вкажіть, що саме купується чи робиться.") % {"n": n},
                    field="cost_lines",
                )
            )
        if quantity <= 0 or quantity >= Decimal("100000000") or price < 0 or price > 10**12:
            errors.append(
                DomainError(
                    "cost_line_invalid",
                    _("Рядок кошторису %(n)d: кількість має бути більшою за нуль, ціна — не від'ємною.")
                    % {"n": n},
                    field="cost_lines",
                )
            )
            continue
        lines.append(
            CostLineData(item=item, quantity=quantity, unit=_clean(line.unit)[:30], unit_price=price)
        )
    if len(lines) > MAX_COST_LINES:
        errors.append(
            DomainError(
                "too_many_cost_lines",
                _("У кошторисі може бути не більше %(n)d рядків.") % {"n": MAX_COST_LINES},
                field="cost_lines",
            )
        )
    return lines


def _check(values: dict, *, cycle: Cycle, strict: bool) -> tuple[dict, list[CostLineData]]:
    """The cleaned values and cost lines, or ProjectInvalid with every problem."""
    errors: list[DomainError] = []
    clean: dict[str, Any] = {}
    limits = {"title": TITLE_MAX, "summary": SUMMARY_MAX}
    required = {
        "title": _("Вкажіть назву проєкту."),
        "summary": _("Опишіть проєкт коротко, одним-двома реченнями."),
        "description": _("Опишіть проєкт: що саме буде зроблено."),
        "problem": _("Опишіть проблему, яку розв'яже проєкт."),
        "beneficiaries": _("Укажіть, хто отримає користь від проєкту."),
    }
    for name in TEXT_FIELDS:
        text = _clean(values.get(name, ""))
        clean[name] = text
        limit = limits.get(name, TEXT_MAX)
        if len(text) > limit:
            errors.append(
                DomainError(
                    "text_too_long",
                    _("Задовго: до %(n)d символів, зараз %(m)d.") % {"n": limit, "m": len(text)},
                    field=name,
                )
            )
        elif not text and (strict or name == "title"):
            errors.append(DomainError(f"{name}_required", required[name], field=name))
    if strict and clean["title"] and len(clean["title"]) < TITLE_MIN:
        errors.append(
            DomainError(
                "title_too_short",
                _("Назва закоротка: щонайменше %(n)d символів.") % {"n": TITLE_MIN},
                field="title",
            )
        )
    category = values.get("category")
    if not isinstance(category, Category) or category.cycle_id != cycle.pk:
        errors.append(DomainError("category_required", _("Оберіть категорію проєкту."), field="category"))
        category = None
    clean["category"] = category
    lines = _lines(values.get("cost_lines"), errors)
    total = sum(line.amount for line in lines)
    if strict and category is not None and not any(e.field == "cost_lines" for e in errors):
        if not lines or total <= 0:
            errors.append(
                DomainError(
                    "estimate_required",
                    _("Додайте кошторис: хоча б один рядок із кількістю і ціною."),
                    field="cost_lines",
                )
            )
        elif total < category.min_cost or total > category.max_cost:
            errors.append(
                DomainError(
                    "cost_out_of_range",
                    _(
                        "Вартість проєкту — %(cost)s, а в категорії «%(cat)s» проєкт має коштувати від "
                        "%(min)s до %(max)s."
                    )
                    % {
                        "cost": format_uah(total),
                        "cat": category.title,
                        "min": format_uah(int(category.min_cost)),
                        "max": format_uah(int(category.max_cost)),
                    },
                    field="cost_lines",
                )
            )
    address = _clean(values.get("address", ""))[:300]
    clean["address"] = address
    lat, lon = values.get("lat"), values.get("lon")
    if (lat is None) != (lon is None):
        errors.append(DomainError("point_invalid", _("Вкажіть і широту, і довготу точки."), field="lat"))
        lat = lon = None
    elif lat is not None:
        try:
            lat, lon = float(str(lat)), float(str(lon))
        except (TypeError, ValueError):
            lat = lon = None
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(
                DomainError("point_invalid", _("Точка на карті має неправильні координати."), field="lat")
            )
            lat = lon = None
    clean["lat"], clean["lon"] = lat, lon
    area = values.get("area_geojson")
    if area in ("", None):
        area = None
    elif not _polygon_ok(area):
        errors.append(
            DomainError(
                "area_invalid",
                _("Межа ділянки має бути багатокутником (GeoJSON Polygon)."),
                field="area_geojson",
            )
        )
        area = None
    clean["area_geojson"] = area
    try:
        cofunding = int(values.get("cofunding_amount") or 0)
    except (TypeError, ValueError):
        cofunding = -1
    partner = _clean(values.get("cofunding_partner", ""))[:TITLE_MAX]
    if cofunding < 0:
        errors.append(
            DomainError(
                "cofunding_invalid",
                _("Сума співфінансування — ціле число гривень."),
                field="cofunding_amount",
            )
        )
        cofunding = 0
    elif cofunding > 0 and not partner:
        errors.append(
            DomainError(
                "cofunding_partner_required",
                _("Укажіть, хто співфінансує проєкт."),
                field="cofunding_partner",
            )
        )
    clean["cofunding_amount"], clean["cofunding_partner"] = cofunding, partner
    if strict and not (lat is not None or area is not None or address):
        errors.append(
            DomainError(
                "location_required",
                _("Укажіть місце проєкту: адресу, точку чи ділянку на карті."),
                field="address",
            )
        )
    if errors:
        raise ProjectInvalid(errors)
    return clean, lines


def _polygon_ok(value: Any) -> bool:
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        return False
    coordinates = value.get("coordinates")
    return isinstance(coordinates, list) and bool(coordinates)


def _first_point(area: dict) -> tuple[float, float] | None:
    """A point of the area (its first ring's mean) to ask `where` about."""
    try:
        ring = area["coordinates"][0] if area["type"] == "Polygon" else area["coordinates"][0][0]
        points = ring[:-1] or ring
        return (sum(p[1] for p in points) / len(points), sum(p[0] for p in points) / len(points))
    except (KeyError, IndexError, TypeError, ZeroDivisionError):
        return None


def _place_area(cycle: Cycle, lat: float | None, lon: float | None, area: dict | None):
    """The district or okrug of the location; refuses a point outside the hromada."""
    from hromada.places import selectors as places

    if lat is None and area is not None:
        found = _first_point(area)
        if found is not None:
            lat, lon = found
    if lat is None or lon is None:
        return None
    whereabouts = places.where(hromada=cycle.hromada, lat=lat, lon=lon)
    if whereabouts.inside_hromada is False and places.boundary(hromada=cycle.hromada) is not None:
        raise ProjectInvalid(
            [
                DomainError(
                    "location_outside",
                    _("Місце проєкту поза межами громади: %(why)s") % {"why": whereabouts.reason},
                    field="lat",
                )
            ]
        )
    return whereabouts.district or whereabouts.okrug


def _write_lines(project: Project, lines: list[CostLineData]) -> int:
    CostLine.objects.filter(project=project).delete()
    CostLine.objects.bulk_create(
        CostLine(
            hromada_id=project.hromada_id,
            project=project,
            order=n,
            item=line.item,
            quantity=line.quantity,
            unit=line.unit,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for n, line in enumerate(lines)
    )
    return sum(line.amount for line in lines)


def project_check(*, cycle: Cycle, strict: bool = True, **values) -> None:
    """Every problem of the typed project at once (ProjectInvalid), saving nothing: the
    form asks before a submission so a person sees all of them, not the draft's few."""
    _check(values, cycle=cycle, strict=strict)
    _place_area(cycle, values.get("lat"), values.get("lon"), values.get("area_geojson"))


def project_create(
    *,
    cycle: Cycle,
    author,
    category: Category | None,
    title: str,
    summary: str,
    description: str,
    problem: str,
    beneficiaries: str,
    cost_lines: list,
    address: str = "",
    lat: float | None = None,
    lon: float | None = None,
    area_geojson: dict | None = None,
    cofunding_amount: int = 0,
    cofunding_partner: str = "",
    author_name: str | None = None,
) -> Project:
    """A draft (seen only by its authors) while ideas are being collected."""
    if author is None or not author.is_authenticated:
        raise DomainError("login_required", _("Увійдіть, щоб подати проєкт."), status=401)
    refusal = rules.submission_phase_refusal(cycle)
    if refusal is not None:
        raise refusal
    clean, lines = _check(
        {
            "category": category,
            "title": title,
            "summary": summary,
            "description": description,
            "problem": problem,
            "beneficiaries": beneficiaries,
            "cost_lines": cost_lines,
            "address": address,
            "lat": lat,
            "lon": lon,
            "area_geojson": area_geojson,
            "cofunding_amount": cofunding_amount,
            "cofunding_partner": cofunding_partner,
        },
        cycle=cycle,
        strict=False,
    )
    place_area = _place_area(cycle, clean["lat"], clean["lon"], clean["area_geojson"])
    with transaction.atomic():
        project = Project.objects.create(
            hromada=cycle.hromada,
            cycle=cycle,
            author=author,
            author_name=(_clean(author_name) or author_display_name(author))[:200],
            place_area=place_area,
            **clean,
        )
        total = _write_lines(project, lines)
        if total:
            Project.objects.filter(pk=project.pk).update(cost=total)
            project.cost = total
    return project


def project_update(*, project: Project, actor, revision: int, **fields) -> Project:
    """Change what the authors wrote, while the project is a draft or submitted (not yet
    under review). `revision` is the one the editor read: another edit meanwhile is a
    409 `project_changed` (the form keeps what was typed)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError("field_unknown", _("Невідоме поле: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if not is_editor(actor, project):
        raise _forbidden()
    if project.status not in EDITABLE_STATUSES:
        raise _not_editable()
    current = {name: getattr(project, name) for name in EDITABLE_FIELDS if name not in ("cost_lines",)}
    current["cost_lines"] = [
        CostLineData(line.item, line.quantity, line.unit, line.unit_price)
        for line in project.cost_lines.order_by("order", "id")
    ]
    values = {**current, **fields}
    clean, lines = _check(values, cycle=project.cycle, strict=project.status != ProjectStatus.DRAFT)
    place_area = _place_area(project.cycle, clean["lat"], clean["lon"], clean["area_geojson"])
    name = _clean(values.get("author_name")) or project.author_name
    with transaction.atomic():
        changed = Project.objects.filter(
            pk=project.pk, revision=revision, status__in=EDITABLE_STATUSES
        ).update(
            **clean,
            place_area=place_area,
            author_name=name[:200],
            revision=F("revision") + 1,
            updated_at=timezone.now(),
        )
        if not changed:
            project.refresh_from_db()
            if project.status not in EDITABLE_STATUSES:
                raise _not_editable()
            raise DomainError(
                "project_changed",
                _(
                    "Проєкт щойно змінив інший автор. Перегляньте зміни й збережіть ще раз — ваш текст у формі."
                ),
                status=409,
            )
        if "cost_lines" in fields:
            total = _write_lines(project, lines)
            Project.objects.filter(pk=project.pk).update(cost=total)
    project.refresh_from_db()
    return project


def _not_editable() -> DomainError:
    return DomainError(
        "not_editable", _("Проєкт уже на експертизі чи розглянутий: змінити його не можна."), status=409
    )


def _submitted_by(author, cycle: Cycle) -> int:
    return (
        Project.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle, author=author)
        .exclude(status__in=[ProjectStatus.DRAFT, ProjectStatus.WITHDRAWN])
        .count()
    )


def project_submit(*, project: Project, actor) -> Project:
    """A draft becomes public with the cycle's next number (ledgered)."""
    cycle = project.cycle
    if project.author_id != getattr(actor, "pk", None):
        raise PermissionDenied("forbidden", _("Подати проєкт може лише його автор."))
    if project.status != ProjectStatus.DRAFT:
        raise DomainError("already_submitted", _("Цей проєкт уже подано."), status=409)
    refusal = rules.submission_phase_refusal(cycle)
    if refusal is not None:
        raise refusal
    refusal, _standing = rules.participant_refusal(actor, cycle, purpose="submit")
    if refusal is not None:
        raise refusal
    lines = list(project.cost_lines.order_by("order", "id"))
    values = {name: getattr(project, name) for name in EDITABLE_FIELDS if name != "cost_lines"}
    values["cost_lines"] = [CostLineData(x.item, x.quantity, x.unit, x.unit_price) for x in lines]
    _check(values, cycle=cycle, strict=True)
    with transaction.atomic():
        locked = Cycle.objects.select_for_update().get(pk=cycle.pk)
        if _submitted_by(actor, cycle) >= locked.max_projects_per_author:
            raise DomainError(
                "too_many_projects",
                _("В одному циклі одна особа може подати не більше %(n)d проєктів.")
                % {"n": locked.max_projects_per_author},
                status=409,
            )
        number = locked.next_project_number
        Cycle.objects.filter(pk=cycle.pk).update(next_project_number=F("next_project_number") + 1)
        now = timezone.now()
        changed = Project.objects.filter(pk=project.pk, status=ProjectStatus.DRAFT).update(
            status=ProjectStatus.SUBMITTED, number=number, submitted_at=now, updated_at=now
        )
        if not changed:
            raise DomainError("already_submitted", _("Цей проєкт уже подано."), status=409)
        project.refresh_from_db()
        ledger_append(
            hromada=cycle.hromada,
            kind="budget.project_submitted",
            payload={
                "cycle": str(cycle.public_id),
                "project": str(project.public_id),
                "number": number,
                "category": str(project.category.public_id),
                "title": project.title,
                "cost": int(project.cost),
            },
        )
    return project


def project_withdraw(*, project: Project, actor) -> Project:
    """The author takes a submitted project back before review (it stays on the record
    as withdrawn); a draft is simply deleted (see project_draft_delete)."""
    if project.author_id != getattr(actor, "pk", None):
        raise PermissionDenied("forbidden", _("Відкликати проєкт може лише його автор."))
    if project.status != ProjectStatus.SUBMITTED:
        raise DomainError(
            "not_withdrawable", _("Відкликати можна лише поданий проєкт до початку експертизи."), status=409
        )
    with transaction.atomic():
        changed = Project.objects.filter(pk=project.pk, status=ProjectStatus.SUBMITTED).update(
            status=ProjectStatus.WITHDRAWN, updated_at=timezone.now()
        )
        if not changed:
            raise DomainError(
                "not_withdrawable",
                _("Відкликати можна лише поданий проєкт до початку експертизи."),
                status=409,
            )
        ledger_append(
            hromada=project.hromada,
            kind="budget.project_withdrawn",
            payload={
                "cycle": str(project.cycle.public_id),
                "project": str(project.public_id),
                "number": project.number,
            },
        )
    project.refresh_from_db()
    return project


def project_draft_delete(*, project: Project, actor) -> None:
    if project.author_id != getattr(actor, "pk", None):
        raise _forbidden()
    if project.status != ProjectStatus.DRAFT:
        raise DomainError("not_draft", _("Видалити можна лише чернетку."), status=409)
    with transaction.atomic():
        for item in project.files.all():
            transaction.on_commit(partial(item.file.delete, save=False))
        project.delete()


def project_file_add(
    *, project: Project, actor, upload, alt_text: str = "", field: str = "files", alt_field: str = "alt_text"
) -> ProjectFile:
    """A photo (with its description for screen readers) or a document (PDF)."""
    if not is_editor(actor, project):
        raise _forbidden()
    if project.status not in EDITABLE_STATUSES:
        raise _not_editable()
    if project.files.filter(update__isnull=True).count() >= MAX_FILES:
        raise DomainError(
            "too_many_files",
            _("До проєкту можна додати не більше %(n)d файлів.") % {"n": MAX_FILES},
            field=field,
        )
    checked = check_upload(upload, allowed=FILE_TYPES, max_bytes=FILE_MAX_BYTES, field=field)
    alt = _clean(alt_text)[:ALT_TEXT_MAX]
    if checked.content_type.startswith("image/") and not alt:
        raise DomainError(
            "alt_text_required",
            _("Опишіть, що на фото «%(name)s» — для тих, хто не бачить зображення.") % {"name": upload.name},
            field=alt_field,
        )
    name = os.path.basename(upload.name or "")[:200] or f"file.{checked.extension}"
    upload.name = f"{uuid.uuid4().hex}.{checked.extension}"
    with transaction.atomic():
        return ProjectFile.objects.create(
            hromada=project.hromada,
            project=project,
            file=upload,
            original_name=name,
            content_type=checked.content_type,
            size=upload.size,
            alt_text=alt,
        )


def project_file_remove(*, project: Project, actor, file_id: int) -> None:
    if not is_editor(actor, project):
        raise _forbidden()
    if project.status not in EDITABLE_STATUSES:
        raise _not_editable()
    with transaction.atomic():
        item = project.files.filter(pk=file_id, update__isnull=True).first()
        if item is not None:
            transaction.on_commit(partial(item.file.delete, save=False))
            item.delete()
