"""The project's URLs plus the DataStore's, for tests until the lead mounts them
through Module.standard_urls."""

from django.urls import include, path

from config.urls import urlpatterns as project

urlpatterns = [path("datastore/", include("hromada.opendata.datastore_urls")), *project]
