"""results part: staff URL patterns (see staff_urls.py)."""

from django.urls import path

from . import staff_views_results

urlpatterns = [
    path("<uuid:cid>/results/", staff_views_results.results, name="results"),
    path("<uuid:cid>/report/", staff_views_results.report, name="report"),
]
