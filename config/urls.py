from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from hromada.api.api import api
from hromada.core import views as core_views
from hromada.core.modules import registry

# Branded pages in the person's language (JSON under /api/): hromada/core/error_views.py.
handler400 = "hromada.core.error_views.bad_request"
handler403 = "hromada.core.error_views.permission_denied"
handler404 = "hromada.core.error_views.page_not_found"
handler500 = "hromada.core.error_views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_views.metrics, name="metrics"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("api/v1/", api.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("lang/<str:code>/", core_views.language, name="language"),
    path("admin/", admin.site.urls),
    path("", core_views.home, name="home"),
    path("design/", core_views.design, name="design"),
    path("accounts/", include("hromada.accounts.urls")),
    path("staff/", include("hromada.accounts.staff_urls")),
    path("staff/settings/", include("hromada.tenancy.staff_urls")),
    path("ledger/", include("hromada.ledger.urls")),
    path("notifications/", include("hromada.notify.urls")),
    path("comments/", include("hromada.comments.urls")),
    path("staff/comments/", include("hromada.comments.staff_urls")),
]
# Each module's pages at /<prefix>/ and its staff console at /staff/<prefix>/ (module.py).
for _module in registry.modules(kernel=False):
    if _module.urls:
        urlpatterns.append(path(f"{_module.url_prefix}/", include(_module.urls)))
    if _module.staff_urls:
        urlpatterns.append(path(f"staff/{_module.url_prefix}/", include(_module.staff_urls)))
    # A standard's own address, one segment or more ("open311", "api/3/action"); after
    # the kernel's, so /api/v1/ stays the kernel's.
    for _path, _urls in _module.standard_urls.items():
        urlpatterns.append(path(f"{_path}/", include(_urls)))
if settings.DEV_IDP_ENABLED:
    urlpatterns.append(path("dev-idp/", include("hromada.accounts.identity.dev_idp_urls")))
if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
