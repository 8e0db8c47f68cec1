"""Proposals part: public URL patterns (see urls.py)."""

from django.urls import path

from . import views_proposals as views

urlpatterns: list = [
    path("<int:number>/text/", views.text, name="text"),
    path("<int:number>/text/<uuid:pid>/", views.paragraph, name="paragraph"),
    path("<int:number>/proposals/", views.proposals, name="proposals"),
    path("<int:number>/proposals/new/", views.proposal_new, name="proposal_new"),
    path("<int:number>/proposals/<int:n>/", views.proposal, name="proposal"),
    path("<int:number>/proposals/<int:n>/support/", views.proposal_support, name="proposal_support"),
    path("<int:number>/proposals/<int:n>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
]
