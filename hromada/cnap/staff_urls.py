"""Staff pages, /staff/cnap/…"""

from django.urls import path

from . import staff_views as v

app_name = "staff_cnap"

urlpatterns = [
    path("", v.index, name="index"),
    path("services/", v.services, name="services"),
    path("services/new/", v.service_form, name="service_new"),
    path("services/<uuid:public_id>/", v.service, name="service"),
    path("services/<uuid:public_id>/edit/", v.service_form, name="service_edit"),
    path("services/<uuid:public_id>/state/", v.service_state, name="service_state"),
    path("services/<uuid:public_id>/documents/<int:pk>/delete/", v.document_delete, name="document_delete"),
    path("catalogue/", v.taxonomy, name="taxonomy"),
    path("offices/", v.offices, name="offices"),
    path("offices/new/", v.office_form, name="office_new"),
    path("offices/<uuid:public_id>/", v.office, name="office"),
    path("offices/<uuid:public_id>/edit/", v.office_form, name="office_edit"),
    path("offices/<uuid:public_id>/workplaces/new/", v.workplace_form, name="workplace_new"),
    path("offices/<uuid:public_id>/workplaces/<int:pk>/", v.workplace_form, name="workplace"),
    path("offices/<uuid:public_id>/exceptions/<int:pk>/delete/", v.exception_delete, name="exception_delete"),
]
