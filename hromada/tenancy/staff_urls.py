from django.urls import path

from . import staff_views

app_name = "staff_settings"
urlpatterns = [path("", staff_views.statute, name="statute")]
