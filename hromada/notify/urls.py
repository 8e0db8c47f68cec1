from django.urls import path

from hromada.core.views import under_construction

app_name = "notify"
urlpatterns = [
    path("list/", under_construction, name="list"),
]
