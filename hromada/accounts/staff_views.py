"""The staff console of request.hromada: dashboard, departments, roles and
in-person identity verification. Everything is scoped to the current hromada;
another hromada's staff are simply not staff here."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hromada.core.errors import DomainError

from . import rules, selectors, services
from .forms import DepartmentForm, InPersonVerificationForm, StaffRoleForm
from .models import Role


def staff_only(predicate=rules.is_staff_member):
    """Anonymous people are sent to log in; anyone else failing `predicate` for
    request.hromada gets the 403 page."""

    def decorator(view):
        @wraps(view)
        @never_cache
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not predicate(request.user, request.hromada):
                return render(request, "accounts/staff/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _nav(request) -> dict:
    user, hromada = request.user, request.hromada
    return {
        "can_manage_staff": rules.can_manage_staff(user, hromada),
        "can_verify_in_person": rules.can_verify_in_person(user, hromada),
    }


def _confirm(request, *, title, what_happens, button, back):
    """A destructive action asks first and says what will happen (core/confirm.html): the
    same POST again with confirm=1."""
    context = {
        **_nav(request),
        "title": title,
        "what_happens": what_happens,
        "action_url": request.path,
        "fields": [],
        "button": button,
        "danger": True,
        "back": back,
    }
    return render(request, "core/confirm.html", context)


def _apply(form, exc: DomainError) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, str(exc.message))
    else:
        form.add_error(None, str(exc.message))


@staff_only()
def index(request):
    hromada, user = request.hromada, request.user
    context = {
        **_nav(request),
        "my_roles": selectors.staff_roles_of(user=user, hromada=hromada),
        "sections": selectors.staff_sections_for(user=user, hromada=hromada),
        "summaries": selectors.staff_summary_for(user=user, hromada=hromada),
    }
    return render(request, "accounts/staff/index.html", context)


# --- departments -----------------------------------------------------------------------------------


def _departments_page(request, *, form=None, status=200):
    hromada = request.hromada
    context = {
        **_nav(request),
        "departments": selectors.department_list(hromada=hromada),
        "form": form or DepartmentForm(),
    }
    return render(request, "accounts/staff/departments.html", context, status=status)


@staff_only()
@require_http_methods(["GET", "POST"])
def departments(request):
    if request.method == "GET":
        return _departments_page(request)
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            department = services.department_create(
                actor=request.user, hromada=request.hromada, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            if exc.status == 403:
                return render(request, "accounts/staff/forbidden.html", status=403)
            _apply(form, exc)
        else:
            messages.success(request, _("Підрозділ «%(name)s» створено.") % {"name": department.name})
            return redirect("staff:departments")
    return _departments_page(request, form=form, status=400)


@staff_only(rules.can_manage_staff)
@require_POST
def department_rename(request, public_id):
    department = selectors.department_get(hromada=request.hromada, public_id=public_id)
    if department is None:
        raise Http404
    form = DepartmentForm(request.POST)
    if form.is_valid():
        try:
            services.department_rename(
                actor=request.user, department=department, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Підрозділ перейменовано."))
    else:
        messages.error(request, _("Вкажіть нову назву підрозділу (до 200 символів)."))
    return redirect("staff:departments")


@staff_only(rules.can_manage_staff)
@require_POST
def department_delete(request, public_id):
    department = selectors.department_get(hromada=request.hromada, public_id=public_id)
    if department is None:
        raise Http404
    if request.POST.get("confirm") != "1":
        return _confirm(
            request,
            title=_("Видалити підрозділ «%(name)s»?") % {"name": department.name},
            what_happens=_(
                "Підрозділ зникне з переліку. Видалити можна лише підрозділ, у якому немає "
                "працівників і за яким не закріплено справ; інакше ми скажемо, що заважає."
            ),
            button=_("Так, видалити підрозділ"),
            back=reverse("staff:departments"),
        )
    try:
        services.department_delete(actor=request.user, department=department)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Підрозділ видалено."))
    return redirect("staff:departments")


# --- roles -----------------------------------------------------------------------------------------


def _roles_page(request, *, form=None, status=200):
    hromada = request.hromada
    departments = selectors.department_list(hromada=hromada)
    context = {
        **_nav(request),
        "roles": selectors.staff_role_list(hromada=hromada),
        "form": form or StaffRoleForm(departments=departments),
        "role_choices": Role.choices,
    }
    return render(request, "accounts/staff/roles.html", context, status=status)


@staff_only(rules.can_manage_staff)
@require_http_methods(["GET", "POST"])
def roles(request):
    if request.method == "GET":
        return _roles_page(request)
    hromada = request.hromada
    form = StaffRoleForm(request.POST, departments=selectors.department_list(hromada=hromada))
    if form.is_valid():
        data = form.cleaned_data
        user = selectors.user_get_by_email(email=data["email"])
        department = None
        if data.get("department"):
            department = selectors.department_get(hromada=hromada, public_id=data["department"])
        if user is None:
            form.add_error(
                "email", _("Користувача з такою адресою немає. Людина має спершу зареєструватися на сайті.")
            )
        else:
            try:
                services.staff_role_grant(
                    actor=request.user,
                    hromada=hromada,
                    user=user,
                    role=data["role"],
                    department=department,
                    position=data.get("position", ""),
                    is_head=data.get("is_head", False),
                )
            except DomainError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request,
                    _("Роль «%(role)s» надано: %(email)s.")
                    % {"role": Role(data["role"]).label, "email": user.email},
                )
                return redirect("staff:roles")
    return _roles_page(request, form=form, status=400)


@staff_only(rules.can_manage_staff)
@require_POST
def role_revoke(request, pk):
    staff_role = selectors.staff_role_get(hromada=request.hromada, pk=pk)
    if staff_role is None:
        raise Http404
    if request.POST.get("confirm") != "1":
        return _confirm(
            request,
            title=_("Відкликати роль «%(role)s» у %(email)s?")
            % {"role": staff_role.get_role_display(), "email": staff_role.user.email},
            what_happens=_(
                "Людина одразу втратить доступ до розділів кабінету, які дає ця роль. Відкликання "
                "записується до публічного журналу; роль можна надати знову."
            ),
            button=_("Так, відкликати роль"),
            back=reverse("staff:roles"),
        )
    try:
        services.staff_role_revoke(actor=request.user, staff_role=staff_role)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Роль «%(role)s» відкликано: %(email)s.")
            % {"role": staff_role.get_role_display(), "email": staff_role.user.email},
        )
    return redirect("staff:roles")


# --- in-person verification ------------------------------------------------------------------------


@staff_only(rules.can_verify_in_person)
@require_http_methods(["GET", "POST"])
def verify_in_person(request):
    form = InPersonVerificationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = selectors.user_get_by_email(email=form.cleaned_data["email"])
        if user is None:
            form.add_error(
                "email",
                _("Користувача з такою адресою немає. Попросіть мешканця спершу зареєструватися на сайті."),
            )
        else:
            try:
                identity = services.identity_verify_in_person(
                    officer=request.user,
                    hromada=request.hromada,
                    user=user,
                    person=form.person(),
                    document_type=form.cleaned_data["document_type"],
                )
            except DomainError as exc:
                _apply(form, exc)
            else:
                messages.success(
                    request,
                    _("Особу підтверджено: %(name)s (%(email)s).")
                    % {"name": identity.full_name, "email": user.email},
                )
                return redirect("staff:verify_in_person")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "accounts/staff/verify_in_person.html", {**_nav(request), "form": form}, status=status
    )
