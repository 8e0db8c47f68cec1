"""Moderation, /staff/comments/…"""

from django.urls import path

from . import staff_views

app_name = "staff_comments"

urlpatterns: list = [path("", staff_views.queue, name="queue")]
