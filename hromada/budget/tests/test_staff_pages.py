"""The staff console's pages: who sees them (role matrix), cross-hromada, errors shown
in Ukrainian by their field with nothing typed lost."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import DepartmentFactory, role_matrix, staff_user
from hromada.budget.models import ImplementationUpdate, Project, ProjectStatus, Review
from hromada.budget.services import review as review_services

from .factories import make_cycle
from .helpers_staff import make_project, make_winner, officer_in

pytestmark = pytest.mark.django_db

# page → the roles that may open it (module.py: manage_cycles admin; review admin+officer;
# report_progress admin+officer).
PAGES = {
    "cycles": {"admin"},
    "cycle_new": {"admin"},
    "review_queue": {"admin", "officer"},
    "implementation": {"admin", "officer"},
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_the_role_matrix_of_each_page(client, hromada, other_hromada, page):
    users = role_matrix(hromada, other_hromada)
    url = reverse(f"staff_budget:{page}")
    for name, user in users.items():
        client.logout()
        if name != "anonymous":
            client.force_login(user)
        response = client.get(url)
        if name == "anonymous":
            assert response.status_code == 302, name
        elif name in PAGES[page]:
            assert response.status_code == 200, name
        else:
            assert response.status_code == 403, name
            assert "Доступ заборонено" in response.content.decode()


def test_the_cycle_page_shows_phases_counts_categories_and_consoles(client, hromada):
    cycle = make_cycle(hromada, current="review")
    make_project(cycle)
    client.force_login(staff_user(hromada, "admin"))
    html = client.get(reverse("staff_budget:cycle", kwargs={"slug": cycle.slug})).content.decode()
    assert "Експертиза" in html and "Завершити етап зараз" in html and "Продовжити етап" in html
    assert "Малі проєкти" in html and "Великі проєкти" in html
    assert reverse("staff_budget:review_queue") in html


def test_a_cycle_of_another_hromada_is_not_found(client, hromada, other_hromada):
    cycle = make_cycle(other_hromada, slug="theirs")
    client.force_login(staff_user(hromada, "admin"))
    assert client.get(reverse("staff_budget:cycle", kwargs={"slug": cycle.slug})).status_code == 404


def test_the_review_queue_filters_and_shows_due_dates(client, hromada):
    cycle = make_cycle(hromada, current="review")
    admin = staff_user(hromada, "admin")
    assigned = make_project(cycle, title="Ліхтарі в парку")
    waiting = make_project(cycle, title="Велодоріжка")
    _officer, department = officer_in(hromada)
    review_services.review_assign(project=assigned, actor=admin, department=department)
    client.force_login(admin)
    html = client.get(reverse("staff_budget:review_queue")).content.decode()
    assert "Ліхтарі в парку" in html and "Велодоріжка" in html and department.name in html
    html = client.get(
        reverse("staff_budget:review_queue"), {"department": str(department.public_id)}
    ).content.decode()
    assert "Ліхтарі в парку" in html and waiting.title not in html
    html = client.get(reverse("staff_budget:review_queue"), {"overdue": "1"}).content.decode()
    assert "Черга порожня" not in html and "За цими фільтрами проєктів немає" in html


def test_an_officer_sees_only_their_departments_projects(client, hromada):
    cycle = make_cycle(hromada, current="review")
    admin = staff_user(hromada, "admin")
    mine, theirs = make_project(cycle, title="Мій"), make_project(cycle, title="Чужий")
    officer, department = officer_in(hromada)
    review_services.review_assign(project=mine, actor=admin, department=department)
    review_services.review_assign(project=theirs, actor=admin, department=DepartmentFactory(hromada=hromada))
    client.force_login(officer)
    html = client.get(reverse("staff_budget:review_queue")).content.decode()
    assert "Мій" in html and "Чужий" not in html


def test_assigning_and_deciding_through_the_review_page(client, hromada):
    cycle = make_cycle(hromada, current="review")
    admin = staff_user(hromada, "admin")
    project = make_project(cycle)
    department = DepartmentFactory(hromada=hromada)
    client.force_login(admin)
    url = reverse("staff_budget:review", kwargs={"public_id": project.public_id})
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "assign", "assign-department": str(department.public_id)})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEW
    # A decision without reasons: the error by the field, the checklist kept.
    line = project.cost_lines.first()
    data = {
        "action": "decide",
        "review-revision": "1",
        "review-decision": "admitted",
        "review-reasons": "",
        "review-land": "no",
        "review-land_note": "Ділянка приватна, потрібен договір",
        f"review-line_{line.pk}": "45000",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Напишіть публічне обґрунтування рішення." in html
    assert "Ділянка приватна, потрібен договір" in html and 'value="45000"' in html
    assert Review.objects.get(project=project).decision == ""
    data["review-reasons"] = "Відповідає положенню."
    assert client.post(url, data).status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.ADMITTED and project.reviewed_cost == 45_000 + 10_000
    assert "Відповідає положенню." in client.get(url).content.decode()


def test_a_stale_revision_on_the_page_is_a_conflict(client, hromada):
    cycle = make_cycle(hromada, current="review")
    admin = staff_user(hromada, "admin")
    project = make_project(cycle)
    review_services.review_assign(project=project, actor=admin, department=DepartmentFactory(hromada=hromada))
    Project.objects.filter(pk=project.pk).update(revision=3)  # the author edited meanwhile
    client.force_login(admin)
    url = reverse("staff_budget:review", kwargs={"public_id": project.public_id})
    response = client.post(
        url,
        {"action": "decide", "review-revision": "1", "review-decision": "rejected", "review-reasons": "Ні"},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Автор змінив проєкт" in html and "редакція 3" in html
    assert 'name="review-revision" value="3"' in html  # the next submit decides on what was shown


def test_a_project_of_another_hromada_has_no_review_page(client, hromada, other_hromada):
    project = make_project(make_cycle(other_hromada, current="review"))
    client.force_login(staff_user(hromada, "admin"))
    assert (
        client.get(reverse("staff_budget:review", kwargs={"public_id": project.public_id})).status_code == 404
    )
    assert (
        client.get(
            reverse("staff_budget:implementation_project", kwargs={"public_id": project.public_id})
        ).status_code
        == 404
    )


def test_an_update_through_the_page_keeps_the_text_on_error(client, hromada):
    cycle = make_cycle(hromada, current="implementation")
    project = make_winner(cycle, title="Спортмайданчик")
    client.force_login(staff_user(hromada, "officer"))
    url = reverse("staff_budget:implementation_project", kwargs={"public_id": project.public_id})
    html = client.get(url).content.decode()
    assert "Спортмайданчик" in html and "Оприлюднити звіт" in html
    data = {
        "action": "update",
        "update-text": "Оголошено тендер на покриття",
        "update-progress": "10",
        "update-spent": "0",
        "update-tender_id": "UA-2026-14-03",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ідентифікатор закупівлі Prozorro має вигляд" in html and "Оголошено тендер на покриття" in html
    assert not ImplementationUpdate.objects.exists()
    data["update-tender_id"] = "UA-2026-03-14-004512-a"
    assert client.post(url, data).status_code == 302
    html = client.get(url).content.decode()
    assert "https://prozorro.gov.ua/tender/UA-2026-03-14-004512-a" in html
    listing = client.get(reverse("staff_budget:implementation")).content.decode()
    assert "Спортмайданчик" in listing and "10 %" in listing


def test_the_author_answers_on_the_public_page_once(client, hromada):
    cycle = make_cycle(hromada, current="review")
    admin = staff_user(hromada, "admin")
    project = make_project(cycle)
    review_services.review_assign(project=project, actor=admin, department=DepartmentFactory(hromada=hromada))
    review_services.review_decide(
        project=project, actor=admin, decision="rejected", reasons="Не комунальна", revision=1
    )
    url = reverse("budget:review_answer", kwargs={"public_id": project.public_id})
    client.force_login(staff_user(hromada, "moderator"))
    response = client.post(url, {"text": "Я не автор"})
    assert (
        response.status_code == 403
        and "Відповісти на висновок експертизи може лише автор" in response.content.decode()
    )
    client.force_login(project.author)
    assert "Відповісти на висновок експертизи" in client.get(url).content.decode()
    response = client.post(url, {"text": ""})
    assert response.status_code == 400
    assert client.post(url, {"text": "Ділянка комунальна"}).status_code == 302
    response = client.post(url, {"text": "Ще раз"})
    assert response.status_code == 409 and "Ви вже відповіли" in response.content.decode()
    assert Review.objects.get(project=project).author_answer == "Ділянка комунальна"
