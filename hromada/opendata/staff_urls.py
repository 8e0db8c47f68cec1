from django.urls import path

from . import budget_views, staff_views

app_name = "staff_opendata"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("new/", staff_views.dataset_new, name="dataset_new"),
    path("d/<slug:name>/", staff_views.dataset_edit, name="dataset"),
    path("d/<slug:name>/publish/", staff_views.dataset_publish, name="publish"),
    path("d/<slug:name>/withdraw/", staff_views.dataset_withdraw, name="withdraw"),
    path("d/<slug:name>/resources/new/", staff_views.resource_new, name="resource_new"),
    path("d/<slug:name>/r/<uuid:rid>/version/", staff_views.version_new, name="version_new"),
    path("publishers/", staff_views.publisher_list, name="publishers"),
    path("publishers/<slug:name>/", staff_views.publisher_detail, name="publisher"),
    path("groups/", staff_views.group_list, name="groups"),
    path("budget/", budget_views.staff_import, name="budget"),
]
