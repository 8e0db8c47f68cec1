"""Login lockout policy, plugged into django-axes (config/settings.py `AXES_*`).

Axes counts failed log-ins in the database (AxesDatabaseHandler), so every worker and
every app server sees the same failures; it locks by account and, separately, by client
address. This module says who the client is (the address the TLS proxy reports, when
there is one), how many failures an account may have (fewer for staff), how long a
lock lasts (longer for staff), and what a locked-out visitor is told: a Ukrainian page
with a way to reset the password, or JSON under /api/, with status 429.

Only log-ins are locked: the password-reset flow never authenticates, so a locked
account can always reset its password, and a completed reset lifts its lock
(`lift_account_lock`).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import StaffRole, User


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind the TLS proxy (BEHIND_TLS_PROXY) that is the last
    entry of X-Forwarded-For, the one our proxy appended for the peer it talked to;
    entries before it come from the client and are not trusted. Without the proxy
    the header is ignored: anyone could send it."""
    remote = (request.META.get("REMOTE_ADDR") or "").strip()
    if getattr(settings, "BEHIND_TLS_PROXY", False):
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [hop for hop in forwarded if hop]
        if forwarded:
            return forwarded[-1][:45]
    return remote[:45] or "unknown"


def login_username(request: HttpRequest | None, credentials: dict | None = None) -> str | None:
    """The e-mail being logged in with, as EmailBackend reads it (case-insensitive),
    so "Olena@…" and "olena@…" count against one account."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username")
    if raw is None:
        return None
    return str(raw).strip().lower()[:254]


def _is_staff_login(request: HttpRequest | None, credentials: dict | None = None) -> bool:
    cached = getattr(request, "_hromada_staff_login", None)
    if cached is not None:
        return cached
    email = login_username(request, credentials)
    staff = bool(email) and (
        User.objects.filter(email__iexact=email)
        .filter(Q(is_staff=True) | Q(is_superuser=True) | Q(pk__in=StaffRole.objects.values("user_id")))
        .exists()
    )
    if request is not None:
        request._hromada_staff_login = staff  # type: ignore[attr-defined]
    return staff


def failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    """AXES_FAILURE_LIMIT: failures before a lock; fewer for an account holding a
    staff role in any hromada, or Django's is_staff / is_superuser."""
    if _is_staff_login(request, credentials):
        return int(settings.STAFF_LOGIN_FAILURE_LIMIT)
    return int(settings.LOGIN_FAILURE_LIMIT)


def cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: how long failures count (and a lock lasts) since the last one."""
    if request is not None and _is_staff_login(request):
        return dt.timedelta(minutes=int(settings.STAFF_LOGIN_COOLOFF_MINUTES))
    return dt.timedelta(minutes=int(settings.LOGIN_COOLOFF_MINUTES))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with Retry-After; a Ukrainian page, JSON under /api/."""
    seconds = int(cool_off(request).total_seconds())
    minutes = max(1, math.ceil(seconds / 60))
    message = _("Забагато невдалих спроб входу. Спробуйте знову за %(minutes)s хв або відновіть пароль.") % {
        "minutes": minutes
    }
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"code": "login_locked", "message": message, "field": None}, status=429)
    else:
        response = render(
            request,
            "accounts/locked_out.html",
            {"message": message, "reset_url": reverse("accounts:password_reset")},
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


def lift_account_lock(user: User) -> None:
    """A completed password reset proves the owner: forget the account's failures."""
    from axes.utils import reset  # type: ignore[import-untyped]

    reset(username=user.email.strip().lower())
