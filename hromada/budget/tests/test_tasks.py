"""The module's job and the staff home's figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import DepartmentFactory, role_matrix, staff_user
from hromada.budget.models import ImplementationUpdate, Project, Review
from hromada.budget.services import review as review_services
from hromada.budget.staff_selectors import staff_summary
from hromada.budget.tasks import budget_tick
from hromada.core.modules import registry
from hromada.notify.models import Notification

from .factories import make_cycle
from .helpers_staff import make_project, make_winner, officer_in

pytestmark = pytest.mark.django_db


def test_the_tick_is_the_modules_job():
    assert "hromada.budget.tasks.budget_tick" in [job.path for job in registry.jobs()]


def test_the_tick_tells_the_department_once_per_overdue_review(hromada):
    cycle = make_cycle(hromada, current="review")
    admin = staff_user(hromada, "admin")
    late, on_time = make_project(cycle), make_project(cycle)
    officer, department = officer_in(hromada)
    review_services.review_assign(project=late, actor=admin, department=department)
    review_services.review_assign(project=on_time, actor=admin, department=department)
    Review.objects.filter(project=late).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    assert budget_tick() == 1
    assert budget_tick() == 0
    notes = Notification.objects.filter(kind="budget.review_overdue", user=officer)
    assert notes.count() == 1 and f"№{late.number}" in notes.get().title
    # A decided review is no longer overdue.
    review_services.review_decide(project=late, actor=admin, decision="rejected", reasons="Ні", revision=1)
    Notification.objects.filter(kind="budget.review_overdue").delete()
    assert budget_tick() == 0


def figures(hromada, user) -> dict:
    return {str(c.label): c for c in staff_summary(hromada=hromada, user=user)}


def test_the_staff_home_counts_what_each_role_may_act_on(hromada, other_hromada):
    cycle = make_cycle(hromada, current="review")
    admin = staff_user(hromada, "admin")
    waiting = make_project(cycle)
    late = make_project(cycle)
    review_services.review_assign(project=late, actor=admin, department=DepartmentFactory(hromada=hromada))
    Review.objects.filter(project=late).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    quiet = make_winner(cycle)
    Project.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() - dt.timedelta(days=40))
    fresh = make_winner(cycle)
    ImplementationUpdate.objects.create(
        hromada=hromada, project=fresh, text="x", progress=10, published_at=timezone.now()
    )
    users = role_matrix(hromada, other_hromada)
    mine = figures(hromada, admin)
    assert mine["Проєкти бюджету участі чекають експертизи"].value == 2
    overdue = mine["Прострочена експертиза проєктів"]
    assert overdue.value == 1 and overdue.overdue and str(late.public_id) in overdue.items[0][1]
    assert mine["Переможці без звіту понад 30 днів"].value == 1
    assert figures(hromada, users["moderator"]) == {}
    assert figures(hromada, users["other_admin"]) == {}  # staff of another hromada
    # An officer outside the assigned department sees none of the queue.
    assert figures(hromada, users["officer"])["Проєкти бюджету участі чекають експертизи"].value == 0
    assert waiting.pk
