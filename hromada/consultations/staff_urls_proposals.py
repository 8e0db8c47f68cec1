"""Proposals part: staff URL patterns (see staff_urls.py)."""

from django.urls import path

from . import staff_views_proposals as views

urlpatterns: list = [
    path("proposals/", views.proposals_queue, name="proposals_queue"),
    path("moderation/", views.moderation, name="moderation"),
]
