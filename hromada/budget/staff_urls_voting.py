from django.urls import path

from . import views_placeholder as v

urlpatterns = [
    path("paper/", v.staff, name="paper"),
    path("authorisations/", v.staff, name="authorisations"),
]
