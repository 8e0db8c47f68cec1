from django.urls import include, path

from . import views

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
    path("organization/", views.publisher_list, name="publishers"),
    path("organization/<slug:name>/", views.publisher_detail, name="publisher"),
    path("group/", views.group_list, name="groups"),
    path("group/<slug:name>/", views.group_detail, name="group"),
    # The open budget explorer (budget_urls): /opendata/budget/, /opendata/budget/<year>/
    path("budget/", include("hromada.opendata.budget_urls")),
    # DCAT-AP 3 (dcat_urls): /opendata/catalog.ttl, /opendata/dataset/<name or id>.jsonld …
    path("", include("hromada.opendata.dcat_urls")),
]
