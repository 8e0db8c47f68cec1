from django.urls import path

from . import views_voting as v

urlpatterns = [
    path("<slug:slug>/residency/", v.residency, name="residency"),
    path("<slug:slug>/vote/", v.vote, name="vote"),
    path("<slug:slug>/vote/<uuid:category>/", v.vote_category, name="vote_category"),
    path("<slug:slug>/vote/<uuid:category>/voted/", v.voted, name="voted"),
    path("<slug:slug>/school/", v.school_vote, name="school_vote"),
]
