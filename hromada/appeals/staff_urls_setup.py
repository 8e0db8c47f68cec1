"""Staff pages of the setup part (/staff/appeals/…)."""

from django.urls import path

from . import staff_views_setup

urlpatterns: list = [
    path("setup/", staff_views_setup.setup, name="setup"),
    path("moderation/", staff_views_setup.moderation, name="moderation"),
]
