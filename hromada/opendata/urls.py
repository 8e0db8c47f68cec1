from django.urls import include, path

from . import chart_views, views

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("dataset/<slug:name>/", views.dataset_detail, name="dataset"),
    path("dataset/<slug:name>/resource/<uuid:rid>/", views.resource_detail, name="resource"),
    path("dataset/<slug:name>/resource/<uuid:rid>/download", views.download, name="download"),
    path(
        "dataset/<slug:name>/resource/<uuid:rid>/version/<int:number>/download",
        views.version_download,
        name="version_download",
    ),
    # --- charts and map previews (chart_views) ---
    path(
        "dataset/<slug:name>/resource/<uuid:rid>/chart/<uuid:cid>.csv",
        chart_views.chart_csv,
        name="chart_csv",
    ),
    path(
        "dataset/<slug:name>/resource/<uuid:rid>/map-<str:kind>.geojson",
        chart_views.map_geojson,
        name="map_geojson",
    ),
    # --- end charts ---
    path("organization/", views.publisher_list, name="publishers"),
    path("organization/<slug:name>/", views.publisher_detail, name="publisher"),
    path("group/", views.group_list, name="groups"),
    path("group/<slug:name>/", views.group_detail, name="group"),
    # The Resolution 835 checklist (checklist_urls): /opendata/835/, /opendata/835.csv, .json
    path("", include("hromada.opendata.checklist_urls")),
    # The open budget explorer (budget_urls): /opendata/budget/, /opendata/budget/<year>/
    path("budget/", include("hromada.opendata.budget_urls")),
    # DCAT-AP 3 (dcat_urls): /opendata/catalog.ttl, /opendata/dataset/<name or id>.jsonld …
    path("", include("hromada.opendata.dcat_urls")),
]
