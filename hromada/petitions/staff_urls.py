from django.urls import path

from . import staff_views

app_name = "staff_petitions"
urlpatterns = [
    path("", staff_views.moderation_queue, name="index"),
    path("moderation/", staff_views.moderation_queue, name="moderation"),
    path("moderation/<str:public_id>/", staff_views.moderate, name="moderate"),
    path("consideration/", staff_views.consideration_queue, name="consideration"),
    path("consideration/<str:public_id>/", staff_views.answer, name="answer"),
    path("consideration/<str:public_id>/signers.pdf", staff_views.signers_pdf, name="signers_pdf"),
    path("consideration/<str:public_id>/signers.csv", staff_views.signers_csv, name="signers_csv"),
    path("notes/<str:public_id>/", staff_views.notes, name="notes"),
    path("approval/", staff_views.approval_queue, name="approval"),
    path("followup/", staff_views.followup_queue, name="followup"),
    path("all/", staff_views.all_queue, name="all"),
    path("bulk/<str:queue>/", staff_views.bulk, name="bulk"),
    path("stats/", staff_views.stats, name="stats"),
    path("stats.csv", staff_views.stats_csv, name="stats_csv"),
    path("categories/", staff_views.categories, name="categories"),
]
