from django.urls import path

from . import limited, views

app_name = "sample"
urlpatterns = [
    path("", views.listing, name="list"),
    path("act", views.act, name="act"),
    path("limited", limited.limited, name="limited"),
]
