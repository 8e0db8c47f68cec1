from django.urls import path

from . import views_projects as v

urlpatterns = [
    path("", v.index, name="index"),
    path("my/", v.my_projects, name="my"),
    path("coauthors/<str:token>/", v.coauthor_accept, name="coauthor_accept"),
    path("projects/<uuid:public_id>/", v.project_detail, name="project"),
    path("projects/<uuid:public_id>/edit/", v.project_edit, name="project_edit"),
    path("projects/<uuid:public_id>/submit/", v.project_submit, name="project_submit"),
    path("projects/<uuid:public_id>/withdraw/", v.project_withdraw, name="project_withdraw"),
    path("projects/<uuid:public_id>/support/", v.project_support, name="project_support"),
    path("projects/<uuid:public_id>/coauthors/", v.project_coauthors, name="project_coauthors"),
    path("projects/<uuid:public_id>/files/<int:file_id>/", v.project_file, name="project_file"),
    path("<slug:slug>/", v.cycle_detail, name="cycle"),
    path("<slug:slug>/projects/", v.project_list, name="projects"),
    path("<slug:slug>/submit/", v.project_new, name="project_new"),
]
