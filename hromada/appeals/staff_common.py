"""What every staff page of the module shares: the permission gate."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from hromada.accounts.rules import has_perm


def staff_perm(*codenames: str):
    """A staff page for holders of any of `codenames` in the request's hromada."""

    def decorator(view):
        @wraps(view)
        @never_cache
        @login_required
        def wrapper(request, *args, **kwargs):
            if not any(has_perm(request.user, request.hromada, c) for c in codenames):
                return render(request, "appeals/staff/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
