"""Lifecycle part: staff URL patterns (see staff_urls.py)."""

from django.urls import path

from . import staff_views_lifecycle as views

urlpatterns: list = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<uuid:cid>/", views.consultation_edit, name="edit"),
    path("<uuid:cid>/documents/", views.documents, name="documents"),
    path("<uuid:cid>/preview/", views.preview, name="preview"),
    path("<uuid:cid>/publish/", views.publish, name="publish"),
    path("<uuid:cid>/phase/", views.phase, name="phase"),
    path("<uuid:cid>/cancel/", views.cancel, name="cancel"),
]
