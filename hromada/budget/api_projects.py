"""Budget API: cycles and projects (/api/v1/budget/…). Thin: parse, call a selector or
service, serialise. Errors carry the services' stable codes (ErrorOut)."""

import datetime as dt
import uuid
from typing import Any

from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from hromada.accounts.api_auth import session_or_token
from hromada.accounts.http import ApiRequest
from hromada.api.schemas import ErrorOut
from hromada.core.pagination import paginated
from hromada.core.ratelimit import rate_limit
from hromada.tenancy.http import HromadaRequest

from . import project_selectors as ps
from . import rules, selectors
from .models import Project
from .services import projects as svc
from .services import support as support_svc

router = Router(tags=["budget"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


class PhaseOut(Schema):
    code: str
    name: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    state: str = Field(description="past, current or future")


class CategoryOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    slug: str
    title: str
    kind: str
    pot: int
    min_cost: int
    max_cost: int
    rule: str = Field(description="approval, knapsack or min_share")
    max_choices: int | None
    min_share: float | None
    tie_rule: str


class RegulationOut(Schema):
    min_age: int
    identity_level: str
    residence: str = Field(description="any, hromada or area")
    residence_area: str | None
    allow_authorisation: bool
    support_threshold: int
    max_projects_per_author: int
    regulation_url: str


class CycleOut(Schema):
    slug: str
    title: str
    phase: str = Field(description="The code of the phase in force now, or empty")
    url: str

    @staticmethod
    def resolve_phase(obj) -> str:
        return rules.phase_code(obj)

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/budget/{obj.slug}/"


class CycleDetailOut(CycleOut):
    description: str
    timeline: list[PhaseOut]
    categories: list[CategoryOut]
    regulation: RegulationOut
    projects: int = Field(description="Public projects in the cycle")

    @staticmethod
    def resolve_timeline(obj) -> list[dict]:
        return [
            {
                "code": s.phase.code,
                "name": s.phase.name,
                "starts_at": s.phase.starts_at,
                "ends_at": s.phase.ends_at,
                "state": s.state,
            }
            for s in selectors.timeline(obj)
        ]

    @staticmethod
    def resolve_categories(obj) -> list:
        return selectors.categories_of(obj)

    @staticmethod
    def resolve_regulation(obj) -> dict:
        return {
            "min_age": obj.min_age,
            "identity_level": obj.identity_level,
            "residence": obj.residence,
            "residence_area": obj.residence_area.name if obj.residence_area_id else None,
            "allow_authorisation": obj.allow_authorisation,
            "support_threshold": obj.support_threshold,
            "max_projects_per_author": obj.max_projects_per_author,
            "regulation_url": obj.regulation_url,
        }

    @staticmethod
    def resolve_projects(obj) -> int:
        return ps.cycle_counts(obj)["total"]


class ProjectOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    number: int | None = Field(description="Given at submission; a draft has none")
    cycle: str
    category: str = Field(description="The category's slug")
    title: str
    summary: str
    status: str
    outcome: str
    cost: int = Field(description="The author's estimate, whole hryvnias")
    reviewed_cost: int | None = Field(description="The expert's corrected estimate, when changed")
    support_count: int
    author: str = Field(alias="author_name")
    address: str
    lat: float | None
    lon: float | None
    url: str

    @staticmethod
    def resolve_cycle(obj) -> str:
        return obj.cycle.slug

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.slug

    @staticmethod
    def resolve_url(obj) -> str:
        return f"/budget/projects/{obj.public_id}/"


class CostLineOut(Schema):
    item: str
    quantity: float
    unit: str
    unit_price: int
    amount: int
    reviewed_amount: int | None


class ProjectDetailOut(ProjectOut):
    description: str
    problem: str
    beneficiaries: str
    area_geojson: dict | None
    place_area: str | None = Field(description="The district or okrug the location is in")
    cofunding_amount: int
    cofunding_partner: str
    cost_lines: list[CostLineOut]
    coauthors: list[str] = Field(description="Accepted co-authors' public names")
    revision: int = Field(description="Send it with PATCH: 409 project_changed if someone edited meanwhile")
    submitted_at: dt.datetime | None
    review_decision: str = Field(description="admitted / rejected once decided, else empty")
    review_reasons: str
    author_answer: str

    @staticmethod
    def resolve_place_area(obj) -> str | None:
        return obj.place_area.name if obj.place_area_id else None

    @staticmethod
    def resolve_cost_lines(obj) -> list:
        return list(obj.cost_lines.order_by("order", "id"))

    @staticmethod
    def resolve_coauthors(obj) -> list[str]:
        return ps.coauthor_names(obj)

    @staticmethod
    def resolve_review_decision(obj) -> str:
        review = ps.decided_review(obj)
        return review.decision if review else ""

    @staticmethod
    def resolve_review_reasons(obj) -> str:
        review = ps.decided_review(obj)
        return review.reasons if review else ""

    @staticmethod
    def resolve_author_answer(obj) -> str:
        review = ps.decided_review(obj)
        return review.author_answer if review else ""


class FeatureOut(Schema):
    type: str
    geometry: dict | None
    properties: dict[str, Any]


class FeatureCollectionOut(Schema):
    type: str
    features: list[FeatureOut]


class ProjectQuery(Schema):
    cycle: str = Field("", max_length=60, description="Cycle slug")
    category: str = Field("", max_length=60, description="Category slug or id")
    status: str = Field("", max_length=20)
    area: str = Field("", max_length=80, description="District or okrug slug")
    q: str = Field("", max_length=200)
    sort: str = Field("number", max_length=10, description="number, cost, -cost or support")


class CostLineIn(Schema):
    item: str = Field(max_length=200)
    quantity: float = Field(gt=0, lt=100_000_000)
    unit: str = Field("", max_length=30)
    unit_price: int = Field(ge=0, le=10**12)


class ProjectIn(Schema):
    category: str = Field(description="Category slug or id")
    title: str = Field(max_length=200)
    summary: str = Field("", max_length=500)
    description: str = Field("", max_length=10_000)
    problem: str = Field("", max_length=10_000)
    beneficiaries: str = Field("", max_length=10_000)
    cost_lines: list[CostLineIn] = Field(default_factory=list, max_length=50)
    address: str = Field("", max_length=300)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    area_geojson: dict | None = None
    cofunding_amount: int = Field(0, ge=0, le=10**12)
    cofunding_partner: str = Field("", max_length=200)


class ProjectPatch(Schema):
    revision: int = Field(ge=1, description="The revision you read (ProjectDetailOut.revision)")
    category: str | None = Field(None, max_length=60)
    title: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=500)
    description: str | None = Field(None, max_length=10_000)
    problem: str | None = Field(None, max_length=10_000)
    beneficiaries: str | None = Field(None, max_length=10_000)
    cost_lines: list[CostLineIn] | None = Field(None, max_length=50)
    address: str | None = Field(None, max_length=300)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    cofunding_amount: int | None = Field(None, ge=0, le=10**12)
    cofunding_partner: str | None = Field(None, max_length=200)


class SupportOut(Schema):
    supported: bool
    support_count: int
    receipt: str = Field(description="Your pseudonymous supporter id, as written in the public ledger")


def _category(cycle, key: str):
    found = next(
        (c for c in selectors.categories_of(cycle) if c.slug == key or str(c.public_id) == key), None
    )
    if found is None:
        from hromada.core.errors import NotFound

        raise NotFound("category_not_found", "Такої категорії в цьому циклі немає.", field="category")
    return found


def _lines(items) -> list[svc.CostLineData]:
    return [
        svc.CostLineData(item=x.item, quantity=x.quantity, unit=x.unit, unit_price=x.unit_price)
        for x in items
    ]


@router.get("/budget/cycles", response=list[CycleOut], summary="Budget cycles, newest first")
@paginated(page_size=20)
def list_cycles(request: HromadaRequest):
    return selectors.cycles_public(hromada=request.hromada)


@router.get(
    "/budget/cycles/{slug}",
    response={200: CycleDetailOut, 404: ErrorOut},
    summary="A cycle: its timeline, categories and regulation",
)
def get_cycle(request: HromadaRequest, slug: str):
    return selectors.cycle_get(hromada=request.hromada, slug=slug)


@router.get(
    "/budget/cycles/{slug}/projects.geojson",
    response={200: FeatureCollectionOut, 404: ErrorOut},
    summary="The cycle's public projects as a GeoJSON map layer (not paged: bounded by the cycle)",
    url_name="budget_projects_geojson",
)
def cycle_projects_geojson(request: HromadaRequest, slug: str, filters: Query[ProjectQuery]):
    cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    data = filters.dict()
    data.pop("cycle", None)
    return ps.projects_geojson(hromada=request.hromada, cycle=cycle, filters=ps.ProjectFilters(**data))


@router.get(
    "/budget/projects", response=list[ProjectOut], summary="Public projects (filters: cycle, category, …)"
)
@paginated(page_size=20)
def list_projects(request: HromadaRequest, filters: Query[ProjectQuery]):
    data = filters.dict()
    slug = data.pop("cycle")
    cycle = selectors.cycle_get(hromada=request.hromada, slug=slug) if slug else None
    return ps.project_list(hromada=request.hromada, cycle=cycle, filters=ps.ProjectFilters(**data))


@router.get(
    "/budget/projects/{uuid:public_id}",
    response={200: ProjectDetailOut, 404: ErrorOut},
    summary="A project (its authors also see their drafts)",
)
def get_project(request: HromadaRequest, public_id: uuid.UUID):
    return ps.project_for_viewer(hromada=request.hromada, public_id=public_id, user=request.user)


@router.get(
    "/budget/projects/{uuid:public_id}/geojson",
    response={200: FeatureCollectionOut, 404: ErrorOut},
    summary="One project's point or area (the project page's map)",
    url_name="budget_project_geojson",
)
def project_geojson(request: HromadaRequest, public_id: uuid.UUID):
    project = ps.project_for_viewer(hromada=request.hromada, public_id=public_id, user=request.user)
    geometry = project.area_geojson
    if project.lat is not None and project.lon is not None:
        geometry = {"type": "Point", "coordinates": [project.lon, project.lat]}
    features = (
        [{"type": "Feature", "geometry": geometry, "properties": {"label": project.title}}]
        if geometry
        else []
    )
    return {"type": "FeatureCollection", "features": features}


@router.post(
    "/budget/cycles/{slug}/projects",
    auth=session_or_token,
    response={201: ProjectDetailOut, **ERRORS},
    summary="Create a draft project (submit it with POST …/submit)",
)
def create_project(request: ApiRequest, slug: str, payload: ProjectIn):
    cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    data = payload.dict()
    data["category"] = _category(cycle, payload.category)
    data["cost_lines"] = _lines(payload.cost_lines)
    project = svc.project_create(cycle=cycle, author=request.auth, **data)
    return Status(201, project)


def _authored(request: ApiRequest, public_id: uuid.UUID) -> Project:
    return ps.project_for_editor(hromada=request.hromada, public_id=public_id, user=request.auth)


@router.patch(
    "/budget/projects/{uuid:public_id}",
    auth=session_or_token,
    response={200: ProjectDetailOut, **ERRORS},
    summary="Edit a draft or a submitted project before review",
    description="409 `project_changed` when the revision is not the current one; `not_editable` once in review.",
)
def edit_project(request: ApiRequest, public_id: uuid.UUID, payload: ProjectPatch):
    project = _authored(request, public_id)
    data = payload.dict(exclude_unset=True)
    revision = data.pop("revision")
    if "category" in data:
        data["category"] = _category(project.cycle, data["category"] or "")
    if "cost_lines" in data:
        data["cost_lines"] = _lines(payload.cost_lines or [])
    return svc.project_update(project=project, actor=request.auth, revision=revision, **data)


@router.post(
    "/budget/projects/{uuid:public_id}/submit",
    auth=session_or_token,
    response={200: ProjectDetailOut, **ERRORS},
    summary="Submit a draft: it gets its number and becomes public",
)
def submit_project(request: ApiRequest, public_id: uuid.UUID):
    project = _authored(request, public_id)
    with rate_limit(request, "budget.submit"):
        return svc.project_submit(project=project, actor=request.auth)


@router.post(
    "/budget/projects/{uuid:public_id}/support",
    auth=session_or_token,
    response={201: SupportOut, **ERRORS},
    summary="Support a submitted project (one per person)",
    throttle=[],  # one person, one support is the limit
)
def support_project(request: ApiRequest, public_id: uuid.UUID):
    project = selectors.project_get(hromada=request.hromada, public_id=public_id)
    support = support_svc.project_support(project=project, user=request.auth)
    return Status(
        201, {"supported": True, "support_count": project.support_count, "receipt": support.supporter}
    )


class AnswerIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)


