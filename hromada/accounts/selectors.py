"""Reads for accounts and the staff console. Everything tenant-owned takes `hromada=`."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet

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
