"""Django admin for the IT department. Identities are read-only here: they are
created by verification (online or at the service centre), never typed in."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError

from . import services
from .models import ApiToken, Department, Identity, StaffRole, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "email_confirmed_at", "is_active", "is_staff", "created_at"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "display_name"]
    readonly_fields = ["public_id", "created_at", "updated_at", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password", "public_id"]}),
        (_("Профіль"), {"fields": ["display_name", "language", "email_confirmed_at"]}),
        (_("Доступ"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Дати"), {"fields": ["last_login", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    filter_horizontal = ["groups", "user_permissions"]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "last_name", "first_name", "method", "verified_at", "verified_by"]
    list_filter = ["method"]
    search_fields = ["user__email", "last_name"]
    exclude = ["tax_hash"]
    readonly_fields = [
        "user", "last_name", "first_name", "middle_name", "birth_date", "method", "auth_type",
        "document_type", "verified_at", "verified_by", "verified_in",
    ]  # fmt: skip

    def has_add_permission(self, request):
        return False


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "hromada"]
    list_filter = ["hromada"]
    search_fields = ["name"]


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    """Roles are granted and revoked through the staff services, so the ledger records
    every change made here as it does one made in the staff console."""

    list_display = ["user", "role", "department", "hromada", "granted_by", "created_at"]
    list_filter = ["hromada", "role"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    fields = ["hromada", "user", "role", "department"]

    def has_change_permission(self, request, obj=None):
        return obj is None  # a role is revoked and granted anew, never edited

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)

        # `base` is the form class the admin builds at run time: not a type mypy can subclass.
        class GrantForm(base):  # type: ignore[valid-type, misc]
            """Grants the role while validating, so the service's refusal shows on the form."""

            def clean(self):
                cleaned = super().clean()
                if not self.errors:
                    try:
                        self.instance = services.staff_role_grant(
                            actor=request.user,
                            hromada=cleaned["hromada"],
                            user=cleaned["user"],
                            role=cleaned["role"],
                            department=cleaned.get("department"),
                        )
                    except DomainError as exc:
                        raise ValidationError(str(exc.message)) from exc
                return cleaned

            def validate_unique(self):
                pass  # the service and the database's constraint guard uniqueness

        return GrantForm

    def save_model(self, request, obj, form, change):
        pass  # granted (and ledgered) by GrantForm.clean

    def delete_model(self, request, obj):
        services.staff_role_revoke(actor=request.user, staff_role=obj)

    def delete_queryset(self, request, queryset):
        for staff_role in queryset.select_related("hromada", "user"):
            services.staff_role_revoke(actor=request.user, staff_role=staff_role)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["user__email", "name"]
    exclude = ["token_hash"]
    readonly_fields = ["user", "name", "last_used_at", "created_at"]

    def has_add_permission(self, request):
        return False
