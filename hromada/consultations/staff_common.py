"""What every staff page of the module shares: the permission gate, links to other
parts' pages that may not be on this branch yet, a consultation's sub-navigation."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hromada.accounts.rules import has_perm


def staff_perm(*codenames: str):
    """A staff page for holders of any of `codenames` in the request's hromada."""

    def decorator(view):
        @wraps(view)
        @never_cache
        @login_required
        def wrapper(request, *args, **kwargs):
            if not any(has_perm(request.user, request.hromada, c) for c in codenames):
                return render(request, "consultations/staff/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def safe_url(name: str, *args, **kwargs) -> str:
    """Another part's page by its URL name, or "" while it is not on this branch."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def not_found(request):
    return render(request, "consultations/staff/forbidden.html", {"not_found": True}, status=404)


def consultation_nav(consultation, active: str, user, hromada) -> list[dict]:
    """The staff sub-navigation of one consultation: this part's pages and the other
    parts' (questions, the draft act's text, proposals, results, report) when present
    and when the user may use them."""
    cid = consultation.public_id
    draft = consultation.status == "draft"
    items = [
        ("edit", _("Загальне"), "staff_consultations:edit", "consultations.manage", True),
        ("documents", _("Документи"), "staff_consultations:documents", "consultations.manage", True),
        ("questions", _("Анкета"), "staff_consultations:questions", "consultations.manage", True),
        (
            "paragraphs",
            _("Текст проєкту акта"),
            "staff_consultations:paragraphs",
            "consultations.manage",
            consultation.kind == "discussion",
        ),
        (
            "proposals",
            _("Пропозиції"),
            "staff_consultations:proposals",
            "consultations.answer",
            consultation.allow_proposals or consultation.kind == "discussion",
        ),
        ("preview", _("Попередній перегляд"), "staff_consultations:preview", "consultations.manage", draft),
        ("publish", _("Оприлюднення"), "staff_consultations:publish", "consultations.manage", draft),
        ("phase", _("Строки"), "staff_consultations:phase", "consultations.manage", not draft),
        ("results", _("Результати"), "staff_consultations:results", "consultations.report", not draft),
        ("report", _("Звіт"), "staff_consultations:report", "consultations.report", not draft),
        ("cancel", _("Скасування"), "staff_consultations:cancel", "consultations.manage", not draft),
    ]
    out = []
    for key, label, name, perm, shown in items:
        if not shown or not has_perm(user, hromada, perm):
            continue
        url = safe_url(name, cid=cid)
        if url:
            out.append({"key": key, "label": label, "url": url, "current": key == active})
    return out
