"""API of the public part (/api/v1/appeals/…): the map's viewport query, public reports
(list, one), the applicant's own cases, and the verdict (confirm, reopen, rate) and
follow operations. Thin: parse, call a selector or a service, serialise; errors carry
the services' stable codes. No applicant's details in any public answer."""

import datetime as dt
import uuid

from django.http import HttpResponse
from django.urls import reverse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core.pagination import paginated
from hromada.tenancy.http import HromadaRequest

from . import public_selectors as ps
from .models import Case
from .services import follows, verdict

router = Router()

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class ReportQuery(Schema):
    category: str = Field("", max_length=40, description="A category code (Open311 service_code)")
    status: str = Field(
        "", max_length=20, description="open, resolved, not_fixed, closed, or one status (registered, …)"
    )
    from_: str = Field("", alias="from", max_length=10, description="Registered on or after (YYYY-MM-DD)")
    to: str = Field("", max_length=10, description="Registered on or before (YYYY-MM-DD)")
    area: str = Field("", max_length=80, description="An okrug's or district's slug")


class GeoQuery(ReportQuery):
    bbox: str = Field(
        "",
        max_length=120,
        description=(
            f"west,south,east,north (WGS 84), at most {ps.BBOX_MAX_DEGREES}° a side. "
            "Errors: bbox_required, bbox_invalid, bbox_too_large"
        ),
    )
    zoom: str = Field(
        "",
        max_length=10,
        description="The map's zoom (0–22): sizes the clusters' cells (about 64 px). Error: zoom_invalid",
    )


def _filters(query: ReportQuery) -> ps.ReportFilters:
    return ps.parse_filters(
        {
            "category": query.category,
            "status": query.status,
            "from": query.from_,
            "to": query.to,
            "area": query.area,
        }
    )


class StepOut(Schema):
    kind: str
    label: str
    at: dt.datetime
    text: str
    status: str


class ReportOut(Schema):
    id: uuid.UUID
    number: int
    category: str | None
    category_name: str | None
    status: str
    status_label: str
    status_group: str
    lat: float | None
    lon: float | None
    address: str
    area: str | None
    department: str | None
    registered_at: dt.datetime | None
    due_at: dt.datetime | None
    overdue: bool
    answered_at: dt.datetime | None
    supporters: int
    duplicate_of: uuid.UUID | None
    url: str


class ReportDetailOut(ReportOut):
    title: str
    text: str
    reporter: str = Field(description="Empty unless the reporter chose to show their name")
    answer: str
    close_reason: str
    steps: list[StepOut]
    photos: list[dict]


class MyCaseOut(Schema):
    id: uuid.UUID
    number: int | None
    kind: str
    status: str
    status_label: str
    title: str
    registered_at: dt.datetime | None
    due_at: dt.datetime | None
    overdue: bool
    answered_at: dt.datetime | None
    answer: str
    confirmed_at: dt.datetime | None
    rating: int | None
    can_confirm: bool
    can_reopen: bool
    can_rate: bool
    reopen_until: dt.datetime | None
    url: str


class ReopenIn(Schema):
    reason: str = Field(max_length=5_000)


class RateIn(Schema):
    rating: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=1_000)


class VerdictOut(Schema):
    id: uuid.UUID
    status: str
    confirmed_at: dt.datetime | None
    reopened_count: int
    rating: int | None
    due_at: dt.datetime | None


class FollowOut(Schema):
    following: bool


def _report(case: Case) -> dict:
    return {
        "id": case.public_id,
        "number": case.number,
        "category": case.category.code if case.category_id and case.category else None,
        "category_name": case.category.name if case.category_id and case.category else None,
        "status": case.status,
        "status_label": case.get_status_display(),
        "status_group": ps.group_of(case.status),
        "lat": case.lat,
        "lon": case.lon,
        "address": case.address,
        "area": case.area.name if case.area_id and case.area else None,
        "department": case.department.name if case.department_id and case.department else None,
        "registered_at": case.registered_at,
        "due_at": case.due_at,
        "overdue": ps.is_overdue(case),
        "answered_at": case.answered_at,
        "supporters": case.supporters,
        "duplicate_of": case.duplicate_of.public_id if case.duplicate_of_id and case.duplicate_of else None,
        "url": reverse("appeals:case", args=[case.public_id]),
    }


