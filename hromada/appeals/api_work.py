"""Staff API of the work part (/api/v1/appeals/staff/…): the queue and every action on a
case. Thin: parse, call a selector or a service, serialise; refusals carry the services'
stable codes (`case_not_open`, `case_forbidden`, `extension_once`, …). A case the user
may not see is 404; a person with no staff role in the hromada gets 403."""

import datetime as dt
import uuid

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.accounts.models import User
from hromada.api.schemas import ErrorOut
from hromada.core.errors import DomainError, NotFound, PermissionDenied
from hromada.core.pagination import paginated

from . import rules
from . import staff_selectors as ss
from .models import Case, Department
from .selectors import case_get
from .services import work
from .services.cases import settings_of

router = Router(tags=["appeals staff"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class EventOut(Schema):
    kind: str
    public: bool
    text: str
    status: str
    created_at: dt.datetime
    actor: str = ""
    data: dict

    @staticmethod
    def resolve_actor(obj) -> str:
        return (obj.actor.display_name or obj.actor.email) if obj.actor_id else ""


class CaseRowOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    number: int | None
    kind: str
    status: str
    title: str
    category: str | None = None
    department: uuid.UUID | None = None
    assignee: int | None = Field(None, alias="assignee_id")
    registered_at: dt.datetime | None
    due_at: dt.datetime | None
    urgency: str = Field("", description="overdue, near, ok, or empty for a closed case")
    urgent: bool
    extended: bool = False

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_department(obj) -> uuid.UUID | None:
        return obj.department.public_id if obj.department_id else None

    @staticmethod
    def resolve_urgency(obj) -> str:
        return getattr(obj, "urgency", "")

    @staticmethod
    def resolve_extended(obj) -> bool:
        return obj.extended_at is not None


class CaseOut(CaseRowOut):
    text: str
    address: str
    lat: float | None
    lon: float | None
    applicant_name: str
    applicant_address: str
    applicant_email: str
    applicant_phone: str
    answer: str
    close_reason: str
    forwarded_to: str
    first_due_at: dt.datetime | None
    extension_reason: str
    answered_at: dt.datetime | None
    duplicate_of: uuid.UUID | None = None
    missing: list[str] = Field(default_factory=list, description="The law's fields the case lacks")
    events: list[EventOut] = Field(default_factory=list)

    @staticmethod
    def resolve_duplicate_of(obj) -> uuid.UUID | None:
        return obj.duplicate_of.public_id if obj.duplicate_of_id else None

    @staticmethod
    def resolve_missing(obj) -> list[str]:
        return rules.missing_required(obj)

    @staticmethod
    def resolve_events(obj) -> list:
        return ss.case_history(obj)


class QueueQuery(Schema):
    kind: str | None = Field(None, description="appeal, info or report")
    status: str | None = Field(None, description="open (default), closed, all, or one status")
    category: str | None = Field(None, description="a category code")
    area: str | None = Field(None, description="an area's id")
    department: str | None = Field(None, description="a department's id, or `none` (routers)")
    due: str | None = Field(None, description="overdue or near")
    mine: bool = False
    q: str | None = Field(None, description="a number, or words of the title, text or address")


class AssignIn(Schema):
    department: uuid.UUID | None = None
    assignee: int | None = Field(None, description="A user id (from the department's members)")


class TextIn(Schema):
    text: str = Field(max_length=20_000)


class ReasonIn(Schema):
    reason: str = Field(max_length=5_000)


class ReturnIn(Schema):
    reason: str = Field("", max_length=5_000, description="Empty: the missing fields' messages")


class ForwardIn(Schema):
    to: str = Field(max_length=200, description="The body the matter belongs to")
    reason: str = Field(max_length=5_000)


class ExtendIn(Schema):
    reason: str = Field(max_length=5_000)
    until: dt.date | None = Field(None, description="The new last day; empty: the law's longest")


class MergeIn(Schema):
    original: uuid.UUID


def _staff(request: ApiRequest) -> None:
    if not rules.is_staff_of(request.auth, request.hromada):
        raise PermissionDenied("forbidden", _("Ця дія — для працівників громади."))


def _case(request: ApiRequest, case_id: uuid.UUID) -> Case:
    _staff(request)
    case = case_get(hromada=request.hromada, public_id=case_id)
    if case.status == "draft" or not rules.can_see_staff(request.auth, case):
        raise NotFound("case_not_found", _("Такого звернення немає."))
    return case


def _fresh(request: ApiRequest, case: Case) -> Case:
    return case_get(hromada=request.hromada, public_id=case.public_id)


@router.get(
    "/appeals/staff/cases",
    auth=session_or_token,
    response={200: list[CaseRowOut], **ERRORS},
    summary="The staff queue: the user's departments' cases (routers: all), by deadline",
)
@paginated(page_size=25)
def list_queue(request: ApiRequest, filters: Query[QueueQuery]):
    _staff(request)
    data = {k: ("1" if v is True else v) for k, v in filters.dict().items() if v not in (None, False)}
    query = ss.QueueFilters.from_query(data)
    now = timezone.now()
    remind = settings_of(request.hromada).remind_days
    cases = ss.queue(hromada=request.hromada, user=request.auth, filters=query, now=now)

    class Rows:
        """The page's cases get their deadline colour as they are sliced."""

        def __init__(self, qs):
            self.qs = qs

        def count(self):
            return self.qs.count()

        def __len__(self):
            return self.qs.count()

        def __getitem__(self, item):
            rows = list(self.qs[item])
            for c in rows:
                c.urgency = ss.urgency_of(c, now=now, remind_days=remind)
            return rows

    return Rows(cases)


@router.get(
    "/appeals/staff/cases/{uuid:case_id}",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="One case for staff: the applicant's details and the full history",
)
def get_case(request: ApiRequest, case_id: uuid.UUID):
    case = _case(request, case_id)
    remind = settings_of(case.hromada).remind_days
    case.urgency = ss.urgency_of(case, now=timezone.now(), remind_days=remind)  # type: ignore[attr-defined]
    return case


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/assign",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Route to a department and/or give to a worker",
    description="Codes: `department_invalid`, `route_forbidden`, `assignee_not_member`, `assign_unchanged`, "
    "`case_not_open`, `case_forbidden`.",
)
def assign(request: ApiRequest, case_id: uuid.UUID, payload: AssignIn):
    case = _case(request, case_id)
    department = None
    if payload.department is not None:
        department = (
            Department.objects.for_hromada(request.hromada).filter(public_id=payload.department).first()
        )
        if department is None:
            raise DomainError(
                "department_invalid", _("Оберіть чинний підрозділ громади."), field="department"
            )
    assignee = None
    if payload.assignee is not None:
        assignee = User.objects.filter(pk=payload.assignee).first()
        if assignee is None:
            raise DomainError("assignee_not_member", _("Такого працівника немає."), field="assignee")
    work.case_assign(case=case, actor=request.auth, department=department, assignee=assignee)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/start",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Take the case into work",
    description="Codes: `case_already_started`, `case_not_open`, `case_forbidden`.",
)
def start(request: ApiRequest, case_id: uuid.UUID):
    case = _case(request, case_id)
    work.case_start(case=case, actor=request.auth)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/comment",
    auth=session_or_token,
    response={201: EventOut, **ERRORS},
    summary="An internal comment (never public)",
)
def comment(request: ApiRequest, case_id: uuid.UUID, payload: TextIn):
    case = _case(request, case_id)
    return 201, work.case_comment(case=case, actor=request.auth, text=payload.text)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/update",
    auth=session_or_token,
    response={201: EventOut, **ERRORS},
    summary="A public update, sent to the applicant and followers",
)
def update(request: ApiRequest, case_id: uuid.UUID, payload: TextIn):
    case = _case(request, case_id)
    return 201, work.case_update(case=case, actor=request.auth, text=payload.text)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/answer",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Answer an appeal or an information request",
    description="Codes: `answer_required`, `answer_not_for_reports`, `case_not_open`.",
)
def answer(request: ApiRequest, case_id: uuid.UUID, payload: TextIn):
    case = _case(request, case_id)
    work.case_answer(case=case, actor=request.auth, text=payload.text)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/resolve",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="A problem report is fixed: the public answer",
    description="Codes: `answer_required`, `resolve_only_reports`, `case_not_open`.",
)
def resolve(request: ApiRequest, case_id: uuid.UUID, payload: TextIn):
    case = _case(request, case_id)
    work.case_resolve(case=case, actor=request.auth, text=payload.text)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/not-fixed",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Close a problem report as not fixed, with the reason",
)
def not_fixed(request: ApiRequest, case_id: uuid.UUID, payload: ReasonIn):
    case = _case(request, case_id)
    work.case_not_fixed(case=case, actor=request.auth, reason=payload.reason)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/reject",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Reject with the reason (routers)",
)
def reject(request: ApiRequest, case_id: uuid.UUID, payload: ReasonIn):
    case = _case(request, case_id)
    work.case_reject(case=case, actor=request.auth, reason=payload.reason)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/return",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Return an appeal lacking the law's fields, with the reason",
    description="Codes: `case_complete` (it has every field), `return_not_for_reports`.",
)
def return_case(request: ApiRequest, case_id: uuid.UUID, payload: ReturnIn):
    case = _case(request, case_id)
    work.case_return(case=case, actor=request.auth, reason=payload.reason)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/forward",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Forward outside the council's competence, with a notice to the applicant (routers)",
)
def forward(request: ApiRequest, case_id: uuid.UUID, payload: ForwardIn):
    case = _case(request, case_id)
    work.case_forward(case=case, actor=request.auth, to=payload.to, reason=payload.reason)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/extend",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Extend the term within the law's limit, with the notice",
    description="Codes: `deadline_passed`, `extension_at_maximum`, `extension_urgent`, `extension_once`, "
    "`extension_notice_late`, `until_not_later`, `until_beyond_limit`, `until_required`, `extend_forbidden`.",
)
def extend(request: ApiRequest, case_id: uuid.UUID, payload: ExtendIn):
    case = _case(request, case_id)
    work.case_extend(case=case, actor=request.auth, reason=payload.reason, until=payload.until)
    return _fresh(request, case)


