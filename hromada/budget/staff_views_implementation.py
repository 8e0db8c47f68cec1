"""Staff console of the implementation: the winning projects and a project's page
(stages, published updates with photos)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import implementation_selectors, selectors, staff_selectors
from .forms_staff import FundingForm, StageDoneForm, StageForm, UpdateForm
from .services import implementation as services
from .staff_views_cycles import not_found, safe_url, staff_nav, staff_perm


@staff_perm("budget.report_progress")
def implementation(request):
    hromada = request.hromada
    cycle = (request.GET.get("cycle") or "")[:60]
    return render(
        request,
        "budget/staff/implementation.html",
        {
            "rows": staff_selectors.winners(hromada=hromada, cycle=cycle),
            "cycle": cycle,
            "cycles": selectors.cycles_public(hromada=hromada),
            "nav": staff_nav("implementation", request.user, hromada),
        },
    )


def _stages(project):
    return selectors.stages_of(project)


def _context(request, project, *, stage_form=None, update_form=None, done_form=None, funding_form=None):
    stages = _stages(project)
    return {
        "project": project,
        "funding_form": funding_form or FundingForm(initial={"kpkvk": project.kpkvk}, prefix="funding"),
        "impl": implementation_selectors.for_project(project),
        "stage_form": stage_form or StageForm(prefix="stage"),
        "update_form": update_form or UpdateForm(stages=stages, prefix="update"),
        "done_form": done_form,
        "stages": stages,
        "public_url": safe_url("budget:project", public_id=project.public_id),
        "nav": staff_nav("implementation", request.user, request.hromada),
    }


@staff_perm("budget.report_progress")
@require_http_methods(["GET", "POST"])
def implementation_project(request, public_id):
    try:
        project = staff_selectors.winner_get(hromada=request.hromada, public_id=public_id)
    except NotFound:
        return not_found(request)
    if request.method == "GET":
        return render(request, "budget/staff/implementation_project.html", _context(request, project))
    here = reverse("staff_budget:implementation_project", kwargs={"public_id": project.public_id})
    action = request.POST.get("action", "")
    if action == "stage":
        stage_form = StageForm(request.POST, prefix="stage")
        if stage_form.is_valid():
            try:
                services.stage_add(
                    project=project,
                    actor=request.user,
                    title=stage_form.cleaned_data["title"],
                    planned_end=stage_form.cleaned_data.get("planned_end"),
                )
            except DomainError as exc:
                apply_domain_error(request, stage_form, exc)
            else:
                messages.success(request, _("Етап додано."))
                return HttpResponseRedirect(here + "#stages")
        return render(
            request,
            "budget/staff/implementation_project.html",
            _context(request, project, stage_form=stage_form),
            status=400,
        )
    if action == "funding":
        funding_form = FundingForm(request.POST, prefix="funding")
        if funding_form.is_valid():
            try:
                services.project_funding_set(
                    project=project, actor=request.user, kpkvk=funding_form.cleaned_data["kpkvk"]
                )
            except DomainError as exc:
                apply_domain_error(request, funding_form, exc)
            else:
                messages.success(request, _("Програму фінансування збережено."))
                return HttpResponseRedirect(here + "#funding")
        return render(
            request,
            "budget/staff/implementation_project.html",
            _context(request, project, funding_form=funding_form),
            status=400,
        )
    if action == "stage_done":
        done = StageDoneForm(request.POST)
        stage = None
        if done.is_valid():
            stage = next((s for s in _stages(project) if s.pk == done.cleaned_data["stage"]), None)
        if stage is not None:
            try:
                services.stage_done(stage=stage, actor=request.user, done_on=done.cleaned_data["done_on"])
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Етап позначено виконаним."))
                return HttpResponseRedirect(here + "#stages")
        else:
            messages.error(request, _("Вкажіть дату виконання етапу."))
        return render(
            request, "budget/staff/implementation_project.html", _context(request, project), status=400
        )
    form = UpdateForm(request.POST, request.FILES, stages=_stages(project), prefix="update")
    if form.is_valid():
        try:
            services.implementation_update(
                project=project,
                actor=request.user,
                text=form.cleaned_data["text"],
                progress=form.cleaned_data["progress"],
                spent=form.cleaned_data.get("spent") or 0,
                tender_id=form.cleaned_data.get("tender_id") or "",
                delay_reason=form.cleaned_data.get("delay_reason") or "",
                stage=form.stage_obj(),
                photos=form.photos(),
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Звіт оприлюднено; людей проєкту повідомлено."))
            return HttpResponseRedirect(here)
    return render(
        request,
        "budget/staff/implementation_project.html",
        _context(request, project, update_form=form),
        status=400,
    )
