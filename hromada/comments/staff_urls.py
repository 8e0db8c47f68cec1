"""Moderation, /staff/comments/…"""

from django.urls import path

from . import staff_views

app_name = "staff_comments"

urlpatterns = [
    path("", staff_views.queue, name="queue"),
    path("<uuid:public_id>/<str:action>", staff_views.moderate, name="moderate"),
]
