from django.contrib import admin

from .models import Category, Petition


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "hromada")
    list_filter = ("hromada",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    """Read-only: every change of state goes through the services (and the ledger)."""

    list_display = ("number", "title", "hromada", "status", "signature_count", "submitted_at")
    list_filter = ("hromada", "status")
    search_fields = ("title",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
