"""Staff console of the expert review: the queue (filters, due dates) and a project's
review page (assignment, checklist, corrected estimate, decision)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import selectors, staff_selectors
from .forms_staff import AssignForm, ReviewForm
from .models import ProjectStatus
from .services import review as review_services
from .staff_views_cycles import not_found, safe_url, staff_nav, staff_perm


@staff_perm("budget.review")
def review_queue(request):
    hromada = request.hromada
    filters = staff_selectors.QueueFilters.from_query(request.GET)
    rows = staff_selectors.review_queue(hromada=hromada, user=request.user, filters=filters)
    return render(
        request,
        "budget/staff/review_queue.html",
        {
            "rows": rows,
            "filters": filters,
            "cycles": selectors.cycles_public(hromada=hromada),
            "departments": staff_selectors.departments_for(hromada=hromada),
            "can_assign": has_perm(request.user, hromada, "budget.assign"),
            "nav": staff_nav("review", request.user, hromada),
        },
    )


def _context(request, project, *, assign_form=None, review_form=None):
    hromada = request.hromada
    review = staff_selectors.review_of(project)
    lines = selectors.cost_lines_of(project)
    departments = staff_selectors.departments_for(hromada=hromada)
    if assign_form is None:
        initial = {}
        if review is not None and review.department is not None:
            initial = {"department": str(review.department.public_id), "due_date": review.due_date}
        assign_form = AssignForm(departments=departments, initial=initial, prefix="assign")
    if review_form is None:
        review_form = ReviewForm(
            lines=lines,
            checklist=review.checklist if review else {},
            initial={
                "revision": project.revision,
                "decision": review.decision if review else "",
                "reasons": review.reasons if review else "",
            },
            prefix="review",
        )
    decided = bool(review and review.decision)
    return {
        "project": project,
        "review": review,
        "lines": lines,
        "assign_form": assign_form,
        "review_form": review_form,
        "can_assign": has_perm(request.user, hromada, "budget.assign")
        and project.status in review_services.REVIEWABLE
        and not decided,
        "can_review": project.status == ProjectStatus.REVIEW
        and not decided
        and review_services.may_review(request.user, project, review),
        "decided": decided,
        "public_url": safe_url("budget:project", public_id=project.public_id),
        "nav": staff_nav("review", request.user, hromada),
    }


@staff_perm("budget.review")
@require_http_methods(["GET", "POST"])
def review(request, public_id):
    try:
        project = staff_selectors.review_project(hromada=request.hromada, public_id=public_id)
    except NotFound:
        return not_found(request)
    if request.method == "GET":
        return render(request, "budget/staff/review.html", _context(request, project))
    action = request.POST.get("action", "")
    here = reverse("staff_budget:review", kwargs={"public_id": project.public_id})
    if action == "assign":
        assign = AssignForm(
            request.POST,
            departments=staff_selectors.departments_for(hromada=request.hromada),
            prefix="assign",
        )
        if assign.is_valid():
            try:
                review_services.review_assign(
                    project=project,
                    actor=request.user,
                    department=assign.chosen_department(),
                    due_date=assign.cleaned_data.get("due_date"),
                )
            except DomainError as exc:
                apply_domain_error(request, assign, exc)
            else:
                messages.success(request, _("Проєкт передано на експертизу."))
                return HttpResponseRedirect(here)
        return render(
            request, "budget/staff/review.html", _context(request, project, assign_form=assign), status=400
        )
    lines = selectors.cost_lines_of(project)
    form = ReviewForm(request.POST, lines=lines, prefix="review")
    if form.is_valid():
        try:
            review_services.review_save(
                project=project,
                actor=request.user,
                checklist=form.checklist(),
                line_amounts=form.line_amounts(),
            )
            if action == "decide":
                review_services.review_decide(
                    project=project,
                    actor=request.user,
                    decision=form.cleaned_data.get("decision") or "",
                    reasons=form.cleaned_data.get("reasons") or "",
                    revision=form.cleaned_data["revision"],
                )
        except DomainError as exc:
            project.refresh_from_db()
            if exc.code == "revision_conflict":
                # Shown again with the new revision: the next submit decides on what is shown.
                data = request.POST.copy()
                data["review-revision"] = str(project.revision)
                form = ReviewForm(data, lines=lines, prefix="review")
                form.is_valid()
            apply_domain_error(request, form, exc)
            status = exc.status if exc.status >= 400 else 400
            return render(
                request,
                "budget/staff/review.html",
                _context(request, project, review_form=form),
                status=status,
            )
        messages.success(
            request, _("Рішення ухвалено й оприлюднено.") if action == "decide" else _("Збережено.")
        )
        return HttpResponseRedirect(here)
    return render(
        request, "budget/staff/review.html", _context(request, project, review_form=form), status=400
    )
