from django.urls import path

from hromada.core.views import under_construction

app_name = "dev_idp"
urlpatterns = [
    path("authorize/", under_construction, name="authorize"),
]
