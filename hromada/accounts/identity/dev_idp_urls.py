"""The development identity provider (see dev_idp.py), mounted at /dev-idp/ only
when "dev" is in IDENTITY_PROVIDERS."""

from django.urls import path

from . import dev_idp

app_name = "dev_idp"
urlpatterns = [
    path("", dev_idp.authorize, name="authorize"),
    path("get-access-token", dev_idp.get_access_token, name="token"),
    path("get-user-info", dev_idp.get_user_info, name="user_info"),
    path("get-user-logout", dev_idp.get_user_logout, name="logout"),
]
