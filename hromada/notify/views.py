from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import PreferencesForm

PER_PAGE = 20


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page(request):
    notifications = selectors.notification_list(user=request.user, hromada=request.hromada)
    return Paginator(notifications, PER_PAGE).get_page(request.GET.get("page") or request.POST.get("page"))


def _list_context(request) -> dict:
    return {
        "page": _page(request),
        "unread": selectors.notification_unread_count(user=request.user, hromada=request.hromada),
    }


@login_required
def notification_list(request):
    template = "notify/_list.html" if _is_htmx(request) else "notify/list.html"
    return render(request, template, _list_context(request))


@login_required
@require_POST
def mark_read(request, public_id):
    notification = services.notification_mark_read(
        user=request.user, hromada=request.hromada, public_id=public_id
    )
    if notification is None:
        raise Http404
    if _is_htmx(request):
        return render(request, "notify/_item.html", {"n": notification})
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(next_url)
    return redirect("notify:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user, hromada=request.hromada)
    if _is_htmx(request):
        return render(request, "notify/_list.html", _list_context(request))
    if count:
        messages.success(request, _("Усі сповіщення позначено прочитаними."))
    return redirect("notify:list")


@login_required
def preferences(request):
    choices = selectors.preference_choices(user=request.user)
    form = PreferencesForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, choices=form.chosen())
        messages.success(request, _("Налаштування сповіщень збережено."))
        return redirect("notify:preferences")
    return render(request, "notify/preferences.html", {"form": form})
