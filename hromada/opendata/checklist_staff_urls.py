"""The administrator's Resolution 835 checklist, included from staff_urls.py
(/staff/opendata/835/…; checklist.remind_tick links to staff_opendata:checklist)."""

from django.urls import path

from . import checklist_views

urlpatterns = [
    path("", checklist_views.staff_checklist, name="checklist"),
    path("<int:pk>/", checklist_views.staff_requirement, name="requirement"),
]
