"""Resident pages: sign-up, log-in, e-mail confirmation, profile, API tokens,
identity verification and signing in (or up) by identity. Views parse input,
call one service, and render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hromada.core.errors import DomainError
from hromada.core.ratelimit import rate_limit

from . import selectors, services
from .forms import (
    ApiTokenForm,
    DeleteAccountForm,
    EmailChangeForm,
    LoginForm,
    ProfileForm,
    SignupForm,
    VerifiedSignupForm,
)
from .http import AuthenticatedRequest
from .identity.base import safe_next
from .identity.pending import pending_clear, pending_load, pending_store
from .identity.providers import enabled_providers, get_provider
from .lockout import lift_account_lock

BACKEND = "hromada.accounts.backends.EmailBackend"


def _apply(form, exc: DomainError) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, str(exc.message))
    else:
        form.add_error(None, str(exc.message))


def _site_url(request) -> str:
    return request.build_absolute_uri("/")


def _with_language_cookie(response, user):
    if getattr(user, "language", None):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


# --- log-in, log-out, sign-up ------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["providers"] = enabled_providers()
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        return _with_language_cookie(response, form.get_user())


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@never_cache
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        rate_limit(request, "signup")  # per address: there is no account yet
        try:
            user = services.user_signup(
                email=data["email"],
                password=data["password1"],
                display_name=data["display_name"],
                language=request.LANGUAGE_CODE,
                site_url=_site_url(request),
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            auth_login(request, user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Обліковий запис створено. Ми надіслали лист на %(email)s — перейдіть за посиланням, щоб підтвердити адресу."
                )
                % {"email": user.email},
            )
            return HttpResponseRedirect(safe_next(request) or reverse("accounts:profile"))
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": safe_next(request), "providers": enabled_providers()}
    return render(request, "accounts/signup.html", context, status=status)


@never_cache
@require_GET
def confirm(request, token):
    try:
        user = services.user_confirm_email(token=token)
    except DomainError as exc:
        return render(request, "accounts/confirm_invalid.html", {"error": exc}, status=400)
    return _after_link(
        request, _("Електронну пошту %(email)s підтверджено. Дякуємо!") % {"email": user.email}
    )


def _after_link(request, message: str):
    messages.success(request, message)
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")


@login_required
@require_POST
def confirm_resend(request):
    rate_limit(request, "email.confirm")
    try:
        services.user_send_confirmation(user=request.user, site_url=_site_url(request))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request, _("Новий лист із посиланням надіслано на %(email)s.") % {"email": request.user.email}
        )
    return redirect("accounts:profile")


@login_required
@never_cache
@require_POST
def email_change(request):
    form = EmailChangeForm(request.POST)
    status = 400
    if form.is_valid():
        rate_limit(request, "email.change")
        try:
            services.user_request_email_change(
                user=request.user,
                new_email=form.cleaned_data["new_email"],
                password=form.cleaned_data["password"],
                site_url=_site_url(request),
            )
        except DomainError as exc:
            _apply(form, exc)
            status = exc.status
        else:
            messages.success(
                request,
                _("Лист із посиланням надіслано на %(email)s. Адресу буде змінено, коли ви перейдете за ним.")
                % {"email": form.cleaned_data["new_email"]},
            )
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", _profile_context(request, email_form=form), status=status)


@require_GET
def email_change_confirm(request, token):
    try:
        user = services.user_confirm_email_change(token=token)
    except DomainError as exc:
        return render(request, "accounts/confirm_invalid.html", {"error": exc}, status=exc.status)
    return _after_link(request, _("Адресу змінено: тепер це %(email)s.") % {"email": user.email})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.user_delete_account(user=request.user, password=form.cleaned_data["password"])
            except DomainError as exc:
                _apply(form, exc)
                status = exc.status
            else:
                auth_logout(request)
                messages.success(request, _("Обліковий запис видалено. Дякуємо, що були з нами."))
                return redirect("home")
    return render(request, "accounts/delete.html", {"form": form}, status=status)


@login_required
@never_cache
@require_GET
def personal_data(request):
    data = selectors.user_personal_data(user=request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'attachment; filename="hromada-my-data.json"'
    return response


# --- profile and API tokens ----------------------------------------------------------------------


def _profile_context(request, **extra) -> dict:
    user = request.user
    context = {
        "identity": selectors.user_identity(user=user),
        # What the verified person may do here, in each module's words (the kernel names none).
        "eligibility": selectors.eligibility_for(user=user, hromada=getattr(request, "hromada", None)),
        "profile_form": ProfileForm(initial={"display_name": user.display_name, "language": user.language}),
        "token_form": ApiTokenForm(),
        "email_form": EmailChangeForm(),
        "tokens": selectors.api_token_list(user=user),
        "new_token": None,
    }
    context.update(extra)
    return context


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.user_update_profile(
                    user=request.user,
                    display_name=form.cleaned_data["display_name"],
                    language=form.cleaned_data["language"],
                )
            except DomainError as exc:
                _apply(form, exc)
            else:
                messages.success(request, _("Профіль збережено."))
                return _with_language_cookie(redirect("accounts:profile"), request.user)
        return render(
            request, "accounts/profile.html", _profile_context(request, profile_form=form), status=400
        )
    return render(request, "accounts/profile.html", _profile_context(request))


@login_required
@never_cache
@require_POST
def token_create(request):
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            _apply(form, exc)
        else:
            # Shown in this response only; it is not stored anywhere but as a hash.
            return render(
                request,
                "accounts/profile.html",
                _profile_context(request, new_token={"row": token, "raw": raw}),
                status=201,
            )
    return render(request, "accounts/profile.html", _profile_context(request, token_form=form), status=400)


@login_required
@require_POST
def token_revoke(request, public_id):
    token = selectors.api_token_get(user=request.user, public_id=public_id)
    if token is None:
        messages.error(request, _("Такого токена немає."))
        return redirect("accounts:profile")
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, _("Токен «%(name)s» відкликано.") % {"name": token.name})
    return redirect("accounts:profile")


# --- password reset and change (Django's views, our templates) ---------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # Counted per address asked for, whether or not it has an account (so the
        # refusal tells nothing), and per client address.
        rate_limit(self.request, "email.password_reset", account=form.cleaned_data["email"].strip().lower())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_email_proven(user=form.user)
        lift_account_lock(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change the password, or set a first one for an account created through an
    identity provider (it has none, so there is no old password to ask for)."""

    request: AuthenticatedRequest  # the view is login_required
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def get_form_class(self):
        if not self.request.user.has_usable_password():
            return SetPasswordForm
        return super().get_form_class()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["setting_first_password"] = not self.request.user.has_usable_password()
        return context

    def form_valid(self, form):
        first = not self.request.user.has_usable_password()
        messages.success(self.request, _("Пароль встановлено.") if first else _("Пароль змінено."))
        return super().form_valid(form)


