from django.urls import path

from . import views_placeholder as v

urlpatterns = [
    path("", v.staff, name="cycles"),
    path("review/", v.staff, name="review_queue"),
    path("implementation/", v.staff, name="implementation"),
]
