"""questionnaire part: staff URL patterns (see staff_urls.py)."""

from django.urls import path

from . import staff_views_questionnaire as views

urlpatterns: list = [
    path("<uuid:cid>/questions/", views.questions, name="questions"),
    path("<uuid:cid>/questions/new/", views.question_new, name="question_new"),
    path("<uuid:cid>/questions/<uuid:qid>/", views.question_edit, name="question_edit"),
    path("<uuid:cid>/questions/<uuid:qid>/options/", views.option_add, name="option_add"),
    path("<uuid:cid>/questions/<uuid:qid>/<slug:action>/", views.question_action, name="question_action"),
    path(
        "<uuid:cid>/questions/<uuid:qid>/options/<uuid:oid>/<slug:action>/",
        views.option_action,
        name="option_action",
    ),
    path(
        "<uuid:cid>/questions/<uuid:qid>/conditions/<slug:action>/",
        views.condition_action,
        name="condition_action",
    ),
    path("<uuid:cid>/sections/<int:sid>/", views.section_edit, name="section_edit"),
    path("<uuid:cid>/sections/<int:sid>/<slug:action>/", views.section_action, name="section_action"),
]
