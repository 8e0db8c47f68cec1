"""Public budget pages: the cycles, the projects with their map, a project, the project
form, my projects, co-authors and support. Thin: parse, call a service or selector,
render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, NotFound
from hromada.core.ratelimit import rate_limit

from . import project_selectors as ps
from . import rules, selectors
from .forms_projects import CoauthorInviteForm, CostLineFormSet, ProjectForm, cost_lines_of
from .models import PUBLIC_STATUSES, Cycle, Project, ProjectStatus, Residence
from .services import coauthors as co
from .services import projects as svc
from .services import support as support_svc


def _cycle(request, slug) -> Cycle:
    try:
        return selectors.cycle_get(hromada=request.hromada, slug=slug)
    except NotFound:
        raise Http404(_("Такого циклу немає."))


def _project(request, public_id) -> Project:
    try:
        return ps.project_for_viewer(hromada=request.hromada, public_id=public_id, user=request.user)
    except NotFound:
        raise Http404(_("Такого проєкту немає."))


def _editable(request, public_id) -> Project:
    try:
        return ps.project_for_editor(hromada=request.hromada, public_id=public_id, user=request.user)
    except NotFound:
        raise Http404(_("Такого проєкту немає."))


def _url(project: Project, name: str = "project") -> str:
    return reverse(f"budget:{name}", kwargs={"public_id": project.public_id})


def _regulation(cycle: Cycle) -> list[str]:
    """The cycle's rules of participation in words."""
    lines = [
        _("Подавати проєкти й голосувати можна з %(age)d років.") % {"age": cycle.min_age},
        _("Потрібний рівень ідентифікації: %(level)s.") % {"level": cycle.get_identity_level_display()},
    ]
    if cycle.residence == Residence.AREA and cycle.residence_area is not None:
        lines.append(_("Беруть участь мешканці: %(area)s.") % {"area": cycle.residence_area.name})
    else:
        lines.append(str(cycle.get_residence_display()) + ".")
    if cycle.allow_authorisation:
        lines.append(
            _(
                "Внутрішньо переміщені особи та мешканці без електронного підпису можуть отримати право "
                "голосу в ЦНАП чи в старости: працівник підтвердить його вручну."
            )
        )
    lines.append(_("Одна особа може подати до %(n)d проєктів.") % {"n": cycle.max_projects_per_author})
    if cycle.support_threshold:
        lines.append(
            _("Щоб потрапити на експертизу, проєкт має зібрати %(n)d підтримок.")
            % {"n": cycle.support_threshold}
        )
    return lines


def _rule_text(category) -> str:
    from .tally import format_uah

    if category.rule == "approval":
        return _("Кожен обирає до %(n)d проєктів.") % {"n": category.max_choices or 1}
    if category.rule == "knapsack":
        return _("Кожен обирає проєкти, сума яких не перевищує %(pot)s.") % {
            "pot": format_uah(int(category.pot))
        }
    share = round(float(category.min_share or 0) * 100)
    return _("Кожен обирає проєкти щонайменше на %(p)d %% суми категорії, але не більше %(pot)s.") % {
        "p": share,
        "pot": format_uah(int(category.pot)),
    }


def _categories(cycle: Cycle) -> list[dict]:
    counts = ps.category_counts(cycle)
    return [
        {"category": c, "rule_text": _rule_text(c), "projects": counts.get(c.pk, 0)}
        for c in selectors.categories_of(cycle)
    ]


def _cycle_links(cycle: Cycle) -> dict:
    code = rules.phase_code(cycle)
    return {
        "phase_code": code,
        "submit_url": reverse("budget:project_new", kwargs={"slug": cycle.slug}) if code == "ideas" else "",
        "vote_url": ps.safe_url("budget:vote", slug=cycle.slug) if code == "voting" else "",
        "results_url": ps.safe_url("budget:results", slug=cycle.slug)
        if code in ("results", "implementation") or cycle.results_published_at
        else "",
    }


def index(request):
    cycles = list(selectors.cycles_public(hromada=request.hromada))
    running = {c.pk for c in selectors.cycles_running(hromada=request.hromada)}
    current: list[dict[str, Any]] = [
        {"cycle": c, "phase": selectors.current_phase(c), "action": ps.phase_action(c)}
        for c in cycles
        if c.pk in running
    ]
    past = [c for c in cycles if c.pk not in running]
    how = _regulation(current[0]["cycle"]) if current else []
    return render(request, "budget/index.html", {"current": current, "past": past, "how": how})


def cycle_detail(request, slug):
    cycle = _cycle(request, slug)
    context = {
        "cycle": cycle,
        "steps": selectors.timeline(cycle),
        "categories": _categories(cycle),
        "regulation": _regulation(cycle),
        "counts": ps.cycle_counts(cycle),
        **_cycle_links(cycle),
    }
    return render(request, "budget/cycle.html", context)


