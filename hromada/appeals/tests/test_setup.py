"""The setup services: categories, attributes, departments, templates and Open311 keys —
every rule, every problem at once, the role matrix, another hromada's rows refused, and
the ledger entry of each change (what changed, no person)."""

from __future__ import annotations

import hashlib

import pytest

from hromada.accounts.tests.factories import UserFactory, role_matrix, staff_user
from hromada.appeals.models import (
    AnswerTemplate,
    ApiClient,
    Category,
    CategoryAttribute,
    Department,
    DepartmentMember,
)
from hromada.appeals.services import open311_keys
from hromada.appeals.services import setup as svc
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.places.models import Area, AreaKind

from .factories import make_case, make_category, make_department

pytestmark = pytest.mark.django_db


def _setup_entries(hromada):
    return list(
        LedgerEntry.objects.filter(hromada=hromada, kind="appeals.setup_changed")
        .order_by("id")
        .values_list("payload", flat=True)
    )


def _codes(exc) -> dict:
    return {e.field: e.code for e in exc.value.errors}


def _okrug(hromada, name="Вільшанський", kind=AreaKind.OKRUG):
    n = Area.objects.count() + 1
    return Area.objects.create(hromada=hromada, kind=kind, name=name, slug=f"area-{n}")


# --- categories -------------------------------------------------------------------------------


def test_category_created_and_ledgered(hromada, hromada_admin):
    department = make_department(hromada)
    category = svc.category_save(
        hromada=hromada,
        actor=hromada_admin,
        code=" Street-Light ",
        name="Не світить ліхтар",
        name_en="Street light out",
        group="Благоустрій",
        keywords="ліхтар,  освітлення , ,опора",
        department=department,
        target_hours="72",
        order="3",
    )
    assert category.code == "street-light"
    assert category.keywords == "ліхтар, освітлення, опора"
    assert category.target_hours == 72 and category.order == 3 and category.department == department
    [entry] = _setup_entries(hromada)
    assert entry["object"] == "category" and entry["action"] == "created" and entry["ref"] == "street-light"
    assert "department" in entry["fields"] and "Не світить" not in str(entry)


def test_category_reports_every_problem_at_once(hromada, hromada_admin):
    make_category(hromada, code="taken")
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.category_save(
            hromada=hromada,
            actor=hromada_admin,
            code="taken",
            name="",
            target_hours="0",
            order="x",
            kind="report",
        )
    assert _codes(exc) == {
        "code": "code_taken",
        "name": "name_required",
        "target_hours": "target_hours_invalid",
        "order": "order_invalid",
    }
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.category_save(hromada=hromada, actor=hromada_admin, code="Вулиця", name="x\x00", kind="nope")
    assert _codes(exc) == {"code": "code_invalid", "name": "invalid_text", "kind": "kind_invalid"}
    assert not _setup_entries(hromada)


def test_category_code_unique_per_hromada_only(hromada, other_hromada, hromada_admin):
    make_category(other_hromada, code="potholes")
    category = svc.category_save(hromada=hromada, actor=hromada_admin, code="potholes", name="Ями")
    assert category.hromada == hromada


def test_category_code_fixed_once_cases_use_it(hromada, hromada_admin):
    category = make_category(hromada, code="lights")
    svc.category_save(hromada=hromada, actor=hromada_admin, category=category, code="lamps", name="Ліхтарі")
    category.refresh_from_db()
    assert category.code == "lamps"
    make_case(hromada, category=category)
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.category_save(
            hromada=hromada, actor=hromada_admin, category=category, code="other", name="Ліхтарі"
        )
    assert _codes(exc) == {"code": "code_locked"}
    # Other fields still change; an unchanged save writes nothing.
    svc.category_save(
        hromada=hromada, actor=hromada_admin, category=category, code="lamps", name="Освітлення"
    )
    before = len(_setup_entries(hromada))
    svc.category_save(
        hromada=hromada, actor=hromada_admin, category=category, code="lamps", name="Освітлення"
    )
    assert len(_setup_entries(hromada)) == before
    assert _setup_entries(hromada)[-1]["fields"] == ["name"]


def test_category_department_of_another_hromada_refused(hromada, other_hromada, hromada_admin):
    foreign = make_department(other_hromada)
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.category_save(hromada=hromada, actor=hromada_admin, code="x", name="X", department=foreign)
    assert _codes(exc) == {"department": "department_unknown"}
    off = make_department(hromada, active=False)
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.category_save(hromada=hromada, actor=hromada_admin, code="x", name="X", department=off)
    assert _codes(exc) == {"department": "department_inactive"}


