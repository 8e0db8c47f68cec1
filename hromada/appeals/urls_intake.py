"""Public pages of the intake part (/appeals/…)."""

from django.urls import path

from . import views_intake

urlpatterns: list = [
    path("", views_intake.index, name="index"),
    path("new/appeal/", views_intake.new_appeal, name="new_appeal"),
    path("new/info/", views_intake.new_info, name="new_info"),
    path("new/report/", views_intake.new_report, name="new_report"),
    path("drafts/<uuid:public_id>/", views_intake.draft, name="draft"),
    path("cases/<uuid:public_id>/cosign/", views_intake.cosign, name="cosign"),
    path("cases/<uuid:public_id>/join/", views_intake.join, name="join"),
    path("new/report/nearby/", views_intake.nearby, name="nearby"),
    path("new/report/attributes/", views_intake.attributes, name="attributes"),
]
