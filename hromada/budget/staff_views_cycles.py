"""Staff console of the cycles, /staff/budget/: the list, a new cycle with its
regulation, phases and categories, and a cycle's page (extend or close a phase, add a
category, the counts and each phase's console)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error
from hromada.tenancy.selectors import module_settings

from . import selectors, staff_selectors
from .forms_staff import CategoryForm, CategoryFormSet, CloseForm, CycleForm, ExtendForm
from .services import cycles as cycle_services
from .services import phases_admin

PHASE_FIELDS = {
    f"phase_{code}": f"{code}_start"
    for code in ("ideas", "support", "review", "ballot", "voting", "results", "implementation")
}


def staff_perm(codename: str):
    """A staff page for holders of `codename` in the request's hromada."""

    def decorator(view):
        @wraps(view)
        @never_cache
        @login_required
        def wrapper(request, *args, **kwargs):
            if not has_perm(request.user, request.hromada, codename):
                return render(request, "budget/staff/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def not_found(request):
    return render(request, "budget/staff/forbidden.html", {"not_found": True}, status=404)


def safe_url(name: str, **kwargs) -> str:
    """Another part's page, or "" while it is not on this branch."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def staff_nav(active: str, user, hromada) -> list[dict]:
    items = [
        ("cycles", _("Цикли"), "staff_budget:cycles", "budget.manage_cycles"),
        ("review", _("Експертиза"), "staff_budget:review_queue", "budget.review"),
        ("paper", _("Паперові бюлетені"), "staff_budget:paper", "budget.enter_paper"),
        (
            "authorisations",
            _("Підтвердження права голосу"),
            "staff_budget:authorisations",
            "budget.authorise",
        ),
        ("codes", _("Шкільні коди"), "staff_budget:codes", "budget.school_codes"),
        ("implementation", _("Реалізація"), "staff_budget:implementation", "budget.report_progress"),
    ]
    out = []
    for key, label, name, perm in items:
        url = safe_url(name)
        if url and has_perm(user, hromada, perm):
            out.append({"key": key, "label": label, "url": url, "current": key == active})
    return out


@staff_perm("budget.manage_cycles")
def cycles(request):
    return render(
        request,
        "budget/staff/cycles.html",
        {
            "rows": staff_selectors.cycle_rows(hromada=request.hromada),
            "nav": staff_nav("cycles", request.user, request.hromada),
        },
    )


def _category_errors(formset, hromada) -> bool:
    """Check each category by the service's rules, so an error lands on its own row."""
    ok = True
    for form in formset.forms:
        if not form.is_valid() or not form.cleaned_data:
            continue
        try:
            cycle_services._check_category(form.spec(), hromada=hromada)
        except DomainError as exc:
            apply_domain_error(None, form, exc)
            ok = False
    return ok


@staff_perm("budget.manage_cycles")
@require_http_methods(["GET", "POST"])
def cycle_new(request):
    hromada = request.hromada
    areas = list(staff_selectors.residence_areas(hromada=hromada))
    settings = module_settings(hromada=hromada, label="budget")
    if request.method == "POST":
        form = CycleForm(request.POST, areas=areas, settings=settings)
        formset = CategoryFormSet(request.POST, prefix="cat", form_kwargs={"areas": areas})
        valid = form.is_valid() & formset.is_valid()
        if valid and _category_errors(formset, hromada):
            try:
                cycle = cycle_services.cycle_create(
                    hromada=hromada,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    slug=form.cleaned_data.get("slug") or "",
                    description=form.cleaned_data.get("description") or "",
                    regulation_url=form.cleaned_data.get("regulation_url") or "",
                    regulation=form.regulation(),
                    phase_dates=form.phase_dates(),
                    categories=[f.spec() for f in formset.forms if f.cleaned_data],
                )
            except DomainError as exc:
                if exc.field in PHASE_FIELDS:
                    form.add_error(PHASE_FIELDS[exc.field], str(exc.message))
                elif exc.field == "categories":
                    form.add_error(None, str(exc.message))
                else:
                    apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("Цикл «%(t)s» створено.") % {"t": cycle.title})
                return HttpResponseRedirect(reverse("staff_budget:cycle", kwargs={"slug": cycle.slug}))
    else:
        form = CycleForm(areas=areas, settings=settings)
        formset = CategoryFormSet(
            prefix="cat",
            form_kwargs={"areas": areas},
            initial=[
                {
                    "title": _("Загальні проєкти"),
                    "kind": "general",
                    "rule": "approval",
                    "max_choices": 3,
                    "min_cost": 0,
                }
            ],
        )
    return render(
        request,
        "budget/staff/cycle_form.html",
        {"form": form, "formset": formset, "nav": staff_nav("cycles", request.user, hromada)},
        status=400 if request.method == "POST" else 200,
    )


