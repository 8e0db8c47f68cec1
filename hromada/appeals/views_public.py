"""The public side: the map of problem reports with its list, a case's page (a public
report, or the applicant's own view of any case), the applicant's cabinet with the
verdict on answers and the subscriptions, and the statistics. Thin: parse, call a
selector or a service, render; a DomainError becomes a message, never a 500."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, NotFound

from . import public_selectors as ps
from . import stats_selectors
from .models import CaseKind
from .services import follows, verdict


def _filters(request) -> tuple[ps.ReportFilters, list[DomainError]]:
    """The filters, and every problem with them at once (a bad value is dropped)."""
    errors = []
    params = request.GET.copy()
    for name in ("status", "from", "to"):
        try:
            ps.parse_filters({name: params.get(name, "")})
        except DomainError as exc:
            errors.append(exc)
            params[name] = ""
    try:
        return ps.parse_filters(params), errors
    except DomainError as exc:  # the range itself (from after to)
        errors.append(exc)
        params["to"] = ""
        return ps.parse_filters(params), errors


def _layers(filters: ps.ReportFilters) -> list[dict]:
    """One viewport layer per status group, each with its own marker shape."""
    url = reverse("api-v1:appeals_reports_geojson")
    layers = [
        {
            "name": _("Межа громади"),
            "url": reverse("api-v1:places_areas") + "?kind=boundary",
            "kind": "areas",
            "style": "boundary",
            "fit": True,
        }
    ]
    groups = [filters.status] if filters.status in ps.STATUS_GROUPS else list(ps.STATUS_GROUPS)
    if filters.status and filters.status not in ps.STATUS_GROUPS:
        groups = [ps.group_of(filters.status)]
    for group in groups:
        query = {
            **filters.query(),
            "status": filters.status if filters.status not in ps.STATUS_GROUPS else group,
        }
        if not filters.status:
            query["status"] = group
        layers.append(
            {
                "name": str(ps.STATUS_GROUP_LABELS[group]),
                "url": f"{url}?{urlencode(query)}",
                "kind": "points",
                "style": ps.GROUP_STYLES[group],
                "bbox": True,
                "min_zoom": 11,
            }
        )
    return layers


def report_map(request):
    filters, errors = _filters(request)
    rows = ps.report_list(hromada=request.hromada, filters=filters)
    page = Paginator(rows, ps.LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    center, zoom = ps.map_view(hromada=request.hromada, filters=filters)
    now = timezone.now()
    context = {
        "filters": filters,
        "errors": errors,
        "error_fields": {e.field for e in errors},
        "page": page,
        "items": [
            {"case": c, "group": ps.group_of(c.status), "overdue": ps.is_overdue(c, now)} for c in page
        ],
        "query": urlencode(filters.query()),
        "categories": ps.report_categories(hromada=request.hromada),
        "areas": ps.areas(hromada=request.hromada),
        "groups": [(k, v) for k, v in ps.STATUS_GROUP_LABELS.items()],
        "layers": _layers(filters),
        "center": center,
        "zoom": zoom,
        "new_url": _safe_reverse("appeals:new_report"),
    }
    return render(request, "appeals/public/map.html", context, status=400 if errors else 200)


def _safe_reverse(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _case(request, public_id):
    try:
        return ps.case_for_viewer(hromada=request.hromada, public_id=public_id, user=request.user)
    except NotFound:
        raise Http404(_("Такого звернення немає.")) from None


@never_cache
def case(request, public_id):
    found, own = _case(request, public_id)
    now = timezone.now()
    context = {
        "case": found,
        "own": own,
        "is_report": found.kind == CaseKind.REPORT,
        "steps": ps.public_steps(found, own=own),
        "photos": ps.public_photos(found, own=own),
        "reporter": ps.reporter_name(found) if found.kind == CaseKind.REPORT else "",
        "overdue": ps.is_overdue(found, now),
        "group": ps.group_of(found.status),
        "following": ps.is_following(request.user, found),
        "verdict": verdict.verdict_state(found, request.user, now),
        "settings": verdict.settings_of(found.hromada),
        "ratings": range(5, 0, -1),
        "duplicate_public": found.duplicate_of_id is not None
        and (ps.is_public_report(found.duplicate_of) or ps.is_party(request.user, found.duplicate_of)),
    }
    if found.lat is not None and found.lon is not None:
        context["layers"] = [
            {
                "name": _("Місце"),
                "url": reverse("api-v1:appeals_case_point", kwargs={"public_id": found.public_id}),
                "kind": "points",
                "style": "highlight",
                "cluster": False,
            }
        ]
        context["center"] = [found.lat, found.lon]
    return render(request, "appeals/public/case.html", context)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _login_first(request, here: str):
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": here}))


@require_POST
def case_follow(request, public_id):
    here = reverse("appeals:case", args=[public_id])
    if not request.user.is_authenticated:
        return _login_first(request, here)
    found, _own = _case(request, public_id)
    try:
        if request.POST.get("action") == "unfollow":
            follows.case_unfollow(found, request.user)
            messages.success(
                request, _("Ви більше не стежите за повідомленням №%(n)s.") % {"n": found.number}
            )
        else:
            follows.case_follow(found, request.user)
            messages.success(
                request,
                _("Ви стежите за повідомленням №%(n)s: ми повідомимо про зміни.") % {"n": found.number},
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect(_back(request, here))


@require_POST
@login_required
def case_verdict(request, public_id, action: str):
    found, own = _case(request, public_id)
    here = reverse("appeals:case", args=[public_id])
    try:
        if action == "confirm":
            verdict.case_confirm(found, request.user)
            messages.success(
                request, _("Дякуємо! Ви підтвердили, що звернення №%(n)s вирішено.") % {"n": found.number}
            )
        elif action == "reopen":
            verdict.case_reopen(found, request.user, request.POST.get("reason", ""))
            messages.success(
                request,
                _("Звернення №%(n)s відкрито знову; підрозділ отримав повідомлення.") % {"n": found.number},
            )
        elif action == "rate":
            verdict.case_rate(
                found, request.user, request.POST.get("rating"), request.POST.get("comment", "")
            )
            messages.success(request, _("Дякуємо за оцінку!"))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, str(exc.message))
        if exc.field:
            return redirect(f"{_back(request, here)}#{action}-form")
    return redirect(_back(request, here))


@never_cache
@login_required
def my(request):
    now = timezone.now()
    cases = list(ps.my_cases(hromada=request.hromada, user=request.user)[:200])
    drafts = []
    for d in ps.my_drafts(hromada=request.hromada, user=request.user)[:50]:
        drafts.append({"case": d, "url": _safe_reverse("appeals:draft", d.public_id)})
    context = {
        "items": [
            {
                "case": c,
                "overdue": ps.is_overdue(c, now),
                "verdict": verdict.verdict_state(c, request.user, now),
                "group": ps.group_of(c.status),
            }
            for c in cases
        ],
        "drafts": drafts,
        "subscriptions": list(ps.my_subscriptions(hromada=request.hromada, user=request.user)),
        "areas": ps.areas(hromada=request.hromada),
        "categories": ps.report_categories(hromada=request.hromada),
        "new_url": _safe_reverse("appeals:index"),
    }
    return render(request, "appeals/public/my.html", context)


@require_POST
@login_required
def subscribe(request):
    try:
        area = ps.area_get(hromada=request.hromada, public_id=request.POST.get("area", ""))
        category = ps.category_get(hromada=request.hromada, public_id=request.POST.get("category", ""))
        follows.area_subscribe(hromada=request.hromada, user=request.user, area=area, category=category)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Підписку додано: ми повідомлятимемо про нові повідомлення."))
    return redirect(reverse("appeals:my") + "#subscriptions")


@require_POST
@login_required
def unsubscribe(request, pk: int):
    try:
        follows.subscription_delete(hromada=request.hromada, user=request.user, public_id=pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Підписку видалено."))
    return redirect(reverse("appeals:my") + "#subscriptions")


def stats(request):
    error = None
    try:
        period = stats_selectors.parse_period(request.GET.get("period"))
    except DomainError as exc:
        error = exc
        period = stats_selectors.parse_period("")
    figures = stats_selectors.statistics(hromada=request.hromada, period=period)
    sections = [
        (d, stats_selectors.DIMENSION_LABELS[d], figures[d])
        for d in ("kind", "category", "department", "area")
    ]
    context = {
        "period": period,
        "periods": stats_selectors.period_choices(),
        "total": figures["all"][0],
        "sections": sections,
        "error": error,
        "datasets": [
            (_("Статистика"), _safe_reverse_dataset("statistics")),
            (_("Повідомлення про проблеми"), _safe_reverse_dataset("reports")),
        ],
    }
    return render(request, "appeals/public/stats.html", context, status=400 if error else 200)


def _safe_reverse_dataset(slug: str) -> str:
    """The open dataset's CSV (hromada/api/datasets.py serves every module's)."""
    try:
        root = reverse("api-v1:api-root")
    except NoReverseMatch:
        return ""
    return f"{root}datasets/appeals/{slug}.csv"