def _layers(cycle: Cycle, query: str) -> list[dict]:
    url = reverse("api-v1:budget_projects_geojson", kwargs={"slug": cycle.slug})
    return [
        {
            "name": _("Межа громади"),
            "url": reverse("api-v1:places_areas") + "?kind=boundary",
            "kind": "areas",
            "style": "boundary",
            "fit": False,
        },
        {"name": _("Проєкти"), "url": url + (f"?{query}" if query else ""), "kind": "points"},
    ]


def project_list(request, slug):
    cycle = _cycle(request, slug)
    filters = ps.ProjectFilters(
        category=request.GET.get("category", "")[:60],
        status=request.GET.get("status", "")[:20],
        area=request.GET.get("area", "")[:80],
        q=request.GET.get("q", "")[:200],
        sort=request.GET.get("sort", "number"),
    )
    rows = ps.project_list(hromada=request.hromada, cycle=cycle, filters=filters)
    page = Paginator(rows, 24).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = {
        "cycle": cycle,
        "page": page,
        "filters": filters,
        "query": query,
        "categories": selectors.categories_of(cycle),
        "statuses": [(s.value, s.label) for s in PUBLIC_STATUSES],
        "places": ps.places_of(cycle),
        "sorts": [
            ("number", _("За номером")),
            ("cost", _("Дешевші спершу")),
            ("-cost", _("Дорожчі спершу")),
            ("support", _("Найбільше підтримок")),
        ],
        "layers": _layers(cycle, query),
        "features": [
            {"name": f"№{p.number} {p.title}", "url": _url(p), "meta": p.address}
            for p in page.object_list
            if p.lat is not None or p.area_geojson
        ],
        **_cycle_links(cycle),
    }
    return render(request, "budget/projects.html", context)


def _support_context(request, project: Project) -> dict:
    cycle = project.cycle
    collecting = cycle.support_threshold > 0 and project.status == ProjectStatus.SUBMITTED
    context: dict = {"support_collecting": collecting}
    if collecting:
        context["support_refusal"] = support_svc.support_refusal(project, request.user)
        context["has_supported"] = support_svc.has_supported(project, request.user)
        context["support_percent"] = min(100, round(100 * project.support_count / cycle.support_threshold))
    return context


def _detail_context(request, project: Project) -> dict:
    detail = ps.project_detail(project)
    context = {
        "project": project,
        "cycle": project.cycle,
        **detail,
        "can_edit": ps.is_editor(request.user, project) and ps.is_editable(project),
        "is_author": project.author_id == getattr(request.user, "pk", None),
        **_support_context(request, project),
    }
    if project.lat is not None or project.area_geojson:
        geo = reverse("api-v1:budget_project_geojson", kwargs={"public_id": project.public_id})
        context["layers"] = [
            {"name": project.title, "url": geo, "kind": "points" if project.lat is not None else "areas"}
        ]
    return context


def project_detail(request, public_id):
    project = _project(request, public_id)
    return render(request, "budget/project.html", _detail_context(request, project))


@require_POST
def project_support(request, public_id):
    project = _project(request, public_id)
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": _url(project)}))
    try:
        support_svc.project_support(project=project, user=request.user)
    except DomainError as exc:
        context = _detail_context(request, project) | {"support_error": exc}
        if request.headers.get("HX-Request"):
            return render(request, "budget/_project_support.html", context)
        return render(request, "budget/project.html", context, status=exc.status)
    project.refresh_from_db()
    if request.headers.get("HX-Request"):
        return render(
            request, "budget/_project_support.html", _detail_context(request, project) | {"thanks": True}
        )
    messages.success(request, _("Дякуємо! Вашу підтримку враховано."))
    return redirect(_url(project))


def project_file(request, public_id, file_id):
    project = _project(request, public_id)
    item = project.files.filter(pk=file_id).first()
    if item is None:
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=item.content_type == "application/pdf",
        filename=item.original_name,
        content_type=item.content_type,
    )


# --- writing a project -------------------------------------------------------------------


def _apply(form, exc: DomainError) -> None:
    for error in getattr(exc, "errors", [exc]):
        if error.field and error.field in form.fields:
            form.add_error(error.field, str(error.message))
        else:
            form.add_error(None, str(error.message))


def _formset_ok(form, formset) -> bool:
    """The formset's own errors (a quantity that is no number) go next to the estimate."""
    if formset.is_valid():
        return True
    for n, row in enumerate(formset.forms, start=1):
        for errors in row.errors.values():
            for error in errors:
                form.add_error("cost_lines", _("Рядок кошторису %(n)d: %(e)s") % {"n": n, "e": error})
    for error in formset.non_form_errors():
        form.add_error("cost_lines", error)
    return False


