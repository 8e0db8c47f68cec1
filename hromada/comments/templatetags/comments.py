"""{% load comments %}{% comment_thread "<kind>" key %}: a target's comment thread with its
form (or the reason one may not comment), htmx in place and plain forms without script."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from hromada.core.errors import NotFound

from ..views import _page_of, thread_context

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context, kind: str, key) -> str:
    request = context.get("request")
    if request is None or getattr(request, "hromada", None) is None:
        return ""
    try:
        data = thread_context(request, kind, str(key), page=_page_of(request))
    except NotFound:
        return ""
    return render_to_string("comments/_embed.html", data, request=request)


@register.simple_tag(takes_context=True)
def comment_count_of(context, kind: str, key) -> int:
    """The visible comments of one target (a page's own link to its thread)."""
    from ..selectors import comment_count

    request = context.get("request")
    if request is None or getattr(request, "hromada", None) is None:
        return 0
    return comment_count(hromada=request.hromada, target_kind=kind, target_key=key)
