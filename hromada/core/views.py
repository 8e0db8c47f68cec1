from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from . import metrics as metrics_mod
from .models import Heartbeat
from .modules import resolve

# The worker beats every ~10 s; two minutes without a beat means it is gone or stuck.
WORKER_STALE_SECONDS = 120

# Once this process has seen every migration applied it stays so (new migrations come
# with new code, hence a new process), so the migration graph is not reloaded per probe.
_migrations_applied = False


def _pending_migrations() -> int:
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


@never_cache
def healthz(request):
    """JSON health report: database reachable, migrations applied, worker heartbeat age.

    200 when everything is fine, else 503. `?scope=web` leaves the worker out, for a load
    balancer deciding whether this web process can serve (a stopped worker should page
    someone, not take the site down)."""
    check_worker = request.GET.get("scope") != "web"
    report: dict = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
        pending = _pending_migrations()
        beat_at = Heartbeat.objects.filter(name="worker").values_list("beat_at", flat=True).first()
    except DatabaseError as exc:
        return JsonResponse({"status": "fail", "database": f"error: {exc.__class__.__name__}"}, status=503)
    report["migrations"] = "ok" if not pending else f"{pending} pending"
    if beat_at is None:
        report["worker"] = "never seen"
        report["worker_heartbeat_age_s"] = None
    else:
        age = (timezone.now() - beat_at).total_seconds()
        report["worker"] = "ok" if age < WORKER_STALE_SECONDS else "stale"
        report["worker_heartbeat_age_s"] = round(age, 1)
    ok = not pending and (report["worker"] == "ok" or not check_worker)
    report["status"] = "ok" if ok else "fail"
    return JsonResponse(report, status=200 if ok else 503)


@never_cache
def metrics(request):
    """Prometheus text format. With settings.METRICS_TOKEN set, only for
    `Authorization: Bearer <token>`."""
    token = getattr(settings, "METRICS_TOKEN", "")
    if token and not constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}"):
        response = HttpResponse("metrics token required\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = metrics_mod.render()
    return HttpResponse(body, content_type=content_type)


def home(request):
    """The home page: each enabled module's blocks (module.py `home_blocks`), in order."""
    from hromada.tenancy.selectors import modules_enabled

    blocks = sorted(
        (block for module in modules_enabled(request.hromada) for block in module.home_blocks),
        key=lambda b: b.order,
    )
    html = [
        render_to_string(b.template, resolve(b.context)(hromada=request.hromada), request=request)
        for b in blocks
    ]
    return render(request, "core/home.html", {"blocks": [mark_safe(h) for h in html]})  # noqa: S308


def language(request, code: str):
    """Switch the interface language (a link, so public pages carry no form or token
    and can be served from the page cache)."""
    from django.conf import settings
    from django.http import HttpResponseRedirect
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the icon in
    static/ (a day's cache; the static URL itself is fingerprinted in production)."""
    from django.http import HttpResponseRedirect
    from django.templatetags.static import static
    from django.utils.cache import patch_cache_control

    response = HttpResponseRedirect(static("img/favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response


def design(request):
    """The living style guide (docs/design.md): every component of hromada.css on one page,
    for developers and screenshot tests. Shown in development and the demo, and to staff."""
    from django.http import Http404

    from hromada.accounts.rules import is_staff_member

    from .design import StyleGuideForm, sample_context

    allowed = settings.DEBUG or getattr(settings, "DEMO", False)
    if not allowed and request.user.is_authenticated and getattr(request, "hromada", None) is not None:
        allowed = is_staff_member(request.user, request.hromada)
    if not allowed:
        raise Http404
    form = StyleGuideForm(data={"title": "Коротко", "email": "not-an-email", "agree": ""})
    form.is_valid()  # bound with bad data, so the page shows every error state
    return render(
        request, "core/design.html", {"form": form, "clean_form": StyleGuideForm(), **sample_context()}
    )
