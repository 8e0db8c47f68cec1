"""Comment threads on pages: the tag's context, and the actions behind its forms.

Every form posts to one of these views. With htmx (HX-Request) the answer is the thread
again, swapped in place, with the focus on the new comment or on the error; without
JavaScript a success redirects back to the target's page at `#comment-<id>` and an error
renders the thread on its own page with what was typed kept."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, NotFound
from hromada.core.ratelimit import RateLimited

from . import selectors, services
from .models import BODY_MAX, ReportReason

SUCCESS = {
    "post": _("Коментар опубліковано."),
    "reply": _("Відповідь опубліковано."),
    "edit": _("Коментар змінено."),
    "delete": _("Коментар видалено."),
    "report": _("Дякуємо! Модератори розглянуть скаргу."),
    "hide": _("Коментар приховано."),
    "restore": _("Коментар знову показано."),
    "dismiss": _("Скарги відхилено."),
}


def dom_id(kind: str, key: str) -> str:
    return "comments-" + "".join(ch if ch.isalnum() else "-" for ch in f"{kind}-{key}")


def page_url(url: str, page: int, anchor: str) -> str:
    """`url` with ?cpage=<page> (other query parameters kept) and the thread's anchor."""
    parts = urlsplit(url)
    query = [p for p in parts.query.split("&") if p and not p.startswith("cpage=")]
    if page > 1:
        query.append(urlencode({"cpage": page}))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(query), anchor))


def _page_of(request) -> int:
    try:
        return max(1, int(request.GET.get("cpage", "1")))
    except ValueError:
        return 1


def thread_context(request, kind: str, key, *, page: int = 1, state: dict | None = None) -> dict:
    """What templates/comments/_thread.html needs (raises NotFound for a bad target)."""
    user = request.user
    hromada = request.hromada
    thread = selectors.thread(hromada=hromada, target_kind=kind, target_key=key, user=user, page=page)
    resolved = thread.target
    refusal = services.post_refusal(user, resolved)
    moderator = selectors.can_moderate(user, hromada, resolved.target)
    now = timezone.now()
    here = (state or {}).get("comment") or ""
    for top in thread.comments:
        for c in [top, *top.thread_replies]:
            c.ui_here = bool(here) and str(c.public_id) == here
            c.ui_author = user.is_authenticated and c.author_id == user.pk
            c.ui_can_edit = selectors.can_edit(user, c, now)
            c.ui_reported = c.pk in thread.reported
            c.ui_may_report = user.is_authenticated and not c.ui_author and c.status == "visible"
    anchor = dom_id(resolved.kind, resolved.key)
    return {
        "thread": thread,
        "resolved": resolved,
        "target": resolved.target,
        "dom_id": anchor,
        "refusal": refusal,
        "is_moderator": moderator,
        "report_reasons": ReportReason.choices,
        "body_max": BODY_MAX,
        "edit_minutes": selectors.edit_minutes(),
        "state": state or {},
        "login_url": "/accounts/login/?" + urlencode({"next": resolved.target.url}),
        "prev_url": page_url(resolved.target.url, thread.page - 1, anchor) if thread.page > 1 else "",
        "next_url": page_url(resolved.target.url, thread.page + 1, anchor)
        if thread.page < thread.pages
        else "",
        "request": request,
        "user": user,
    }


def _respond(request, kind, key, *, action, comment=None, error=None, values=None):
    """The answer to a comment form: the thread (htmx), or a redirect / the thread's page."""
    htmx = bool(request.headers.get("HX-Request"))
    page = _page_of(request)
    if error is None:
        anchor = f"comment-{comment.public_id}" if comment is not None else ""
        state = {"action": action, "focus": anchor, "notice": SUCCESS[action]}
        if htmx:
            return render(
                request, "comments/_thread.html", thread_context(request, kind, key, page=page, state=state)
            )
        messages.success(request, SUCCESS[action])
        resolved = selectors.target_get(hromada=request.hromada, kind=kind, key=key)
        url = resolved.target.url
        return redirect(page_url(url, page, anchor) if anchor else page_url(url, page, dom_id(kind, key)))
    state = {
        "action": action,
        "comment": str(comment.public_id) if comment is not None else "",
        "error": error,
        "values": values or {},
        "focus": "comment-error",
    }
    context = thread_context(request, kind, key, page=page, state=state)
    if htmx:
        return render(request, "comments/_thread.html", context)
    return render(request, "comments/page.html", context, status=error.status)


def _as_error(exc) -> DomainError:
    if isinstance(exc, RateLimited):
        return DomainError(exc.code, exc.message, status=429)
    return exc


@never_cache
def thread_view(request, kind, key):
    """The thread alone: htmx pagination, and a page of its own."""
    try:
        context = thread_context(request, kind, key, page=_page_of(request))
    except NotFound:
        raise Http404(_("Того, що ви коментуєте, не знайдено."))
    template = "comments/_thread.html" if request.headers.get("HX-Request") else "comments/page.html"
    return render(request, template, context)


@require_POST
def post(request, kind, key):
    values = {"body": request.POST.get("body", ""), "parent": request.POST.get("parent", "")}
    action = "reply" if values["parent"] else "post"
    try:
        selectors.target_get(hromada=request.hromada, kind=kind, key=key)
        parent = (
            selectors.comment_get(hromada=request.hromada, public_id=values["parent"])
            if values["parent"]
            else None
        )
    except NotFound:
        raise Http404(_("Того, що ви коментуєте, не знайдено."))
    try:
        comment = services.comment_post(
            hromada=request.hromada,
            target_kind=kind,
            target_key=key,
            author=request.user,
            body=values["body"],
            parent=parent,
        )
    except (DomainError, RateLimited) as exc:
        return _respond(
            request, kind, key, action=action, comment=parent, error=_as_error(exc), values=values
        )
    return _respond(request, kind, key, action=action, comment=comment)


@require_POST
def act(request, public_id, action):
    """edit, delete, report, hide, restore, dismiss: one comment's actions."""
    try:
        comment = selectors.comment_get(hromada=request.hromada, public_id=public_id)
    except NotFound:
        raise Http404(_("Такого коментаря немає."))
    kind, key = comment.target_kind, comment.target_key
    try:
        selectors.target_get(hromada=request.hromada, kind=kind, key=key)
    except NotFound:
        raise Http404(_("Того, що ви коментуєте, не знайдено."))
    values = {k: request.POST.get(k, "") for k in ("body", "reason", "details")}
    user = request.user
    try:
        if action == "edit":
            services.comment_edit(comment=comment, user=user, body=values["body"])
        elif action == "delete":
            services.comment_delete(comment=comment, user=user)
        elif action == "report":
            services.comment_report(
                comment=comment, user=user, reason=values["reason"], details=values["details"]
            )
        elif action == "hide":
            services.comment_hide(comment=comment, actor=user, reason=values["reason"])
        elif action == "restore":
            services.comment_restore(comment=comment, actor=user, reason=values["reason"])
        elif action == "dismiss":
            services.reports_dismiss(comment=comment, actor=user)
        else:
            raise Http404
    except (DomainError, RateLimited) as exc:
        return _respond(
            request, kind, key, action=action, comment=comment, error=_as_error(exc), values=values
        )
    return _respond(request, kind, key, action=action, comment=comment)