# --- identity verification and signing in by identity ---------------------------------------------


def _verify_page(request, *, error: DomainError | None = None, next_url: str = ""):
    context = {
        "providers": enabled_providers(),
        "identity": selectors.user_identity(user=request.user),
        "next": next_url or safe_next(request),
        "error": error,
    }
    return render(request, "accounts/verify.html", context, status=error.status if error else 200)


@never_cache
@require_GET
def verify(request):
    """Choose a provider: to verify the logged-in account, or to sign in (or up) by identity."""
    return _verify_page(request)


@never_cache
@require_GET
def verify_start(request, provider):
    try:
        url = get_provider(provider).authorization_url(request)
    except DomainError as exc:
        return _verify_page(request, error=exc)
    return HttpResponseRedirect(url)


@never_cache
@require_GET
def verify_callback(request, provider):
    try:
        chosen = get_provider(provider)
        person = chosen.complete(request)
    except DomainError as exc:
        flow = getattr(request, "identity_flow", None) or {}
        return _verify_page(request, error=exc, next_url=flow.get("next", ""))
    next_url = safe_next(request, (getattr(request, "identity_flow", None) or {}).get("next", ""))
    if request.user.is_authenticated:
        return _attach_identity(request, person=person, method=chosen.method, next_url=next_url)
    return _sign_in_by_identity(request, person=person, method=chosen.method, next_url=next_url)


