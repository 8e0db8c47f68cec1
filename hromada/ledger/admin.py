"""Read-only admin: the ledger is written only by its services, never by hand."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .kinds import kind_label
from .models import LedgerEntry, LedgerKey, LedgerLeaf, SignedTreeHead


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "hromada", "kind", "label", "created_at"]
    list_filter = ["hromada", "kind"]
    list_select_related = ["hromada"]
    search_fields = ["=uuid", "kind"]
    show_full_result_count = False

    @admin.display(description=_("подія"))
    def label(self, obj):
        return kind_label(obj.kind)


@admin.register(LedgerLeaf)
class LedgerLeafAdmin(ReadOnlyAdmin):
    list_display = ["index", "hromada", "entry"]
    list_filter = ["hromada"]
    list_select_related = ["hromada", "entry"]
    show_full_result_count = False


@admin.register(SignedTreeHead)
class SignedTreeHeadAdmin(ReadOnlyAdmin):
    list_display = ["tree_size", "hromada", "root_hash", "timestamp"]
    list_filter = ["hromada"]
    list_select_related = ["hromada"]


@admin.register(LedgerKey)
class LedgerKeyAdmin(ReadOnlyAdmin):
    list_display = ["key_id", "algorithm", "created_at"]
