from django.urls import path

from . import views

# A standard's address under the kernel's /api/ (Module.standard_urls "api/9/sample").
urlpatterns = [
    path("ping", views.standard_ping, name="sample_standard_api_ping"),
    path("missing", views.standard_api_error, name="sample_standard_api_error"),
]
