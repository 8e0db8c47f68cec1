"""API of the intake part (/api/v1/appeals/…): a problem report with photos (multipart,
the bench's hot path), an appeal and an information request (JSON), and the categories
with their extra questions. Thin: parse, call a service, serialise. Errors carry the
services' stable codes, every problem in `errors` ({field, code, message})."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core.errors import DomainError
from hromada.core.pagination import paginated
from hromada.core.ratelimit import rate_limit
from hromada.tenancy.http import HromadaRequest

from . import intake_selectors as sel
from .api_public import router as reports_router
from .models import AppealType, CaseKind
from .services import intake as svc
from .services.cases import case_url, settings_of

router = Router()
# GET and POST /appeals/reports must be operations of one router: Ninja makes one URL
# pattern per router and path, and the first pattern would answer the other method 405.

ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class CreatedOut(Schema):
    id: uuid.UUID = Field(description="The case's public id")
    number: int = Field(description="Its registration number in the hromada")
    status: str = Field(description="registered, or assigned when a department took it at once")
    due_at: dt.datetime = Field(
        description="The deadline: the law's for appeals and requests, the category's target for reports"
    )
    url: str = Field(description="Its page (a report's public page; the applicant's own for the others)")


def _created(request, case) -> Status:
    return Status(
        201,
        {
            "id": case.public_id,
            "number": case.number,
            "status": case.status,
            "due_at": case.due_at,
            "url": request.build_absolute_uri(case_url(case)),
        },
    )


class ReportIn(Schema):
    category: str = Field("", description="The category's code (GET /appeals/categories)")
    lat: str = Field("", description="Latitude, WGS 84")
    lon: str = Field("", description="Longitude, WGS 84")
    description: str = Field("", max_length=20_000)
    title: str = Field("", max_length=200)
    address: str = Field("", max_length=300, description="Used for the point when lat/lon are not given")
    anonymous: bool = Field(
        True, description="Show the report without the reporter's name (staff still know it)"
    )


def _number(value: str, field: str) -> float | None:
    if not value.strip():
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise DomainError(
            "point_invalid",
            _("Координати мають бути числами: широта і довгота в градусах."),
            field=field,
            status=422,
        ) from None


def _attributes(request) -> dict:
    """Open311's attribute[<code>]=value form keys (a multi-value list repeats the key)."""
    out: dict = {}
    for key in request.POST:
        if key.startswith("attribute[") and key.endswith("]"):
            values = request.POST.getlist(key)
            out[key[10:-1]] = values if len(values) > 1 else values[0]
    return out


@reports_router.post(
    "/appeals/reports",
    auth=session_or_token,
    response={201: CreatedOut, **ERRORS},
    summary="Report a problem (multipart: fields, `attribute[<code>]`, 0–3 `photo` files)",
    description="Photos: JPEG, PNG or WebP, up to 8 MB each, checked by content; `photo_alt` (repeated, in "
    "order) describes them. Codes: `category_required`, `category_unknown`, `location_required`, "
    "`location_outside`, `point_invalid`, `address_not_found`, `text_required`, `attribute_required`, "
    "`attribute_invalid`, `file_type_not_allowed`, `file_too_large`, `file_corrupt`, `too_many_files` — "
    "each in `errors` with its field (`photo[n]` for the n-th photo).",
)
def post_report(
    request: ApiRequest,
    payload: Form[ReportIn],
    photo: File[list[UploadedFile]] = None,  # type: ignore[assignment]
):
    hromada = request.hromada
    category = sel.category_by_code(hromada=hromada, code=payload.category) if payload.category else None
    if category is None:
        code = "category_unknown" if payload.category else "category_required"
        message = (
            _("Невідома категорія «%(c)s».") % {"c": payload.category}
            if payload.category
            else _("Оберіть категорію проблеми.")
        )
        error = DomainError(code, message, field="category", status=422)
        error.details = [{"field": "category", "code": code, "message": str(message)}]  # type: ignore[attr-defined]
        raise error
    alts = request.POST.getlist("photo_alt")
    photos = [
        (
            f,
            alts[i]
            if i < len(alts) and alts[i].strip()
            else _("Фото до повідомлення: %(c)s") % {"c": category.name},
        )
        for i, f in enumerate(photo or [])
    ]
    with rate_limit(request, "appeals.submit"):
        case = svc.report_create(
            hromada=hromada,
            user=request.auth,
            category=category,
            lat=_number(payload.lat, "lat"),
            lon=_number(payload.lon, "lon"),
            text=payload.description,
            title=payload.title,
            address=payload.address,
            anonymous=payload.anonymous,
            attributes=_attributes(request),
            photos=photos,
        )
    return _created(request, case)


