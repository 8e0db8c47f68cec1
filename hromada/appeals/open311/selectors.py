"""Open311 reads: the jurisdiction a request speaks to, services and their definitions,
service requests with the spec's filters and limits, and their public fields.

Only problem reports are service requests (appeals and information requests are
private). A report is listed once registered and unless a moderator hid it; its
description and photo appear only once moderated to be shown. Nothing of the
reporter (name, e-mail, phone) is ever in an answer.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.core.files.storage import default_storage
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from hromada.core.calendar import KYIV
from hromada.tenancy.models import Hromada
from hromada.tenancy.selectors import module_enabled

from ..models import (
    OPEN_STATUSES,
    ApiClient,
    Attachment,
    AttachmentKind,
    AttributeType,
    Case,
    CaseKind,
    CaseStatus,
    Category,
    CategoryAttribute,
    Moderation,
)
from .errors import Open311Error

MAX_DAYS = 90  # a date range may span at most this (and is the default window)
MAX_REQUESTS = 1000  # at most this many requests in one answer
MAX_IDS = 200  # service_request_id values at once (a query string is at most 2000 characters)
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"

# --- the jurisdiction ------------------------------------------------------------------


def _host(request) -> str:
    return request.get_host().split(":")[0].lower().rstrip(".")


def _names(hromada: Hromada, value: str) -> bool:
    value = value.strip().lower().rstrip(".")
    return value == hromada.slug.lower() or value in [h.lower() for h in (hromada.hosts or [])]


def jurisdiction(request) -> Hromada:
    """The hromada an Open311 request speaks to.

    A host listed in a hromada's `hosts` names it: jurisdiction_id is optional there and,
    when given, must be that hromada's slug or one of its domains (404 otherwise — a
    hromada's own address never answers for another). Any other host is a shared one (the
    tenant middleware let it in through DEFAULT_HROMADA_SLUG or because the install has a
    single hromada): there jurisdiction_id picks any active hromada by slug or domain,
    and is required when the install serves more than one."""
    hromada = request.hromada
    jid = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    named = _host(request) in [h.lower() for h in (hromada.hosts or [])]
    if not jid:
        if named or Hromada.objects.filter(is_active=True).count() <= 1:
            return hromada
        raise Open311Error("jurisdiction_required")
    if _names(hromada, jid):
        return hromada
    if not named and len(jid) <= 200:
        for other in Hromada.objects.filter(is_active=True):
            if _names(other, jid) and module_enabled(other, "appeals"):
                return other
    raise Open311Error("jurisdiction_not_found", jurisdiction=jid[:100])


# --- services --------------------------------------------------------------------------


def _categories(hromada):
    return Category.objects.for_hromada(hromada).filter(kind=CaseKind.REPORT, active=True)


def _name(category: Category, language: str) -> str:
    return category.name_en if language == "en" and category.name_en else category.name


def services_list(*, hromada, language: str) -> list[dict]:
    """GET services: the hromada's active report categories, in their order."""
    with_attributes = set(
        CategoryAttribute.objects.for_hromada(hromada).values_list("category_id", flat=True).distinct()
    )
    return [
        {
            "service_code": c.code,
            "service_name": _name(c, language),
            "description": c.description,
            "metadata": c.pk in with_attributes,
            "type": "realtime",
            "keywords": ", ".join(k.strip() for k in c.keywords.split(",") if k.strip()),
            "group": c.group,
        }
        for c in _categories(hromada).order_by("order", "name")
    ]


def service_get(*, hromada, code: str) -> Category:
    # A service code is a slug: anything else (a NUL byte PostgreSQL refuses) is unknown.
    valid = bool(code) and len(code) <= 40 and all(c.isascii() and (c.isalnum() or c in "-_") for c in code)
    category = _categories(hromada).filter(code=code).first() if valid else None
    if category is None:
        if not code:
            raise Open311Error("service_code_missing")
        raise Open311Error("service_not_found", code=code[:100].replace("\x00", ""))
    return category


