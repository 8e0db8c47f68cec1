"""The public budget pages and the project form, through HTTP."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import UserFactory, verified_user
from hromada.budget.models import Project, ProjectStatus
from hromada.ledger.models import LedgerEntry

from .factories import category, make_cycle
from .helpers_projects import draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(hromada):
    return make_cycle(hromada, current="ideas", residence="any", support_threshold=2)


def _form(cycle, **over) -> dict:
    data = {
        "category": str(category(cycle, "small").public_id),
        "title": "Ліхтарі в парку",
        "summary": "Нові ліхтарі вздовж алеї.",
        "description": "Встановимо десять ліхтарів.",
        "problem": "Увечері темно.",
        "beneficiaries": "Усі, хто гуляє в парку.",
        "address": "Парк Шевченка",
        "lines-TOTAL_FORMS": "2",
        "lines-INITIAL_FORMS": "0",
        "lines-0-item": "Ліхтар",
        "lines-0-quantity": "10",
        "lines-0-unit": "шт",
        "lines-0-unit_price": "5000",
        "action": "submit",
    }
    data.update(over)
    return data


def test_index_cycle_and_list_render(client, cycle, resident):
    project = submitted(cycle, resident)
    body = client.get(reverse("budget:index")).content.decode()
    assert cycle.title in body and "Поточні цикли" in body
    body = client.get(reverse("budget:cycle", args=[cycle.slug])).content.decode()
    assert "Етапи" in body and "Малі проєкти" in body and "Подати проєкт" in body
    assert 'aria-current="step"' in body
    body = client.get(reverse("budget:projects", args=[cycle.slug])).content.decode()
    assert project.title in body and "budget-projects-map" in body
    body = client.get(reverse("budget:projects", args=[cycle.slug]), {"q": "нічого такого"}).content.decode()
    assert "Проєктів за цими умовами немає" in body
    body = client.get(reverse("budget:project", args=[project.public_id])).content.decode()
    assert "Кошторис" in body and "Лавки" in body and "Увійдіть, щоб підтримати" in body


def test_a_draft_is_not_public_and_another_hromadas_project_is_404(client, cycle, resident, other_hromada):
    project = draft(cycle, resident)
    assert client.get(reverse("budget:project", args=[project.public_id])).status_code == 404
    client.force_login(resident)
    assert client.get(reverse("budget:project", args=[project.public_id])).status_code == 200
    other = make_cycle(other_hromada, current="ideas", residence="any")
    foreign = submitted(other, verified_user())
    assert client.get(reverse("budget:project", args=[foreign.public_id])).status_code == 404
    assert client.get(reverse("budget:cycle", args=[other.slug + "x"])).status_code == 404


def test_submit_through_the_form(client, cycle, resident):
    client.force_login(resident)
    response = client.post(reverse("budget:project_new", args=[cycle.slug]), _form(cycle))
    project = Project.objects.get()
    assert response.status_code == 302 and response.url == reverse("budget:project", args=[project.public_id])
    assert project.status == ProjectStatus.SUBMITTED and project.number == 1 and project.cost == 50_000
    assert LedgerEntry.objects.filter(kind="budget.project_submitted").count() == 1


def test_a_cost_out_of_range_is_shown_by_the_estimate_and_nothing_is_saved(client, cycle, resident):
    client.force_login(resident)
    response = client.post(
        reverse("budget:project_new", args=[cycle.slug]), _form(cycle, **{"lines-0-unit_price": "500"})
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "id_cost_lines_error" in body and "від 20" in body
    assert "Ліхтарі в парку" in body  # what was typed is kept
    assert not Project.objects.exists()


def test_a_bad_quantity_is_reported_in_ukrainian(client, cycle, resident):
    client.force_login(resident)
    response = client.post(
        reverse("budget:project_new", args=[cycle.slug]), _form(cycle, **{"lines-0-quantity": "багато"})
    )
    assert response.status_code == 400 and "Рядок кошторису 1" in response.content.decode()


def test_draft_then_edit_then_submit(client, cycle, resident):
    client.force_login(resident)
    client.post(
        reverse("budget:project_new", args=[cycle.slug]), _form(cycle, action="draft", description="")
    )
    project = Project.objects.get()
    assert project.status == "draft"
    url = reverse("budget:project_edit", args=[project.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(cycle, action="submit", revision="1"))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "submitted" and project.revision == 2


def test_a_stale_edit_is_a_conflict_and_the_text_is_kept(client, cycle, resident):
    project = submitted(cycle, resident)
    client.force_login(resident)
    url = reverse("budget:project_edit", args=[project.public_id])
    client.post(url, _form(cycle, action="save", revision="1", title="Перша зміна"))
    response = client.post(url, _form(cycle, action="save", revision="1", title="Друга зміна"))
    body = response.content.decode()
    assert response.status_code == 400 and "щойно змінив" in body and "Друга зміна" in body
    assert Project.objects.get(pk=project.pk).title == "Перша зміна"


def test_the_refusal_is_shown_before_the_form(client, hromada):
    cycle = make_cycle(hromada, current="ideas")
    client.force_login(UserFactory())
    body = client.get(reverse("budget:project_new", args=[cycle.slug])).content.decode()
    assert "Подати проєкт ви поки не можете" in body and 'id="submit-reason"' in body


def test_the_form_is_closed_outside_the_ideas_phase(client, hromada, resident):
    cycle = make_cycle(hromada, current="voting", residence="any")
    client.force_login(resident)
    body = client.get(reverse("budget:project_new", args=[cycle.slug])).content.decode()
    assert "завершився" in body and "budget-form" not in body


def test_others_cannot_edit(client, cycle, resident):
    project = submitted(cycle, resident)
    client.force_login(verified_user())
    assert client.get(reverse("budget:project_edit", args=[project.public_id])).status_code == 404


def test_support_through_the_page(client, cycle, resident):
    project = submitted(cycle, resident)
    client.force_login(verified_user())
    response = client.post(reverse("budget:project_support", args=[project.public_id]))
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).support_count == 1
    response = client.post(reverse("budget:project_support", args=[project.public_id]))
    assert response.status_code == 409 and "Ви вже підтримали" in response.content.decode()


def test_withdraw_and_my_projects(client, cycle, resident):
    project = submitted(cycle, resident)
    draft(cycle, resident, title="Моя чернетка")
    client.force_login(resident)
    body = client.get(reverse("budget:my")).content.decode()
    assert "Моя чернетка" in body and project.title in body
    response = client.post(reverse("budget:project_withdraw", args=[project.public_id]))
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).status == "withdrawn"


def test_coauthor_pages(client, cycle, resident):
    project = submitted(cycle, resident)
    client.force_login(resident)
    response = client.post(reverse("budget:project_coauthors", args=[project.public_id]), {"email": ""})
    body = response.content.decode()
    assert "/budget/coauthors/" in body
    link = body.split("/budget/coauthors/")[1].split("/")[0]
    friend = verified_user()
    client.force_login(friend)
    accept = reverse("budget:coauthor_accept", args=[link])
    assert client.get(accept).status_code == 200
    assert client.post(accept).status_code == 302
    assert client.get(reverse("budget:project_edit", args=[project.public_id])).status_code == 200


def test_home_block(cycle, hromada):
    from hromada.budget.project_selectors import home_summary

    summary = home_summary(hromada=hromada)
    assert summary["cycles"][0]["cycle"] == cycle
    assert summary["cycles"][0]["action"]["url"] == reverse("budget:project_new", args=[cycle.slug])


def test_every_problem_is_listed_at_a_refused_submission(client, cycle, resident):
    client.force_login(resident)
    response = client.post(
        reverse("budget:project_new", args=[cycle.slug]),
        _form(cycle, category="", summary="", problem="", **{"lines-0-unit_price": ""}),
    )
    body = response.content.decode()
    assert response.status_code == 400
    for text in ("Оберіть категорію", "Опишіть проєкт коротко", "Опишіть проблему"):
        assert text in body
    assert not Project.objects.exists()


def test_a_photo_without_alt_text_is_refused_next_to_its_field_and_with_it_is_shown(client, cycle, resident):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def png():
        out = io.BytesIO()
        Image.new("RGB", (4, 4), "blue").save(out, "PNG")
        return SimpleUploadedFile("сквер.png", out.getvalue(), content_type="image/png")

    client.force_login(resident)
    url = reverse("budget:project_new", args=[cycle.slug])
    response = client.post(url, {**_form(cycle), "file_1": png()})
    assert response.status_code == 400 and 'id="id_alt_1_error"' in response.content.decode()
    assert not Project.objects.exists()
    response = client.post(url, {**_form(cycle), "file_1": png(), "alt_1": "Сквер зараз"})
    project = Project.objects.get()
    body = client.get(reverse("budget:project", args=[project.public_id])).content.decode()
    assert 'alt="Сквер зараз"' in body
    photo = project.files.get()
    assert client.get(reverse("budget:project_file", args=[project.public_id, photo.pk])).status_code == 200
