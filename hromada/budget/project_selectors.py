"""Reads for the project pages, the home block and the projects API."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from hromada.core.errors import NotFound

from . import rules, selectors
from .models import (
    EDITABLE_STATUSES,
    PUBLIC_STATUSES,
    CoAuthor,
    Cycle,
    Project,
    ProjectStatus,
    Review,
    Support,
)

SORTS = {
    "number": ("number", "id"),
    "cost": ("cost", "number"),
    "-cost": ("-cost", "number"),
    "support": ("-support_count", "number"),
}


def safe_url(name: str, **kwargs) -> str:
    """A URL by name, or "" when another part's page is not installed (yet)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def phase_action(cycle: Cycle) -> dict | None:
    """The main call to action of a cycle in its current phase."""
    code = rules.phase_code(cycle)
    if code == "ideas":
        url, label = safe_url("budget:project_new", slug=cycle.slug), _("Подати проєкт")
    elif code == "support":
        url, label = safe_url("budget:projects", slug=cycle.slug), _("Підтримати проєкти")
    elif code == "voting":
        url, label = safe_url("budget:vote", slug=cycle.slug), _("Проголосувати")
    elif code in ("results", "implementation"):
        url, label = safe_url("budget:results", slug=cycle.slug), _("Переглянути підсумки")
    else:
        url, label = safe_url("budget:projects", slug=cycle.slug), _("Переглянути проєкти")
    return {"url": url, "label": label} if url else None


def home_summary(*, hromada) -> dict:
    """The home block: the running cycles, each with its phase and call to action."""
    items = []
    for cycle in selectors.cycles_running(hromada=hromada):
        items.append(
            {
                "cycle": cycle,
                "phase": selectors.current_phase(cycle),
                "action": phase_action(cycle),
                "url": reverse("budget:cycle", kwargs={"slug": cycle.slug}),
                "projects": selectors.public_projects(hromada=hromada, cycle=cycle).count(),
            }
        )
    return {"cycles": items}


def project_audience(project: Project) -> list:
    """Who is told of a project's news: the author, accepted co-authors, supporters."""
    ids = set(
        CoAuthor.objects.for_hromada(project.hromada_id)
        .filter(project=project, accepted_at__isnull=False)
        .values_list("user_id", flat=True)
    )
    ids |= set(
        Support.objects.for_hromada(project.hromada_id)
        .filter(project=project, user__isnull=False)
        .values_list("user_id", flat=True)
    )
    if project.author_id:
        ids.add(project.author_id)
    ids.discard(None)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@dataclass
class ProjectFilters:
    category: str = ""  # slug or public id
    status: str = ""
    area: str = ""  # place area slug
    q: str = ""
    sort: str = "number"


def project_list(
    *, hromada, cycle: Cycle | None = None, filters: ProjectFilters | None = None
) -> QuerySet[Project]:
    filters = filters or ProjectFilters()
    rows = selectors.public_projects(hromada=hromada, cycle=cycle).select_related("place_area")
    if filters.category:
        cond = Q(category__slug=filters.category)
        if _uuid_like(filters.category):
            cond |= Q(category__public_id=filters.category)
        rows = rows.filter(cond)
    if filters.status in [s.value for s in PUBLIC_STATUSES]:
        rows = rows.filter(status=filters.status)
    elif filters.status in ("winner", "implementing", "delayed", "done", "not_selected"):
        rows = rows.filter(outcome=filters.status)
    if filters.area:
        rows = rows.filter(place_area__slug=filters.area)
    q = (filters.q or "").strip()
    if q:
        cond = Q(title__icontains=q) | Q(summary__icontains=q) | Q(address__icontains=q)
        if q.isdigit():
            cond |= Q(number=int(q))
        rows = rows.filter(cond)
    return rows.order_by(*SORTS.get(filters.sort, SORTS["number"]))