DATATYPE_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    AttributeType.STRING: ("A line of text.", "Рядок тексту."),
    AttributeType.NUMBER: ("A number, e.g. 12 or 3.5.", "Число, наприклад 12 чи 3.5."),
    AttributeType.DATETIME: (
        "A W3C date and time, e.g. 2026-05-01T08:00:00+03:00.",
        "Дата й час W3C, наприклад 2026-05-01T08:00:00+03:00.",
    ),
    AttributeType.TEXT: ("Text of several lines.", "Текст на кілька рядків."),
    AttributeType.SINGLE: ("One of the keys in values.", "Один із ключів у values."),
    AttributeType.MULTI: (
        "One or more of the keys in values (attribute[code][]=key, repeated).",
        "Один чи кілька ключів із values (attribute[code][]=ключ, кілька разів).",
    ),
}


def attribute_values(attribute: CategoryAttribute) -> list[dict]:
    out = []
    for item in attribute.values or []:
        if isinstance(item, dict) and str(item.get("key", "")).strip():
            out.append({"key": str(item["key"]), "name": str(item.get("name") or item["key"])})
    return out


def service_definition(*, hromada, code: str, language: str) -> dict:
    """GET services/{service_code}: the service's attributes, in their order."""
    category = service_get(hromada=hromada, code=code)
    attributes = []
    for order, a in enumerate(category.attributes.order_by("order", "id"), start=1):
        en, uk = DATATYPE_DESCRIPTIONS.get(a.datatype, ("", ""))
        attributes.append(
            {
                "variable": True,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": en if language == "en" else uk,
                "order": order,
                "description": a.description,
                "values": attribute_values(a),
            }
        )
    return {"service_code": category.code, "attributes": attributes}


# --- service requests ------------------------------------------------------------------

STATUS_NOTES: dict[str, tuple[str, str]] = {
    CaseStatus.REGISTERED: ("Registered", "Зареєстровано"),
    CaseStatus.ASSIGNED: ("Assigned to the responsible service", "Передано виконавцю"),
    CaseStatus.IN_PROGRESS: ("In progress", "У роботі"),
    CaseStatus.ANSWERED: ("Answered", "Надано відповідь"),
    CaseStatus.RESOLVED: ("Fixed", "Вирішено"),
    CaseStatus.NOT_FIXED: ("Closed, not fixed", "Закрито, не вирішено"),
    CaseStatus.REJECTED: ("Rejected", "Відхилено"),
    CaseStatus.RETURNED: ("Returned to the reporter", "Повернуто заявникові"),
    CaseStatus.FORWARDED: ("Forwarded to the competent body", "Переслано за належністю"),
    CaseStatus.DUPLICATE: ("Duplicate of request", "Дублікат запиту"),
}
OVERDUE_NOTICE = ("Overdue: the target time has passed.", "Прострочено: цільовий строк минув.")


def _photo():
    """The first public, shown photo of a case (its file name), as a subquery."""
    return Subquery(
        Attachment.objects.filter(
            case=OuterRef("pk"), kind=AttachmentKind.PHOTO, public=True, moderation=Moderation.SHOWN
        )
        .order_by("id")
        .values("file")[:1]
    )


def _requests(*, hromada) -> QuerySet[Case]:
    """Reports an Open311 client may read: registered, not hidden by a moderator."""
    return (
        Case.objects.for_hromada(hromada)
        .filter(kind=CaseKind.REPORT)
        .exclude(status=CaseStatus.DRAFT)
        .exclude(moderation=Moderation.HIDDEN)
    )


def _with_relations(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("category", "department", "building", "duplicate_of").annotate(
        photo_file=_photo()
    )


def public_requests(*, hromada) -> QuerySet[Case]:
    """Reports an Open311 client may read, with what request_row shows of them."""
    return _with_relations(_requests(hromada=hromada))


def parse_w3c(name: str, value: str) -> dt.datetime:
    """A W3C datetime (offset or Z; without one, Kyiv time) or a date (its start)."""
    text = value.strip()
    # An unencoded "+" of an offset arrives as a space: "…T08:00:00 03:00".
    text = re.sub(r" (\d\d:?\d\d)$", r"+\1", text)
    moment = None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is not None:
                moment = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error("date_invalid", field=name, value=value[:60])
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=KYIV)
    return moment