def _total(formset) -> int:
    total = 0
    for row in formset.forms:
        data = getattr(row, "cleaned_data", None)
        if data is None:
            data = row.initial or {}
        try:
            total += int(round(float(data.get("quantity") or 0) * int(data.get("unit_price") or 0)))
        except (TypeError, ValueError):
            continue
    return total


def _form_context(request, cycle: Cycle, form, formset, **extra) -> dict:
    refusal, _standing = rules.participant_refusal(request.user, cycle, purpose="submit")
    categories = selectors.categories_of(cycle)
    return {
        "categories_json": {
            str(c.public_id): {"min": int(c.min_cost), "max": int(c.max_cost), "title": c.title}
            for c in categories
        },
        "total": _total(formset) or "",
        "cycle": cycle,
        "form": form,
        "formset": formset,
        "refusal": refusal,
        "phase_refusal": rules.submission_phase_refusal(cycle),
        "residency_url": ps.safe_url("budget:residency", slug=cycle.slug),
        "categories": categories,
        "boundary_layers": [
            {
                "name": _("Межа громади"),
                "url": reverse("api-v1:places_areas") + "?kind=boundary",
                "kind": "areas",
                "style": "boundary",
            }
        ],
        **extra,
    }


def _fields(form, cycle: Cycle, formset) -> dict:
    data = form.cleaned_data
    category = None
    if data.get("category"):
        try:
            category = selectors.category_get(cycle, data["category"])
        except NotFound:
            category = None
    return {
        "category": category,
        "title": data.get("title", ""),
        "summary": data.get("summary", ""),
        "description": data.get("description", ""),
        "problem": data.get("problem", ""),
        "beneficiaries": data.get("beneficiaries", ""),
        "cost_lines": cost_lines_of(formset),
        "address": data.get("address", ""),
        "lat": data.get("lat"),
        "lon": data.get("lon"),
        "area_geojson": data.get("area_geojson"),
        "cofunding_amount": data.get("cofunding_amount") or 0,
        "cofunding_partner": data.get("cofunding_partner", ""),
    }


def _add_files(request, project: Project, form) -> None:
    for field, upload, alt in form.uploads():
        svc.project_file_add(
            project=project,
            actor=request.user,
            upload=upload,
            alt_text=alt,
            field=field,
            alt_field=field.replace("file_", "alt_"),
        )


@login_required
def project_new(request, slug):
    cycle = _cycle(request, slug)
    categories = selectors.categories_of(cycle)
    form = ProjectForm(request.POST or None, request.FILES or None, categories=categories)
    formset = CostLineFormSet(request.POST or None, prefix="lines")
    action = request.POST.get("action", "submit")
    if request.method == "POST":
        if form.is_valid() & _formset_ok(form, formset):
            try:
                # All or nothing: a refused submission keeps no half-made draft.
                with transaction.atomic():
                    fields = _fields(form, cycle, formset)
                    if action == "submit":
                        svc.project_check(cycle=cycle, **fields)
                    project = svc.project_create(cycle=cycle, author=request.user, **fields)
                    _add_files(request, project, form)
                    if action == "submit":
                        with rate_limit(request, "budget.submit"):
                            project = svc.project_submit(project=project, actor=request.user)
            except DomainError as exc:
                _apply(form, exc)
            else:
                return _after_save(request, project, action)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "budget/project_form.html",
        _form_context(request, cycle, form, formset, project=None),
        status=status,
    )


def _after_save(request, project: Project, action: str):
    if action == "submit" and project.status == ProjectStatus.SUBMITTED and project.number:
        messages.success(request, _("Проєкт №%(n)d подано. Його вже бачать усі.") % {"n": project.number})
        return redirect(_url(project))
    if action == "preview":
        return redirect(_url(project))
    messages.success(request, _("Зміни збережено."))
    return redirect(_url(project, "project_edit"))


def _initial(project: Project) -> tuple[dict, list[dict]]:
    import json

    initial = {
        "category": str(project.category.public_id),
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "problem": project.problem,
        "beneficiaries": project.beneficiaries,
        "address": project.address,
        "lat": project.lat,
        "lon": project.lon,
        "area_geojson": json.dumps(project.area_geojson) if project.area_geojson else "",
        "cofunding_amount": project.cofunding_amount or None,
        "cofunding_partner": project.cofunding_partner,
        "revision": project.revision,
    }
    lines = [
        {"item": x.item, "quantity": x.quantity, "unit": x.unit, "unit_price": x.unit_price}
        for x in project.cost_lines.order_by("order", "id")
    ]
    return initial, lines


