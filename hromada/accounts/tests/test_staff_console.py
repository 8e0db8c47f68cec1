"""The staff console: who sees what, tenant isolation, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from hromada.accounts.identity import taxnumber
from hromada.accounts.models import Department, Identity, Role, StaffRole
from hromada.accounts.tests.factories import DepartmentFactory, UserFactory, role_actor, staff_user

pytestmark = pytest.mark.django_db

PAGES = ["/staff/", "/staff/departments/", "/staff/roles/", "/staff/verify/"]
OTHER_HOST = "other.example.test"


def client_for(user, host="testserver") -> Client:
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def other_admin(other_hromada):
    return staff_user(other_hromada, Role.ADMIN)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_log_in(hromada, page):
    response = client_for(None).get(page)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("page", PAGES)
def test_resident_gets_403(hromada, resident, page):
    response = client_for(resident).get(page)
    assert response.status_code == 403
    assert "Доступ заборонено" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_another_hromadas_admin_sees_nothing_here(hromada, other_admin, page):
    response = client_for(other_admin).get(page)
    assert response.status_code == 403
    # ...but is at home on their own hromada's host.
    assert client_for(other_admin, OTHER_HOST).get(page).status_code == 200


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", {"/staff/", "/staff/departments/", "/staff/roles/", "/staff/verify/"}),
        ("moderator", {"/staff/", "/staff/departments/"}),
        ("officer", {"/staff/", "/staff/departments/", "/staff/verify/"}),
    ],
)
def test_pages_by_role(hromada, role, allowed):
    client = client_for(role_actor(role, hromada))
    for page in PAGES:
        expected = 200 if page in allowed else 403
        assert client.get(page).status_code == expected, page


def test_dashboard_links_by_role(hromada, moderator, officer):
    """Each role sees the sections its permissions open (the sample module's desk needs
    sample.act, which moderators hold; the petitions sections: test_with_kernel.py there)."""
    page = client_for(moderator).get("/staff/").content.decode()
    assert 'href="/staff/sample/"' in page
    assert "/staff/roles/" not in page and "/staff/verify/" not in page
    page = client_for(officer).get("/staff/").content.decode()
    assert 'href="/staff/sample/"' not in page and "/staff/verify/" in page


def test_admin_grants_and_revokes_a_role_by_email(hromada, hromada_admin):
    client = client_for(hromada_admin)
    newcomer = UserFactory(email="taras@example.test")
    department = DepartmentFactory(hromada=hromada, name="Відділ освіти")
    response = client.post(
        "/staff/roles/",
        {"email": "TARAS@example.test", "role": "officer", "department": str(department.public_id)},
    )
    assert response.status_code == 302
    granted = StaffRole.objects.get(user=newcomer)
    assert (granted.role, granted.department, granted.hromada) == ("officer", department, hromada)
    page = client.get("/staff/roles/").content.decode()
    assert "taras@example.test" in page
    asked = client.post(f"/staff/roles/{granted.pk}/revoke/")
    assert "Так, відкликати роль" in asked.content.decode()
    assert StaffRole.objects.filter(pk=granted.pk).exists()  # nothing happens before confirming
    response = client.post(f"/staff/roles/{granted.pk}/revoke/", {"confirm": "1"}, follow=True)
    assert "відкликано" in response.content.decode()
    assert not StaffRole.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "nobody@example.test", "role": "moderator"}, "Користувача з такою адресою немає"),
        ({"email": "taras@example.test", "role": "officer"}, "оберіть підрозділ"),
        ({"email": "taras@example.test", "role": "mayor"}, "немає серед варіантів"),
        ({"email": "not-an-email", "role": "moderator"}, "коректну email адресу"),
    ],
)
def test_grant_bad_input(hromada, hromada_admin, data, message):
    UserFactory(email="taras@example.test")
    before = StaffRole.objects.count()
    response = client_for(hromada_admin).post("/staff/roles/", data)
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower()
    assert StaffRole.objects.count() == before


def test_department_of_another_hromada_cannot_be_used(hromada, other_hromada, hromada_admin):
    UserFactory(email="taras@example.test")
    foreign = DepartmentFactory(hromada=other_hromada)
    response = client_for(hromada_admin).post(
        "/staff/roles/",
        {"email": "taras@example.test", "role": "officer", "department": str(foreign.public_id)},
    )
    assert response.status_code == 400
    assert not StaffRole.objects.filter(user__email="taras@example.test").exists()


def test_last_admin_cannot_revoke_themselves_in_the_console(hromada, hromada_admin):
    own = StaffRole.objects.get(user=hromada_admin)
    response = client_for(hromada_admin).post(f"/staff/roles/{own.pk}/revoke/", {"confirm": "1"}, follow=True)
    assert "останнього адміністратора" in response.content.decode()
    assert StaffRole.objects.filter(pk=own.pk).exists()


def test_roles_and_departments_of_another_hromada_are_404(hromada, other_hromada, hromada_admin, other_admin):
    foreign_role = StaffRole.objects.get(user=other_admin)
    foreign_department = DepartmentFactory(hromada=other_hromada, name="Чужий відділ")
    client = client_for(hromada_admin)
    assert client.post(f"/staff/roles/{foreign_role.pk}/revoke/").status_code == 404
    assert (
        client.post(
            f"/staff/departments/{foreign_department.public_id}/rename/", {"name": "Захоплено"}
        ).status_code
        == 404
    )
    assert client.post(f"/staff/departments/{foreign_department.public_id}/delete/").status_code == 404
    assert StaffRole.objects.filter(pk=foreign_role.pk).exists()
    foreign_department.refresh_from_db()
    assert foreign_department.name == "Чужий відділ"
    assert "Чужий відділ" not in client.get("/staff/departments/").content.decode()
    assert other_admin.email not in client.get("/staff/roles/").content.decode()


def test_departments_page(hromada, hromada_admin, moderator):
    client = client_for(hromada_admin)
    assert client.post("/staff/departments/", {"name": "ЦНАП"}).status_code == 302
    department = Department.objects.get(hromada=hromada, name="ЦНАП")
    duplicate = client.post("/staff/departments/", {"name": "цнап"})
    assert duplicate.status_code == 400 and "вже є" in duplicate.content.decode()
    client.post(f"/staff/departments/{department.public_id}/rename/", {"name": "Центр адмінпослуг"})
    department.refresh_from_db()
    assert department.name == "Центр адмінпослуг"
    # A moderator can see the list but not change it.
    mod = client_for(moderator)
    assert "Центр адмінпослуг" in mod.get("/staff/departments/").content.decode()
    assert mod.post("/staff/departments/", {"name": "Новий"}).status_code == 403
    assert mod.post(f"/staff/departments/{department.public_id}/delete/").status_code == 403
    assert list(Department.objects.filter(hromada=hromada)) == [department]


def _in_person_data(address, **overrides):
    data = {
        "email": address,
        "last_name": "Мельник",
        "first_name": "Тарас",
        "middle_name": "Олегович",
        "birth_date": "1948-01-30",
        "tax_number": taxnumber.make(dt.date(1948, 1, 30), 4411),
        "document_type": "passport_book",
        "document_checked": "on",
    }
    data.update(overrides)
    return data


def test_officer_verifies_a_person_in_person(hromada, officer):
    resident = UserFactory(email="taras@example.test")
    response = client_for(officer).post("/staff/verify/", _in_person_data("taras@example.test"))
    assert response.status_code == 302
    identity = Identity.objects.get(user=resident)
    assert (
        identity.method == "in_person" and identity.verified_by == officer and identity.verified_in == hromada
    )
    assert identity.document_type == "passport_book" and identity.birth_date == dt.date(1948, 1, 30)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"tax_number": "1234567890"}, "контрольною цифрою"),
        ({"document_checked": ""}, "перевірили оригінал"),
        ({"email": "nobody@example.test"}, "Користувача з такою адресою немає"),
        ({"birth_date": "30.01.1948x"}, "Введіть коректну дату"),
        ({"last_name": ""}, "Це поле обов"),
    ],
)
def test_in_person_bad_input(hromada, officer, overrides, message):
    UserFactory(email="taras@example.test")
    response = client_for(officer).post("/staff/verify/", _in_person_data("taras@example.test", **overrides))
    assert response.status_code == 400
    assert message.lower() in response.content.decode().lower().replace("&#x27;", "'")
    assert not Identity.objects.exists()


def test_in_person_identity_taken(hromada, officer):
    UserFactory(email="first@example.test")
    UserFactory(email="second@example.test")
    client = client_for(officer)
    assert client.post("/staff/verify/", _in_person_data("first@example.test")).status_code == 302
    response = client.post("/staff/verify/", _in_person_data("second@example.test"))
    assert response.status_code == 400
    page = response.content.decode().replace("&#x27;", "'")
    assert "Не вдалося підтвердити цю особу" in page and "іншому обліковому записі" not in page
    assert Identity.objects.count() == 1


def test_officer_cannot_verify_themselves(hromada, officer):
    response = client_for(officer).post("/staff/verify/", _in_person_data(officer.email))
    assert response.status_code == 400
    assert "власну особу" in response.content.decode()
    assert not Identity.objects.exists()


def test_deleting_a_department_asks_first_and_says_what_happens(hromada, hromada_admin):
    department = DepartmentFactory(hromada=hromada, name="Відділ, що зникне")
    client = Client(HTTP_HOST=hromada.hosts[0])
    client.force_login(hromada_admin)
    asked = client.post(f"/staff/departments/{department.public_id}/delete/")
    assert asked.status_code == 200
    assert "Підрозділ зникне з переліку" in asked.content.decode()
    assert Department.objects.filter(pk=department.pk).exists()
    client.post(f"/staff/departments/{department.public_id}/delete/", {"confirm": "1"})
    assert not Department.objects.filter(pk=department.pk).exists()


def test_the_roles_table_shows_each_roles_position_and_head_and_stacks_on_phones(hromada, hromada_admin):
    import re

    from hromada.accounts.tests.factories import StaffRoleFactory

    department = DepartmentFactory(hromada=hromada, name="Управління ЖКГ")
    StaffRoleFactory(
        hromada=hromada,
        role=Role.OFFICER,
        department=department,
        position="начальник управління",
        is_head=True,
    )
    StaffRoleFactory(
        hromada=hromada, role=Role.OFFICER, department=department, position="головний спеціаліст"
    )
    page = client_for(hromada_admin).get("/staff/roles/").content.decode()
    table = page[page.index("<table") : page.index("</table>")]
    assert 'class="responsive"' in table
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    head = next(r for r in rows if "начальник управління" in r)
    assert "керівник підрозділу" in head
    other = next(r for r in rows if "головний спеціаліст" in r)
    assert "керівник підрозділу" not in other
    for row in rows:  # every cell has its label, for the stacked layout on phones
        cells = re.findall(r"<td([^>]*)>", row)
        assert cells and all("data-label=" in c for c in cells)
    assert 'data-label="Посада"' in table
