"""Django admin for the IT department. Identities are read-only here: they are
created by verification (online or at the service centre), never typed in."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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
    list_display = ["user", "role", "department", "hromada", "granted_by", "created_at"]
    list_filter = ["hromada", "role"]
    search_fields = ["user__email"]
    raw_id_fields = ["user", "granted_by"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["user__email", "name"]
    exclude = ["token_hash"]
    readonly_fields = ["user", "name", "last_used_at", "created_at"]

    def has_add_permission(self, request):
        return False
