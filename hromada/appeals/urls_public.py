"""Public pages of the public part (/appeals/…)."""

from django.urls import path

from . import views_public as views

urlpatterns: list = [
    path("map/", views.report_map, name="map"),
    path("cases/<uuid:public_id>/", views.case, name="case"),
    path("cases/<uuid:public_id>/follow/", views.case_follow, name="case_follow"),
    path("cases/<uuid:public_id>/confirm/", views.case_verdict, {"action": "confirm"}, name="case_confirm"),
    path("cases/<uuid:public_id>/reopen/", views.case_verdict, {"action": "reopen"}, name="case_reopen"),
    path("cases/<uuid:public_id>/rate/", views.case_verdict, {"action": "rate"}, name="case_rate"),
    path("my/", views.my, name="my"),
    path("my/subscriptions/", views.subscribe, name="subscribe"),
    path("my/subscriptions/<int:pk>/delete/", views.unsubscribe, name="unsubscribe"),
    path("stats/", views.stats, name="stats"),
]