def _verdict(case: Case) -> dict:
    return {
        "id": case.public_id,
        "status": case.status,
        "confirmed_at": case.confirmed_at,
        "reopened_count": case.reopened_count,
        "rating": case.rating,
        "due_at": case.due_at,
    }


@router.get(
    "/appeals/reports.geojson",
    response={200: dict, 400: ErrorOut},
    summary="Public problem reports inside a map viewport (GeoJSON; not paged: bounded by bbox and a cap)",
    description=(
        f"Up to {ps.CLUSTER_THRESHOLD} reports in the box: one point feature each, newest first "
        "(properties: number, category, status, status_label, registered_at, url, label, meta). "
        "More: clusters counted on a grid snapped to absolute coordinates (its cells sized by `zoom`, "
        "or by the box without it) — features with properties cluster=true, count, bbox [w,s,e,n] of "
        "their reports and label; a cell holding one report is that report's point; `clustered: true`. "
        f"A box under {ps.CLUSTER_MIN_SPAN}° is never clustered: at most {ps.GEOJSON_MAX_FEATURES} "
        "features, newest first, `truncated: true` when there were more."
    ),
    url_name="appeals_reports_geojson",
)
def reports_geojson(request: HromadaRequest, query: Query[GeoQuery]):
    box = ps.parse_bbox(query.bbox)
    body = ps.reports_geojson_text(
        hromada=request.hromada, bbox=box, filters=_filters(query), zoom=ps.parse_zoom(query.zoom)
    )
    return HttpResponse(body, content_type="application/geo+json")


@router.get(
    "/appeals/reports", response=list[ReportOut], summary="Public problem reports (filters; newest first)"
)
@paginated(page_size=20)
def list_reports(request: HromadaRequest, query: Query[ReportQuery]):
    rows = ps.report_list(hromada=request.hromada, filters=_filters(query)).select_related("duplicate_of")
    return _LazyReports(rows)


class _LazyReports:
    """A queryset seen by the paginator, serialised only for the page it slices."""

    def __init__(self, rows):
        self.rows = rows

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item):
        return [_report(c) for c in self.rows[item]]


@router.get(
    "/appeals/reports/{uuid:public_id}",
    response={200: ReportDetailOut, 404: ErrorOut},
    summary="One public problem report with its public steps",
)
def get_report(request: HromadaRequest, public_id: uuid.UUID):
    case, own = ps.case_for_viewer(hromada=request.hromada, public_id=public_id, user=request.user)
    if case.kind != "report":
        from hromada.core.errors import NotFound

        raise NotFound("case_not_found", "case not found")
    return {
        **_report(case),
        "title": case.title,
        "text": case.text,
        "reporter": ps.reporter_name(case),
        "answer": case.answer if case.status not in ps.STATUS_GROUPS["open"] else "",
        "close_reason": case.close_reason if case.status not in ps.STATUS_GROUPS["open"] else "",
        "steps": ps.public_steps(case, own=own),
        "photos": [
            {"url": p.file.url, "alt": p.alt_text, "content_type": p.content_type}
            for p in ps.public_photos(case, own=own)
            if p.is_image
        ],
    }


@router.get(
    "/appeals/cases/{uuid:public_id}/point.geojson",
    response={200: dict, 404: ErrorOut},
    summary="A case's point (its page's mini map): public reports, or one's own case",
    url_name="appeals_case_point",
)
def case_point(request: HromadaRequest, public_id: uuid.UUID):
    case, _own = ps.case_for_viewer(hromada=request.hromada, public_id=public_id, user=request.user)
    return ps.report_point_geojson(case)


