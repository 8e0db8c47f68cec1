from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.register_map, name="map"),
    path("search/", views.search, name="search"),
    path("suggest/", views.suggest, name="suggest"),
    path("settlements/<slug:slug>/", views.settlement, name="settlement"),
    path("okrugs/<slug:slug>/", views.okrug, name="okrug"),
    path("districts/<slug:slug>/", views.district, name="district"),
    path("streets/<uuid:public_id>/", views.street, name="street"),
    path("buildings/<uuid:public_id>/", views.building, name="building"),
]
