"""The publishers' console, /staff/opendata/…: my datasets (drafts, overdue updates),
a dataset's form, resources (a file or a link), new versions, publication and
withdrawal; publishers, their editors and themes for the open data administrator.
Thin: parse, call one service, render; a service's refusal lands on its field and
everything typed stays in the form."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hromada.accounts.rules import has_perm
from hromada.accounts.selectors import staff_role_list
from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import selectors, services
from .forms import DatasetForm, GroupForm, MemberForm, PublisherForm, ResourceForm, VersionForm, WithdrawForm
from .models import Dataset, DatasetState, Group, Publisher, PublisherMember


def staff_perm(*codenames: str):
    def decorator(view):
        @wraps(view)
        @never_cache
        @login_required
        def wrapper(request, *args, **kwargs):
            if not any(has_perm(request.user, request.hromada, c) for c in codenames):
                return render(request, "opendata/staff/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


publisher_perm = staff_perm("opendata.publish", "opendata.manage")
manage_perm = staff_perm("opendata.manage")


def _forbidden(request, message=None):
    return render(request, "opendata/staff/forbidden.html", {"message": message}, status=403)


def _not_found(request):
    return render(request, "opendata/staff/forbidden.html", {"not_found": True}, status=404)


def _editable_dataset(request, name: str) -> Dataset | None:
    """The dataset if the user may edit it (None: not found or not theirs)."""
    found = Dataset.objects.for_hromada(request.hromada).select_related("publisher").filter(name=name).first()
    if found is None or not services.can_publish_for(request.user, found.publisher):
        return None
    return found


def _platform_refused(request, dataset: Dataset):
    """The console's answer for a platform dataset's resources: regenerated, not edited."""
    refusal = services.platform_refusal(dataset)
    if refusal is None:
        return None
    return render(
        request,
        "opendata/staff/forbidden.html",
        {"heading": dataset.title, "message": refusal.message},
        status=409,
    )


def _to_dataset(dataset: Dataset) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("staff_opendata:dataset", kwargs={"name": dataset.name}))


# --- my datasets ---------------------------------------------------------------------------


@publisher_perm
def index(request):
    state = request.GET.get("state", "")
    if state not in DatasetState.values:
        state = ""
    publishers = selectors.my_publishers(hromada=request.hromada, user=request.user)
    return render(
        request,
        "opendata/staff/index.html",
        {
            "datasets": selectors.staff_datasets(hromada=request.hromada, user=request.user, state=state)[
                :200
            ],
            "stale": selectors.stale_datasets(hromada=request.hromada, user=request.user),
            "publishers": publishers,
            "state": state,
            "states": DatasetState.choices,
            "can_manage": services.can_manage(request.user, request.hromada),
        },
    )


def _own_publishers(request):
    """The publishers a new dataset may belong to: not the platform, whose datasets only
    the platform makes (services.platform)."""
    return selectors.my_publishers(hromada=request.hromada, user=request.user).exclude(kind="platform")


def _dataset_form(request, data=None, *, editing=None, initial=None):
    return DatasetForm(
        data,
        publishers=_own_publishers(request),
        groups=selectors.group_list(hromada=request.hromada),
        editing=editing,
        initial=initial,
    )


@publisher_perm
@require_http_methods(["GET", "POST"])
def dataset_new(request):
    publishers = _own_publishers(request)
    if not publishers.exists():
        # Not a refusal but a state: the page says what to do before a dataset can be made.
        return render(
            request,
            "opendata/staff/forbidden.html",
            {
                "heading": _("Новий набір даних"),
                "message": _("Ви ще не редактор жодного розпорядника: попросіть адміністратора додати вас."),
            },
        )
    form = _dataset_form(
        request, request.POST or None, initial={"license_id": selectors.default_license(request.hromada)}
    )
    if request.method == "POST" and form.is_valid():
        publisher = publishers.get(name=form.cleaned_data["publisher"])  # a choice of `publishers`
        try:
            dataset = services.dataset_create(
                request.hromada, request.user, publisher, **form.service_fields()
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Чернетку набору створено. Додайте ресурси й оприлюдніть її."))
            return _to_dataset(dataset)
    return render(
        request, "opendata/staff/dataset_form.html", {"form": form}, status=400 if form.errors else 200
    )


@publisher_perm
@require_http_methods(["GET", "POST"])
def dataset_edit(request, name: str):
    dataset = _editable_dataset(request, name)
    if dataset is None:
        return _not_found(request)
    if request.method == "POST":
        # The initial values stand in for the disabled fields (a published dataset's address).
        form = _dataset_form(request, request.POST, editing=dataset, initial=DatasetForm.initial_of(dataset))
        if form.is_valid():
            try:
                dataset = services.dataset_update(dataset, request.user, **form.service_fields())
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("Зміни збережено."))
                return _to_dataset(dataset)
    else:
        form = _dataset_form(request, editing=dataset, initial=DatasetForm.initial_of(dataset))
    return render(
        request,
        "opendata/staff/dataset.html",
        {
            "dataset": dataset,
            "form": form,
            "resources": selectors.dataset_resources(dataset, withdrawn=True),
            "withdraw_form": WithdrawForm(),
        },
        status=400 if form.errors else 200,
    )


@publisher_perm
@require_POST
def dataset_publish(request, name: str):
    dataset = _editable_dataset(request, name)
    if dataset is None:
        return _not_found(request)
    try:
        services.dataset_publish(dataset, request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Набір оприлюднено."))
    return _to_dataset(dataset)


@publisher_perm
@require_http_methods(["GET", "POST"])
def dataset_withdraw(request, name: str):
    dataset = _editable_dataset(request, name)
    if dataset is None:
        return _not_found(request)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dataset_withdraw(dataset, request.user, form.cleaned_data["reason"])
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Набір знято з оприлюднення."))
            return _to_dataset(dataset)
    return render(
        request,
        "opendata/staff/withdraw.html",
        {"dataset": dataset, "form": form},
        status=400 if form.errors else 200,
    )


# --- resources -----------------------------------------------------------------------------


@publisher_perm
@require_http_methods(["GET", "POST"])
def resource_new(request, name: str):
    dataset = _editable_dataset(request, name)
    if dataset is None:
        return _not_found(request)
    refused = _platform_refused(request, dataset)
    if refused is not None:
        return refused
    form = ResourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.resource_create(
                dataset,
                request.user,
                name=data["name"],
                upload=data["upload"],
                url=data["url"],
                format=data["format"],
                description=data["description"],
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Ресурс додано."))
            return _to_dataset(dataset)
    return render(
        request,
        "opendata/staff/resource_form.html",
        {"dataset": dataset, "form": form},
        status=400 if form.errors else 200,
    )


@publisher_perm
@require_http_methods(["GET", "POST"])
def version_new(request, name: str, rid):
    dataset = _editable_dataset(request, name)
    if dataset is None:
        return _not_found(request)
    refused = _platform_refused(request, dataset)
    if refused is not None:
        return refused
    try:
        resource = selectors.resource_get(dataset=dataset, resource_id=rid)
    except NotFound:
        return _not_found(request)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.resource_upload_version(
                resource, request.user, form.cleaned_data["upload"], note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Версію %(n)d завантажено.") % {"n": version.number})
            return _to_dataset(dataset)
    return render(
        request,
        "opendata/staff/version_form.html",
        {
            "dataset": dataset,
            "resource": resource,
            "versions": selectors.resource_versions(resource),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- the platform's own datasets (services.platform) -------------------------------------


@manage_perm
@require_POST
def platform_sync_now(request):
    """Regenerate the platform's datasets now rather than at the next periodic run."""
    report = services.platform_sync(request.hromada)
    messages.success(
        request,
        _(
            "Дані платформи оновлено: нових наборів — %(created)d, з новими версіями — %(updated)d, "
            "без змін — %(unchanged)d, знято з оприлюднення — %(withdrawn)d."
        )
        % {
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
            "withdrawn": len(report.withdrawn),
        },
    )
    if report.failed:
        messages.warning(
            request,
            _("Не вдалося оновити: %(names)s. Їхні попередні версії лишаються оприлюдненими.")
            % {"names": ", ".join(sorted(report.failed))},
        )
    return HttpResponseRedirect(reverse("staff_opendata:index"))


