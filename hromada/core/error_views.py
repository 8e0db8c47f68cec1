"""The platform's error pages (config/urls.py handler400/403/404/500, CSRF_FAILURE_VIEW).

Under /api/ every error is JSON with a stable code (hromada/api/middleware.py does the
same for any other error response there). Pages get the site's layout, a heading, what
happened and the way back: home, the section's list (its module's navigation), log in.
The 500 page is self-contained: it is rendered without the request's context
processors and touches no database, because the database may be what failed.
"""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _api_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "field": None}, status=status)


def _section_links(request) -> list[tuple[str, str]]:
    """The navigation entries of the module that owns the path (e.g. "Петиції")."""
    from django.urls import NoReverseMatch, reverse

    from hromada.core.modules import registry

    path = request.path
    if path.startswith("/staff/"):
        path = path[len("/staff") :]
    module = registry.owner_of_path(path)
    links = []
    for entry in getattr(module, "nav", ()):
        try:
            links.append((reverse(entry.url_name), str(entry.label)))
        except NoReverseMatch:
            continue
    return links


def _page(request, status: int, template: str, context: dict | None = None) -> HttpResponse:
    from django.shortcuts import render

    context = {"status": status, "section_links": _section_links(request), **(context or {})}
    try:
        return render(request, template, context, status=status)
    except Exception:
        # The layout needs the database (navigation, notifications); when that is what
        # fails, the person still gets a page in their language rather than nothing.
        logger.exception("error page %s could not be rendered with the layout", status)
        return _standalone(request, status)


def standalone_page(request, status: int, *, title: str = "", message: str = "") -> HttpResponse:
    """The self-contained error page (no context processors, no queries)."""
    return _standalone(request, status, title=title, message=message)


def _standalone(request, status: int, *, title: str = "", message: str = "") -> HttpResponse:
    titles = {
        400: _("Неправильний запит"),
        403: _("Доступ заборонено"),
        404: _("Сторінку не знайдено"),
        414: _("Адреса запиту задовга"),
        500: _("Сталася помилка на сервері"),
    }
    # The tenant was loaded by the middleware (or is absent): reading its name queries nothing.
    name = getattr(getattr(request, "hromada", None), "name", "") or ""
    context = {
        "status": status,
        "title": title or titles.get(status, titles[500]),
        "message": message,
        "hromada_name": name,
    }
    try:
        html = loader.get_template("core/errors/standalone.html").render(context)
    except Exception:
        logger.exception("the standalone error page could not be rendered")
        html = f"<!doctype html><title>{status}</title><h1>{status}</h1><p><a href='/'>/</a></p>"
    return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


@requires_csrf_token
def bad_request(request, exception=None):
    from django.core.exceptions import RequestDataTooBig

    if request.path.startswith(API_PREFIX):
        if isinstance(exception, RequestDataTooBig):
            return _api_error(413, "request_too_large", _("Запит завеликий."))
        return _api_error(400, "bad_request", _("Неправильний запит."))
    return _page(request, 400, "core/errors/400.html")


@requires_csrf_token
def permission_denied(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(403, "forbidden", _("Доступ заборонено."))
    return _page(request, 403, "core/errors/403.html")


@requires_csrf_token
def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _api_error(404, "not_found", _("Не знайдено."))
    return _page(request, 404, "core/errors/404.html")


@requires_csrf_token
def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _api_error(500, "server_error", _("Внутрішня помилка сервера. Спробуйте пізніше."))
    return _standalone(request, 500)


def csrf_failure(request, reason: str = ""):
    """A form sent with an expired or missing CSRF token (a page left open for hours,
    cookies cleared): say to reload the page, not "CSRF verification failed"."""
    if request.path.startswith(API_PREFIX):
        return _api_error(403, "csrf_failed", _("Перевірка CSRF не пройшла: оновіть сторінку й повторіть."))
    user = getattr(request, "user", None)
    if request.headers.get("HX-Request") and not (user and user.is_authenticated):
        # Cookies gone (the session with them): an htmx action is sent to log in and back.
        from .middleware import htmx_login_redirect

        return htmx_login_redirect(request)
    return _page(request, 403, "core/errors/csrf.html")


def uri_too_long(request) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _api_error(414, "uri_too_long", _("Адреса запиту задовга."))
    return _page(request, 414, "core/errors/414.html", {"limit": MAX_QUERY_STRING})


MAX_QUERY_STRING = 2000


class QueryStringLimitMiddleware:
    """Refuse a query string over MAX_QUERY_STRING characters with a 414 page in the
    person's language, before any view parses it (gunicorn's own limit, far higher,
    answers in English; config/gunicorn.conf.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
            return uri_too_long(request)
        return self.get_response(request)
