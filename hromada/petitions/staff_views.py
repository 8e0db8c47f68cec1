"""Staff console for petitions: moderation, consideration, answers, statistics."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import rules, selectors, services
from .forms import AnswerForm, ExtendForm, RejectForm
from .models import Status


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not rules.can_view_staff_queues(request.user, request.hromada):
            return render(request, "petitions/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _petition(request, public_id):
    try:
        return selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.user)
    except NotFound:
        return None


def _rows(qs):
    today = timezone.localdate()
    return [(p, selectors.is_overdue(p, today=today)) for p in qs]


@staff_required
def moderation_queue(request):
    page = Paginator(selectors.moderation_queue(hromada=request.hromada), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "petitions/staff/moderation.html", {"page": page, "rows": _rows(page)})


@staff_required
def moderate(request, public_id):
    petition = _petition(request, public_id)
    if petition is None:
        return render(request, "petitions/staff/forbidden.html", {"not_found": True}, status=404)
    form = RejectForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                services.petition_publish(petition=petition, moderator=request.user)
                messages.success(request, _("Петицію №%(n)d опубліковано.") % {"n": petition.number})
                return redirect("staff_petitions:moderation")
            if form.is_valid():
                services.petition_reject(
                    petition=petition,
                    moderator=request.user,
                    reason=form.cleaned_data["reason"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, _("Петицію №%(n)d відхилено.") % {"n": petition.number})
                return redirect("staff_petitions:moderation")
        except DomainError as exc:
            apply_domain_error(request, form, exc)
    context = {
        "petition": petition,
        "form": form,
        "overdue": selectors.is_overdue(petition),
        "can_moderate": rules.can_moderate(request.user, petition),
    }
    return render(request, "petitions/staff/moderate.html", context, status=400 if form.errors else 200)


@staff_required
def consideration_queue(request):
    page = Paginator(selectors.consideration_queue(hromada=request.hromada), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "petitions/staff/consideration.html", {"page": page, "rows": _rows(page)})


@staff_required
def answer(request, public_id):
    petition = _petition(request, public_id)
    if petition is None or petition.status != Status.CONSIDERATION:
        messages.error(request, _("Петиція не перебуває на розгляді."))
        return redirect("staff_petitions:consideration")
    form = AnswerForm(request.POST or None, request.FILES or None, prefix="answer")
    extend_form = ExtendForm(request.POST or None, prefix="extend")
    action = request.POST.get("action")
    if request.method == "POST" and action == "answer" and form.is_valid():
        try:
            services.petition_answer(
                petition=petition,
                officer=request.user,
                decision=form.cleaned_data["decision"],
                text=form.cleaned_data["text"],
                document=form.cleaned_data["document"],
            )
            messages.success(request, _("Відповідь на петицію №%(n)d опубліковано.") % {"n": petition.number})
            return redirect("petitions:detail", public_id=petition.public_id)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
    elif request.method == "POST" and action == "extend" and extend_form.is_valid():
        try:
            services.petition_extend_deadline(
                petition=petition,
                officer=request.user,
                until=extend_form.cleaned_data["until"],
                notice=extend_form.cleaned_data["notice"],
            )
            messages.success(request, _("Строк розгляду продовжено."))
            return redirect("staff_petitions:consideration")
        except DomainError as exc:
            apply_domain_error(request, extend_form, exc)
    if action == "answer":
        extend_form = ExtendForm(prefix="extend")
    elif action == "extend":
        form = AnswerForm(prefix="answer")
    context = {
        "petition": petition,
        "form": form,
        "extend_form": extend_form,
        "count": selectors.petition_live_count(petition),
        "overdue": selectors.is_overdue(petition),
        "can_answer": rules.can_answer(request.user, petition),
    }
    failed = request.method == "POST"
    return render(request, "petitions/staff/answer.html", context, status=400 if failed else 200)


@staff_required
def stats(request):
    return render(
        request, "petitions/staff/stats.html", {"stats": selectors.petition_stats(hromada=request.hromada)}
    )
