"""Reads every part of the module shares: cycles, their phases and categories. Each
part has its own selectors beside it (project_selectors, voting_selectors,
result_selectors, staff_selectors); all take `hromada=`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core import phases
from hromada.core.errors import NotFound
from hromada.core.models import Phase

from .models import PUBLIC_STATUSES, Category, Cycle, Project


def cycles_public(*, hromada) -> QuerySet[Cycle]:
    """Every cycle of the hromada, newest first (cycles are public from creation: their
    schedule and rules are the call for ideas)."""
    return Cycle.objects.for_hromada(hromada).select_related("plan").order_by("-created_at", "-id")


def cycles_running(*, hromada, now: dt.datetime | None = None) -> list[Cycle]:
    """Cycles whose plan has a phase in force now."""
    now = now or timezone.now()
    return [c for c in cycles_public(hromada=hromada) if phases.current_phase(c.plan, now) is not None]


def cycle_get(*, hromada, slug: str) -> Cycle:
    cycle = cycles_public(hromada=hromada).filter(slug=slug).first()
    if cycle is None:
        raise NotFound("cycle_not_found", _("Такого циклу бюджету участі немає."))
    return cycle


def cycle_by_public_id(*, hromada, public_id) -> Cycle:
    try:
        cycle = cycles_public(hromada=hromada).filter(public_id=public_id).first()
    except (ValueError, TypeError):  # not a UUID
        cycle = None
    if cycle is None:
        raise NotFound("cycle_not_found", _("Такого циклу бюджету участі немає."))
    return cycle


def categories_of(cycle: Cycle) -> list[Category]:
    return list(
        Category.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle)
        .select_related("area")
        .order_by("order")
    )


def category_get(cycle: Cycle, public_id) -> Category:
    try:
        row = Category.objects.for_hromada(cycle.hromada_id).filter(cycle=cycle, public_id=public_id).first()
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise NotFound("category_not_found", _("Такої категорії в цьому циклі немає."))
    return row


@dataclass(frozen=True)
class TimelineStep:
    phase: Phase
    state: str  # "past", "current", "future"


def timeline(cycle: Cycle, now: dt.datetime | None = None) -> list[TimelineStep]:
    """The cycle's phases for the page's timeline, each past, current or to come."""
    now = now or timezone.now()
    steps = []
    for phase in phases.plan_phases(cycle.plan):
        if phase.ends_at <= now:
            state = "past"
        elif phase.starts_at <= now:
            state = "current"
        else:
            state = "future"
        steps.append(TimelineStep(phase, state))
    return steps


def current_phase(cycle: Cycle, now: dt.datetime | None = None) -> Phase | None:
    return phases.current_phase(cycle.plan, now)


def public_projects(*, hromada, cycle: Cycle | None = None) -> QuerySet[Project]:
    """Projects the public sees: submitted and on (drafts and withdrawn ones never)."""
    rows = Project.objects.for_hromada(hromada).filter(status__in=PUBLIC_STATUSES)
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    return rows.select_related("category", "cycle").order_by("cycle", "number")


def project_get(*, hromada, public_id, public_only: bool = True) -> Project:
    rows = Project.objects.for_hromada(hromada).select_related("category", "cycle", "cycle__plan")
    if public_only:
        rows = rows.filter(status__in=PUBLIC_STATUSES)
    try:
        project = rows.filter(public_id=public_id).first()
    except (ValueError, TypeError):
        project = None
    if project is None:
        raise NotFound("project_not_found", _("Такого проєкту немає."))
    return project


def cost_lines_of(project: Project) -> list:
    """The project's estimate, line by line, in its order."""
    from .models import CostLine

    return list(
        CostLine.objects.for_hromada(project.hromada_id).filter(project=project).order_by("order", "id")
    )


def stages_of(project: Project) -> list:
    """The winning project's implementation stages, in their order."""
    from .models import Stage

    return list(Stage.objects.for_hromada(project.hromada_id).filter(project=project).order_by("order", "id"))


def funded_projects(*, hromada, kpkvk: str | None = None) -> list[dict]:
    """Public projects that name the budget programme (КПКВК) funding them, as plain
    values for other modules (the open budget explorer links programme lines to them):
    code, title, number, cycle, cost, outcome, url."""
    from django.urls import NoReverseMatch, reverse

    rows = (
        Project.objects.for_hromada(hromada)
        .filter(status__in=PUBLIC_STATUSES)
        .exclude(kpkvk="")
        .select_related("cycle")
        .order_by("kpkvk", "cycle", "number")
    )
    if kpkvk is not None:
        rows = rows.filter(kpkvk=kpkvk)
    out = []
    for project in rows[:500]:
        try:
            url = reverse("budget:project", kwargs={"public_id": project.public_id})
        except NoReverseMatch:
            url = ""
        out.append(
            {
                "kpkvk": project.kpkvk,
                "title": project.title,
                "number": project.number,
                "cycle": project.cycle.title if project.cycle_id else "",
                "cost": project.reviewed_cost or project.cost,
                "outcome": project.get_outcome_display() if project.outcome else "",
                "url": url,
            }
        )
    return out
