"""Moderation desk, /staff/comments/: reported, hidden and recent comments of the
targets the user may moderate; hide with a reason, restore, dismiss reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, NotFound

from . import selectors, services
from .models import ReportReason

FILTERS = (
    ("reported", _("Зі скаргами")),
    ("hidden", _("Приховані")),
    ("recent", _("Нові")),
)
PAGE_SIZE = 25


def _forbidden(request):
    return render(request, "comments/staff/forbidden.html", status=403)


@never_cache
@login_required
def queue(request):
    if not selectors.may_moderate_any(request.user, request.hromada):
        return _forbidden(request)
    current = request.GET.get("filter", "reported")
    if current not in selectors.QUEUE_FILTERS:
        current = "reported"
    rows = selectors.moderation_queue(hromada=request.hromada, filter=current, user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    reasons = dict(ReportReason.choices)
    items = []
    for comment in page.object_list:
        try:
            target = selectors.target_get(
                hromada=request.hromada, kind=comment.target_kind, key=comment.target_key
            ).target
        except NotFound:
            target = None
        reports = [
            {"reason": reasons.get(r.reason, r.reason), "details": r.details, "at": r.created_at}
            for r in selectors.open_reports(comment)
        ]
        items.append({"comment": comment, "target": target, "reports": reports})
    return render(
        request,
        "comments/staff/queue.html",
        {"items": items, "page": page, "filters": FILTERS, "current": current, "errors": {}},
    )


@require_POST
@never_cache
@login_required
def moderate(request, public_id, action):
    try:
        comment = selectors.comment_get(hromada=request.hromada, public_id=public_id)
    except NotFound:
        raise Http404(_("Такого коментаря немає."))
    back = request.POST.get("filter", "reported")
    back = back if back in selectors.QUEUE_FILTERS else "reported"
    url = reverse("staff_comments:queue") + f"?filter={back}"
    reason = request.POST.get("reason", "")
    try:
        if action == "hide":
            services.comment_hide(comment=comment, actor=request.user, reason=reason)
            messages.success(request, _("Коментар приховано."))
        elif action == "restore":
            services.comment_restore(comment=comment, actor=request.user, reason=reason)
            messages.success(request, _("Коментар знову показано."))
        elif action == "dismiss":
            services.reports_dismiss(comment=comment, actor=request.user)
            messages.success(request, _("Скарги відхилено; коментар лишається."))
        else:
            raise Http404
    except DomainError as exc:
        if exc.status == 403:
            return _forbidden(request)
        messages.error(request, str(exc.message))
    return redirect(f"{url}#comment-{comment.public_id}")
