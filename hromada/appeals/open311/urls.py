"""Open311 GeoReport v2 at /open311/v2/ (owned by the Open311 part)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