def test_category_of_another_hromada_cannot_be_edited(hromada, other_hromada, hromada_admin):
    foreign = make_category(other_hromada)
    with pytest.raises(PermissionDenied):
        svc.category_save(hromada=hromada, actor=hromada_admin, category=foreign, code="x", name="X")


def test_target_hours_only_for_reports(hromada, hromada_admin):
    category = svc.category_save(
        hromada=hromada, actor=hromada_admin, code="roads", name="Дороги", kind="appeal", target_hours="5"
    )
    assert category.target_hours is None


def test_category_deactivated_and_activated(hromada, hromada_admin):
    category = make_category(hromada)
    svc.category_set_active(category=category, actor=hromada_admin, active=False)
    category.refresh_from_db()
    assert not category.active
    svc.category_set_active(category=category, actor=hromada_admin, active=True)
    assert [e["action"] for e in _setup_entries(hromada)] == ["deactivated", "activated"]


def test_category_target_hours_used_by_registration(hromada, hromada_admin):
    """The category's target time set here is what case_register applies."""
    category = svc.category_save(
        hromada=hromada, actor=hromada_admin, code="leak", name="Тече", target_hours=4
    )
    case = make_case(hromada, category=category)
    assert (case.due_at - case.registered_at).total_seconds() == 4 * 3600


# --- attributes -------------------------------------------------------------------------------


def test_attribute_list_type_needs_values_with_unique_keys(hromada, hromada_admin):
    category = make_category(hromada, code="lights")
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.attribute_save(
            category=category,
            actor=hromada_admin,
            code="",
            description="",
            datatype="singlevaluelist",
            values=[],
        )
    assert _codes(exc) == {
        "code": "code_required",
        "description": "description_required",
        "values": "values_required",
    }
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.attribute_save(
            category=category,
            actor=hromada_admin,
            code="kind",
            description="Що саме?",
            datatype="multivaluelist",
            values=svc.parse_values("a | Один\nb | Два\na | Знову"),
        )
    assert _codes(exc) == {"values": "value_key_duplicate"}
    attribute = svc.attribute_save(
        category=category,
        actor=hromada_admin,
        code="kind",
        description="Що саме?",
        datatype="singlevaluelist",
        required=True,
        values=svc.parse_values("off | Не світить\n\nблимає"),
    )
    assert attribute.values == [{"key": "off", "name": "Не світить"}, {"key": "блимає", "name": "блимає"}]
    assert _setup_entries(hromada)[-1]["ref"] == "lights/kind"


def test_attribute_values_dropped_for_other_types_and_code_unique_in_category(hromada, hromada_admin):
    category = make_category(hromada)
    attribute = svc.attribute_save(
        category=category,
        actor=hromada_admin,
        code="pole",
        description="Номер опори",
        values=[{"key": "x", "name": "x"}],
    )
    assert attribute.values == [] and attribute.datatype == "string"
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.attribute_save(category=category, actor=hromada_admin, code="pole", description="Ще раз")
    assert _codes(exc) == {"code": "code_taken"}
    # The same code in another category is fine.
    svc.attribute_save(category=make_category(hromada), actor=hromada_admin, code="pole", description="Опора")
    # Editing keeps its own code; delete is ledgered.
    svc.attribute_save(
        category=category,
        actor=hromada_admin,
        attribute=attribute,
        code="pole",
        description="Номер опори (на табличці)",
    )
    svc.attribute_delete(attribute=attribute, actor=hromada_admin)
    assert not CategoryAttribute.objects.filter(pk=attribute.pk).exists()
    assert [e["action"] for e in _setup_entries(hromada)][-2:] == ["updated", "deleted"]


def test_attribute_of_another_category_refused(hromada, hromada_admin):
    one, two = make_category(hromada), make_category(hromada)
    attribute = svc.attribute_save(category=one, actor=hromada_admin, code="a", description="A")
    with pytest.raises(PermissionDenied):
        svc.attribute_save(category=two, actor=hromada_admin, attribute=attribute, code="a", description="A")


# --- departments ------------------------------------------------------------------------------


