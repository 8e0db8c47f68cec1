"""Lifecycle part: staff URL patterns (see staff_urls.py)."""

from django.urls import path

from . import staff_views_lifecycle as views

urlpatterns: list = [
    path("", views.consultation_list, name="list"),
]
