"""The console's edit pages (issue 14): a publisher's and a theme's details for the open
data administrator; a resource's name, description, link and format, and its withdrawal
with a reason, for the dataset's editors. Same style as staff_views: parse, call one
service, render; a refusal lands on its field and everything typed stays."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import selectors, services
from .forms import GroupEditForm, PublisherEditForm, ResourceEditForm, WithdrawForm
from .models import Group, Publisher
from .staff_views import _editable_dataset, _not_found, _to_dataset, manage_perm, publisher_perm


def _status(form) -> int:
    return 400 if form.errors else 200


@manage_perm
@require_http_methods(["GET", "POST"])
def publisher_edit(request, name: str):
    publisher = Publisher.objects.for_hromada(request.hromada).filter(name=name).first()
    if publisher is None:
        return _not_found(request)
    initial = {
        f: getattr(publisher, f)
        for f in ("title", "kind", "identifier", "email", "url", "description", "active")
    }
    form = PublisherEditForm(request.POST or None, publisher=publisher, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.publisher_update(publisher, request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Зміни збережено."))
            return HttpResponseRedirect(reverse("staff_opendata:publisher", kwargs={"name": publisher.name}))
    return render(
        request,
        "opendata/staff/publisher_form.html",
        {"publisher": publisher, "form": form},
        status=_status(form),
    )


@manage_perm
@require_http_methods(["GET", "POST"])
def group_edit(request, name: str):
    group = Group.objects.for_hromada(request.hromada).filter(name=name).first()
    if group is None:
        return _not_found(request)
    form = GroupEditForm(
        request.POST or None, initial={"title": group.title, "description": group.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group, request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Зміни збережено."))
            return HttpResponseRedirect(reverse("staff_opendata:groups"))
    return render(
        request, "opendata/staff/group_form.html", {"group": group, "form": form}, status=_status(form)
    )


def _editable_resource(request, name: str, rid):
    dataset = _editable_dataset(request, name)
    if dataset is None:
        return None, None
    try:
        return dataset, selectors.resource_get(dataset=dataset, resource_id=rid)
    except NotFound:
        return dataset, None


@publisher_perm
@require_http_methods(["GET", "POST"])
def resource_edit(request, name: str, rid):
    dataset, resource = _editable_resource(request, name, rid)
    if resource is None:
        return _not_found(request)
    if resource.withdrawn_at is not None:
        messages.error(request, _("Цей ресурс знято: змінювати його не можна."))
        return _to_dataset(dataset)
    initial = {
        "name": resource.name,
        "description": resource.description,
        "url": resource.url,
        "format": resource.format,
    }
    form = ResourceEditForm(request.POST or None, resource=resource, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(resource, request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Зміни збережено."))
            return _to_dataset(dataset)
    return render(
        request,
        "opendata/staff/resource_edit.html",
        {"dataset": dataset, "resource": resource, "form": form},
        status=_status(form),
    )


@publisher_perm
@require_http_methods(["GET", "POST"])
def resource_withdraw(request, name: str, rid):
    dataset, resource = _editable_resource(request, name, rid)
    if resource is None:
        return _not_found(request)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_withdraw(resource, request.user, form.cleaned_data["reason"])
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Ресурс знято. Його версії збережено."))
            return _to_dataset(dataset)
    return render(
        request,
        "opendata/staff/resource_withdraw.html",
        {"dataset": dataset, "resource": resource, "form": form},
        status=_status(form),
    )
