"""Lifecycle part: public URL patterns (see urls.py)."""

from django.urls import path

from . import views_lifecycle as views

urlpatterns: list = [
    path("", views.index, name="index"),
    path("<int:number>/", views.detail, name="detail"),
]