@login_required
def project_edit(request, public_id):
    project = _editable(request, public_id)
    cycle = project.cycle
    initial, lines = _initial(project)
    form = ProjectForm(
        request.POST or None,
        request.FILES or None,
        categories=selectors.categories_of(cycle),
        initial=initial,
    )
    # On a POST the typed rows are the truth (an unchanged initial row would read as blank).
    formset = CostLineFormSet(
        request.POST or None, prefix="lines", initial=None if request.method == "POST" else lines
    )
    action = request.POST.get("action", "save")
    if request.method == "POST":
        if form.is_valid() & _formset_ok(form, formset):
            try:
                with transaction.atomic():
                    fields = _fields(form, cycle, formset)
                    if action == "submit":
                        svc.project_check(cycle=cycle, **fields)
                    revision = form.cleaned_data.get("revision") or project.revision
                    project = svc.project_update(
                        project=project, actor=request.user, revision=revision, **fields
                    )
                    for pk in request.POST.getlist("remove"):
                        if pk.isdigit():
                            svc.project_file_remove(project=project, actor=request.user, file_id=int(pk))
                    _add_files(request, project, form)
                    if action == "submit" and project.status == ProjectStatus.DRAFT:
                        with rate_limit(request, "budget.submit"):
                            project = svc.project_submit(project=project, actor=request.user)
            except DomainError as exc:
                _apply(form, exc)
                project.refresh_from_db()
            else:
                return _after_save(request, project, action)
    status = 400 if request.method == "POST" else (200 if ps.is_editable(project) else 409)
    context = _form_context(
        request,
        cycle,
        form,
        formset,
        project=project,
        files=list(project.files.filter(update__isnull=True)),
        is_author=project.author_id == request.user.pk,
        editable=ps.is_editable(project),
    )
    return render(request, "budget/project_form.html", context, status=status)


@login_required
@require_POST
def project_submit(request, public_id):
    project = _editable(request, public_id)
    try:
        with rate_limit(request, "budget.submit"):
            project = svc.project_submit(project=project, actor=request.user)
    except DomainError as exc:
        for error in getattr(exc, "errors", [exc]):
            messages.error(request, str(error.message))
        return redirect(_url(project, "project_edit"))
    return _after_save(request, project, "submit")


@login_required
def project_withdraw(request, public_id):
    project = _editable(request, public_id)
    error = None
    if request.method == "POST":
        try:
            if project.status == ProjectStatus.DRAFT:
                svc.project_draft_delete(project=project, actor=request.user)
                messages.success(request, _("Чернетку видалено."))
            else:
                svc.project_withdraw(project=project, actor=request.user)
                messages.success(request, _("Проєкт відкликано."))
            return redirect(reverse("budget:my"))
        except DomainError as exc:
            error = exc
    return render(
        request,
        "budget/_project_withdraw.html",
        {"project": project, "error": error},
        status=error.status if error else 200,
    )


@login_required
def my_projects(request):
    projects = ps.my_projects(hromada=request.hromada, user=request.user)
    return render(request, "budget/my.html", {"projects": projects})


# --- co-authors ----------------------------------------------------------------------------


@login_required
def project_coauthors(request, public_id):
    project = _editable(request, public_id)
    form = CoauthorInviteForm(request.POST or None)
    link = ""
    if request.method == "POST":
        if "remove" in request.POST:
            invitation = next(
                (c for c in ps.coauthors_of(project) if str(c.pk) == request.POST["remove"]), None
            )
            if invitation is not None:
                try:
                    co.coauthor_remove(invitation=invitation, actor=request.user)
                except DomainError as exc:
                    messages.error(request, str(exc.message))
            return redirect(_url(project, "project_coauthors"))
        if form.is_valid():
            try:
                with rate_limit(request, "budget.coauthor_invite"):
                    invitation = co.coauthor_invite(
                        project=project, actor=request.user, email=form.cleaned_data["email"]
                    )
            except DomainError as exc:
                _apply(form, exc)
            else:
                if invitation.user_id:
                    messages.success(request, _("Запрошення надіслано."))
                else:
                    link = request.build_absolute_uri(co.coauthor_accept_url(invitation.token))  # type: ignore[attr-defined]
                form = CoauthorInviteForm()
    context = {
        "project": project,
        "form": form,
        "link": link,
        "coauthors": ps.coauthors_of(project),
        "is_author": project.author_id == request.user.pk,
        "max": co.MAX_COAUTHORS,
    }
    return render(request, "budget/coauthors.html", context, status=400 if form.errors else 200)


def coauthor_accept(request, token):
    invitation = co.invitation_by_token(token)
    if invitation is None or invitation.hromada_id != request.hromada.pk:
        raise Http404(_("Запрошення не знайдено."))
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.path}))
        try:
            co.coauthor_accept(token=token, user=request.user)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _("Ви — співавтор проєкту. Тепер ви можете його редагувати."))
            return redirect(_url(invitation.project, "project_edit"))
    return render(
        request,
        "budget/coauthor_accept.html",
        {"invitation": invitation, "project": invitation.project, "error": error},
        status=error.status if error else 200,
    )
