"""Lifecycle part: public URL patterns (see urls.py)."""

from django.urls import path

from . import views_lifecycle as views

urlpatterns: list = [
    path("", views.index, name="index"),
    path("my/", views.my, name="my"),
    path("subscribe/", views.subscribe, name="subscribe"),
    path("<int:number>/", views.detail, name="detail"),
    path("<int:number>/follow/", views.follow, name="follow"),
]
