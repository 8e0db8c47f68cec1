"""A personal API token counts on the API's reading operations too.

Writes authenticate in the operation (`auth=session_or_token`, CSRF for the
session). Reads are public and look at `request.user`: with a bearer token that
would be the anonymous visitor, so an author could not read their own petition in
moderation through the API. This middleware, under /api/ and for safe methods
only, puts the token's user on the request; a token that is unknown, revoked or
belongs to a disabled account is refused with 401 rather than ignored. A safe
method changes nothing, so no CSRF question arises.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .api_auth import token_user

_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ApiTokenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header and request.method in _SAFE_METHODS and request.path_info.startswith("/api/"):
            scheme, _sep, token = header.partition(" ")
            if scheme.lower() == "bearer":
                found = token_user(token.strip())
                if found is None:
                    return JsonResponse(
                        {
                            "code": "invalid_token",
                            "message": _("API-токен недійсний або відкликаний."),
                            "field": "Authorization",
                        },
                        status=401,
                    )
                request.user, request.api_token_id = found
        return self.get_response(request)
