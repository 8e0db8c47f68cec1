"""Staff pages of the setup part: the administrator's configuration (categories and
their Open311 attributes, departments with their people, answer templates, Open311
keys) and the moderation of problem reports' text and photos. Thin: the services
decide and report every problem at once; the forms keep what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hromada.core.errors import DomainError

from . import moderation_selectors as msel
from . import setup_selectors as sel
from .forms_setup import (
    ApiKeyForm,
    AttributeForm,
    CategoryForm,
    DecisionForm,
    DepartmentForm,
    RedactForm,
    TemplateForm,
    apply_errors,
)
from .models import AttributeType, CaseKind, Moderation
from .services import moderation as mod
from .services import open311_keys
from .services import setup as svc
from .services.cases import settings_of
from .staff_common import staff_perm

MANAGE = "appeals.manage"
MODERATE = "appeals.moderate"


def _render(request, template: str, context: dict, form=None):
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


def _nav(active: str) -> list[dict]:
    items = [
        ("overview", _("Огляд"), "staff_appeals:setup"),
        ("categories", _("Категорії"), "staff_appeals:setup_categories"),
        ("departments", _("Підрозділи й підприємства"), "staff_appeals:setup_departments"),
        ("templates", _("Шаблони відповідей"), "staff_appeals:setup_templates"),
        ("keys", _("Ключі Open311"), "staff_appeals:setup_keys"),
    ]
    return [{"label": label, "url": reverse(name), "current": key == active} for key, label, name in items]


def _run(request, call, done: str) -> bool:
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    messages.success(request, done)
    return True


# --- overview -------------------------------------------------------------------------------


@staff_perm(MANAGE)
def setup(request):
    hromada = request.hromada
    return render(
        request,
        "appeals/staff/setup.html",
        {
            "nav": _nav("overview"),
            "overview": sel.setup_overview(hromada=hromada),
            "rules": settings_of(hromada),
            "settings_url": reverse("staff_settings:module", args=["appeals"]),
        },
    )


# --- categories -----------------------------------------------------------------------------


def _category(request, public_id):
    category = sel.category_get(hromada=request.hromada, public_id=public_id)
    if category is None:
        raise Http404
    return category


@staff_perm(MANAGE)
def categories(request):
    rows = list(sel.category_list(hromada=request.hromada))
    groups = [
        {"kind": value, "name": label, "rows": [c for c in rows if c.kind == value]}
        for value, label in sorted(CaseKind.choices, key=lambda c: c[0] != CaseKind.REPORT)
    ]
    return render(
        request,
        "appeals/staff/setup_categories.html",
        {
            "nav": _nav("categories"),
            "groups": groups,
            "default_hours": settings_of(request.hromada).report_default_hours,
        },
    )


@staff_perm(MANAGE)
@require_http_methods(["GET", "POST"])
def category_form(request, public_id=None):
    hromada = request.hromada
    category = _category(request, public_id) if public_id else None
    initial = (
        CategoryForm.initial_of(category) if category else {"kind": request.GET.get("kind", CaseKind.REPORT)}
    )
    form = CategoryForm(
        request.POST or None, departments=sel.department_list(hromada=hromada, active=True), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.category_save(hromada=hromada, actor=request.user, category=category, **form.values())
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Категорію «%(name)s» збережено.") % {"name": saved.name})
            return redirect("staff_appeals:setup_categories")
    return _render(
        request,
        "appeals/staff/setup_category_form.html",
        {"nav": _nav("categories"), "form": form, "category": category},
        form,
    )


@staff_perm(MANAGE)
@require_POST
def category_active(request, public_id):
    category = _category(request, public_id)
    active = request.POST.get("active") == "1"
    _run(
        request,
        lambda: svc.category_set_active(category=category, actor=request.user, active=active),
        _("Категорію ввімкнено.") if active else _("Категорію вимкнено: нові звернення її не обиратимуть."),
    )
    return redirect("staff_appeals:setup_categories")


@staff_perm(MANAGE)
@require_http_methods(["GET", "POST"])
def attributes(request, public_id, pk=None):
    """A category's extra questions: the list, and the form to add one (or change `pk`)."""
    category = _category(request, public_id)
    attribute = None
    if pk is not None:
        attribute = sel.attribute_get(category=category, pk=pk)
        if attribute is None:
            raise Http404
    initial = AttributeForm.initial_of(attribute) if attribute else {"datatype": AttributeType.STRING}
    form = AttributeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.attribute_save(
                category=category,
                actor=request.user,
                attribute=attribute,
                code=data["code"],
                description=data["description"],
                datatype=data["datatype"],
                required=data["required"],
                values=form.values_list(),
                order=data["order"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Питання збережено."))
            return redirect("staff_appeals:setup_attributes", public_id=category.public_id)
    return _render(
        request,
        "appeals/staff/setup_attributes.html",
        {
            "nav": _nav("categories"),
            "category": category,
            "attributes": sel.attribute_list(category=category),
            "attribute": attribute,
            "form": form,
            "list_types": [AttributeType.SINGLE, AttributeType.MULTI],
        },
        form,
    )


@staff_perm(MANAGE)
@require_POST
def attribute_delete(request, public_id, pk):
    category = _category(request, public_id)
    attribute = sel.attribute_get(category=category, pk=pk)
    if attribute is None:
        raise Http404
    _run(
        request,
        lambda: svc.attribute_delete(attribute=attribute, actor=request.user),
        _("Питання вилучено (відповіді в поданих зверненнях збережено)."),
    )
    return redirect("staff_appeals:setup_attributes", public_id=category.public_id)


# --- departments ----------------------------------------------------------------------------


def _department(request, public_id):
    department = sel.department_get(hromada=request.hromada, public_id=public_id)
    if department is None:
        raise Http404
    return department


@staff_perm(MANAGE)
def departments(request):
    return render(
        request,
        "appeals/staff/setup_departments.html",
        {"nav": _nav("departments"), "departments": sel.department_list(hromada=request.hromada)},
    )


@staff_perm(MANAGE)
@require_http_methods(["GET", "POST"])
def department_form(request, public_id=None):
    hromada = request.hromada
    department = _department(request, public_id) if public_id else None
    members = sel.department_members(department=department) if department else []
    initial = (
        DepartmentForm.initial_of(department, members)
        if department
        else {"kind": request.GET.get("kind", "department")}
    )
    form = DepartmentForm(
        request.POST or None,
        staff=svc.staff_of(hromada),
        areas=sel.okrugs_and_districts(hromada=hromada),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = svc.department_save(
                hromada=hromada, actor=request.user, department=department, **form.values()
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("«%(name)s» збережено.") % {"name": saved.name})
            return redirect("staff_appeals:setup_departments")
    return _render(
        request,
        "appeals/staff/setup_department_form.html",
        {"nav": _nav("departments"), "form": form, "department": department, "has_staff": bool(form.staff)},
        form,
    )


@staff_perm(MANAGE)
@require_POST
def department_active(request, public_id):
    department = _department(request, public_id)
    active = request.POST.get("active") == "1"
    _run(
        request,
        lambda: svc.department_set_active(department=department, actor=request.user, active=active),
        _("Підрозділ увімкнено.") if active else _("Підрозділ вимкнено."),
    )
    return redirect("staff_appeals:setup_departments")


# --- answer templates -----------------------------------------------------------------------


def _template(request, pk):
    template = sel.template_get(hromada=request.hromada, pk=pk)
    if template is None:
        raise Http404
    return template


@staff_perm(MANAGE)
def templates(request):
    return render(
        request,
        "appeals/staff/setup_templates.html",
        {"nav": _nav("templates"), "templates": sel.template_list(hromada=request.hromada)},
    )


@staff_perm(MANAGE)
@require_http_methods(["GET", "POST"])
def template_form(request, pk=None):
    hromada = request.hromada
    template = _template(request, pk) if pk else None
    form = TemplateForm(
        request.POST or None,
        departments=sel.department_list(hromada=hromada, active=True),
        initial=TemplateForm.initial_of(template) if template else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.template_save(hromada=hromada, actor=request.user, template=template, **form.values())
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Шаблон збережено."))
            return redirect("staff_appeals:setup_templates")
    return _render(
        request,
        "appeals/staff/setup_template_form.html",
        {"nav": _nav("templates"), "form": form, "template": template},
        form,
    )


@staff_perm(MANAGE)
@require_POST
def template_delete(request, pk):
    template = _template(request, pk)
    _run(request, lambda: svc.template_delete(template=template, actor=request.user), _("Шаблон вилучено."))
    return redirect("staff_appeals:setup_templates")


# --- Open311 keys ---------------------------------------------------------------------------


@staff_perm(MANAGE)
@require_http_methods(["GET", "POST"])
def keys(request):
    hromada = request.hromada
    form = ApiKeyForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            client, key = open311_keys.api_key_issue(
                hromada=hromada, actor=request.user, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            # Shown on this answer only (the page is never cached): not kept anywhere.
            issued = {"client": client, "key": key}
            form = ApiKeyForm()
    return _render(
        request,
        "appeals/staff/setup_keys.html",
        {
            "nav": _nav("keys"),
            "form": form,
            "issued": issued,
            "clients": sel.api_client_list(hromada=hromada),
            "jurisdiction": hromada.slug,
        },
        form,
    )


@staff_perm(MANAGE)
@require_POST
def key_revoke(request, pk):
    client = sel.api_client_get(hromada=request.hromada, pk=pk)
    if client is None:
        raise Http404
    _run(
        request,
        lambda: open311_keys.api_key_revoke(client=client, actor=request.user),
        _("Ключ «%(name)s» відкликано: він більше не діє.") % {"name": client.name},
    )
    return redirect("staff_appeals:setup_keys")


# --- moderation -----------------------------------------------------------------------------


def _report(request, public_id):
    case = msel.moderation_case(hromada=request.hromada, public_id=public_id)
    if case is None:
        raise Http404
    return case


@staff_perm(MODERATE)
def moderation(request):
    view = request.GET.get("view", "pending")
    if view not in msel.VIEWS:
        view = "pending"
    hromada = request.hromada
    return render(
        request,
        "appeals/staff/moderation.html",
        {
            "view": view,
            "views": [
                ("pending", _("Очікують"), msel.pending_count(hromada=hromada)),
                ("hidden", _("Приховані"), None),
                ("shown", _("Показані"), None),
            ],
            "cases": msel.moderation_queue(hromada=hromada, view=view)[:50],
        },
    )


@staff_perm(MODERATE)
def moderation_case(
    request, public_id, *, decision_form=None, redact_form=None, photo_error=None, status=200
):
    case = _report(request, public_id)
    return render(
        request,
        "appeals/staff/moderation_case.html",
        {
            "case": case,
            "decision_form": decision_form or DecisionForm(),
            "redact_form": redact_form or RedactForm(initial={"title": case.title, "text": case.text}),
            "photo_error": photo_error or {},
            "redactions": msel.redactions(case=case),
            "Moderation": Moderation,
        },
        status=status,
    )


def _back(request, case) -> str:
    if request.POST.get("next") == "queue":
        return reverse("staff_appeals:moderation")
    return reverse("staff_appeals:moderation_case", args=[case.public_id])


@staff_perm(MODERATE)
@require_POST
def moderation_text(request, public_id):
    case = _report(request, public_id)
    form = DecisionForm(request.POST)
    form.is_valid()
    decision = request.POST.get("decision", "")
    try:
        mod.case_moderate(
            case=case,
            actor=request.user,
            decision=decision,
            reason=form.cleaned_data.get("reason", ""),
            photos=request.POST.get("photos") == "1",
        )
    except DomainError as exc:
        apply_errors(form, exc)
        return moderation_case(request, public_id, decision_form=form, status=400)
    done = (
        _("Повідомлення №%(n)s показано.")
        if decision == Moderation.SHOWN
        else _("Повідомлення №%(n)s приховано.")
    )
    messages.success(request, done % {"n": case.number})
    return redirect(_back(request, case))


@staff_perm(MODERATE)
@require_POST
def moderation_photo_decide(request, public_id, pk):
    case = _report(request, public_id)
    photo = msel.photo_get(hromada=request.hromada, case=case, pk=pk)
    if photo is None:
        raise Http404
    decision = request.POST.get("decision", "")
    try:
        mod.attachment_moderate(
            attachment=photo, actor=request.user, decision=decision, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        return moderation_case(
            request,
            public_id,
            photo_error={
                "pk": photo.pk,
                "message": str(exc.message),
                "reason": request.POST.get("reason", ""),
            },
            status=400,
        )
    messages.success(request, _("Фото показано.") if decision == Moderation.SHOWN else _("Фото приховано."))
    return redirect(reverse("staff_appeals:moderation_case", args=[case.public_id]) + f"#photo-{photo.pk}")


@staff_perm(MODERATE)
@require_POST
def moderation_redact(request, public_id):
    case = _report(request, public_id)
    form = RedactForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        mod.case_redact(
            case=case,
            actor=request.user,
            title=data.get("title", ""),
            text=data.get("text", ""),
            reason=data.get("reason", ""),
        )
    except DomainError as exc:
        apply_errors(form, exc)
        return moderation_case(request, public_id, redact_form=form, status=400)
    messages.success(request, _("Текст виправлено; оригінал збережено в історії для працівників."))
    return redirect("staff_appeals:moderation_case", public_id=case.public_id)


@staff_perm(MODERATE)
def moderation_photo(request, public_id, pk):
    """A report's photo for the moderator, whatever its state (never a public URL)."""
    case = _report(request, public_id)
    photo = msel.photo_get(hromada=request.hromada, case=case, pk=pk)
    if photo is None or not photo.is_image:
        raise Http404
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
