from django.http import HttpResponse
from django.utils.translation import gettext as _

from .selectors import hromada_for_host

# Paths that work without a tenant (health checks, metrics, static files, admin).
_TENANTLESS_PREFIXES = ("/healthz", "/metrics", "/static/", "/admin/", "/media/")


class HromadaMiddleware:
    """Sets request.hromada from the Host header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.hromada = hromada_for_host(request.get_host())
        if request.hromada is None and not request.path.startswith(_TENANTLESS_PREFIXES):
            return HttpResponse(
                _("Громаду для цієї адреси не знайдено."),
                status=404,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
