"""The projects API through HTTP: reads, drafts, edits with revisions, submit, support."""

from __future__ import annotations

import pytest

from hromada.accounts.tests.factories import verified_user
from hromada.budget.models import Project

from .factories import make_cycle
from .helpers_projects import draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(hromada):
    return make_cycle(hromada, current="ideas", residence="any", support_threshold=2)


BODY = {
    "category": "small",
    "title": "Дитячий майданчик",
    "summary": "Гойдалки й гірка.",
    "description": "Встановимо обладнання.",
    "problem": "Дітям ніде гратися.",
    "beneficiaries": "Діти мікрорайону.",
    "cost_lines": [{"item": "Гойдалка", "quantity": 2, "unit": "шт", "unit_price": 30000}],
    "address": "вул. Садова, 5",
}


def test_cycles_and_cycle_detail(client, cycle):
    body = client.get("/api/v1/budget/cycles").json()
    assert body["count"] == 1 and body["items"][0]["slug"] == cycle.slug
    assert body["items"][0]["phase"] == "ideas"
    detail = client.get(f"/api/v1/budget/cycles/{cycle.slug}").json()
    assert [c["slug"] for c in detail["categories"]] == ["small", "large"]
    assert detail["regulation"]["support_threshold"] == 2
    assert any(step["state"] == "current" for step in detail["timeline"])
    assert client.get("/api/v1/budget/cycles/nope").json()["code"] == "cycle_not_found"


def test_projects_list_detail_and_geojson(client, cycle, resident):
    project = submitted(cycle, resident, lat=49.0, lon=32.0)
    draft(cycle, resident, title="Прихована чернетка")
    body = client.get("/api/v1/budget/projects", {"cycle": cycle.slug}).json()
    assert body["count"] == 1 and body["items"][0]["number"] == 1
    assert client.get("/api/v1/budget/projects", {"category": "large"}).json()["count"] == 0
    detail = client.get(f"/api/v1/budget/projects/{project.public_id}").json()
    assert detail["cost_lines"][0]["item"] == "Лавки" and detail["revision"] == 1
    geo = client.get(f"/api/v1/budget/cycles/{cycle.slug}/projects.geojson").json()
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["geometry"] == {"type": "Point", "coordinates": [32.0, 49.0]}


def test_another_hromadas_project_is_404(client, cycle, other_hromada):
    other = make_cycle(other_hromada, current="ideas", residence="any")
    foreign = submitted(other, verified_user())
    response = client.get(f"/api/v1/budget/projects/{foreign.public_id}")
    assert response.status_code == 404 and response.json()["code"] == "project_not_found"


def test_create_edit_submit_support(client, cycle, resident):
    assert (
        client.post(
            f"/api/v1/budget/cycles/{cycle.slug}/projects", BODY, content_type="application/json"
        ).status_code
        == 401
    )
    client.force_login(resident)
    response = client.post(
        f"/api/v1/budget/cycles/{cycle.slug}/projects", BODY, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    pid = response.json()["id"]
    assert response.json()["status"] == "draft" and response.json()["cost"] == 60_000
    response = client.patch(
        f"/api/v1/budget/projects/{pid}",
        {"revision": 1, "title": "Майданчик у дворі"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["revision"] == 2
    response = client.patch(
        f"/api/v1/budget/projects/{pid}",
        {"revision": 1, "title": "Застаріле"},
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "project_changed"
    response = client.post(f"/api/v1/budget/projects/{pid}/submit")
    assert response.status_code == 200 and response.json()["number"] == 1
    client.force_login(verified_user())
    response = client.post(f"/api/v1/budget/projects/{pid}/support")
    assert response.status_code == 201 and response.json()["support_count"] == 1
    response = client.post(f"/api/v1/budget/projects/{pid}/support")
    assert response.status_code == 409 and response.json()["code"] == "already_supported"


def test_submit_refusal_codes(client, cycle, resident):
    client.force_login(resident)
    body = {**BODY, "cost_lines": [{"item": "Гойдалка", "quantity": 1, "unit": "шт", "unit_price": 5}]}
    pid = client.post(
        f"/api/v1/budget/cycles/{cycle.slug}/projects", body, content_type="application/json"
    ).json()["id"]
    response = client.post(f"/api/v1/budget/projects/{pid}/submit")
    assert response.status_code == 400
    assert response.json()["code"] == "cost_out_of_range" and response.json()["field"] == "cost_lines"
    assert Project.objects.get(public_id=pid).status == "draft"
    client.force_login(verified_user())
    assert client.post(f"/api/v1/budget/projects/{pid}/submit").status_code == 404


def test_writes_on_another_hromadas_project_are_404(client, cycle, other_hromada, resident):
    other = make_cycle(other_hromada, current="ideas", residence="any", support_threshold=2, slug="elsewhere")
    author = verified_user()
    foreign = submitted(other, author)
    client.force_login(author)  # even its own author, through this hromada's site
    patch = client.patch(
        f"/api/v1/budget/projects/{foreign.public_id}",
        {"revision": 1, "title": "X"},
        content_type="application/json",
    )
    assert patch.status_code == 404
    assert client.post(f"/api/v1/budget/projects/{foreign.public_id}/support").status_code == 404
    assert (
        client.post(
            f"/api/v1/budget/cycles/{other.slug}/projects", BODY, content_type="application/json"
        ).status_code
        == 404
    )
    assert Project.objects.get(pk=foreign.pk).title != "X"
