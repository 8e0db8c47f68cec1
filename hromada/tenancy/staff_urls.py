from django.urls import path

from . import staff_views

app_name = "staff_settings"
urlpatterns = [
    path("", staff_views.index, name="index"),
    path("modules/", staff_views.modules, name="modules"),
    path("<slug:label>/", staff_views.module_settings, name="module"),
]