@router.get(
    "/appeals/my",
    auth=session_or_token,
    response={200: list[MyCaseOut], 401: ErrorOut},
    summary="My cases (every kind and channel where my account is the applicant or a co-signer)",
)
@paginated(page_size=20)
def my_cases(request: ApiRequest):
    rows = ps.my_cases(hromada=request.hromada, user=request.auth)
    return _LazyMine(rows, request.auth)


class _LazyMine(_LazyReports):
    def __init__(self, rows, user):
        super().__init__(rows)
        self.user = user

    def __getitem__(self, item):
        out = []
        for c in self.rows[item]:
            state = verdict.verdict_state(c, self.user)
            out.append(
                {
                    "id": c.public_id,
                    "number": c.number,
                    "kind": c.kind,
                    "status": c.status,
                    "status_label": c.get_status_display(),
                    "title": c.title,
                    "registered_at": c.registered_at,
                    "due_at": c.due_at,
                    "overdue": ps.is_overdue(c),
                    "answered_at": c.answered_at,
                    "answer": c.answer if c.answered_at else "",
                    "confirmed_at": c.confirmed_at,
                    "rating": c.rating,
                    "can_confirm": state["confirm"],
                    "can_reopen": state["reopen"],
                    "can_rate": state["rate"],
                    "reopen_until": state["reopen_until"],
                    "url": reverse("appeals:case", args=[c.public_id]),
                }
            )
        return out


def _own(request: ApiRequest, public_id) -> Case:
    case, _own_view = ps.case_for_viewer(hromada=request.hromada, public_id=public_id, user=request.auth)
    return case


@router.post(
    "/appeals/cases/{uuid:public_id}/confirm",
    auth=session_or_token,
    response={200: VerdictOut, **ERRORS},
    summary="Confirm a resolved report or accept an answer (the applicant)",
    description="Codes: `not_applicant`, `not_confirmable`, `already_confirmed`.",
)
def confirm(request: ApiRequest, public_id: uuid.UUID):
    return _verdict(verdict.case_confirm(_own(request, public_id), request.auth))


@router.post(
    "/appeals/cases/{uuid:public_id}/reopen",
    auth=session_or_token,
    response={200: VerdictOut, **ERRORS},
    summary="Reopen a closed case within the hromada's term (the applicant)",
    description="Codes: `not_applicant`, `reason_required`, `not_reopenable`, `already_confirmed`, `reopen_too_late`.",
)
def reopen(request: ApiRequest, public_id: uuid.UUID, payload: ReopenIn):
    return _verdict(verdict.case_reopen(_own(request, public_id), request.auth, payload.reason))


@router.post(
    "/appeals/cases/{uuid:public_id}/rate",
    auth=session_or_token,
    response={200: VerdictOut, **ERRORS},
    summary="Rate the answer 1–5, once (the applicant)",
    description="Codes: `not_applicant`, `rating_invalid`, `not_answered_yet`, `already_rated`.",
)
def rate(request: ApiRequest, public_id: uuid.UUID, payload: RateIn):
    return _verdict(
        verdict.case_rate(_own(request, public_id), request.auth, payload.rating, payload.comment)
    )


@router.post(
    "/appeals/reports/{uuid:public_id}/follow",
    auth=session_or_token,
    response={201: FollowOut, **ERRORS},
    summary="Follow a public report (notifications of its updates)",
)
def follow(request: ApiRequest, public_id: uuid.UUID):
    follows.case_follow(_own(request, public_id), request.auth)
    return Status(201, {"following": True})


@router.delete(
    "/appeals/reports/{uuid:public_id}/follow",
    auth=session_or_token,
    response={200: FollowOut, **ERRORS},
    summary="Stop following a report",
)
def unfollow(request: ApiRequest, public_id: uuid.UUID):
    follows.case_unfollow(_own(request, public_id), request.auth)
    return {"following": False}
