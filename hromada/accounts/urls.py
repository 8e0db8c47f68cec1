from django.urls import path

from hromada.core.views import under_construction

app_name = "accounts"
urlpatterns = [
    path("login/", under_construction, name="login"),
    path("logout/", under_construction, name="logout"),
    path("signup/", under_construction, name="signup"),
    path("profile/", under_construction, name="profile"),
]
