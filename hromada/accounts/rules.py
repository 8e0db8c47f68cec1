"""Who may do what. Predicates take the actor and the hromada and return bool;
services call them and raise, views call them to show or hide actions."""

from __future__ import annotations

from hromada.core.modules import registry
from hromada.tenancy.models import Hromada, IdentityLevel
from hromada.tenancy.selectors import module_settings

from .models import Role, StaffRole, VerificationMethod


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


def has_perm(user, hromada: Hromada, codename: str) -> bool:
    """Whether `user` holds a staff role in `hromada` that grants permission `codename`
    ('<module>.<verb>', declared in the module's module.py). An unknown permission is a
    programming error, not a silent 'no'."""
    permission = registry.permission(codename)
    if permission is None:
        raise LookupError(f"unknown permission {codename!r}: declare it in a module.py")
    return bool(set(permission.roles) & _roles(user, hromada))


def perms_of(user, hromada: Hromada) -> set[str]:
    """Every permission `user` holds in `hromada`."""
    roles = _roles(user, hromada)
    return {codename for codename, p in registry.permissions().items() if set(p.roles) & roles}


def can_manage_staff(user, hromada: Hromada) -> bool:
    return has_perm(user, hromada, "accounts.manage_staff")


def can_verify_in_person(user, hromada: Hromada) -> bool:
    return has_perm(user, hromada, "accounts.verify_in_person")


def has_identity_level(user, level: str, *, hromada: Hromada | None) -> bool:
    """Whether `user` reaches identity `level` in `hromada`: the one question every module
    asks before a resident acts there. A verification made in person counts only in the
    hromada whose officer made it, unless `hromada`'s settings accept other hromadas'
    (online verifications count everywhere). `hromada=None` asks "anywhere at all"."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if level == IdentityLevel.EMAIL:
        return user.email_confirmed_at is not None
    if level == IdentityLevel.VERIFIED:
        return identity_in(user, hromada=hromada) is not None
    return False


def identity_in(user, *, hromada: Hromada | None):
    """`user`'s identity if it counts in `hromada` (see has_identity_level), else None."""
    if user is None or not user.is_authenticated:
        return None
    identity = _identity(user)
    if identity is None or hromada is None or identity.method != VerificationMethod.IN_PERSON:
        return identity
    if identity.verified_in_id == hromada.pk:
        return identity
    settings = module_settings(hromada=hromada, label="accounts")
    return identity if settings is not None and settings.accept_in_person_from_other_hromadas else None


def _identity(user):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return user.identity
    except ObjectDoesNotExist:
        return None
