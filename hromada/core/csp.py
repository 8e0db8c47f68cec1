"""A strict Content-Security-Policy on every response.

Only this site's own scripts, styles, images, fonts and connections: no inline
script, no inline style, no eval, no plugins, no framing, no <base> elsewhere.
htmx works under it (hx-* attributes are data, not script; its inline indicator
style is switched off in base.html's htmx-config, the rule lives in hromada.css);
behaviour a template needs is in static/js/hromada.js, never in on* attributes.

The policy is settings.CONTENT_SECURITY_POLICY (a string; "" sends none) when set;
otherwise DEFAULT_POLICY, whose img-src also allows exactly the host of
settings.MAP_TILES_URL (the map component's tiles), when there is one. A response
that already has the header (set by its view) keeps it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

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


_HOST = re.compile(r"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$")


def tile_source(url: str) -> str:
    """The CSP source for a tile URL template: its scheme and host ("https://tile.
    openstreetmap.org"); a leading "{s}." subdomain becomes "*." . "" for a URL that
    is empty, relative (tiles served by this site: 'self' covers them) or not a plain
    http(s) host, so nothing broader than the tile host is ever allowed."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return ""
    host = re.sub(r"^\{s\}\.", "*.", parts.netloc.lower())
    if "@" in host or not _HOST.match(host):
        return ""
    return f"{parts.scheme}://{host}"


@lru_cache(maxsize=8)
def build_policy(tiles_url: str = "") -> str:
    """DEFAULT_POLICY, with img-src widened to the tile host only."""
    source = tile_source(tiles_url)
    if not source:
        return DEFAULT_POLICY
    return DEFAULT_POLICY.replace("img-src 'self' data:", f"img-src 'self' data: {source}")


def policy() -> str:
    """The policy sent (also by the edge's hot routes, hromada/core/edge.py)."""
    explicit = getattr(settings, "CONTENT_SECURITY_POLICY", None)
    if explicit is not None:
        return explicit
    return build_policy(getattr(settings, "MAP_TILES_URL", ""))


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Read per response (a cached string), so a changed MAP_TILES_URL counts at once.
        current = policy()
        if current and HEADER not in response:
            response[HEADER] = current
        return response
