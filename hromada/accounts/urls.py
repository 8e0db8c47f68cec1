from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/verified/", views.signup_verified, name="signup_verified"),
    path("confirm/resend/", views.confirm_resend, name="confirm_resend"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("profile/", views.profile, name="profile"),
    path("profile/email/", views.email_change, name="email_change"),
    path("profile/delete/", views.delete_account, name="delete"),
    path("profile/data.json", views.personal_data, name="personal_data"),
    path("email/change/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<uuid:public_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("verify/", views.verify, name="verify"),
    path("verify/<slug:provider>/start/", views.verify_start, name="verify_start"),
    path("verify/<slug:provider>/callback/", views.verify_callback, name="verify_callback"),
]
