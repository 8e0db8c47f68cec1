from django.urls import path

from . import views

app_name = "sample"
urlpatterns = [
    path("", views.listing, name="list"),
    path("act", views.act, name="act"),
]
