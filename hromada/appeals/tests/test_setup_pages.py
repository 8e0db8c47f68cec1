"""The setup pages through HTTP: who may open them, every error of a form shown at once
with nothing typed lost, saving, another hromada's rows not found, the Open311 key shown
once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import role_matrix
from hromada.appeals.models import ApiClient, Category, CategoryAttribute, Department, DepartmentMember
from hromada.appeals.services.open311_keys import key_digest

from .factories import make_category, make_department

pytestmark = pytest.mark.django_db

PAGES = (
    ("staff_appeals:setup", ()),
    ("staff_appeals:setup_categories", ()),
    ("staff_appeals:setup_category_new", ()),
    ("staff_appeals:setup_departments", ()),
    ("staff_appeals:setup_department_new", ()),
    ("staff_appeals:setup_templates", ()),
    ("staff_appeals:setup_template_new", ()),
    ("staff_appeals:setup_keys", ()),
)


def test_setup_pages_role_matrix(client, hromada, other_hromada):
    category = make_category(hromada)
    department = make_department(hromada)
    pages = [
        *PAGES,
        ("staff_appeals:setup_category", (category.public_id,)),
        ("staff_appeals:setup_attributes", (category.public_id,)),
        ("staff_appeals:setup_department", (department.public_id,)),
    ]
    for name, user in role_matrix(hromada, other_hromada).items():
        client.logout()
        if name != "anonymous":
            client.force_login(user)
        for url_name, args in pages:
            response = client.get(reverse(url_name, args=args))
            expected = 200 if name == "admin" else 302 if name == "anonymous" else 403
            assert response.status_code == expected, (name, url_name)
        response = client.post(
            reverse("staff_appeals:setup_category_new"), {"kind": "report", "code": "x", "name": "X"}
        )
        assert Category.objects.filter(code="x").exists() == (name == "admin"), name
        Category.objects.filter(code="x").delete()


def test_overview_links_to_the_kernels_rules_page(client, hromada, hromada_admin):
    make_category(hromada)  # one without a department
    client.force_login(hromada_admin)
    body = client.get(reverse("staff_appeals:setup")).content.decode()
    assert reverse("staff_settings:module", args=["appeals"]) in body
    assert "без виконавця" in body


def test_category_form_shows_every_error_and_keeps_what_was_typed(client, hromada, hromada_admin):
    make_category(hromada, code="taken")
    client.force_login(hromada_admin)
    url = reverse("staff_appeals:setup_category_new")
    response = client.post(
        url,
        {
            "kind": "report",
            "code": "taken",
            "name": "",
            "group": "Благоустрій",
            "keywords": "ліхтар, опора",
            "target_hours": "нуль",
            "order": "1",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'class="error-summary"' in body
    for anchor in ('href="#id_code"', 'href="#id_name"', 'href="#id_target_hours"'):
        assert anchor in body
    assert 'value="Благоустрій"' in body and 'value="ліхтар, опора"' in body and 'value="нуль"' in body
    assert Category.objects.filter(hromada=hromada).count() == 1


def test_category_saved_with_its_department(client, hromada, other_hromada, hromada_admin):
    department = make_department(hromada)
    foreign = make_department(other_hromada)
    client.force_login(hromada_admin)
    url = reverse("staff_appeals:setup_category_new")
    response = client.get(url)
    assert department.name in response.content.decode() and foreign.name not in response.content.decode()
    response = client.post(
        url,
        {"kind": "report", "code": "x", "name": "Чуже", "department": str(foreign.public_id), "order": "0"},
    )
    assert response.status_code == 400 and not Category.objects.filter(code="x").exists()
    response = client.post(
        url,
        {
            "kind": "report",
            "code": "light",
            "name": "Освітлення",
            "department": str(department.public_id),
            "target_hours": "48",
        },
    )
    assert response.status_code == 302
    category = Category.objects.get(hromada=hromada, code="light")
    assert category.department == department and category.target_hours == 48
    # Edit, then switch off.
    edit = reverse("staff_appeals:setup_category", args=[category.public_id])
    assert 'value="Освітлення"' in client.get(edit).content.decode()
    client.post(edit, {"kind": "report", "code": "light", "name": "Вуличне освітлення", "order": "2"})
    category.refresh_from_db()
    assert category.name == "Вуличне освітлення" and category.department is None and category.order == 2
    client.post(reverse("staff_appeals:setup_category_active", args=[category.public_id]), {"active": "0"})
    category.refresh_from_db()
    assert not category.active


def test_another_hromadas_rows_are_not_found(client, hromada, other_hromada, hromada_admin):
    category = make_category(other_hromada)
    department = make_department(other_hromada)
    client.force_login(hromada_admin)
    for url in (
        reverse("staff_appeals:setup_category", args=[category.public_id]),
        reverse("staff_appeals:setup_attributes", args=[category.public_id]),
        reverse("staff_appeals:setup_department", args=[department.public_id]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("staff_appeals:setup_category_active", args=[category.public_id]), {"active": "0"}
        ).status_code
        == 404
    )
    category.refresh_from_db()
    assert category.active


def test_attribute_form(client, hromada, hromada_admin):
    category = make_category(hromada)
    client.force_login(hromada_admin)
    url = reverse("staff_appeals:setup_attributes", args=[category.public_id])
    response = client.post(
        url, {"description": "", "code": "", "datatype": "singlevaluelist", "values": "", "order": "0"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_description"' in body and 'href="#id_code"' in body and 'href="#id_values"' in body
    response = client.post(
        url,
        {
            "description": "Що з ліхтарем?",
            "code": "state",
            "datatype": "singlevaluelist",
            "values": "off | Не світить\nblink | Блимає",
            "required": "on",
            "order": "0",
        },
    )
    assert response.status_code == 302
    attribute = CategoryAttribute.objects.get(category=category)
    assert attribute.required and [v["key"] for v in attribute.values] == ["off", "blink"]
    edit = reverse("staff_appeals:setup_attribute", args=[category.public_id, attribute.pk])
    assert "off | Не світить" in client.get(edit).content.decode()
    client.post(reverse("staff_appeals:setup_attribute_delete", args=[category.public_id, attribute.pk]))
    assert not CategoryAttribute.objects.filter(pk=attribute.pk).exists()


def test_department_form_with_people(client, hromada, other_hromada, hromada_admin, officer):
    from hromada.accounts.tests.factories import staff_user

    outsider = staff_user(other_hromada, "officer")
    client.force_login(hromada_admin)
    url = reverse("staff_appeals:setup_department_new")
    body = client.get(url).content.decode()
    assert officer.email in body and outsider.email not in body
    response = client.post(
        url,
        {"kind": "starosta", "name": "", "email": "nope", "phone": "", "members": [str(officer.public_id)]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_name"' in body and 'href="#id_email"' in body and 'href="#id_area"' in body
    assert 'value="nope"' in body and "checked" in body
    response = client.post(
        url,
        {
            "kind": "enterprise",
            "name": "КП «Водоканал»",
            "email": "water@example.com",
            "phone": "0522 123456",
            "head": str(officer.public_id),
            "members": [str(officer.public_id)],
        },
    )
    assert response.status_code == 302
    department = Department.objects.get(hromada=hromada, name="КП «Водоканал»")
    assert department.head == officer
    assert DepartmentMember.objects.filter(department=department, user=officer).exists()
    # A member of another hromada cannot be posted: the form does not offer them.
    response = client.post(
        reverse("staff_appeals:setup_department", args=[department.public_id]),
        {
            "kind": "enterprise",
            "name": department.name,
            "slug": department.slug,
            "members": [str(outsider.public_id)],
        },
    )
    assert response.status_code == 400
    assert not DepartmentMember.objects.filter(user=outsider).exists()


def test_template_form(client, hromada, hromada_admin):
    department = make_department(hromada)
    client.force_login(hromada_admin)
    url = reverse("staff_appeals:setup_template_new")
    response = client.post(url, {"title": "", "text": "", "kind": "report"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_title"' in body and 'href="#id_text"' in body
    response = client.post(
        url,
        {
            "title": "Полагоджено",
            "text": "Несправність усунуто.",
            "kind": "report",
            "department": str(department.public_id),
        },
    )
    assert response.status_code == 302
    assert "Полагоджено" in client.get(reverse("staff_appeals:setup_templates")).content.decode()


def test_api_key_shown_once_and_revoked(client, hromada, hromada_admin):
    client.force_login(hromada_admin)
    url = reverse("staff_appeals:setup_keys")
    response = client.post(url, {"name": ""})
    assert response.status_code == 400 and 'href="#id_name"' in response.content.decode()
    response = client.post(url, {"name": "Моє місто"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    client_row = ApiClient.objects.get(hromada=hromada)
    body = response.content.decode()
    start = body.index('id="issued-key"')
    key = body[start:].split('value="', 1)[1].split('"', 1)[0]
    assert key_digest(key) == client_row.key_hash
    assert key not in client.get(url).content.decode()  # never again
    client.post(reverse("staff_appeals:setup_key_revoke", args=[client_row.pk]))
    client_row.refresh_from_db()
    assert not client_row.active