def _cycle_context(request, cycle, *, extend_form=None, close_form=None, category_form=None, failed_code=""):
    hromada = request.hromada
    areas = list(staff_selectors.residence_areas(hromada=hromada))
    steps = []
    now = timezone.now()
    for step in selectors.timeline(cycle, now):
        phase = step.phase
        code = phase.code
        mine = code == failed_code
        steps.append(
            {
                "step": step,
                "extend": extend_form
                if mine and extend_form is not None
                else ExtendForm(
                    initial={
                        "code": code,
                        "new_ends_at": timezone.localtime(phase.ends_at).strftime("%Y-%m-%dT%H:%M"),
                    },
                    prefix=f"ext-{code}",
                ),
                "close": close_form
                if mine and close_form is not None
                else CloseForm(initial={"code": code}, prefix=f"close-{code}"),
                "extensions": list(phase.extensions.order_by("at")),
            }
        )
    consoles = [
        (
            _("Експертиза проєктів"),
            safe_url("staff_budget:review_queue") + f"?cycle={cycle.slug}"
            if safe_url("staff_budget:review_queue")
            else "",
        ),
        (_("Паперові бюлетені"), safe_url("staff_budget:paper")),
        (_("Підтвердження права голосу"), safe_url("staff_budget:authorisations")),
        (_("Шкільні коди"), safe_url("staff_budget:codes")),
        (_("Підсумки"), safe_url("staff_budget:results", slug=cycle.slug)),
        (
            _("Реалізація"),
            safe_url("staff_budget:implementation") + f"?cycle={cycle.slug}"
            if safe_url("staff_budget:implementation")
            else "",
        ),
        (_("Публічна сторінка циклу"), safe_url("budget:cycle", slug=cycle.slug)),
    ]
    return {
        "cycle": cycle,
        "steps": steps,
        "categories": selectors.categories_of(cycle),
        "counts": staff_selectors.status_counts(cycle),
        "consoles": [(label, url) for label, url in consoles if url],
        "category_form": category_form or CategoryForm(areas=areas, prefix="newcat"),
        "can_add_category": cycle.published_at is None,
        "nav": staff_nav("cycles", request.user, hromada),
    }


def _cycle(request, slug):
    try:
        return selectors.cycle_get(hromada=request.hromada, slug=slug)
    except NotFound:
        return None


@staff_perm("budget.manage_cycles")
def cycle(request, slug):
    found = _cycle(request, slug)
    if found is None:
        return not_found(request)
    return render(request, "budget/staff/cycle.html", _cycle_context(request, found))


@staff_perm("budget.manage_cycles")
@require_POST
def cycle_extend(request, slug):
    found = _cycle(request, slug)
    if found is None:
        return not_found(request)
    code = request.POST.get("code", "")[:50]
    form = ExtendForm(request.POST, prefix=f"ext-{code}")
    if form.is_valid():
        new_ends_at = form.cleaned_data["new_ends_at"]
        if timezone.is_naive(new_ends_at):
            new_ends_at = timezone.make_aware(new_ends_at)
        try:
            cycle_services.cycle_phase_extend(
                cycle=found,
                actor=request.user,
                code=form.cleaned_data["code"],
                new_ends_at=new_ends_at,
                reason=form.cleaned_data["reason"],
                shift_following=form.cleaned_data["shift_following"],
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Етап продовжено; людей, яких це стосується, повідомлено."))
            return HttpResponseRedirect(reverse("staff_budget:cycle", kwargs={"slug": found.slug}))
    return render(
        request,
        "budget/staff/cycle.html",
        _cycle_context(request, found, extend_form=form, failed_code=code),
        status=400,
    )


@staff_perm("budget.manage_cycles")
@require_POST
def cycle_close(request, slug):
    found = _cycle(request, slug)
    if found is None:
        return not_found(request)
    code = request.POST.get("code", "")[:50]
    form = CloseForm(request.POST, prefix=f"close-{code}")
    if form.is_valid():
        try:
            phases_admin.cycle_phase_shorten(
                cycle=found,
                actor=request.user,
                code=form.cleaned_data["code"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Етап завершено; наступний етап розпочато."))
            return HttpResponseRedirect(reverse("staff_budget:cycle", kwargs={"slug": found.slug}))
    return render(
        request,
        "budget/staff/cycle.html",
        _cycle_context(request, found, close_form=form, failed_code=code),
        status=400,
    )


@staff_perm("budget.manage_cycles")
@require_POST
def category_add(request, slug):
    found = _cycle(request, slug)
    if found is None:
        return not_found(request)
    areas = list(staff_selectors.residence_areas(hromada=request.hromada))
    form = CategoryForm(request.POST, areas=areas, prefix="newcat")
    if form.is_valid():
        try:
            row = cycle_services.category_add(cycle=found, actor=request.user, spec=form.spec())
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Категорію «%(t)s» додано.") % {"t": row.title})
            return HttpResponseRedirect(
                reverse("staff_budget:cycle", kwargs={"slug": found.slug}) + "#categories"
            )
    return render(
        request, "budget/staff/cycle.html", _cycle_context(request, found, category_form=form), status=400
    )
