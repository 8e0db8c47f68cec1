"""Public pages of the intake part (/appeals/…)."""

from django.urls import path

from . import views_intake

urlpatterns: list = [
    path("", views_intake.index, name="index"),
]
