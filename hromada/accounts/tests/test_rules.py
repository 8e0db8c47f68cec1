"""Who may do what, for every role; a refused action changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from hromada.accounts import rules, services
from hromada.accounts.models import Department, Identity, Role, StaffRole
from hromada.accounts.tests.factories import ACTORS, DepartmentFactory, UserFactory, role_matrix
from hromada.core.errors import DomainError
from hromada.core.modules import registry
from hromada.ledger.models import LedgerEntry
from hromada.tenancy.models import IdentityLevel

from .helpers import person

pytestmark = pytest.mark.django_db

EXPECTED = {
    #        staff  sample.act change_settings manage verify_in_person
    "admin": (True, True, True, True, True),
    "moderator": (True, True, False, False, False),
    "officer": (True, False, False, False, True),
    "resident": (False, False, False, False, False),
    "anonymous": (False, False, False, False, False),
    "other_admin": (False, False, False, False, False),
    "other_moderator": (False, False, False, False, False),
    "other_officer": (False, False, False, False, False),
}


@pytest.fixture
def actors(hromada, other_hromada):
    return role_matrix(hromada, other_hromada)


def test_every_actor_has_an_expectation():
    assert set(EXPECTED) == set(ACTORS)


@pytest.mark.parametrize("role", ACTORS)
def test_predicates_for_every_role(hromada, actors, role):
    actor = actors[role]
    got = (
        rules.is_staff_member(actor, hromada),
        rules.has_perm(actor, hromada, "sample.act"),
        rules.has_perm(actor, hromada, "tenancy.change_settings"),
        rules.can_manage_staff(actor, hromada),
        rules.can_verify_in_person(actor, hromada),
    )
    assert got == EXPECTED[role]


def test_predicates_for_no_hromada_and_none(actors):
    assert not rules.is_staff_member(actors["admin"], None)
    assert not rules.has_perm(None, None, "sample.act")


def test_perms_of_lists_what_the_roles_grant(hromada, actors):
    assert rules.perms_of(actors["moderator"], hromada) == {"sample.act"} | {
        p for p, perm in registry.permissions().items() if "moderator" in perm.roles
    }
    assert "tenancy.change_settings" in rules.perms_of(actors["admin"], hromada)
    assert rules.perms_of(actors["resident"], hromada) == set()


def test_an_undeclared_permission_is_an_error_not_a_no(hromada, actors):
    with pytest.raises(LookupError):
        rules.has_perm(actors["admin"], hromada, "sample.fly")


def test_identity_levels(resident):
    unconfirmed = UserFactory(email_confirmed_at=None)
    assert rules.has_identity_level(resident, IdentityLevel.VERIFIED, hromada=None)
    assert rules.has_identity_level(resident, IdentityLevel.EMAIL, hromada=None)
    assert not rules.has_identity_level(unconfirmed, IdentityLevel.EMAIL, hromada=None)
    assert not rules.has_identity_level(unconfirmed, IdentityLevel.VERIFIED, hromada=None)
    assert not rules.has_identity_level(AnonymousUser(), IdentityLevel.EMAIL, hromada=None)
    resident.is_active = False
    assert not rules.has_identity_level(resident, IdentityLevel.VERIFIED, hromada=None)


def _snapshot():
    return (
        list(StaffRole.objects.order_by("pk").values_list("pk", "user_id", "role", "department_id")),
        list(Department.objects.order_by("pk").values_list("pk", "name")),
        list(Identity.objects.order_by("pk").values_list("pk", "user_id", "method")),
        LedgerEntry.objects.count(),
    )


@pytest.mark.parametrize("role", ACTORS)
def test_staff_actions_by_every_role(hromada, actors, role):
    """Managing departments and roles is for the hromada's admin only."""
    actor = actors[role]
    allowed = EXPECTED[role][3]
    department = DepartmentFactory(hromada=hromada, name="Відділ освіти")
    target = UserFactory()
    moderator_role = StaffRole.objects.get(user=actors["moderator"])
    actions = [
        lambda: services.department_create(actor=actor, hromada=hromada, name="Новий відділ"),
        lambda: services.department_rename(actor=actor, department=department, name="Перейменований"),
        lambda: services.staff_role_grant(actor=actor, hromada=hromada, user=target, role=Role.MODERATOR),
        lambda: services.staff_role_revoke(actor=actor, staff_role=moderator_role),
    ]
    for action in actions:
        before = _snapshot()
        if allowed:
            action()
            assert _snapshot() != before
        else:
            with pytest.raises(DomainError) as exc:
                action()
            assert exc.value.code == "forbidden" and exc.value.status == 403
            assert _snapshot() == before
    if not allowed:
        before = _snapshot()
        with pytest.raises(DomainError):
            services.department_delete(actor=actor, department=department)
        assert _snapshot() == before


@pytest.mark.parametrize("role", ACTORS)
def test_in_person_verification_by_every_role(hromada, actors, role):
    actor = actors[role]
    target = UserFactory()
    p = person(birth_date=dt.date(1985, 3, 14))
    before = _snapshot()
    if EXPECTED[role][4]:
        identity = services.identity_verify_in_person(
            officer=actor, hromada=hromada, user=target, person=p, document_type="id_card"
        )
        assert identity.verified_by == actor
    else:
        with pytest.raises(DomainError) as exc:
            services.identity_verify_in_person(
                officer=actor, hromada=hromada, user=target, person=p, document_type="id_card"
            )
        assert exc.value.code == "forbidden"
        assert _snapshot() == before


def test_other_hromadas_admin_cannot_touch_this_hromadas_staff(hromada, actors):
    other_admin = actors["other_admin"]
    own_admin_role = StaffRole.objects.get(user=actors["admin"])
    department = DepartmentFactory(hromada=hromada)
    before = _snapshot()
    for action in (
        lambda: services.staff_role_revoke(actor=other_admin, staff_role=own_admin_role),
        lambda: services.department_rename(actor=other_admin, department=department, name="Моє"),
        lambda: services.department_delete(actor=other_admin, department=department),
        lambda: services.staff_role_grant(
            actor=other_admin, hromada=hromada, user=other_admin, role=Role.ADMIN
        ),
    ):
        with pytest.raises(DomainError) as exc:
            action()
        assert exc.value.code == "forbidden"
    assert _snapshot() == before
