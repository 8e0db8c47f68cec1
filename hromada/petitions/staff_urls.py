from django.urls import path

from . import staff_views

app_name = "staff_petitions"
urlpatterns = [
    path("", staff_views.moderation_queue, name="index"),
    path("moderation/", staff_views.moderation_queue, name="moderation"),
    path("moderation/<str:public_id>/", staff_views.moderate, name="moderate"),
    path("consideration/", staff_views.consideration_queue, name="consideration"),
    path("consideration/<str:public_id>/", staff_views.answer, name="answer"),
    path("stats/", staff_views.stats, name="stats"),
]
