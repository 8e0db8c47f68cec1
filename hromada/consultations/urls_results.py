"""results part: public URL patterns (see urls.py)."""

from django.urls import path

from . import views_results

urlpatterns = [
    path("<int:number>/results/", views_results.results, name="results"),
    path("<int:number>/results/export.<str:fmt>", views_results.results_export, name="results_export"),
    path(
        "<int:number>/results/points/<uuid:qid>.geojson", views_results.results_points, name="results_points"
    ),
    path("<int:number>/report/", views_results.report, name="report"),
]
