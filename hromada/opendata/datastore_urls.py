"""CKAN's DataStore dump address, /datastore/dump/<resource_id> (Module.standard_urls
{"datastore": "hromada.opendata.datastore_urls"}), and the staff pages' polled load
status."""

from django.urls import path

from . import datastore_views

urlpatterns = [
    path("dump/<str:resource_id>", datastore_views.dump, name="opendata_datastore_dump"),
    path("load/<int:table_id>/", datastore_views.load_status_fragment, name="opendata_datastore_load"),
]
