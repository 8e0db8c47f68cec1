"""A strict Content-Security-Policy on every response.

Only this site's own scripts, styles, images, fonts and connections: no inline
script, no inline style, no eval, no plugins, no framing, no <base> elsewhere.
htmx works under it (hx-* attributes are data, not script; its inline indicator
style is switched off in base.html's htmx-config, the rule lives in hromada.css);
behaviour a template needs is in static/js/hromada.js, never in on* attributes.

The policy is settings.CONTENT_SECURITY_POLICY (a string; "" sends none). A response
that already has the header (set by its view) keeps it.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    )
)
HEADER = "Content-Security-Policy"


def policy() -> str:
    """The policy sent (also by the edge's hot routes, hromada/core/edge.py)."""
    return getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = policy()

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and HEADER not in response:
            response[HEADER] = self.policy
        return response
