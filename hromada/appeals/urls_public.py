"""Public pages of the public part (/appeals/…)."""

from django.urls import path

from . import views_public

urlpatterns: list = [
    path("cases/<uuid:public_id>/", views_public.case, name="case"),
]
