from django.urls import path

from . import views_placeholder as v

urlpatterns = [path("", v.public, name="index")]