def test_department_with_head_and_members(hromada, hromada_admin, officer, moderator):
    department = svc.department_save(
        hromada=hromada,
        actor=hromada_admin,
        name="КП «Міськсвітло»",
        kind="enterprise",
        email="light@example.com",
        phone="+380 (522) 12-34-56",
        head=officer,
        members=[officer, moderator, officer],
    )
    assert department.slug == "kp-misksvitlo"
    assert set(DepartmentMember.objects.filter(department=department).values_list("user_id", flat=True)) == {
        officer.pk,
        moderator.pk,
    }
    entry = _setup_entries(hromada)[-1]
    assert entry["object"] == "department" and entry["members"] == 2
    assert officer.email not in str(entry) and "light@example.com" not in str(entry)
    svc.department_save(
        hromada=hromada,
        actor=hromada_admin,
        department=department,
        name=department.name,
        slug=department.slug,
        kind="enterprise",
        email="light@example.com",
        phone=department.phone,
        head=officer,
        members=[officer],
    )
    assert list(DepartmentMember.objects.filter(department=department).values_list("user_id", flat=True)) == [
        officer.pk
    ]
    assert _setup_entries(hromada)[-1]["fields"] == ["members"]


def test_department_people_must_be_this_hromadas_staff(hromada, other_hromada, hromada_admin, resident):
    other_staff = staff_user(other_hromada, "officer")
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(
            hromada=hromada,
            actor=hromada_admin,
            name="Відділ",
            slug="viddil",
            head=other_staff,
            members=[resident],
            email="bad",
            phone="дзвоніть",
        )
    assert _codes(exc) == {
        "head": "head_not_staff",
        "members": "member_not_staff",
        "email": "email_invalid",
        "phone": "phone_invalid",
    }


def test_starosta_office_serves_one_okrug(hromada, other_hromada, hromada_admin):
    okrug = _okrug(hromada)
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(hromada=hromada, actor=hromada_admin, name="Офіс старости", kind="starosta")
    assert _codes(exc) == {"area": "area_required"}
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(
            hromada=hromada, actor=hromada_admin, name="Офіс", kind="starosta", area=_okrug(other_hromada)
        )
    assert _codes(exc) == {"area": "area_unknown"}
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(
            hromada=hromada,
            actor=hromada_admin,
            name="Офіс",
            kind="starosta",
            area=_okrug(hromada, kind="district"),
        )
    assert _codes(exc) == {"area": "area_not_okrug"}
    office = svc.department_save(
        hromada=hromada, actor=hromada_admin, name="Офіс старости", kind="starosta", area=okrug
    )
    assert office.area == okrug
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(
            hromada=hromada, actor=hromada_admin, name="Другий офіс", kind="starosta", area=okrug
        )
    assert _codes(exc) == {"area": "area_taken"}
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(
            hromada=hromada, actor=hromada_admin, name="Відділ", kind="department", area=okrug
        )
    assert _codes(exc) == {"area": "area_not_district"}


def test_department_slug_rules(hromada, other_hromada, hromada_admin):
    Department.objects.create(hromada=hromada, name="Дороги", slug="roads")
    Department.objects.create(hromada=other_hromada, name="Вода", slug="water")
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(hromada=hromada, actor=hromada_admin, name="Інші дороги", slug="roads")
    assert _codes(exc) == {"slug": "slug_taken"}
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.department_save(hromada=hromada, actor=hromada_admin, name="X", slug="з пробілом")
    assert _codes(exc) == {"slug": "slug_invalid"}
    assert (
        svc.department_save(hromada=hromada, actor=hromada_admin, name="Вода", slug="water").slug == "water"
    )


def test_department_deactivation_refused_while_categories_route_to_it(hromada, hromada_admin):
    department = make_department(hromada)
    category = make_category(hromada, department=department)
    with pytest.raises(DomainError) as exc:
        svc.department_set_active(department=department, actor=hromada_admin, active=False)
    assert exc.value.code == "department_in_use"
    svc.category_set_active(category=category, actor=hromada_admin, active=False)
    svc.department_set_active(department=department, actor=hromada_admin, active=False)
    department.refresh_from_db()
    assert not department.active
    with pytest.raises(DomainError) as exc:
        svc.category_set_active(category=category, actor=hromada_admin, active=True)
    assert exc.value.code == "department_inactive"


def test_department_of_another_hromada_cannot_be_edited(hromada, other_hromada, hromada_admin):
    with pytest.raises(PermissionDenied):
        svc.department_save(
            hromada=hromada, actor=hromada_admin, department=make_department(other_hromada), name="X"
        )


# --- templates --------------------------------------------------------------------------------