class ApplicantIn(Schema):
    applicant_name: str = Field("", max_length=200, description="Full name (surname, given name, patronymic)")
    applicant_address: str = Field(
        "", max_length=300, description="Address of residence (appeals); postal address"
    )
    applicant_email: str = Field("", max_length=254)
    applicant_phone: str = Field("", max_length=40)
    title: str = Field("", max_length=200)
    text: str = Field("", max_length=20_000, description="The substance / the information requested")
    category: str = Field("", description="Optional topic: a category code of this kind")


class AppealIn(ApplicantIn):
    appeal_type: str = Field("", description="proposal, statement or complaint")


class InfoIn(ApplicantIn):
    answer_form: str = Field("email", description="email, post or in_person")
    urgent: bool = Field(False, description="Life or liberty, the environment, an emergency: 48 hours")
    urgent_reason: str = Field("", description="life, environment or emergency (required when urgent)")


def _fields(request, payload: ApplicantIn, kind: str) -> dict:
    fields = payload.dict()
    code = fields.pop("category", "")
    if code:
        category = sel.category_by_code(hromada=request.hromada, code=code, kind=kind)
        if category is None:
            raise DomainError(
                "category_unknown",
                _("Невідома категорія «%(c)s».") % {"c": code},
                field="category",
                status=422,
            )
        fields["category"] = category
    if fields.get("applicant_email"):
        try:
            validate_email(fields["applicant_email"])
        except ValidationError:
            raise DomainError(
                "applicant_email_invalid",
                _("Неправильна адреса електронної пошти."),
                field="applicant_email",
                status=422,
            ) from None
    return fields


@router.post(
    "/appeals/appeals",
    auth=session_or_token,
    response={201: CreatedOut, **ERRORS},
    summary="Submit an appeal under the Law on citizens' appeals (individual)",
    description="Registered at once with the legal deadline (15 days). Codes: `case_incomplete` with "
    "`applicant_name_required`, `applicant_address_required`, `contact_required`, `appeal_type_required`, "
    "`text_required` in `errors`; `category_unknown`, `applicant_email_invalid`. A collective appeal is "
    "submitted on the site (co-signers sign it by a link).",
)
def post_appeal(request: ApiRequest, payload: AppealIn):
    fields = _fields(request, payload, CaseKind.APPEAL)
    if fields["appeal_type"] and fields["appeal_type"] not in AppealType.values:
        raise DomainError(
            "appeal_type_invalid",
            _("Вид звернення: proposal, statement або complaint."),
            field="appeal_type",
            status=422,
        )
    with rate_limit(request, "appeals.submit"):
        case = svc.case_create(hromada=request.hromada, user=request.auth, kind=CaseKind.APPEAL, **fields)
    return _created(request, case)


@router.post(
    "/appeals/info-requests",
    auth=session_or_token,
    response={201: CreatedOut, **ERRORS},
    summary="Request public information under the Law on access to public information",
    description="5 working days; 48 hours when urgent. Codes: `case_incomplete` (`applicant_name_required`, "
    "`contact_required`, `text_required`, `answer_form_required`, `urgent_reason_required`, …), "
    "`category_unknown`, `applicant_email_invalid`.",
)
def post_info_request(request: ApiRequest, payload: InfoIn):
    fields = _fields(request, payload, CaseKind.INFO)
    with rate_limit(request, "appeals.submit"):
        case = svc.case_create(hromada=request.hromada, user=request.auth, kind=CaseKind.INFO, **fields)
    return _created(request, case)


class AttributeOut(Schema):
    code: str
    description: str
    datatype: str = Field(
        description="Open311: string, number, datetime, text, singlevaluelist, multivaluelist"
    )
    required: bool
    values: list[dict] = Field(description='[{"key", "name"}] for the list types')


class CategoryOut(Schema):
    code: str
    kind: str
    name: str
    group: str
    description: str
    target_hours: int | None = Field(description="Reports: the target time to resolve, in hours")
    attributes: list[AttributeOut]


class CategoryQuery(Schema):
    kind: str = Field("report", description="report, appeal or info")


@router.get(
    "/appeals/categories",
    response={200: list[CategoryOut], 400: ErrorOut},
    summary="The categories to report under (with their extra questions), or appeal topics",
)
@paginated(page_size=100)
def list_categories(request: HromadaRequest, filters: Query[CategoryQuery]):
    if filters.kind not in CaseKind.values:
        raise DomainError("kind_unknown", _("Вид: report, appeal або info."), field="kind")
    default = settings_of(request.hromada).report_default_hours if filters.kind == CaseKind.REPORT else None
    return [
        {
            "code": c.code,
            "kind": c.kind,
            "name": c.name,
            "group": c.group,
            "description": c.description,
            "target_hours": (c.target_hours or default) if filters.kind == CaseKind.REPORT else None,
            "attributes": list(c.attributes.all()),
        }
        for c in sel.form_categories(hromada=request.hromada, kind=filters.kind)
    ]