# --- publishers and groups (the open data administrator) -----------------------------------


@manage_perm
@require_http_methods(["GET", "POST"])
def publisher_list(request):
    form = PublisherForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            publisher = services.publisher_create(request.hromada, request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(
                request, _("Розпорядника «%(t)s» створено. Додайте йому редакторів.") % {"t": publisher.title}
            )
            return HttpResponseRedirect(reverse("staff_opendata:publisher", kwargs={"name": publisher.name}))
    return render(
        request,
        "opendata/staff/publishers.html",
        {"publishers": Publisher.objects.for_hromada(request.hromada).order_by("title"), "form": form},
        status=400 if form.errors else 200,
    )


def _staff_people(hromada):
    seen, people = set(), []
    for role in staff_role_list(hromada=hromada).select_related("user"):
        if role.user_id not in seen:
            seen.add(role.user_id)
            people.append(role.user)
    return people


@manage_perm
@require_http_methods(["GET", "POST"])
def publisher_detail(request, name: str):
    publisher = Publisher.objects.for_hromada(request.hromada).filter(name=name).first()
    if publisher is None:
        return _not_found(request)
    people = _staff_people(request.hromada)
    form = MemberForm(request.POST or None, people=people)
    if request.method == "POST":
        by_id = {str(u.pk): u for u in people}
        if "remove" in request.POST:
            user = by_id.get(request.POST.get("remove", ""))
            if user is not None:
                services.publisher_member_remove(publisher, request.user, user)
                messages.success(request, _("Редактора прибрано."))
            return HttpResponseRedirect(request.path)
        if form.is_valid():
            try:
                services.publisher_member_add(
                    publisher, request.user, by_id[form.cleaned_data["user"]], role=form.cleaned_data["role"]
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("Редактора додано."))
                return HttpResponseRedirect(request.path)
    members = (
        PublisherMember.objects.for_hromada(request.hromada)
        .filter(publisher=publisher)
        .select_related("user")
    )
    return render(
        request,
        "opendata/staff/publisher.html",
        {"publisher": publisher, "members": members, "form": form},
        status=400 if form.errors else 200,
    )


@manage_perm
@require_http_methods(["GET", "POST"])
def group_list(request):
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_create(request.hromada, request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Тему створено."))
            return HttpResponseRedirect(request.path)
    return render(
        request,
        "opendata/staff/groups.html",
        {"groups": Group.objects.for_hromada(request.hromada).order_by("title"), "form": form},
        status=400 if form.errors else 200,
    )
