from django.urls import path

from . import views

# A page a standard fixes at its own address (Module.standard_urls).
urlpatterns = [path("v1/ping", views.standard_ping, name="sample_standard_ping")]
