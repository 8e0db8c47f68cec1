"""Staff pages of the work part (/staff/appeals/…)."""

from django.urls import path

from . import staff_views_work

urlpatterns: list = [
    path("", staff_views_work.queue, name="queue"),
    path("cases/<uuid:public_id>/", staff_views_work.case, name="case"),
]
