"""Reads for the staff console: the cycles list, the review queue, the implementation
list, and the figures on the staff home. All take `hromada=`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Max, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import Department
from hromada.accounts.rules import has_perm
from hromada.core.errors import NotFound
from hromada.core.modules import StaffCounter
from hromada.places.models import Area, AreaKind

from . import rules
from .models import Cycle, Project, ProjectStatus, Review
from .selectors import current_phase, cycles_public
from .services.implementation import IMPLEMENTED

QUIET_DAYS = 30


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@dataclass
class CycleRow:
    cycle: Cycle
    phase: object | None
    projects: int


def cycle_rows(*, hromada) -> list[CycleRow]:
    rows = []
    counts = Counter(
        Project.objects.for_hromada(hromada)
        .exclude(status=ProjectStatus.DRAFT)
        .values_list("cycle_id", flat=True)
    )
    for cycle in cycles_public(hromada=hromada):
        rows.append(CycleRow(cycle, current_phase(cycle), counts.get(cycle.pk, 0)))
    return rows


def status_counts(cycle: Cycle) -> list[tuple[str, object, int]]:
    """(status, label, count) of the cycle's projects, every status shown."""
    counts = Counter(
        Project.objects.for_hromada(cycle.hromada_id).filter(cycle=cycle).values_list("status", flat=True)
    )
    return [(value, label, counts.get(value, 0)) for value, label in ProjectStatus.choices]


def residence_areas(*, hromada) -> QuerySet[Area]:
    """The districts and starosta okrugs a cycle or an area pot may be limited to."""
    return (
        Area.objects.for_hromada(hromada)
        .filter(kind__in=[AreaKind.DISTRICT, AreaKind.OKRUG])
        .order_by("kind", "name")
    )


def departments_for(*, hromada) -> QuerySet[Department]:
    return Department.objects.filter(hromada=hromada).order_by("name")


@dataclass
class QueueFilters:
    cycle: str = ""
    department: str = ""
    overdue: bool = False

    @classmethod
    def from_query(cls, query) -> QueueFilters:
        return cls(
            cycle=(query.get("cycle") or "")[:60],
            department=(query.get("department") or "")[:40],
            overdue=query.get("overdue") == "1",
        )

    @property
    def active(self) -> bool:
        return bool(self.cycle or self.department or self.overdue)


@dataclass
class QueueRow:
    project: Project
    review: Review | None
    overdue: bool


def review_queue(
    *, hromada, user, filters: QueueFilters | None = None, today: dt.date | None = None
) -> list[QueueRow]:
    """Projects submitted or under review, oldest first. An officer (who reviews but does
    not assign) sees only their department's projects."""
    filters = filters or QueueFilters()
    today = today or timezone.localdate()
    rows = (
        Project.objects.for_hromada(hromada)
        .filter(status__in=[ProjectStatus.SUBMITTED, ProjectStatus.REVIEW])
        .select_related("cycle", "category", "review", "review__department")
        .order_by("cycle_id", "number")
    )
    if filters.cycle:
        rows = rows.filter(cycle__slug=filters.cycle)
    if filters.department:
        try:
            rows = rows.filter(review__department__public_id=filters.department)
        except (ValueError, TypeError):
            rows = rows.none()
    if filters.overdue:
        rows = rows.filter(review__due_date__lt=today, review__decision="")
    if not has_perm(user, hromada, "budget.assign"):
        from hromada.accounts.models import StaffRole

        mine = StaffRole.objects.filter(hromada=hromada, user=user, department__isnull=False).values_list(
            "department_id", flat=True
        )
        rows = rows.filter(review__department_id__in=list(mine))
    out = []
    for project in rows:
        review = getattr(project, "review", None) if hasattr(project, "review") else None
        overdue = bool(review and review.due_date and review.due_date < today and not review.decision)
        out.append(QueueRow(project, review, overdue))
    return out


