"""Open311 GeoReport v2 at /open311/v2/ (mounted by the kernel through
Module.standard_urls, gated with the appeals module). Each resource answers in the
format its extension names: `services.json`, `services.xml`."""

from django.urls import re_path

from . import views

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"

urlpatterns = [
    re_path(r"^(?:v2/)?discovery" + FMT, views.discovery, name="open311_discovery"),
    re_path(r"^v2/services" + FMT, views.services, name="open311_services"),
    re_path(r"^v2/services/(?P<code>[^/]{1,100})" + FMT, views.service_definition, name="open311_service"),
    re_path(r"^v2/requests" + FMT, views.requests, name="open311_requests"),
    re_path(
        r"^v2/requests/(?P<service_request_id>[^/]{1,40})" + FMT, views.request_detail, name="open311_request"
    ),
    re_path(r"^v2/tokens/(?P<token>[^/]{1,60})" + FMT, views.token, name="open311_token"),
    re_path(r"^(?P<rest>.*)$", views.not_found, name="open311_not_found"),
]
