"""Staff results page: the recount from the ledger beside the Ballot table, the refused
and duplicate entries the tally reports, and "publish the results now". Thin."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound

from . import result_selectors, rules, selectors
from .services import results


def manager_required(view):
    @wraps(view)
    @never_cache
    @login_required
    def wrapper(request, *args, **kwargs):
        if not rules.can_manage(request.user, request.hromada):
            return render(request, "budget/staff/results.html", {"forbidden": True}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


@manager_required
@require_http_methods(["GET", "POST"])
def results_page(request, slug: str):
    try:
        cycle = selectors.cycle_get(hromada=request.hromada, slug=slug)
    except NotFound:
        return render(request, "budget/staff/results.html", {"not_found": True}, status=404)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                done = results.results_publish(cycle=cycle, actor=request.user)
                messages.success(
                    request,
                    _("Підсумки оприлюднено.") if done else _("Підсумки вже було оприлюднено раніше."),
                )
            else:
                messages.error(request, _("Невідома дія."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        return redirect("staff_budget:results", slug=cycle.slug)
    context: dict = {
        "cycle": cycle,
        "may_publish": results.voting_ended(cycle) and cycle.results_published_at is None,
    }
    try:
        context["recount"] = result_selectors.staff_recount(cycle)
    except DomainError as exc:
        context["recount_error"] = exc.message
    return render(request, "budget/staff/results.html", context)
