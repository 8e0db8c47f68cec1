"""The open budget explorer, /opendata/budget/ and /opendata/budget/<year>/, and its
import page in the publishers' console, /staff/opendata/budget/. Thin: parse, call
one selector or service, render."""

from __future__ import annotations

import re

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hromada.core.errors import DomainError

from . import budget_selectors, selectors, services
from .forms import BudgetImportForm
from .models import BudgetImport, BudgetKind
from .staff_views import publisher_perm

CODE = re.compile(r"^\d{7}$")


@require_GET
def explorer(request, year: int | None = None):
    hromada = request.hromada
    years = budget_selectors.budget_years(hromada=hromada)
    if year is None:
        if not years:
            return render(request, "opendata/budget/empty.html", {"years": years})
        year = years[0]
    programme = (request.GET.get("programme") or "").strip()
    if programme and not CODE.match(programme):
        programme = ""
    view = budget_selectors.budget_year(hromada=hromada, year=year, programme=programme)
    if view is None:
        raise Http404
    return render(
        request,
        "opendata/budget/year.html",
        {
            "view": view,
            "years": years,
            "compared": budget_selectors.years_compared(hromada=hromada) if len(years) > 1 else [],
            "programme_code": programme,
            "programme_missing": bool(programme and view.programme is None),
        },
    )


def _publishers(request):
    return [
        p
        for p in selectors.my_publishers(hromada=request.hromada, user=request.user)
        if services.can_publish_for(request.user, p)
    ]


@publisher_perm
@require_http_methods(["GET", "POST"])
def staff_import(request):
    publishers = _publishers(request)
    if not publishers:
        return render(
            request,
            "opendata/staff/forbidden.html",
            {
                "heading": _("Завантаження бюджету"),
                "message": _("Ви ще не редактор жодного розпорядника: попросіть адміністратора додати вас."),
            },
        )
    kinds = BudgetKind.choices
    form = BudgetImportForm(request.POST or None, request.FILES or None, publishers=publishers, kinds=kinds)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            publisher = next((p for p in publishers if p.name == data["publisher"]), None)
            try:
                result = services.budget_import(
                    request.hromada,
                    data["year"],
                    data["kind"],
                    data["file"],
                    request.user,
                    publisher=publisher,
                    cumulative=data["cumulative"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
                status = 403 if exc.status == 403 else 400
            else:
                # After a POST, a page of its own: reloading it does not import again.
                return HttpResponseRedirect(f"{reverse('staff_opendata:budget')}?import={result.pk}#result")
        else:
            status = 400
    mine = BudgetImport.objects.for_hromada(request.hromada).filter(dataset__publisher__in=publishers)
    shown = request.GET.get("import", "")
    if request.method == "GET" and shown.isdigit():
        result = mine.select_related("dataset").filter(pk=int(shown)).first()
    recent = mine.select_related("dataset", "resource", "imported_by")[:20]
    return render(
        request,
        "opendata/budget/staff_import.html",
        {"form": form, "result": result, "recent": recent, "active": "budget"},
        status=status,
    )
