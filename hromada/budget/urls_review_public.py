"""The author's answer to the review (namespace budget; the lead adds these patterns
to urls.py)."""

from django.urls import path

from . import views_review_public as views

urlpatterns = [
    path("projects/<uuid:public_id>/answer/", views.review_answer, name="review_answer"),
]
