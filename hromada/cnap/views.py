"""The resident's side: the catalogue with its search and filters (plain GET forms, no
script needed), a service's page, the offices and an office's week. Thin: parse, call
selectors, render."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hromada.core.calendar import KYIV
from hromada.tenancy.selectors import module_settings

from . import selectors as sel
from .models import OfficeKind

PAGE_SIZE = 30
Q_MAX = 200


def _today() -> dt.date:
    return timezone.now().astimezone(KYIV).date()


def catalogue(request):
    hromada = request.hromada
    errors: list[str] = []
    q = (request.GET.get("q") or "").strip()
    if len(q) > Q_MAX:
        errors.append(_("Запит задовгий: до %(n)d знаків.") % {"n": Q_MAX})
        q = q[:Q_MAX]
    categories = list(sel.category_list(hromada=hromada))
    situations = list(sel.situation_list(hromada=hromada))
    category = request.GET.get("category") or ""
    situation = request.GET.get("situation") or ""
    if category and category not in {c.code for c in categories}:
        errors.append(_("Такої категорії немає; показано всі категорії."))
        category = ""
    if situation and situation not in {s.code for s in situations}:
        errors.append(_("Такої життєвої ситуації немає; показано всі ситуації."))
        situation = ""
    filters = sel.CatalogueFilters(q=q, category=category, situation=situation)
    page = Paginator(sel.catalogue(hromada=hromada, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = {k: v for k, v in (("q", q), ("category", category), ("situation", situation)) if v}
    return render(
        request,
        "cnap/catalogue.html",
        {
            "filters": filters,
            "filtered": bool(query),
            "errors": errors,
            "page": page,
            "query": urlencode(query),
            "categories": categories,
            "situations": situations,
            "current_category": next((c for c in categories if c.code == category), None),
            "current_situation": next((s for s in situations if s.code == situation), None),
            "settings": module_settings(hromada=hromada, label="cnap"),
        },
        status=400 if errors else 200,
    )


def service(request, public_id):
    found = sel.service_get(hromada=request.hromada, public_id=public_id)
    if found is None:
        raise Http404(_("Такої послуги в каталозі немає."))
    today = _today()
    offices = [
        {"office": o, "today": sel.office_hours(o, today), "okrug": sel.okrug_of(o)}
        for o in sel.service_offices(service=found)
    ]
    documents = list(found.documents.all())
    return render(
        request,
        "cnap/service.html",
        {
            "service": found,
            "required_documents": [d for d in documents if d.required],
            "optional_documents": [d for d in documents if not d.required],
            "offices": offices,
            "situations": list(found.life_situations.all()),
        },
    )


def offices(request):
    today = _today()
    rows = [
        {"office": o, "today": sel.office_hours(o, today), "okrug": sel.okrug_of(o)}
        for o in sel.office_list(hromada=request.hromada)
    ]
    groups = [
        {"kind": kind, "label": label, "rows": [r for r in rows if r["office"].kind == kind]}
        for kind, label in OfficeKind.choices
    ]
    return render(request, "cnap/offices.html", {"groups": [g for g in groups if g["rows"]], "today": today})


def office(request, code):
    found = sel.office_get(hromada=request.hromada, code=code)
    if found is None:
        raise Http404(_("Такого офісу немає."))
    today = _today()
    start = sel.week_of(today)
    error = ""
    raw = request.GET.get("week")
    if raw:
        try:
            start = sel.week_of(dt.date.fromisoformat(raw))
        except ValueError:
            error = _("Дата тижня неправильна; показано поточний тиждень.")
        else:
            if abs((start - sel.week_of(today)).days) > 366:
                error = _("Графік показуємо лише на рік уперед і назад; показано поточний тиждень.")
                start = sel.week_of(today)
    days = sel.office_days(found, start, 7)
    workplaces = list(sel.workplace_list(office=found, active_only=True))
    return render(
        request,
        "cnap/office.html",
        {
            "office": found,
            "okrug": sel.okrug_of(found),
            "days": days,
            "today": today,
            "week_start": start,
            "week_end": start + dt.timedelta(days=6),
            "prev_week": (start - dt.timedelta(days=7)).isoformat(),
            "next_week": (start + dt.timedelta(days=7)).isoformat(),
            "this_week": start == sel.week_of(today),
            "workplaces": workplaces,
            "error": error,
        },
        status=400 if error else 200,
    )
