"""DCAT-AP paths, included by the module's public urls under /opendata/."""

from django.urls import path

from hromada.opendata import dcat_views

urlpatterns = [
    path("catalog.<str:syntax>", dcat_views.catalog, name="dcat_catalog"),
    path("dataset/<str:ref>.<str:syntax>", dcat_views.dataset, name="dcat_dataset"),
]
