"""Staff: departments and the roles granted in a hromada."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError
from hromada.ledger.services import ledger_append
from hromada.tenancy.models import Hromada

from .. import rules
from ..models import Department, Role, StaffRole, User
from ._common import _forbidden


def _department_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("name_required", _("Вкажіть назву підрозділу."), field="name")
    if len(name) > 200:
        raise DomainError("name_too_long", _("Назва підрозділу — до 200 символів."), field="name")
    return name


def _department_name_taken(hromada_id: int, name: str, exclude: int | None = None) -> bool:
    """Case-insensitive for Cyrillic too (SQLite's LIKE folds ASCII only); a
    hromada has tens of departments, so compare in Python."""
    names = (
        Department.objects.filter(hromada_id=hromada_id)
        .exclude(pk=exclude)  # type: ignore[misc]  # pk=None is a valid lookup (IS NULL): excludes nothing
        .values_list("name", flat=True)
    )
    return any(existing.casefold() == name.casefold() for existing in names)


def _department_taken() -> DomainError:
    return DomainError("department_exists", _("Підрозділ із такою назвою вже є."), field="name", status=409)


def department_create(*, actor: User, hromada: Hromada, name: str) -> Department:
    if not rules.can_manage_staff(actor, hromada):
        raise _forbidden()
    name = _department_name(name)
    with transaction.atomic():
        if _department_name_taken(hromada.pk, name):
            raise _department_taken()
        try:
            with transaction.atomic():
                return Department.objects.create(hromada=hromada, name=name)
        except IntegrityError:
            raise _department_taken()


def department_rename(*, actor: User, department: Department, name: str) -> Department:
    if not rules.can_manage_staff(actor, department.hromada):
        raise _forbidden()
    name = _department_name(name)
    with transaction.atomic():
        if _department_name_taken(department.hromada_id, name, exclude=department.pk):
            raise _department_taken()
        department.name = name
        try:
            with transaction.atomic():
                department.save(update_fields=["name", "updated_at"])
        except IntegrityError:
            raise _department_taken()
    return department


def department_delete(*, actor: User, department: Department) -> None:
    if not rules.can_manage_staff(actor, department.hromada):
        raise _forbidden()
    with transaction.atomic():
        if StaffRole.objects.filter(department=department).exists():
            raise DomainError(
                "department_in_use",
                _("У підрозділі є працівники. Спершу відкличте або перенесіть їхні ролі."),
                status=409,
            )
        department.delete()


def _may_manage_roles(actor: User, hromada: Hromada) -> bool:
    """The hromada's administrators, and the install's superuser (the IT department, in
    the Django admin), who appoints a new hromada's first administrator."""
    return rules.can_manage_staff(actor, hromada) or bool(actor.is_active and actor.is_superuser)


def staff_role_grant(
    *,
    actor: User,
    hromada: Hromada,
    user: User,
    role: str,
    department: Department | None = None,
    position: str = "",
    is_head: bool = False,
) -> StaffRole:
    if not _may_manage_roles(actor, hromada):
        raise _forbidden(_("Керувати працівниками може лише адміністратор громади."))
    if role not in Role.values:
        raise DomainError("invalid_role", _("Оберіть роль зі списку."), field="role")
    if not user.is_active:
        raise DomainError("user_inactive", _("Обліковий запис цієї людини вимкнено."), field="email")
    if department is not None and department.hromada_id != hromada.pk:
        raise DomainError("invalid_department", _("Оберіть підрозділ своєї громади."), field="department")
    if role == Role.OFFICER and department is None:
        raise DomainError(
            "department_required", _("Для посадової особи оберіть підрозділ."), field="department"
        )
    position = " ".join((position or "").split())
    if len(position) > 200:
        raise DomainError("position_too_long", _("Назва посади задовга (до 200 символів)."), field="position")
    if is_head and department is None:
        raise DomainError(
            "department_required", _("Керівникові підрозділу оберіть підрозділ."), field="department"
        )
    exists = DomainError("role_exists", _("Ця людина вже має таку роль у громаді."), field="role", status=409)
    with transaction.atomic():
        if StaffRole.objects.filter(hromada=hromada, user=user, role=role).exists():
            raise exists
        try:
            with transaction.atomic():
                staff_role = StaffRole.objects.create(
                    hromada=hromada,
                    user=user,
                    role=role,
                    department=department,
                    granted_by=actor,
                    position=position,
                    is_head=is_head,
                )
        except IntegrityError:
            raise exists
        payload: dict[str, str | bool | None] = {
            "staff_member": str(user.public_id),
            "role": role,
            "department": department.name if department else None,
        }
        # Only when given, so earlier entries and these read alike.
        if position:
            payload["position"] = position
        if is_head:
            payload["head_of_department"] = True
        ledger_append(hromada=hromada, kind="staff.role_granted", payload=payload)
    _forget_roles_cache(user, actor)
    return staff_role


def staff_role_revoke(*, actor: User, staff_role: StaffRole) -> None:
    hromada = staff_role.hromada
    if not _may_manage_roles(actor, hromada):
        raise _forbidden(_("Керувати працівниками може лише адміністратор громади."))
    with transaction.atomic():
        if staff_role.role == Role.ADMIN:
            # Lock the hromada's admin rows so two admins cannot remove each other at once.
            admins = list(
                StaffRole.objects.select_for_update()
                .filter(hromada=hromada, role=Role.ADMIN)
                .values_list("pk", flat=True)
            )
            if admins == [staff_role.pk]:
                raise DomainError(
                    "last_admin",
                    _("Не можна відкликати роль останнього адміністратора громади. Спершу призначте іншого."),
                    status=409,
                )
        deleted, _rows = StaffRole.objects.filter(pk=staff_role.pk, hromada=hromada).delete()
        if deleted:
            ledger_append(
                hromada=hromada,
                kind="staff.role_revoked",
                payload={"staff_member": str(staff_role.user.public_id), "role": staff_role.role},
            )
    _forget_roles_cache(staff_role.user, actor)


def _forget_roles_cache(*users: User) -> None:
    for user in users:
        if hasattr(user, "_hromada_roles"):
            del user._hromada_roles
