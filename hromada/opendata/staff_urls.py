from django.urls import path

from . import staff_chart_views, staff_views

app_name = "staff_opendata"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("new/", staff_views.dataset_new, name="dataset_new"),
    path("d/<slug:name>/", staff_views.dataset_edit, name="dataset"),
    path("d/<slug:name>/publish/", staff_views.dataset_publish, name="publish"),
    path("d/<slug:name>/withdraw/", staff_views.dataset_withdraw, name="withdraw"),
    path("d/<slug:name>/resources/new/", staff_views.resource_new, name="resource_new"),
    path("d/<slug:name>/r/<uuid:rid>/version/", staff_views.version_new, name="version_new"),
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
]
