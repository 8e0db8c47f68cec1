from django.urls import path

from hromada.core.views import under_construction

app_name = "staff"
urlpatterns = [
    path("index/", under_construction, name="index"),
]