def _window(params, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of requested_datetime: the spec's 90-day window. Without dates the
    last 90 days; with one date the 90 days from it (or up to it); with both, their range,
    refused when it spans more than 90 days."""
    start_text, end_text = params.get("start_date", ""), params.get("end_date", "")
    start = parse_w3c("start_date", start_text) if start_text.strip() else None
    end = parse_w3c("end_date", end_text) if end_text.strip() else None
    span = dt.timedelta(days=MAX_DAYS)
    if start is None:
        end = end or now
        start = end - span
    elif end is None:
        end = start + span
    if end < start:
        raise Open311Error("date_range_order")
    if end - start > span:
        raise Open311Error("date_range_too_long", days=MAX_DAYS)
    return start, end


def _comma(params, name: str) -> list[str]:
    values = []
    for raw in params.getlist(name) if hasattr(params, "getlist") else [params.get(name, "")]:
        values += [v.strip() for v in (raw or "").split(",") if v.strip()]
    return values


def _filtered(*, hromada, params, now) -> QuerySet[Case]:
    """GET requests' filters: by service_request_id (a comma list; the other filters are
    then ignored, as the spec says), else by service_code (a comma list), status (open,
    closed) and the date window."""
    qs = _requests(hromada=hromada)
    ids = _comma(params, "service_request_id")
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error("too_many_ids", max=MAX_IDS)
        numbers = []
        for value in ids:
            if not value.isdigit() or len(value) > 10:
                raise Open311Error("service_request_id_invalid", value=value[:40])
            numbers.append(int(value))
        return qs.filter(number__in=numbers)
    codes = _comma(params, "service_code")
    if codes:
        qs = qs.filter(category__code__in=codes[:100])
    statuses = _comma(params, "status")
    if statuses:
        wanted = set()
        for value in statuses:
            lowered = value.lower()
            if lowered not in ("open", "closed"):
                raise Open311Error("status_invalid", value=value[:40])
            wanted.add(lowered)
        if wanted == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif wanted == {"closed"}:
            qs = qs.exclude(status__in=OPEN_STATUSES)
    start, end = _window(params, now)
    return qs.filter(registered_at__gte=start, registered_at__lte=end)


def requests_rows(*, hromada, params, language: str, absolute, now=None) -> list[dict]:
    """GET requests, answered: each request's public fields (request_row's), the newest
    first, at most MAX_REQUESTS. Read as values of the columns the fields need, with no
    model instances (a thousand cases and their four relations were most of the time)."""
    now = now or timezone.now()
    qs = _filtered(hromada=hromada, params=params, now=now).annotate(photo_file=_photo())
    found = qs.order_by("-registered_at", "-id").values_list(*ROW_COLUMNS)[:MAX_REQUESTS]
    return _rows(found, language=language, absolute=absolute, now=now)


def request_get(*, hromada, service_request_id: str) -> Case:
    value = (service_request_id or "").strip()
    case = None
    if value.isdigit() and len(value) <= 10:
        case = public_requests(hromada=hromada).filter(number=int(value)).first()
    if case is None:
        raise Open311Error("request_not_found", id=value[:40])
    return case


def token_get(*, hromada, token: str) -> Case:
    try:
        public_id = uuid.UUID(token)
    except (ValueError, TypeError):
        raise Open311Error("token_not_found", token=(token or "")[:60]) from None
    case = public_requests(hromada=hromada).filter(public_id=public_id).first()
    if case is None:
        raise Open311Error("token_not_found", token=token[:60])
    return case


def w3c(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(KYIV).isoformat(timespec="seconds")


def open311_status(case: Case) -> str:
    return "open" if case.status in OPEN_STATUSES else "closed"


def _notes(status, answer, close_reason, forwarded_to, duplicate_number, language: str) -> str:
    en, uk = STATUS_NOTES.get(status, ("", ""))
    label = en if language == "en" else uk
    if status in (CaseStatus.RESOLVED, CaseStatus.ANSWERED):
        return answer.strip() or label
    if status == CaseStatus.FORWARDED:
        return f"{label}: {forwarded_to}" if forwarded_to else label
    if status == CaseStatus.DUPLICATE:
        return f"{label} {duplicate_number}" if duplicate_number else label
    if status in (CaseStatus.NOT_FIXED, CaseStatus.REJECTED, CaseStatus.RETURNED):
        reason = (close_reason or answer).strip()
        return f"{label}: {reason}" if reason else label
    return label


def status_notes(case: Case, language: str) -> str:
    """The spec's free-text status: the public answer, or the state's label with its
    reason ("Закрито, не вирішено: <reason>")."""
    duplicate = case.duplicate_of.number if case.duplicate_of_id and case.duplicate_of else None
    return _notes(case.status, case.answer, case.close_reason, case.forwarded_to, duplicate, language)


# The columns a request's fields need, in _rows' order.
ROW_COLUMNS = (
    "number",
    "status",
    "answer",
    "close_reason",
    "forwarded_to",
    "duplicate_of__number",
    "category__code",
    "category__name",
    "category__name_en",
    "moderation",
    "text",
    "department__name",
    "registered_at",
    "updated_at",
    "due_at",
    "address",
    "building__public_id",
    "building__postcode",
    "lat",
    "lon",
    "photo_file",
)


def _rows(found, *, language: str, absolute, now: dt.datetime) -> list[dict]:
    en = language == "en"
    notice = OVERDUE_NOTICE[0] if en else OVERDUE_NOTICE[1]
    out = []
    for (
        number,
        status,
        answer,
        close_reason,
        forwarded_to,
        duplicate_number,
        code,
        name,
        name_en,
        moderation,
        text,
        department,
        registered_at,
        updated_at,
        due_at,
        address,
        building_id,
        postcode,
        lat,
        lon,
        photo,
    ) in found:
        shown = moderation == Moderation.SHOWN
        overdue = status in OPEN_STATUSES and due_at is not None and due_at < now
        url = absolute(default_storage.url(photo)) if (photo and shown) else ""
        out.append(
            {
                "service_request_id": str(number),
                "status": "open" if status in OPEN_STATUSES else "closed",
                "status_notes": _notes(
                    status, answer, close_reason, forwarded_to, duplicate_number, language
                ),
                "service_name": (name_en if en and name_en else name) if code is not None else "",
                "service_code": code if code is not None else "",
                "description": text if shown else "",
                "agency_responsible": department or "",
                "service_notice": notice if overdue else "",
                "requested_datetime": w3c(registered_at),
                "updated_datetime": w3c(updated_at),
                "expected_datetime": w3c(due_at),
                "address": address,
                "address_id": str(building_id) if building_id else "",
                "zipcode": postcode if building_id else "",
                "lat": lat,
                "long": lon,
                "media_url": url,
            }
        )
    return out


def request_row(case: Case, *, language: str, absolute, now: dt.datetime) -> dict:
    """One service request's public fields, in the spec's order. `absolute(path)` makes
    a URL absolute (the request's host)."""
    category = case.category
    building = case.building if case.building_id else None
    duplicate = case.duplicate_of.number if case.duplicate_of_id and case.duplicate_of else None
    values = (
        case.number,
        case.status,
        case.answer,
        case.close_reason,
        case.forwarded_to,
        duplicate,
        category.code if category is not None else None,
        category.name if category is not None else None,
        category.name_en if category is not None else None,
        case.moderation,
        case.text,
        case.department.name if case.department_id and case.department else None,
        case.registered_at,
        case.updated_at,
        case.due_at,
        case.address,
        building.public_id if building else None,
        building.postcode if building else None,
        case.lat,
        case.lon,
        getattr(case, "photo_file", None),
    )
    return _rows([values], language=language, absolute=absolute, now=now)[0]


def api_clients(*, hromada):
    """The hromada's Open311 clients, live ones first (the setup part's page)."""
    return ApiClient.objects.for_hromada(hromada).select_related("created_by").order_by("-active", "name")
