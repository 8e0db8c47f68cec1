"""Public pages of a consultation's life: the list, the consultation's page, following
and subscribing, "my consultations". Owned by the lifecycle part (placeholders until then)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from hromada.core.errors import NotFound

from . import rules, selectors


def index(request):
    items = list(selectors.consultations_public(hromada=request.hromada)[:50])
    return render(request, "consultations/index.html", {"items": items})


def detail(request, number: int):
    try:
        consultation = selectors.consultation_get(hromada=request.hromada, number=number)
    except NotFound:
        raise Http404 from None
    return render(
        request,
        "consultations/detail.html",
        {"consultation": consultation, "phase": rules.phase_code(consultation)},
    )
