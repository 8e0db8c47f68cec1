"""Who may do what. Predicates take the actor and the hromada and return bool;
services call them and raise, views call them to show or hide actions."""

from __future__ import annotations

from hromada.tenancy.models import Hromada, IdentityLevel

from .models import Role, StaffRole


def _roles(user, hromada: Hromada) -> set[str]:
    if user is None or not user.is_authenticated or hromada is None:
        return set()
    cache = getattr(user, "_hromada_roles", None)
    if cache is None:
        cache = {}
        user._hromada_roles = cache
    if hromada.pk not in cache:
        cache[hromada.pk] = set(
            StaffRole.objects.filter(user=user, hromada=hromada).values_list("role", flat=True)
        )
    return cache[hromada.pk]


def is_staff_member(user, hromada: Hromada) -> bool:
    return bool(_roles(user, hromada))


def is_hromada_admin(user, hromada: Hromada) -> bool:
    return Role.ADMIN in _roles(user, hromada)


def can_moderate(user, hromada: Hromada) -> bool:
    return bool({Role.ADMIN, Role.MODERATOR} & _roles(user, hromada))


def can_answer(user, hromada: Hromada) -> bool:
    return bool({Role.ADMIN, Role.OFFICER} & _roles(user, hromada))


def can_manage_staff(user, hromada: Hromada) -> bool:
    return is_hromada_admin(user, hromada)


def can_verify_in_person(user, hromada: Hromada) -> bool:
    return bool({Role.ADMIN, Role.OFFICER} & _roles(user, hromada))


def has_identity_level(user, level: str) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if level == IdentityLevel.EMAIL:
        return user.email_confirmed_at is not None
    if level == IdentityLevel.VERIFIED:
        return _identity(user) is not None
    return False


def _identity(user):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return user.identity
    except ObjectDoesNotExist:
        return None
