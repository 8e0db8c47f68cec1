"""Public pages, /cnap/…"""

from django.urls import path

from . import views

app_name = "cnap"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("services/<uuid:public_id>/", views.service, name="service"),
    path("offices/", views.offices, name="offices"),
    path("offices/<slug:code>/", views.office, name="office"),
]
