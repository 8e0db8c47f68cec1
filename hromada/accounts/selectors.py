"""Reads for accounts and the staff console. Everything tenant-owned takes `hromada=`."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from hromada.core.modules import registry, resolve
from hromada.tenancy.models import Hromada

from .models import ApiToken, Department, Identity, StaffRole, User


def user_get_by_email(*, email: str) -> User | None:
    email = (email or "").strip()
    if not email:
        return None
    return User.objects.filter(email__iexact=email).first()


def user_identity(*, user) -> Identity | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.identity
    except ObjectDoesNotExist:
        return None


def department_list(*, hromada: Hromada) -> QuerySet[Department]:
    return Department.objects.filter(hromada=hromada).order_by("name")


def department_get(*, hromada: Hromada, public_id) -> Department | None:
    try:
        return Department.objects.filter(hromada=hromada, public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def staff_role_list(*, hromada: Hromada) -> QuerySet[StaffRole]:
    return (
        StaffRole.objects.filter(hromada=hromada)
        .select_related("user", "department", "granted_by")
        .order_by("user__email", "role")
    )


def staff_role_get(*, hromada: Hromada, pk) -> StaffRole | None:
    try:
        return StaffRole.objects.filter(hromada=hromada, pk=int(pk)).select_related("user", "hromada").first()
    except (ValueError, TypeError, ValidationError):
        return None


def staff_roles_of(*, user, hromada: Hromada) -> QuerySet[StaffRole]:
    return StaffRole.objects.filter(user=user, hromada=hromada).select_related("department")


def api_token_list(*, user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def api_token_get(*, user, public_id) -> ApiToken | None:
    try:
        return ApiToken.objects.filter(user=user, public_id=public_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def user_personal_data(*, user) -> dict:
    """Everything the install holds about `user`, as the person may ask to see it (the
    Law on Personal Data Protection, art. 8): {"exported_at", and one part per module
    that keeps personal data, under the module's label}. Each module declares its
    exporter in module.py; the system check hromada.E003 makes sure every model that
    refers to a user is exported or declared not personal, so nothing is forgotten."""
    data: dict = {"exported_at": timezone.now().isoformat()}
    for module in registry:
        if module.personal_data_export:
            data[module.label] = resolve(module.personal_data_export)(user=user)
    return data


def account_personal_data(*, user) -> dict:
    """The accounts part of the export. The tax number is never stored, so only the fact
    that its keyed hash is kept is said."""
    identity = user_identity(user=user)
    data = {
        "account": {
            "id": str(user.public_id),
            "email": user.email,
            "email_confirmed_at": user.email_confirmed_at.isoformat() if user.email_confirmed_at else None,
            "display_name": user.display_name,
            "language": user.language,
            "created_at": user.created_at.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "has_password": user.has_usable_password(),
        },
        "identity": None,
        "staff_roles": [
            {"hromada": r.hromada.slug, "role": r.role, "since": r.created_at.isoformat()}
            for r in StaffRole.objects.filter(user=user).select_related("hromada").order_by("created_at")
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
                "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
            }
            for t in ApiToken.objects.filter(user=user).order_by("created_at")
        ],
    }
    if identity is not None:
        data["identity"] = {
            "last_name": identity.last_name,
            "first_name": identity.first_name,
            "middle_name": identity.middle_name,
            "birth_date": identity.birth_date.isoformat() if identity.birth_date else None,
            "method": identity.method,
            "auth_type": identity.auth_type,
            "document_type": identity.document_type,
            "verified_at": identity.verified_at.isoformat(),
            "tax_number": "not stored; a keyed hash of it is kept so that one person has one account",
        }
    return data


def staff_sections_for(*, user, hromada: Hromada) -> list:
    """The staff-console cards `user` may open in `hromada`: every enabled module's
    sections (module.py) whose permission the person holds, in their declared order."""
    from hromada.tenancy.selectors import modules_enabled

    from .rules import perms_of

    held = perms_of(user, hromada)
    sections = [
        section
        for module in modules_enabled(hromada)
        for section in module.staff_sections
        if section.permission is None or section.permission in held
    ]
    return sorted(sections, key=lambda s: s.order)


def eligibility_for(*, user, hromada: Hromada | None) -> list[str]:
    """What `user` may now do (or why not yet) in each module `hromada` uses, as the
    modules themselves say it (module.py `eligibility`): the kernel names no module."""
    from hromada.tenancy.selectors import modules_enabled

    if hromada is None:
        return []
    sentences: list[str] = []
    for module in modules_enabled(hromada):
        if module.eligibility:
            sentences.extend(str(s) for s in resolve(module.eligibility)(user=user, hromada=hromada))
    return sentences


def staff_summary_for(*, user, hromada: Hromada) -> list[tuple]:
    """The staff home's figures: (module, [StaffCounter, ...]) for each enabled module that
    declares a `staff_summary`, each showing only what `user` may act on."""
    from hromada.core.modules import resolve
    from hromada.tenancy.selectors import modules_enabled

    out = []
    for module in modules_enabled(hromada):
        if module.staff_summary is None:
            continue
        counters = list(resolve(module.staff_summary)(hromada=hromada, user=user))
        if counters:
            out.append((module, counters))
    return out


def perm_holder_ids(*, hromada: Hromada, codenames) -> list[int]:
    """Ids of the hromada's active staff whose roles grant any of `codenames` (the people
    a module tells of work waiting for that permission)."""
    from hromada.core.modules import registry

    roles: set[str] = set()
    for codename in codenames:
        permission = registry.permission(codename)
        if permission is None:
            raise LookupError(codename)
        roles |= set(permission.roles)
    return sorted(
        set(
            StaffRole.objects.filter(hromada=hromada, role__in=roles, user__is_active=True).values_list(
                "user_id", flat=True
            )
        )
    )
