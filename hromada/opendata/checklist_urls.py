"""The public Resolution 835 checklist, included from urls.py: /opendata/835/ and its
exports /opendata/835.csv, /opendata/835.json."""

from django.urls import path, re_path

from . import checklist_views

urlpatterns = [
    path("835/", checklist_views.checklist_page, name="checklist"),
    re_path(r"^835\.(?P<fmt>csv|json)$", checklist_views.checklist_export, name="checklist_export"),
]
