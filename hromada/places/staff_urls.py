from django.urls import path

from . import staff_views as v
from .staff_views_territories import territory_urlpatterns

app_name = "staff_places"

urlpatterns = [
    path("", v.index, name="index"),
    path("settlements/", v.settlements, name="settlements"),
    path("settlements/load/", v.settlements_load, name="settlements_load"),
    path("okrugs/", v.area_list, {"kind": "okrug"}, name="okrugs"),
    path("okrugs/new/", v.area_new, {"kind": "okrug"}, name="okrug_new"),
    path("okrugs/<str:public_id>/", v.area_edit, {"kind": "okrug"}, name="okrug"),
    path("districts/", v.area_list, {"kind": "district"}, name="districts"),
    path("districts/new/", v.area_new, {"kind": "district"}, name="district_new"),
    path("districts/<str:public_id>/", v.area_edit, {"kind": "district"}, name="district"),
    path("areas/<str:public_id>/delete/", v.area_delete, name="area_delete"),
    path("boundary/", v.boundary, name="boundary"),
    path("streets/", v.streets, name="streets"),
    path("streets/new/", v.street_new, name="street_new"),
    path("streets/<str:public_id>/", v.street, name="street"),
    path("streets/<str:public_id>/rename/", v.street_rename, name="street_rename"),
    path("streets/<str:public_id>/former/", v.former_add, name="former_add"),
    path("streets/<str:public_id>/edit/", v.street_edit, name="street_edit"),
    path("streets/<str:public_id>/buildings/new/", v.building_new, name="building_new"),
    path("buildings/<str:public_id>/", v.building_edit, name="building"),
    path("buildings/<str:public_id>/delete/", v.building_delete, name="building_delete"),
    path("imports/", v.imports_page, name="imports"),
    path("imports/<str:public_id>/", v.import_detail, name="import"),
    path("imports/<str:public_id>/status/", v.import_progress, name="import_status"),
    path("imports/<str:public_id>/errors.csv", v.import_report_csv, name="import_errors_csv"),
    *territory_urlpatterns,
]