def review_project(*, hromada, public_id) -> Project:
    """A project for the review page (any status but draft)."""
    rows = (
        Project.objects.for_hromada(hromada)
        .exclude(status=ProjectStatus.DRAFT)
        .select_related("cycle", "cycle__plan", "category", "place_area")
    )
    try:
        project = rows.filter(public_id=public_id).first()
    except (ValueError, TypeError):
        project = None
    if project is None:
        raise NotFound("project_not_found", _("Такого проєкту немає."))
    return project


def review_of(project: Project) -> Review | None:
    return (
        Review.objects.for_hromada(project.hromada_id)
        .filter(project=project)
        .select_related("department")
        .first()
    )


@dataclass
class WinnerRow:
    project: Project
    progress: int
    spent: int
    last_update: dt.datetime | None
    quiet: bool


def winners(*, hromada, cycle: str = "", now: dt.datetime | None = None) -> list[WinnerRow]:
    """The winning projects with their latest progress and money spent."""
    now = now or timezone.now()
    rows = (
        Project.objects.for_hromada(hromada)
        .filter(outcome__in=IMPLEMENTED)
        .select_related("cycle", "category")
        .annotate(last=Max("updates__published_at"))
        .order_by("cycle_id", "number")
    )
    if cycle:
        rows = rows.filter(cycle__slug=cycle)
    from .models import ImplementationUpdate

    latest: dict[int, ImplementationUpdate] = {}
    for update in (
        ImplementationUpdate.objects.for_hromada(hromada)
        .filter(project__in=[p.pk for p in rows])
        .order_by("project_id", "-published_at", "-id")
    ):
        latest.setdefault(update.project_id, update)
    out = []
    for project in rows:
        update = latest.get(project.pk)
        last = update.published_at if update else None
        quiet = project.outcome != "done" and (last or project.updated_at) < now - dt.timedelta(
            days=QUIET_DAYS
        )
        out.append(
            WinnerRow(project, update.progress if update else 0, update.spent if update else 0, last, quiet)
        )
    return out


def winner_get(*, hromada, public_id) -> Project:
    try:
        project = (
            Project.objects.for_hromada(hromada)
            .filter(outcome__in=IMPLEMENTED, public_id=public_id)
            .select_related("cycle", "category")
            .first()
        )
    except (ValueError, TypeError):
        project = None
    if project is None:
        raise NotFound("project_not_found", _("Такого проєкту-переможця немає."))
    return project


def staff_summary(*, hromada, user) -> list[StaffCounter]:
    """The budget's figures on the staff home, only for what `user` may act on."""
    out: list[StaffCounter] = []
    today = timezone.localdate()
    if rules.can_review(user, hromada):
        queue = review_queue(hromada=hromada, user=user, today=today)
        url = _url("staff_budget:review_queue")
        waiting = [row for row in queue if not (row.review and row.review.decision)]
        late = [row for row in waiting if row.overdue]
        out.append(StaffCounter(_("Проєкти бюджету участі чекають експертизи"), len(waiting), url))
        out.append(
            StaffCounter(
                _("Прострочена експертиза проєктів"),
                len(late),
                url + "?overdue=1" if url else "",
                overdue=True,
                items=tuple(
                    (
                        f"№{row.project.number} {row.project.title}"[:80],
                        _url("staff_budget:review", public_id=row.project.public_id),
                    )
                    for row in late[:5]
                ),
            )
        )
    if rules.can_report_progress(user, hromada):
        quiet = [row for row in winners(hromada=hromada) if row.quiet]
        out.append(
            StaffCounter(
                _("Переможці без звіту понад 30 днів"),
                len(quiet),
                _url("staff_budget:implementation"),
                overdue=True,
                items=tuple(
                    (
                        f"№{row.project.number} {row.project.title}"[:80],
                        _url("staff_budget:implementation_project", public_id=row.project.public_id),
                    )
                    for row in quiet[:5]
                ),
            )
        )
    return out
