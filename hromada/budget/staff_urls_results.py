from django.urls import path

from . import staff_views_results

urlpatterns = [
    path("results/<slug:slug>/", staff_views_results.results_page, name="results"),
]
