from django.contrib import admin

from .models import Hromada, Statute


class StatuteInline(admin.StackedInline):
    model = Statute
    can_delete = False


@admin.register(Hromada)
class HromadaAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "katottg", "population", "is_active")
    search_fields = ("name", "slug", "katottg")
    inlines = [StatuteInline]
