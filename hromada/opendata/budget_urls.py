"""The open budget explorer under /opendata/budget/ (included from urls.py, in the
`opendata` namespace)."""

from django.urls import path

from . import budget_views

urlpatterns = [
    path("", budget_views.explorer, name="budget"),
    path("<int:year>/", budget_views.explorer, name="budget_year"),
]