@router.post(
    "/appeals/staff/cases/{uuid:case_id}/merge",
    auth=session_or_token,
    response={200: CaseOut, **ERRORS},
    summary="Mark the case a duplicate of `original`",
    description="Codes: `merge_into_itself`, `merge_kind_mismatch`, `merge_into_duplicate`, "
    "`merge_original_closed`, `merge_not_found`, `case_not_open`.",
)
def merge(request: ApiRequest, case_id: uuid.UUID, payload: MergeIn):
    case = _case(request, case_id)
    try:
        original = case_get(hromada=request.hromada, public_id=payload.original)
    except NotFound:
        raise DomainError(
            "merge_not_found", _("Такого звернення немає."), field="original", status=404
        ) from None
    work.case_merge(case=case, actor=request.auth, original=original)
    return _fresh(request, case)


@router.get(
    "/appeals/staff/cases/{uuid:case_id}/map.geojson",
    auth=session_or_token,
    url_name="appeals_staff_case_map",
    summary="The case's point and the open reports of its category nearby (the staff page's map)",
)
def case_map(request: ApiRequest, case_id: uuid.UUID):
    case = _case(request, case_id)
    from django.urls import reverse

    def feature(c, meta):
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]} if c.lat is not None else None,
            "properties": {
                "label": f"№{c.number} {c.title}".strip(),
                "url": reverse("staff_appeals:case", args=[c.public_id]),
                "meta": meta,
            },
        }

    features = [feature(case, str(case.get_status_display()))]
    features += [feature(c, f"{getattr(c, 'distance_m', '?')} м") for c in ss.merge_candidates(case)]
    return {"type": "FeatureCollection", "features": features}
