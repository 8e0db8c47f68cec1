import threading
import time

from . import metrics


class MetricsMiddleware:
    """Counts requests and their latency for /metrics, by route pattern rather than raw
    path (and unknown methods as OTHER) so the label set stays small. First in
    MIDDLEWARE, so the time includes every other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match else getattr(request, "metrics_route", "unmatched")
        metrics.observe_request(
            method=request.method,
            route=route,
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response


def _accepted_language(header: str) -> str:
    """The first of settings.LANGUAGES the Accept-Language header accepts, or ""."""
    from django.conf import settings
    from django.utils.translation.trans_real import parse_accept_lang_header

    known = dict(settings.LANGUAGES)
    for code, _quality in parse_accept_lang_header(header[:500]):
        base = code.lower().split("-")[0]
        if base in known:
            return base
    return ""


class LanguageMiddleware:
    """Ukrainian unless the visitor chose otherwise.

    The Law on the state language (art. 27) requires the Ukrainian version of a public
    website to open by default, so on pages the browser's Accept-Language is not
    consulted: only the language cookie that the header's switch (or the profile) sets.
    Under /api/ a program's Accept-Language counts when it sends no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        api = request.path_info.startswith("/api/")
        if language not in dict(settings.LANGUAGES) and api:
            # The API is not the website the law speaks of: a program's Accept-Language
            # picks the language of its error messages (Ukrainian without one).
            language = _accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class AnonymousPageCache:
    """Serve public pages to visitors without a session from a short-lived cache.

    A petition at its peak is read by thousands who are not logged in; rendering the
    same page for each of them costs ~20 ms of CPU. With PAGE_CACHE_SECONDS (default 2,
    the same delay as the live signature count) each server process renders a page at
    most once per interval; when a page expires, one thread renders it while the others
    serve the previous copy. Anyone with a session, a message pending or anything but
    the language cookie always gets a fresh page, and a response that sets a cookie is
    never stored.
    """

    SAFE_COOKIES = {"django_language", "csrftoken"}
    MAX_PAGES = 5000

    def __init__(self, get_response):
        from django.conf import settings

        # A per-process dict: no pickling on every hit, as a shared cache would need.
        self._pages: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()
        self.get_response = get_response
        self.seconds = getattr(settings, "PAGE_CACHE_SECONDS", 2)
        from .modules import registry

        self.prefixes = registry.page_cache_prefixes()

    def _key(self, request) -> str | None:
        if self.seconds <= 0 or request.method not in ("GET", "HEAD"):
            return None
        if set(request.COOKIES) - self.SAFE_COOKIES or "HTTP_AUTHORIZATION" in request.META:
            return None
        path = request.path
        if path != "/" and not path.startswith(self.prefixes):
            return None
        if request.headers.get("HX-Request"):
            return None
        language = getattr(request, "LANGUAGE_CODE", "uk")
        return f"page:{request.get_host()}:{language}:{request.get_full_path()}"

    def __call__(self, request):
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        now = time.monotonic()
        entry = self._pages.get(key)
        if entry is not None:
            expires, response = entry
            if expires > now:
                request.metrics_route = "page-cache"
                return response
            # Expired: one thread renders afresh; the others serve the previous copy
            # (at most one more interval old) instead of all rendering at once.
            if not self._lock.acquire(blocking=False):
                request.metrics_route = "page-cache"
                return response
        else:
            self._lock.acquire()
        try:
            response = self.get_response(request)
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not response.has_header("Cache-Control")
            ):
                if len(self._pages) > self.MAX_PAGES:
                    self._pages.clear()
                self._pages[key] = (time.monotonic() + self.seconds, response)
            return response
        finally:
            self._lock.release()


def htmx_login_redirect(request, fallback: str = ""):
    """401 with `HX-Redirect: <login>?next=<the page the person was on>` (HX-Current-URL,
    when it is this site's); htmx then navigates the whole page to log in."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.http import HttpResponse
    from django.shortcuts import resolve_url
    from django.utils.http import url_has_allowed_host_and_scheme, urlencode

    login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
    current = request.headers.get("HX-Current-URL", "")
    if current and url_has_allowed_host_and_scheme(
        current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(current)
        next_url = parts.path + (f"?{parts.query}" if parts.query else "")
        target = f"{login_path}?{urlencode({'next': next_url})}"
    elif fallback and request.method == "GET":
        target = fallback
    else:
        # Coming back to a fragment that only answers POST would be an error page.
        target = login_path
    answer = HttpResponse(status=401)
    answer["HX-Redirect"] = target
    answer["Cache-Control"] = "no-store"
    return answer


class HtmxLoginRedirectMiddleware:
    """An htmx request that would be redirected to log in (a session lost in another tab)
    gets 401 with `HX-Redirect: <login>?next=<the page the person was on>` instead.

    The browser's XMLHttpRequest follows a 302 by itself, so htmx would receive the login
    page and swap it into the box that asked (a sign button turned into a login form).
    HX-Redirect makes htmx navigate the whole page; after logging in the person is back
    on the page they were on (HX-Current-URL), not on the fragment URL. Generic: it
    covers login_required and any view that redirects to settings.LOGIN_URL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.headers.get("HX-Request") or response.status_code not in (301, 302, 303, 307, 308):
            return response
        from urllib.parse import urlsplit

        from django.conf import settings
        from django.shortcuts import resolve_url

        login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
        if urlsplit(response.get("Location", "")).path != login_path:
            return response
        return htmx_login_redirect(request, fallback=response["Location"])