def _attach_identity(request, *, person, method: str, next_url: str):
    """A logged-in resident verifies: the person is bound to this account."""
    try:
        identity = services.identity_verify(user=request.user, person=person, method=method)
    except DomainError as exc:
        return _verify_page(request, error=exc, next_url=next_url)
    messages.success(request, _("Особу підтверджено: %(name)s.") % {"name": identity.full_name})
    _say_what_is_possible(request)
    return HttpResponseRedirect(next_url or reverse("accounts:profile"))


def _say_what_is_possible(request) -> None:
    """What the person may now do here, or why not yet, in each module's own words
    (module.py `eligibility`): never a promise the module would then break."""
    for sentence in selectors.eligibility_for(user=request.user, hromada=getattr(request, "hromada", None)):
        messages.info(request, sentence)


def _sign_in_by_identity(request, *, person, method: str, next_url: str):
    """An anonymous visitor verified: log in the person's account, or, for a
    person with no account yet, keep them (hashed) for the sign-up page."""
    try:
        user = services.identity_sign_in(person=person, method=method)
    except DomainError as exc:
        return _verify_page(request, error=exc, next_url=next_url)
    if user is None:
        pending_store(request, person=person, method=method, next_url=next_url)
        return redirect("accounts:signup_verified")
    pending_clear(request)
    auth_login(request, user, backend=BACKEND)
    messages.success(
        request, _("Ви увійшли як %(name)s (особу підтверджено).") % {"name": user.identity.full_name}
    )
    _say_what_is_possible(request)
    return _with_language_cookie(HttpResponseRedirect(next_url or reverse("accounts:profile")), user)


def _login_then_verify_url(next_url: str) -> str:
    verify_url = reverse("accounts:verify")
    if next_url:
        verify_url += "?" + urlencode({"next": next_url})
    return reverse("accounts:login") + "?" + urlencode({"next": verify_url})


@never_cache
@require_http_methods(["GET", "POST"])
def signup_verified(request):
    """Complete sign-up for a person verified by a provider who has no account:
    ask for an e-mail address (and optionally a display name), nothing else."""
    if request.user.is_authenticated:
        pending_clear(request)
        return redirect("accounts:profile")
    try:
        pending = pending_load(request)
    except DomainError as exc:
        pending_clear(request)
        return _verify_page(request, error=exc)
    next_url = safe_next(request, pending.next)
    if request.method == "POST" and "cancel" in request.POST:
        pending_clear(request)
        messages.info(request, _("Реєстрацію скасовано; дані про особу забуто."))
        return redirect("home")
    form = VerifiedSignupForm(
        request.POST if request.method == "POST" else None, initial={"email": pending.email}
    )
    email_taken = False
    if request.method == "POST" and form.is_valid():
        rate_limit(request, "signup")
        try:
            user = services.user_signup_verified(
                email=form.cleaned_data["email"],
                display_name=form.cleaned_data["display_name"],
                person=pending.person,
                method=pending.method,
                language=request.LANGUAGE_CODE,
                site_url=_site_url(request),
            )
        except DomainError as exc:
            if exc.field not in form.fields:
                # The person has an account after all (or the data is unusable): start again.
                pending_clear(request)
                return _verify_page(request, error=exc, next_url=next_url)
            email_taken = exc.code == "email_taken"
            _apply(form, exc)
        else:
            pending_clear(request)
            auth_login(request, user, backend=BACKEND)
            messages.success(
                request,
                _(
                    "Обліковий запис створено, особу підтверджено. Ми надіслали лист на %(email)s — "
                    "перейдіть за посиланням, щоб підтвердити адресу."
                )
                % {"email": user.email},
            )
            return _with_language_cookie(HttpResponseRedirect(next_url or reverse("accounts:profile")), user)
    context = {
        "form": form,
        "person": pending.person,
        "email_taken": email_taken,
        "login_then_verify": _login_then_verify_url(next_url),
    }
    return render(
        request, "accounts/signup_verified.html", context, status=400 if request.method == "POST" else 200
    )