def _uuid_like(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def project_url(project: Project) -> str:
    return reverse("budget:project", kwargs={"public_id": project.public_id})


def projects_geojson(*, hromada, cycle: Cycle, filters: ProjectFilters | None = None) -> dict:
    """The map layer: every public project of the cycle with a point (or an area)."""
    features = []
    for p in project_list(hromada=hromada, cycle=cycle, filters=filters):
        geometry = p.area_geojson if p.lat is None and p.area_geojson else None
        if p.lat is not None and p.lon is not None:
            geometry = {"type": "Point", "coordinates": [p.lon, p.lat]}
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {
                    "id": str(p.public_id),
                    "number": p.number,
                    "label": f"№{p.number} {p.title}",
                    "url": project_url(p),
                    "meta": f"{p.category.title} · {p.get_status_display()}",
                    "status": p.status,
                    "cost": p.voted_cost,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def cycle_counts(cycle: Cycle) -> dict:
    rows = Project.objects.for_hromada(cycle.hromada_id).filter(cycle=cycle, status__in=PUBLIC_STATUSES)
    by_status = dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "total": sum(by_status.values()),
        "submitted": by_status.get(ProjectStatus.SUBMITTED, 0),
        "review": by_status.get(ProjectStatus.REVIEW, 0),
        "admitted": by_status.get(ProjectStatus.ADMITTED, 0),
        "rejected": by_status.get(ProjectStatus.REJECTED, 0),
    }


def category_counts(cycle: Cycle) -> dict[int, int]:
    rows = Project.objects.for_hromada(cycle.hromada_id).filter(cycle=cycle, status__in=PUBLIC_STATUSES)
    return dict(rows.values_list("category_id").annotate(n=Count("id")).values_list("category_id", "n"))


def places_of(cycle: Cycle) -> list:
    """The districts and okrugs the cycle's projects are in (the list filter's options)."""
    from hromada.places.models import Area

    ids = (
        Project.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle, status__in=PUBLIC_STATUSES, place_area__isnull=False)
        .values_list("place_area_id", flat=True)
        .distinct()
    )
    return list(Area.objects.for_hromada(cycle.hromada_id).filter(pk__in=list(ids)).order_by("name"))


def is_editor(user, project: Project) -> bool:
    from .services.projects import is_editor as _is_editor

    return _is_editor(user, project)


def project_for_viewer(*, hromada, public_id, user) -> Project:
    """A public project, or a draft/withdrawn one its authors open; 404 otherwise."""
    try:
        return selectors.project_get(hromada=hromada, public_id=public_id)
    except NotFound:
        project = selectors.project_get(hromada=hromada, public_id=public_id, public_only=False)
        if is_editor(user, project):
            return project
        raise


def project_for_editor(*, hromada, public_id, user) -> Project:
    project = selectors.project_get(hromada=hromada, public_id=public_id, public_only=False)
    if not is_editor(user, project):
        raise NotFound("project_not_found", _("Такого проєкту немає."))
    return project


def coauthor_names(project: Project) -> list[str]:
    from .services.projects import author_display_name

    rows = (
        CoAuthor.objects.for_hromada(project.hromada_id)
        .filter(project=project, accepted_at__isnull=False)
        .select_related("user")
        .order_by("accepted_at")
    )
    return [author_display_name(c.user) for c in rows if c.user is not None]


def coauthors_of(project: Project) -> list[CoAuthor]:
    return list(
        CoAuthor.objects.for_hromada(project.hromada_id)
        .filter(project=project)
        .select_related("user")
        .order_by("id")
    )


def decided_review(project: Project) -> Review | None:
    """The review once decided (the public part: decision, reasons, the author's answer)."""
    review = Review.objects.for_hromada(project.hromada_id).filter(project=project).first()
    return review if review is not None and review.decision else None


def project_detail(project: Project) -> dict:
    lines = list(project.cost_lines.order_by("order", "id"))
    files = list(project.files.filter(update__isnull=True).order_by("id"))
    reviewed = any(line.reviewed_amount is not None for line in lines) or project.reviewed_cost is not None
    return {
        "lines": lines,
        "reviewed": reviewed,
        "photos": [f for f in files if f.is_image],
        "documents": [f for f in files if not f.is_image],
        "coauthors": coauthor_names(project),
        "review": decided_review(project),
    }


def my_projects(*, hromada, user) -> list[Project]:
    """The person's projects as author or accepted co-author, drafts included."""
    if user is None or not user.is_authenticated:
        return []
    co = (
        CoAuthor.objects.for_hromada(hromada)
        .filter(user=user, accepted_at__isnull=False)
        .values("project_id")
    )
    return list(
        Project.objects.for_hromada(hromada)
        .filter(Q(author=user) | Q(pk__in=co))
        .select_related("cycle", "category")
        .order_by("-created_at", "-id")
    )


def is_editable(project: Project) -> bool:
    return project.status in EDITABLE_STATUSES
