from django.urls import path

from . import views

app_name = "staff_sample"
urlpatterns = [path("", views.desk, name="desk")]