class AnswerOut(Schema):
    answered_at: dt.datetime
    text: str


@router.post(
    "/budget/projects/{uuid:public_id}/answer",
    auth=session_or_token,
    response={201: AnswerOut, **ERRORS},
    summary="The author's one answer to the expert review's decision",
)
def answer_review(request: ApiRequest, public_id: uuid.UUID, payload: AnswerIn):
    from .services.review import author_answer

    project = selectors.project_get(hromada=request.hromada, public_id=public_id)
    review = author_answer(project=project, actor=request.auth, text=payload.text)
    return Status(201, {"answered_at": review.author_answered_at, "text": review.author_answer})


class CoAuthorIn(Schema):
    # Empty: a link the first person to accept takes.
    email: str = Field(default="", max_length=254)


class CoAuthorOut(Schema):
    email: str
    accept_url: str


class CoAuthorAccepted(Schema):
    project: uuid.UUID
    accepted_at: dt.datetime


class FileIn(Schema):
    alt_text: str = Field(default="", max_length=300)


class FileOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    alt_text: str


@router.post(
    "/budget/projects/{uuid:public_id}/coauthors",
    auth=session_or_token,
    response={201: CoAuthorOut, 429: ErrorOut, **ERRORS},
    summary="Invite a co-author by e-mail (an account) or as a link",
)
def invite_coauthor(request: ApiRequest, public_id: uuid.UUID, payload: CoAuthorIn):
    from .services import coauthors

    project = _authored(request, public_id)
    with rate_limit(request, "budget.coauthor_invite"):
        invitation = coauthors.coauthor_invite(project=project, actor=request.auth, email=payload.email)
    url = request.build_absolute_uri(coauthors.coauthor_accept_url(invitation.token))  # type: ignore[attr-defined]
    return Status(201, {"email": invitation.email, "accept_url": url})


@router.post(
    "/budget/coauthors/{token}/accept",
    auth=session_or_token,
    response={200: CoAuthorAccepted, **ERRORS},
    summary="Accept a co-author invitation",
)
def accept_coauthor(request: ApiRequest, token: str):
    from .services import coauthors

    invitation = coauthors.coauthor_accept(token=token, user=request.auth)
    return {"project": invitation.project.public_id, "accepted_at": invitation.accepted_at}


@router.post(
    "/budget/projects/{uuid:public_id}/files",
    auth=session_or_token,
    response={201: FileOut, **ERRORS},
    summary="Attach a photo (with its description) or a PDF document to a project",
)
def add_file(
    request: ApiRequest,
    public_id: uuid.UUID,
    payload: Form[FileIn],
    file: File[UploadedFile],
):
    project = _authored(request, public_id)
    row = svc.project_file_add(project=project, actor=request.auth, upload=file, alt_text=payload.alt_text)
    return Status(
        201,
        {
            "id": row.pk,
            "name": row.original_name,
            "content_type": row.content_type,
            "size": row.size,
            "alt_text": row.alt_text,
        },
    )