def test_templates_general_and_per_department(hromada, other_hromada, hromada_admin):
    department = make_department(hromada)
    general = svc.template_save(
        hromada=hromada, actor=hromada_admin, title="Дякуємо", text="Дякуємо за звернення."
    )
    own = svc.template_save(
        hromada=hromada,
        actor=hromada_admin,
        title="Ліхтар",
        text="Ліхтар полагоджено.",
        kind="report",
        department=department,
    )
    make_department(hromada)  # another department's worker sees only the general one
    assert set(svc.templates_for(hromada=hromada, department=department, kind="report")) == {general, own}
    assert list(svc.templates_for(hromada=hromada, department=department, kind="appeal")) == [general]
    assert list(svc.templates_for(hromada=hromada)) == [general]
    with pytest.raises(svc.SetupInvalid) as exc:
        svc.template_save(
            hromada=hromada,
            actor=hromada_admin,
            title="",
            text="",
            kind="x",
            department=make_department(other_hromada),
        )
    assert _codes(exc) == {
        "title": "title_required",
        "text": "text_required",
        "kind": "kind_invalid",
        "department": "department_unknown",
    }
    svc.template_delete(template=own, actor=hromada_admin)
    assert not AnswerTemplate.objects.filter(pk=own.pk).exists()
    assert [e["action"] for e in _setup_entries(hromada)] == ["created", "created", "deleted"]
    assert "Дякуємо" not in str(_setup_entries(hromada))


# --- Open311 keys -----------------------------------------------------------------------------


def test_api_key_issued_as_hash_and_revoked(hromada, hromada_admin):
    client, key = open311_keys.api_key_issue(hromada=hromada, actor=hromada_admin, name="Моє місто")
    assert len(key) >= 40
    client.refresh_from_db()
    assert client.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in str(client.__dict__)
    assert client.key_hint == key[-open311_keys.HINT_CHARS :] and client.active
    open311_keys.api_key_revoke(client=client, actor=hromada_admin)
    client.refresh_from_db()
    assert not client.active
    open311_keys.api_key_revoke(client=client, actor=hromada_admin)  # twice: nothing more happens
    assert [e["action"] for e in _setup_entries(hromada)] == ["issued", "revoked"]
    assert key not in str(_setup_entries(hromada))
    with pytest.raises(DomainError) as exc:
        open311_keys.api_key_issue(hromada=hromada, actor=hromada_admin, name="  ")
    assert exc.value.code == "api_client_name_required"


# --- the role matrix --------------------------------------------------------------------------


def _attempts(hromada, admin):
    category = make_category(hromada)
    department = make_department(hromada)
    template = AnswerTemplate.objects.create(hromada=hromada, title="T", text="T")
    client = ApiClient.objects.create(hromada=hromada, name="C", key_hash="0" * 64, key_hint="0000")
    return {
        "category": lambda u: svc.category_save(hromada=hromada, actor=u, code="new-one", name="Нова"),
        "category_off": lambda u: svc.category_set_active(category=category, actor=u, active=False),
        "attribute": lambda u: svc.attribute_save(category=category, actor=u, code="a", description="A"),
        "department": lambda u: svc.department_save(hromada=hromada, actor=u, name="Новий відділ"),
        "department_off": lambda u: svc.department_set_active(department=department, actor=u, active=False),
        "template": lambda u: svc.template_save(hromada=hromada, actor=u, title="T2", text="T2"),
        "template_delete": lambda u: svc.template_delete(template=template, actor=u),
        "key": lambda u: open311_keys.api_key_issue(hromada=hromada, actor=u, name="App"),
        "key_revoke": lambda u: open311_keys.api_key_revoke(client=client, actor=u),
    }


def test_role_matrix_only_the_admin_configures(hromada, other_hromada):
    actors = role_matrix(hromada, other_hromada)
    attempts = _attempts(hromada, actors["admin"])
    for name, user in actors.items():
        if name == "admin":
            continue
        for what, attempt in attempts.items():
            with pytest.raises(PermissionDenied):
                attempt(user)
                pytest.fail(f"{name} could {what}")
    assert not _setup_entries(hromada)
    for attempt in attempts.values():
        attempt(actors["admin"])
    assert len(_setup_entries(hromada)) == len(attempts)
    assert Category.objects.filter(hromada=hromada, code="new-one").exists()


def test_staff_of_lists_only_this_hromadas_active_staff(hromada, other_hromada, officer, resident):
    staff_user(other_hromada, "officer")
    gone = staff_user(hromada, "moderator")
    gone.is_active = False
    gone.save()
    UserFactory()
    assert list(svc.staff_of(hromada)) == [officer]
