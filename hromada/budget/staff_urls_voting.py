from django.urls import path

from . import staff_views_voting as v

urlpatterns = [
    path("paper/", v.paper, name="paper"),
    path("authorisations/", v.authorisations, name="authorisations"),
    path("authorisations/new/", v.authorisation_new, name="authorisation_new"),
    path("authorisations/<int:pk>/revoke/", v.authorisation_revoke, name="authorisation_revoke"),
    path("codes/", v.codes, name="codes"),
    path("codes/<uuid:batch>/revoke/", v.codes_revoke, name="codes_revoke"),
]
