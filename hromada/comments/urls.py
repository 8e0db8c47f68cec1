"""Comment threads, /comments/… (htmx fragments and their no-script pages)."""

from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("<str:kind>/<str:key>/", views.thread_view, name="thread"),
    path("<str:kind>/<str:key>/post", views.post, name="post"),
    path(
        "c/<uuid:public_id>/<str:action>",
        views.act,
        name="act",
    ),
]
