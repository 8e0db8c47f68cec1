from django.urls import path

from . import staff_views

app_name = "staff"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("departments/", staff_views.departments, name="departments"),
    path("departments/<uuid:public_id>/rename/", staff_views.department_rename, name="department_rename"),
    path("departments/<uuid:public_id>/delete/", staff_views.department_delete, name="department_delete"),
    path("roles/", staff_views.roles, name="roles"),
    path("roles/<int:pk>/revoke/", staff_views.role_revoke, name="role_revoke"),
    path("verify/", staff_views.verify_in_person, name="verify_in_person"),
]
