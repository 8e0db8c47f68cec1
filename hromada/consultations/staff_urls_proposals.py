"""Proposals part: staff URL patterns (see staff_urls.py)."""

from django.urls import path

from . import staff_views_proposals as views

urlpatterns: list = [
    path("proposals/", views.proposals_queue, name="proposals_queue"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/answers/", views.moderation_answers, name="moderation_answers"),
    path("<uuid:cid>/paragraphs/", views.paragraphs, name="paragraphs"),
    path("<uuid:cid>/proposals/", views.proposals, name="proposals"),
    path("<uuid:cid>/proposals/<int:n>/", views.proposal_answer, name="proposal_answer"),
    path("<uuid:cid>/proposals/<int:n>/moderate/", views.moderation_proposal, name="moderation_proposal"),
]
