from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _

from hromada.core.modules import registry

from .selectors import hromada_for_host, module_enabled

# Paths that work without a tenant (health checks, metrics, static files, admin, the icon).
_TENANTLESS_PREFIXES = ("/healthz", "/metrics", "/static/", "/admin/", "/media/", "/favicon.ico")


class HromadaMiddleware:
    """Sets request.hromada from the Host header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.hromada = hromada_for_host(request.get_host())
        if request.hromada is None and not request.path.startswith(_TENANTLESS_PREFIXES):
            from hromada.core.error_views import standalone_page

            # No tenant, so no layout to render: the self-contained error page.
            return standalone_page(
                request,
                404,
                title=_("Громаду не знайдено"),
                message=_("Громаду для цієї адреси не знайдено."),
            )
        return self.get_response(request)


class ModuleGateMiddleware:
    """A module the hromada has switched off answers as if it were not installed: its
    pages, staff console and API paths are 404 (JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        hromada = getattr(request, "hromada", None)
        if hromada is not None:
            module = registry.owner_of_path(request.path)
            if module is not None and not module_enabled(hromada, module.label):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"code": "not_found", "message": _("Не знайдено."), "field": None}, status=404
                    )
                raise Http404
        return self.get_response(request)
