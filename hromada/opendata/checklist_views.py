"""The Resolution 835 checklist's pages: the public list with the published-share
indicator (/opendata/835/, with CSV and JSON exports) and the administrator's list with
an answer form per required dataset (/staff/opendata/835/). Thin: checklist.py computes,
requirement_answer() writes."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from hromada.core.errors import DomainError
from hromada.core.forms import apply_domain_error
from hromada.core.opendata import csv_response, json_response

from . import checklist
from .forms import RequirementForm
from .models import Dataset, Publisher, RequiredDataset
from .staff_views import manage_perm

# How each status looks: the stylesheet's status class and an icon beside the words
# (never the colour alone).
LOOKS = {
    checklist.Status.CURRENT: ("status-ok", "✓"),
    checklist.Status.DUE_SOON: ("status-warn", "⏳"),
    checklist.Status.OVERDUE: ("status-overdue", "⚠"),
    checklist.Status.MISSING: ("status-bad", "✗"),
    checklist.Status.UNPUBLISHED: ("status-draft", "✎"),
    checklist.Status.NOT_APPLICABLE: ("status-neutral", "–"),
}


@dataclass(frozen=True)
class Item:
    row: checklist.Row
    css: str
    icon: str
    public: bool  # a visitor may follow its dataset


def _context(request, rows):
    status = request.GET.get("status", "")
    if status not in checklist.FILTERS:
        status = ""
    total = checklist.summary(rows)
    shown = checklist.filtered(rows, status)
    return {
        "summary": total,
        "percent": int(total.published_share * 100 + 0.5),  # half up, as people round
        "sections": [
            (section, [Item(r, *LOOKS[r.status], checklist.is_public(r)) for r in items])
            for section, items in checklist.by_section(shown)
        ],
        "shown_count": len(shown),
        "status": status,
        "filters": [(value, label) for value, (label, _keep) in checklist.FILTERS.items()],
    }


@require_GET
def checklist_page(request):
    rows = checklist.checklist(request.hromada)
    return render(request, "opendata/checklist.html", _context(request, rows))


@require_GET
def checklist_export(request, fmt: str):
    def dataset_url(name: str) -> str:
        return request.build_absolute_uri(reverse("opendata:dataset", kwargs={"name": name}))

    rows = checklist.checklist(request.hromada)
    records = checklist.records(
        checklist.filtered(rows, request.GET.get("status", "")), dataset_url=dataset_url
    )
    if fmt == "json":
        return json_response(records, filename="resolution-835")
    return csv_response(records, filename="resolution-835", fieldnames=checklist.EXPORT_FIELDS)


# --- the administrator's answers --------------------------------------------------------------


@manage_perm
@require_GET
def staff_checklist(request):
    rows = checklist.checklist(request.hromada)
    return render(request, "opendata/staff/checklist.html", _context(request, rows))


def _requirement_form(request, data=None, *, initial=None):
    return RequirementForm(
        data,
        datasets=Dataset.objects.for_hromada(request.hromada)
        .order_by("title")
        .only("name", "title", "state"),
        publishers=Publisher.objects.for_hromada(request.hromada).order_by("title"),
        initial=initial,
    )


@manage_perm
@require_http_methods(["GET", "POST"])
def staff_requirement(request, pk: int):
    required = RequiredDataset.objects.filter(pk=pk).first()
    if required is None:
        raise Http404
    row = next(r for r in checklist.checklist(request.hromada) if r.required.pk == required.pk)
    answer = row.requirement
    if request.method == "POST":
        form = _requirement_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            hromada = request.hromada
            try:
                checklist.requirement_answer(
                    hromada,
                    request.user,
                    required,
                    # The choices are this hromada's rows, so these lookups find them.
                    dataset=Dataset.objects.for_hromada(hromada).get(name=data["dataset"])
                    if data["dataset"]
                    else None,
                    not_applicable=data["not_applicable"],
                    publisher=Publisher.objects.for_hromada(hromada).get(name=data["publisher"])
                    if data["publisher"]
                    else None,
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("Відповідь збережено."))
                return HttpResponseRedirect(reverse("staff_opendata:checklist") + f"#req-{required.pk}")
    else:
        form = _requirement_form(
            request,
            initial={
                "dataset": answer.dataset.name if answer and answer.dataset else "",
                "not_applicable": answer.not_applicable if answer else "",
                "publisher": answer.publisher.name if answer and answer.publisher else "",
            },
        )
    return render(
        request,
        "opendata/staff/requirement.html",
        {"row": row, "form": form},
        status=400 if form.errors else 200,
    )
