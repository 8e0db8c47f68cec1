from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from . import metrics as metrics_mod
from .models import Heartbeat

WORKER_STALE_SECONDS = 120


@never_cache
def healthz(request):
    """Database reachable, migrations applied, worker heartbeat age."""
    checks: dict = {}
    ok = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report any database failure
        return JsonResponse({"status": "fail", "database": f"error: {exc.__class__.__name__}"}, status=503)
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
    ok = ok and not pending
    beat = Heartbeat.objects.filter(name="worker").first()
    if beat is None:
        checks["worker"] = "never seen"
        checks["worker_heartbeat_age_s"] = None
    else:
        age = (timezone.now() - beat.beat_at).total_seconds()
        checks["worker_heartbeat_age_s"] = round(age, 1)
        checks["worker"] = "ok" if age < WORKER_STALE_SECONDS else "stale"
    checks["status"] = "ok" if ok else "fail"
    return JsonResponse(checks, status=200 if ok else 503)


@never_cache
def metrics(request):
    extra = []
    beat = Heartbeat.objects.filter(name="worker").first()
    if beat is not None:
        extra.append("# HELP hromada_worker_heartbeat_age_seconds Seconds since the worker last beat")
        extra.append("# TYPE hromada_worker_heartbeat_age_seconds gauge")
        extra.append(
            f"hromada_worker_heartbeat_age_seconds {(timezone.now() - beat.beat_at).total_seconds():.1f}"
        )
    body, content_type = metrics_mod.render(extra)
    return HttpResponse(body, content_type=content_type)


def home(request):
    from hromada.petitions import selectors as petition_selectors

    context = petition_selectors.petition_home_summary(hromada=request.hromada)
    return render(request, "core/home.html", context)


def under_construction(request, *args, **kwargs):
    # Scaffolding only while the app is written; removed before the first release.
    return HttpResponse("under construction", status=501)
