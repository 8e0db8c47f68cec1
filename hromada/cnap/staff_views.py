"""The staff console, /staff/cnap/: the catalogue (services, documents, categories,
life situations) and the offices (workplaces, weekly hours, exceptions). Thin: the
services decide and report every problem at once; the forms keep what was typed."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError

from . import rules
from . import selectors as sel
from .forms import (
    STATUS_CHOICES,
    DocumentFormForm,
    ExceptionForm,
    OfficeForm,
    ServiceForm,
    TaxonomyForm,
    WeekForm,
    WorkplaceForm,
    apply_errors,
)
from .models import (
    LifeSituation,
    ScheduleException,
    ServiceCategory,
    ServiceDocument,
    ServiceStatus,
    Workplace,
)
from .services import catalogue as cat
from .services import offices as off


def manager(view):
    @wraps(view)
    @never_cache
    @login_required
    def wrapper(request, *args, **kwargs):
        if not rules.can_manage(request.user, request.hromada):
            return render(request, "cnap/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _nav(active: str) -> list[dict]:
    items = [
        ("index", _("Огляд"), "staff_cnap:index"),
        ("services", _("Послуги"), "staff_cnap:services"),
        ("taxonomy", _("Категорії й життєві ситуації"), "staff_cnap:taxonomy"),
        ("offices", _("Офіси"), "staff_cnap:offices"),
    ]
    return [{"label": label, "url": reverse(name), "current": key == active} for key, label, name in items]


def _page(request, template: str, context: dict, *forms_):
    bad = any(f is not None and f.is_bound and f.errors for f in forms_)
    return render(request, template, context, status=400 if bad else 200)


def _run(request, call, done: str) -> bool:
    try:
        call()
    except DomainError as exc:
        for error in getattr(exc, "errors", [exc]):
            messages.error(request, str(error.message))
        return False
    messages.success(request, done)
    return True


@manager
def index(request):
    hromada = request.hromada
    services = sel.service_list(hromada=hromada)
    return render(
        request,
        "cnap/staff/index.html",
        {
            "nav": _nav("index"),
            "counts": {
                "published": services.filter(status=ServiceStatus.PUBLISHED).count(),
                "draft": services.filter(status=ServiceStatus.DRAFT).count(),
                "archived": services.filter(status=ServiceStatus.ARCHIVED).count(),
                "offices": sel.office_list(hromada=hromada, active_only=False).count(),
            },
            "settings_url": reverse("staff_settings:module", args=["cnap"]),
        },
    )


# --- services -------------------------------------------------------------------------------


def _service(request, public_id):
    found = sel.service_get(hromada=request.hromada, public_id=public_id, published_only=False)
    if found is None:
        raise Http404
    return found


@manager
def services(request):
    status = request.GET.get("status") or ""
    if status not in ServiceStatus.values:
        status = ""
    q = (request.GET.get("q") or "")[:200]
    rows = sel.service_list(hromada=request.hromada, status=status, q=q)
    return render(
        request,
        "cnap/staff/services.html",
        {"nav": _nav("services"), "rows": rows, "status": status, "q": q, "statuses": STATUS_CHOICES},
    )


@manager
@require_http_methods(["GET", "POST"])
def service_form(request, public_id=None):
    hromada = request.hromada
    service = _service(request, public_id) if public_id else None
    initial = (
        ServiceForm.initial_of(service)
        if service
        else {"fee_kind": "free", "in_person": True, "booking_allowed": True, "visit_units": 1}
    )
    form = ServiceForm(
        request.POST or None,
        initial=initial,
        categories=sel.category_list(hromada=hromada, published_only=False),
        situations=sel.situation_list(hromada=hromada, published_only=False),
    )
    if request.method == "POST" and form.is_valid():
        values, situations = form.values()
        try:
            if service is None:
                saved = cat.service_create(hromada, request.user, life_situations=situations, **values)
            else:
                saved = cat.service_update(service, request.user, life_situations=situations, **values)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Послугу «%(t)s» збережено.") % {"t": saved.title})
            return redirect("staff_cnap:service", public_id=saved.public_id)
    return _page(
        request,
        "cnap/staff/service_form.html",
        {"nav": _nav("services"), "form": form, "service": service},
        form,
    )


@manager
@require_http_methods(["GET", "POST"])
def service(request, public_id):
    """A service's summary, its state buttons and its documents (list and add/edit form)."""
    found = _service(request, public_id)
    raw = request.POST.get("document") or request.GET.get("document") or ""
    document = ServiceDocument.objects.filter(service=found, pk=raw).first() if raw.isdigit() else None
    initial = (
        {
            "title": document.title,
            "form": document.form,
            "required": document.required,
            "note": document.note,
            "order": document.order,
        }
        if document
        else {"required": True, "form": "original"}
    )
    form = DocumentFormForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cat.document_save(
                found,
                request.user,
                document=document,
                title=data["title"],
                required=data["required"],
                form=data["form"] or "original",
                note=data["note"],
                order=data["order"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Документ збережено."))
            return redirect("staff_cnap:service", public_id=found.public_id)
    return _page(
        request,
        "cnap/staff/service.html",
        {
            "nav": _nav("services"),
            "service": found,
            "documents": list(found.documents.all()),
            "document": document,
            "form": form,
            "offices": sel.service_offices(service=found),
        },
        form,
    )


@manager
@require_POST
def document_delete(request, public_id, pk):
    found = _service(request, public_id)
    document = ServiceDocument.objects.filter(service=found, pk=pk).first()
    if document is None:
        raise Http404
    _run(request, lambda: cat.document_delete(document, request.user), _("Документ вилучено зі списку."))
    return redirect("staff_cnap:service", public_id=found.public_id)


@manager
@require_POST
def service_state(request, public_id):
    found = _service(request, public_id)
    action = request.POST.get("action")
    if action == "publish":
        _run(request, lambda: cat.service_publish(found, request.user), _("Послугу оприлюднено в каталозі."))
    elif action == "archive":
        _run(
            request,
            lambda: cat.service_archive(found, request.user),
            _("Послугу перенесено в архів: мешканці її більше не бачать."),
        )
    else:
        messages.error(request, _("Невідома дія."))
    return redirect("staff_cnap:service", public_id=found.public_id)


# --- categories and life situations ---------------------------------------------------------


@manager
@require_http_methods(["GET", "POST"])
def taxonomy(request):
    hromada = request.hromada
    kind = "situation" if (request.POST.get("kind") or request.GET.get("kind")) == "situation" else "category"
    model = LifeSituation if kind == "situation" else ServiceCategory
    edit_id = request.POST.get("id") or request.GET.get("edit") or ""
    row = model.objects.for_hromada(hromada).filter(pk=edit_id).first() if edit_id.isdigit() else None
    forms_ = {}
    for k in ("category", "situation"):
        bound = request.POST if request.method == "POST" and k == kind else None
        current = row if k == kind else None
        initial = (
            {
                "code": current.code,
                "name": current.name,
                "description": current.description,
                "order": current.order,
            }
            if current
            else {"order": 0}
        )
        forms_[k] = TaxonomyForm(bound, initial=initial, prefix=k)
    form = forms_[kind]
    if request.method == "POST" and request.POST.get("delete") and row is not None:
        _run(request, lambda: cat.taxonomy_delete(row, request.user), _("Вилучено."))
        return redirect("staff_cnap:taxonomy")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        save = cat.situation_save if model is LifeSituation else cat.category_save
        key = "situation" if model is LifeSituation else "category"
        try:
            save(
                hromada,
                request.user,
                **{key: row},
                code=data["code"],
                name=data["name"],
                description=data["description"],
                order=data["order"] or 0,
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Збережено."))
            return redirect("staff_cnap:taxonomy")
    return _page(
        request,
        "cnap/staff/taxonomy.html",
        {
            "nav": _nav("taxonomy"),
            "categories": sel.category_list(hromada=hromada),
            "situations": sel.situation_list(hromada=hromada),
            "category_form": forms_["category"],
            "situation_form": forms_["situation"],
            "editing": row,
            "kind": kind,
        },
        form,
    )


# --- offices --------------------------------------------------------------------------------


def _office(request, public_id):
    found = sel.office_by_id(hromada=request.hromada, public_id=public_id)
    if found is None:
        raise Http404
    return found


@manager
def offices(request):
    today = timezone.now().astimezone(KYIV).date()
    rows = [
        {"office": o, "today": sel.office_hours(o, today), "workplaces": o.workplaces.count()}
        for o in sel.office_list(hromada=request.hromada, active_only=False)
    ]
    return render(request, "cnap/staff/offices.html", {"nav": _nav("offices"), "rows": rows})


@manager
@require_http_methods(["GET", "POST"])
def office_form(request, public_id=None):
    hromada = request.hromada
    office = _office(request, public_id) if public_id else None
    okrugs = sel.okrug_choices(hromada=hromada)
    form = OfficeForm(
        request.POST or None,
        initial=OfficeForm.initial_of(office) if office else {"kind": "centre", "active": True, "order": 0},
        okrugs=okrugs,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["kind"] = data.get("kind") or "centre"
        try:
            saved = off.office_save(hromada, request.user, office=office, **data)
            if office is None:
                off.week_set(saved, request.user, off.default_week())
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Офіс «%(n)s» збережено.") % {"n": saved.name})
            return redirect("staff_cnap:office", public_id=saved.public_id)
    return _page(
        request, "cnap/staff/office_form.html", {"nav": _nav("offices"), "form": form, "office": office}, form
    )


@manager
@require_http_methods(["GET", "POST"])
def office(request, public_id):
    """An office: its workplaces, its week (form) and its exceptions (list and form)."""
    found = _office(request, public_id)
    workplaces = list(sel.workplace_list(office=found))
    week = WeekForm(
        request.POST if request.POST.get("form") == "week" else None,
        initial=WeekForm.initial_of(sel.weekly_rows(office=found)),
    )
    exc_form = ExceptionForm(
        request.POST if request.POST.get("form") == "exception" else None,
        workplaces=workplaces,
        initial={"closed": "1"},
    )
    if request.method == "POST" and week.is_bound and week.is_valid():
        try:
            off.week_set(found, request.user, week.days())
        except DomainError as exc:
            apply_errors(week, exc)
        else:
            messages.success(request, _("Тижневий графік збережено."))
            return redirect("staff_cnap:office", public_id=found.public_id)
    if request.method == "POST" and exc_form.is_bound and exc_form.is_valid():
        data = exc_form.cleaned_data
        workplace = next((w for w in workplaces if str(w.pk) == data["workplace"]), None)
        try:
            off.exception_add(
                found,
                request.user,
                workplace=workplace,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                closed=data["closed"] != "0",
                opens=data["opens"],
                closes=data["closes"],
                reason=data["reason"],
            )
        except DomainError as exc:
            apply_errors(exc_form, exc)
        else:
            messages.success(request, _("Зміну графіка додано."))
            return redirect("staff_cnap:office", public_id=found.public_id)
    today = timezone.now().astimezone(KYIV).date()
    return _page(
        request,
        "cnap/staff/office.html",
        {
            "nav": _nav("offices"),
            "office": found,
            "okrug": sel.okrug_of(found),
            "workplaces": workplaces,
            "week": week,
            "exception_form": exc_form,
            "exceptions": sel.exception_list(office=found, since=today),
            "days": sel.office_days(found, sel.week_of(today), 14),
            "today": today,
        },
        week,
        exc_form,
    )


@manager
@require_POST
def exception_delete(request, public_id, pk):
    found = _office(request, public_id)
    row = ScheduleException.objects.filter(office=found, hromada=request.hromada, pk=pk).first()
    if row is None:
        raise Http404
    _run(request, lambda: off.exception_remove(row, request.user), _("Зміну графіка скасовано."))
    return redirect("staff_cnap:office", public_id=found.public_id)


@manager
@require_http_methods(["GET", "POST"])
def workplace_form(request, public_id, pk=None):
    found = _office(request, public_id)
    workplace = None
    if pk is not None:
        workplace = Workplace.objects.filter(office=found, hromada=request.hromada, pk=pk).first()
        if workplace is None:
            raise Http404
    initial = (
        {
            "number": workplace.number,
            "name": workplace.name,
            "unit_minutes": workplace.unit_minutes,
            "active": workplace.active,
            "services": [s.code for s in workplace.services.all()],
        }
        if workplace
        else {"active": True, "number": (max((w.number for w in found.workplaces.all()), default=0) + 1)}
    )
    form = WorkplaceForm(
        request.POST or None,
        initial=initial,
        services=sel.service_list(hromada=request.hromada).exclude(status=ServiceStatus.ARCHIVED),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            off.workplace_save(
                found,
                request.user,
                workplace=workplace,
                number=data["number"],
                name=data["name"],
                unit_minutes=data["unit_minutes"],
                services=data["services"],
                active=data["active"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Робоче місце збережено."))
            return redirect("staff_cnap:office", public_id=found.public_id)
    return _page(
        request,
        "cnap/staff/workplace_form.html",
        {"nav": _nav("offices"), "form": form, "office": found, "workplace": workplace},
        form,
    )
