"""Django admin for the IT department. A hromada is created through hromada_create (so
it gets every module's settings row and a ledger entry); its population, modules and
module settings are changed only on the hromada administrator's settings page, where
each change is ledgered, so the admin shows them read-only."""

from django.contrib import admin

from . import services
from .models import Hromada, ModuleSwitch


@admin.register(Hromada)
class HromadaAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "katottg", "population", "is_active")
    search_fields = ("name", "slug", "katottg")

    def get_readonly_fields(self, request, obj=None):
        return ("population",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            services.tenancy_cache_clear()
            return
        created = services.hromada_create(
            name=obj.name,
            name_en=obj.name_en,
            slug=obj.slug,
            katottg=obj.katottg,
            population=obj.population,
            hosts=obj.hosts,
            languages=obj.languages,
            time_zone=obj.time_zone,
        )
        obj.pk = created.pk
        obj.created_at, obj.updated_at = created.created_at, created.updated_at


@admin.register(ModuleSwitch)
class ModuleSwitchAdmin(admin.ModelAdmin):
    list_display = ("hromada", "module", "enabled", "updated_at")
    list_filter = ("module", "enabled")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
