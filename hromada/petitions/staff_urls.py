from django.urls import path

from hromada.core.views import under_construction

app_name = "staff_petitions"
urlpatterns = [path("", under_construction, name="index")]
