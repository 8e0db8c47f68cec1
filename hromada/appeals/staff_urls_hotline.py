"""Staff pages of the hotline part (/staff/appeals/…)."""

from django.urls import path

from . import staff_views_hotline

urlpatterns: list = [
    path("hotline/", staff_views_hotline.hotline, name="hotline"),
    path("hotline/<uuid:public_id>/", staff_views_hotline.hotline_done, name="hotline_done"),
]
