"""questionnaire part: public URL patterns (see urls.py)."""

from django.urls import path

from . import views_questionnaire as views

urlpatterns: list = [
    path("<int:number>/answer/", views.answer, name="answer"),
    path("<int:number>/answered/", views.answered, name="answered"),
]
