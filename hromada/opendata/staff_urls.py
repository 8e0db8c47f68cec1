from django.urls import include, path

from . import budget_views, staff_chart_views, staff_edit_views, staff_views

app_name = "staff_opendata"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("new/", staff_views.dataset_new, name="dataset_new"),
    path("d/<slug:name>/", staff_views.dataset_edit, name="dataset"),
    path("d/<slug:name>/publish/", staff_views.dataset_publish, name="publish"),
    path("d/<slug:name>/withdraw/", staff_views.dataset_withdraw, name="withdraw"),
    path("d/<slug:name>/resources/new/", staff_views.resource_new, name="resource_new"),
    path("d/<slug:name>/r/<uuid:rid>/version/", staff_views.version_new, name="version_new"),
    path("platform/sync/", staff_views.platform_sync_now, name="platform_sync"),
    # --- charts (staff_chart_views) ---
    path("d/<slug:name>/r/<uuid:rid>/charts/", staff_chart_views.charts, name="charts"),
    path("d/<slug:name>/r/<uuid:rid>/charts/<uuid:cid>/", staff_chart_views.chart_edit, name="chart_edit"),
    path(
        "d/<slug:name>/r/<uuid:rid>/charts/<uuid:cid>/delete/",
        staff_chart_views.chart_delete,
        name="chart_delete",
    ),
    # --- end charts ---
    path("publishers/", staff_views.publisher_list, name="publishers"),
    path("publishers/<slug:name>/", staff_views.publisher_detail, name="publisher"),
    path("groups/", staff_views.group_list, name="groups"),
    # --- issue 14: edit pages (staff_edit_views) and the Resolution 835 checklist ---
    path("d/<slug:name>/r/<uuid:rid>/edit/", staff_edit_views.resource_edit, name="resource_edit"),
    path(
        "d/<slug:name>/r/<uuid:rid>/withdraw/", staff_edit_views.resource_withdraw, name="resource_withdraw"
    ),
    path("publishers/<slug:name>/edit/", staff_edit_views.publisher_edit, name="publisher_edit"),
    path("groups/<slug:name>/", staff_edit_views.group_edit, name="group"),
    path("835/", include("hromada.opendata.checklist_staff_urls")),
    path("budget/", budget_views.staff_import, name="budget"),
]
