"""Expert review: assignment, checklist and corrected estimate, decision, the author's
one answer, the support threshold's verdict, the overdue notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import DepartmentFactory, UserFactory, role_matrix, staff_user
from hromada.budget.models import CostLine, Project, ProjectStatus, Review
from hromada.budget.services import review as svc
from hromada.budget.tasks import budget_tick
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .factories import make_cycle
from .helpers_staff import make_project, officer_in, review_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(hromada):
    return make_cycle(hromada, current="review")


@pytest.fixture
def admin(hromada):
    return staff_user(hromada, "admin")


def assigned(cycle, admin, **kw):
    project = make_project(cycle, **kw)
    officer, department = officer_in(cycle.hromada)
    svc.review_assign(project=project, actor=admin, department=department)
    project.refresh_from_db()
    return project, officer, department


def ledger(hromada, kind):
    return list(LedgerEntry.objects.filter(hromada=hromada, kind=kind).order_by("id"))


def test_assigning_sends_the_project_to_review_and_tells_the_department(hromada, cycle, admin):
    project = make_project(cycle)
    officer, department = officer_in(hromada)
    review = svc.review_assign(project=project, actor=admin, department=department)
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEW
    assert review.department == department
    assert review.due_date == timezone.localdate() + dt.timedelta(days=21)  # BudgetSettings.review_days
    note = Notification.objects.get(user=officer, kind="budget.review_assigned")
    assert f"№{project.number}" in note.title and str(project.public_id) in note.url
    entry = ledger(hromada, "budget.project_assigned")[-1]
    assert (
        entry.payload["project"] == str(project.public_id) and entry.payload["department"] == department.name
    )


@pytest.mark.parametrize("actor", ["officer", "moderator", "resident", "anonymous", "other_admin"])
def test_only_an_assigner_assigns_and_a_refusal_changes_nothing(hromada, other_hromada, cycle, actor):
    users = role_matrix(hromada, other_hromada)
    project = make_project(cycle)
    with pytest.raises(PermissionDenied):
        svc.review_assign(project=project, actor=users[actor], department=DepartmentFactory(hromada=hromada))
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED and not Review.objects.exists()
    assert not ledger(hromada, "budget.project_assigned")


def test_a_department_of_another_hromada_or_a_past_due_date_is_refused(hromada, other_hromada, cycle, admin):
    project = make_project(cycle)
    with pytest.raises(DomainError) as refused:
        svc.review_assign(project=project, actor=admin, department=DepartmentFactory(hromada=other_hromada))
    assert refused.value.code == "invalid_department" and refused.value.field == "department"
    with pytest.raises(DomainError) as refused:
        svc.review_assign(
            project=project,
            actor=admin,
            department=DepartmentFactory(hromada=hromada),
            due_date=timezone.localdate() - dt.timedelta(days=1),
        )
    assert refused.value.code == "due_date_past"
    project.refresh_from_db()
    assert project.status == ProjectStatus.SUBMITTED and not Review.objects.exists()


def test_review_waits_for_the_ideas_phase_to_end(hromada, admin):
    cycle = make_cycle(hromada, current="ideas")
    project = make_project(cycle)
    with pytest.raises(DomainError) as refused:
        svc.review_assign(project=project, actor=admin, department=DepartmentFactory(hromada=hromada))
    assert refused.value.code == "review_not_started" and refused.value.status == 409


def test_the_checklist_and_corrected_lines_make_the_reviewed_cost(hromada, cycle, admin):
    project, officer, _d = assigned(cycle, admin)
    lines = list(CostLine.objects.filter(project=project))
    checklist = {"competence": True, "land": {"value": False, "note": "Приватна ділянка"}, "feasible": None}
    svc.review_save(project=project, actor=officer, checklist=checklist, line_amounts={lines[0].pk: 40_000})
    project.refresh_from_db()
    assert project.reviewed_cost == 40_000 + 10_000 and project.voted_cost == 50_000
    review = review_row(project)
    assert review.checklist["land"] == {"value": False, "note": "Приватна ділянка"}
    assert review.checklist["feasible"] == {"value": None, "note": ""} and review.reviewer == officer
    # Back to the author's figures: no correction.
    svc.review_save(project=project, actor=officer, checklist={}, line_amounts={lines[0].pk: None})
    project.refresh_from_db()
    assert project.reviewed_cost is None


@pytest.mark.parametrize(
    ("checklist", "amounts", "code"),
    [
        ({"unknown": True}, None, "checklist_invalid"),
        ({"land": "maybe"}, None, "checklist_invalid"),
        ({}, {999_999: 10}, "cost_line_unknown"),
        ({}, "negative", "amount_invalid"),
    ],
)
def test_a_bad_review_save_changes_nothing(hromada, cycle, admin, checklist, amounts, code):
    project, officer, _d = assigned(cycle, admin)
    if amounts == "negative":
        amounts = {CostLine.objects.filter(project=project).first().pk: -5}
    with pytest.raises(DomainError) as refused:
        svc.review_save(project=project, actor=officer, checklist=checklist, line_amounts=amounts)
    assert refused.value.code == code
    project.refresh_from_db()
    assert project.reviewed_cost is None and review_row(project).checklist == {}
    assert not CostLine.objects.filter(project=project, reviewed_amount__isnull=False).exists()


def test_an_officer_of_another_department_may_not_review(hromada, cycle, admin):
    project, _officer, _d = assigned(cycle, admin)
    stranger, _other = officer_in(hromada)
    with pytest.raises(PermissionDenied):
        svc.review_save(project=project, actor=stranger, checklist={"land": True})
    assert review_row(project).checklist == {}


def test_the_decision_admits_with_reasons_is_ledgered_and_tells_the_author(hromada, cycle, admin):
    project, officer, _d = assigned(cycle, admin)
    svc.review_decide(
        project=project, actor=officer, decision="admitted", reasons="Усе відповідає положенню.", revision=1
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.ADMITTED
    review = review_row(project)
    assert review.decided_by == officer and review.revision == 1
    entry = ledger(hromada, "budget.project_reviewed")[-1]
    assert entry.payload == {
        "project": str(project.public_id),
        "decision": "admitted",
        "reasons": "Усе відповідає положенню.",
        "reviewed_cost": None,
    }
    assert Notification.objects.filter(user=project.author, kind="budget.project_reviewed").count() == 1


@pytest.mark.parametrize(
    ("decision", "reasons", "revision", "code"),
    [
        ("admitted", "  ", 1, "reasons_required"),
        ("maybe", "Так", 1, "decision_invalid"),
        ("rejected", "Так", 2, "revision_conflict"),
    ],
)
def test_a_bad_decision_changes_nothing(hromada, cycle, admin, decision, reasons, revision, code):
    project, officer, _d = assigned(cycle, admin)
    with pytest.raises(DomainError) as refused:
        svc.review_decide(
            project=project, actor=officer, decision=decision, reasons=reasons, revision=revision
        )
    assert refused.value.code == code
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEW and review_row(project).decision == ""
    assert not ledger(hromada, "budget.project_reviewed")


def test_the_author_editing_meanwhile_is_a_conflict(hromada, cycle, admin):
    project, officer, _d = assigned(cycle, admin)
    Project.objects.filter(pk=project.pk).update(revision=2)
    with pytest.raises(DomainError) as refused:
        svc.review_decide(project=project, actor=officer, decision="rejected", reasons="Ні", revision=1)
    assert refused.value.status == 409


def test_a_decided_project_is_not_decided_again(hromada, cycle, admin):
    project, officer, _d = assigned(cycle, admin)
    svc.review_decide(
        project=project, actor=officer, decision="rejected", reasons="Не наша ділянка", revision=1
    )
    with pytest.raises(DomainError) as refused:
        svc.review_decide(project=project, actor=officer, decision="admitted", reasons="Так", revision=1)
    assert refused.value.code == "not_in_review"
    with pytest.raises(DomainError):
        svc.review_assign(project=project, actor=admin, department=DepartmentFactory(hromada=hromada))


def test_admitting_over_the_category_maximum_is_refused(hromada, cycle, admin):
    project, officer, _d = assigned(cycle, admin)
    svc.review_save(project=project, actor=officer, checklist={}, reviewed_cost=300_000)  # small: max 200 000
    with pytest.raises(DomainError) as refused:
        svc.review_decide(project=project, actor=officer, decision="admitted", reasons="Так", revision=1)
    assert refused.value.code == "reviewed_cost_over_max"


def test_the_author_answers_once_after_the_decision(hromada, cycle, admin):
    project, officer, _d = assigned(cycle, admin)
    with pytest.raises(DomainError) as refused:
        svc.author_answer(project=project, actor=project.author, text="Не згоден")
    assert refused.value.code == "answer_before_decision"
    svc.review_decide(
        project=project, actor=officer, decision="rejected", reasons="Не наша ділянка", revision=1
    )
    with pytest.raises(PermissionDenied):
        svc.author_answer(project=project, actor=UserFactory(), text="Я теж")
    with pytest.raises(DomainError) as refused:
        svc.author_answer(project=project, actor=project.author, text=" ")
    assert refused.value.code == "answer_required"
    svc.author_answer(project=project, actor=project.author, text="Ділянка комунальна, ось витяг.")
    review = review_row(project)
    assert review.author_answer == "Ділянка комунальна, ось витяг." and review.author_answered_at
    assert ledger(hromada, "budget.author_answered")[-1].payload == {"project": str(project.public_id)}
    assert Notification.objects.filter(user=officer, kind="budget.author_answered").count() == 1
    with pytest.raises(DomainError) as refused:
        svc.author_answer(project=project, actor=project.author, text="Ще раз")
    assert refused.value.code == "answer_once"
    assert review_row(project).author_answer == "Ділянка комунальна, ось витяг."


def test_support_close_rejects_projects_below_the_threshold_once(hromada):
    cycle = make_cycle(hromada, current="review", support_threshold=10)
    short = make_project(cycle, support_count=3)
    enough = make_project(cycle, support_count=10)
    assert svc.support_close(cycle=cycle) == 1
    assert svc.support_close(cycle=cycle) == 0
    short.refresh_from_db()
    enough.refresh_from_db()
    assert short.status == ProjectStatus.REJECTED and enough.status == ProjectStatus.SUBMITTED
    review = review_row(short)
    assert review.reasons == "Проєкт не набрав потрібної кількості підтримок (3 з 10)."
    assert review.decided_by is None
    entry = ledger(hromada, "budget.project_reviewed")[-1]
    assert entry.payload["decision"] == "rejected" and entry.payload["project"] == str(short.public_id)
    assert Notification.objects.filter(user=short.author, kind="budget.project_reviewed").exists()


def test_the_tick_reports_an_overdue_review_once(hromada, other_hromada, cycle, admin):
    project, officer, department = assigned(cycle, admin)
    Review.objects.filter(project=project).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    other_cycle = make_cycle(other_hromada, current="review")
    make_project(other_cycle)
    assert budget_tick() == 1
    assert budget_tick() == 0
    notes = Notification.objects.filter(kind="budget.review_overdue")
    assert {officer, admin} <= {n.user for n in notes}
    assert all(n.hromada == hromada for n in notes)


def test_a_project_of_another_hromada_is_not_found_in_the_staff_read(hromada, other_hromada, cycle):
    from hromada.budget import staff_selectors
    from hromada.core.errors import NotFound

    project = make_project(cycle)
    with pytest.raises(NotFound):
        staff_selectors.review_project(hromada=other_hromada, public_id=project.public_id)
    assert staff_selectors.review_queue(hromada=other_hromada, user=staff_user(other_hromada, "admin")) == []
