"""Test data for the staff parts (review, implementation): projects made directly,
as the projects part's services are not on this branch."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from hromada.accounts.tests.factories import DepartmentFactory, StaffRoleFactory, UserFactory
from hromada.budget.models import (
    Ballot,
    Category,
    CostLine,
    Cycle,
    Outcome,
    Project,
    ProjectStatus,
    Review,
    Support,
)


def make_project(
    cycle: Cycle,
    *,
    category: Category | None = None,
    author=None,
    status: str = ProjectStatus.SUBMITTED,
    outcome: str = "",
    lines: tuple[tuple[str, int, int], ...] = (("Лавки", 10, 5_000), ("Доставка", 1, 10_000)),
    title: str = "Сквер біля школи",
    support_count: int = 0,
) -> Project:
    category = category or cycle.categories.order_by("order").first()
    number = cycle.next_project_number
    cycle.next_project_number += 1
    cycle.save(update_fields=["next_project_number"])
    cost = sum(q * p for _i, q, p in lines)
    project = Project.objects.create(
        hromada=cycle.hromada,
        cycle=cycle,
        category=category,
        number=number,
        status=status,
        outcome=outcome,
        title=title,
        summary="Коротко",
        description="Опис проєкту",
        problem="Немає де сісти",
        beneficiaries="Мешканці",
        cost=cost,
        author=author or UserFactory(),
        author_name="Олена Петренко",
        submitted_at=timezone.now(),
        support_count=support_count,
    )
    for n, (item, qty, price) in enumerate(lines):
        CostLine.objects.create(
            hromada=cycle.hromada,
            project=project,
            order=n,
            item=item,
            quantity=Decimal(qty),
            unit="шт",
            unit_price=price,
            amount=qty * price,
        )
    return project


def officer_in(hromada, department=None):
    department = department or DepartmentFactory(hromada=hromada)
    return StaffRoleFactory(hromada=hromada, role="officer", department=department).user, department


def make_winner(cycle: Cycle, **kw) -> Project:
    return make_project(cycle, status=ProjectStatus.ADMITTED, outcome=Outcome.WINNER, **kw)


def support(project: Project, user) -> Support:
    return Support.objects.create(
        hromada=project.hromada,
        project=project,
        user=user,
        supporter=f"s{user.pk}",
        created_at=timezone.now(),
    )


def ballot(project: Project, user, choices=None) -> Ballot:
    return Ballot.objects.create(
        hromada=project.hromada,
        category=project.category,
        voter=f"v{user.pk}",
        channel="online",
        choices=choices if choices is not None else [str(project.public_id)],
        cast_at=timezone.now(),
        user=user,
    )


def review_row(project: Project) -> Review | None:
    return Review.objects.filter(project=project).first()
