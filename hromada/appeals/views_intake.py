"""Residents' channels: the appeal, the information request, the problem report, drafts,
co-signing a collective appeal, similar reports nearby and joining one. Thin: parse,
call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError
from hromada.core.ratelimit import rate_limit

from . import intake_selectors as sel
from .forms_intake import AppealForm, CosignForm, InfoForm, ReportForm
from .models import Case, CaseKind, CaseStatus
from .services import intake as svc
from .services import nearby as nearby_svc
from .services.cases import settings_of

FORMS: dict[str, type] = {CaseKind.APPEAL: AppealForm, CaseKind.INFO: InfoForm, CaseKind.REPORT: ReportForm}
TEMPLATES: dict[str, str] = {
    CaseKind.APPEAL: "appeals/intake/appeal_form.html",
    CaseKind.INFO: "appeals/intake/info_form.html",
    CaseKind.REPORT: "appeals/intake/report_form.html",
}


def safe_url(name: str, *args, **kwargs) -> str:
    """Another part's page by its URL name, or "" while it is not on this branch."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def _case_url(case: Case) -> str:
    return safe_url("appeals:case", case.public_id) or reverse("appeals:index")


def index(request):
    drafts = list(sel.drafts_of(hromada=request.hromada, user=request.user)[:10])
    return render(
        request,
        "appeals/intake/index.html",
        {
            "drafts": drafts,
            "map_url": safe_url("appeals:map"),
            "my_url": safe_url("appeals:my"),
            "hotline_phone": _hotline_phone(request.hromada),
        },
    )


def _hotline_phone(hromada) -> str:
    """The hromada's hotline number, when the tenancy model has one (it has none yet)."""
    return str(getattr(hromada, "hotline_phone", "") or getattr(hromada, "phone", "") or "")


# --- the three forms ------------------------------------------------------------------------


def _form_field(form, field: str | None) -> str | None:
    """The form field a service's problem belongs on."""
    if not field:
        return None
    if field == "contact":
        return "applicant_email"
    if field == "location":
        return "address"
    if field.startswith("attribute[") and field.endswith("]"):
        name = f"attr_{field[10:-1]}"
        return name if name in form.fields else None
    if field.startswith("photo[") and field.endswith("]"):
        return f"file_{field[6:-1]}"
    return field if field in form.fields else None


def show_problems(form, exc: DomainError) -> None:
    """Every problem of a refusal on its field (the error summary lists them all)."""
    details = getattr(exc, "details", None) or [{"field": exc.field, "message": str(exc.message)}]
    for problem in details:
        name = _form_field(form, problem.get("field"))
        if name is not None and problem["message"] in form.errors.get(name, []):
            continue
        form.add_error(name, problem["message"])


def _chosen_category(request, categories, case: Case | None):
    code = request.POST.get("category") if request.method == "POST" else request.GET.get("category")
    if code is None and case is not None and case.category is not None:
        code = case.category.code
    return next((c for c in categories if c.code == code), None)


def _initial(request, kind: str, case: Case | None) -> dict:
    if case is not None:
        initial = {
            f: getattr(case, f)
            for f in (
                "applicant_name",
                "applicant_address",
                "applicant_email",
                "applicant_phone",
                "title",
                "text",
                "appeal_type",
                "answer_form",
                "urgent",
                "urgent_reason",
                "address",
                "lat",
                "lon",
            )
        }
        initial["collective"] = "collective" if case.collective else "individual"
        initial["category"] = case.category.code if case.category is not None else ""
        initial["show_name"] = not case.anonymous
        for code, value in (case.attributes or {}).items():
            initial[f"attr_{code}"] = value
        return initial
    initial = svc.prefill(request.user, request.hromada) if kind != CaseKind.REPORT else {}
    if kind == CaseKind.REPORT and request.GET.get("category"):
        initial["category"] = request.GET["category"]
    return initial


def _boundary_layers() -> list[dict]:
    return [
        {
            "name": _("Межа громади"),
            "url": reverse("api-v1:places_areas") + "?kind=boundary",
            "kind": "areas",
            "style": "boundary",
        }
    ]


def _context(request, kind: str, form, case: Case | None, categories, **extra) -> dict:
    context = {
        "kind": kind,
        "form": form,
        "case": case,
        "files": list(case.attachments.all()) if case is not None and case.pk else [],
        "action_url": reverse("appeals:draft", args=[case.public_id]) if case is not None and case.pk else "",
        "name_verified": svc.name_verified(request.user, request.hromada),
    }
    if kind == CaseKind.APPEAL and case is not None and case.pk:
        context["cosigners"] = list(case.cosigners.all())
        context["cosign_url"] = request.build_absolute_uri(reverse("appeals:cosign", args=[case.public_id]))
    if kind == CaseKind.REPORT:
        context["boundary_layers"] = _boundary_layers()
        context["nearby_url"] = reverse("appeals:nearby")
        form.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse("appeals:attributes"),
                "hx-trigger": "change",
                "hx-target": "#report-attributes",
            }
        )
        # The places API's forward geocoding, beside its areas layer (it has no URL name).
        context["geocode_url"] = reverse("api-v1:places_areas").rsplit("/", 1)[0] + "/geocode"
    return context | extra


def _save_draft(request, kind: str, form, case: Case | None, categories) -> Case | None:
    """Store whatever is valid (form.cleaned_data holds only the valid fields), the
    files chosen and the removals asked for. Returns the draft (None if not created)."""
    values = form.values(categories)
    try:
        if case is None:
            case = svc.draft_create(hromada=request.hromada, user=request.user, kind=kind, **values)
        else:
            svc.draft_update(case=case, user=request.user, **values)
    except DomainError as exc:
        show_problems(form, exc)
        if case is None:
            return None
    for attachment_id in request.POST.getlist("remove"):
        if attachment_id.isdigit():
            svc.attachment_remove(case=case, user=request.user, attachment_id=int(attachment_id))
    for n, upload, alt in form.uploads():
        try:
            svc.attachment_add(
                case=case,
                user=request.user,
                upload=upload,
                alt_text=alt,
                field=f"file_{n}",
                alt_field=f"alt_{n}",
            )
        except DomainError as exc:
            show_problems(form, exc)
    return case


def _registered_message(case: Case) -> str:
    due = timezone.localtime(case.due_at)
    if case.kind == CaseKind.REPORT or case.urgent:
        due_text = date_format(due, "DATETIME_FORMAT")
    else:
        due_text = date_format(due.date(), "DATE_FORMAT")
    texts: dict[str, str] = {
        CaseKind.APPEAL: _("Звернення зареєстровано за №%(n)d."),
        CaseKind.INFO: _("Запит на інформацію зареєстровано за №%(n)d."),
        CaseKind.REPORT: _("Повідомлення про проблему зареєстровано за №%(n)d."),
    }
    what = texts[case.kind] % {"n": case.number}
    return what + " " + _("Строк відповіді — до %(due)s.") % {"due": due_text}


def _handle(request, kind: str, case: Case | None = None):
    categories = sel.form_categories(hromada=request.hromada, kind=kind)
    chosen = _chosen_category(request, categories, case) if kind == CaseKind.REPORT else None
    form_kwargs: dict = {"categories": categories}
    if kind == CaseKind.REPORT:
        form_kwargs |= {"chosen": chosen, "default_hours": settings_of(request.hromada).report_default_hours}
    form = FORMS[kind](
        request.POST or None, request.FILES or None, initial=_initial(request, kind, case), **form_kwargs
    )
    if request.method != "POST":
        return render(request, TEMPLATES[kind], _context(request, kind, form, case, categories))
    action = request.POST.get("action", "submit")
    if action == "discard" and case is not None:
        svc.draft_discard(case=case, user=request.user)
        messages.success(request, _("Чернетку видалено."))
        return redirect("appeals:index")
    form.is_valid()
    case = _save_draft(request, kind, form, case, categories)
    if case is None:
        return render(request, TEMPLATES[kind], _context(request, kind, form, None, categories), status=400)
    if action != "submit":
        if not form.errors:
            messages.success(
                request,
                _("Чернетку збережено. Її видно лише вам; повернутися можна зі сторінки «Звернення»."),
            )
            return redirect("appeals:draft", case.public_id)
        return render(
            request, TEMPLATES[kind], _context(request, kind, form, case, categories, saved=True), status=400
        )
    if form.errors:
        # Name the rest too: every problem at once.
        problems = svc.problems_of(case)
        if problems:
            show_problems(form, svc.problems_error(problems))
        return render(
            request, TEMPLATES[kind], _context(request, kind, form, case, categories, saved=True), status=400
        )
    if kind == CaseKind.REPORT and not request.POST.get("confirmed"):
        if case.lat is None and case.address:
            svc.location_check(case)
        similar = nearby_svc.nearby_similar(
            hromada=request.hromada, category=case.category, lat=case.lat, lon=case.lon, exclude=case
        )
        similar = [n for n in similar if n.case.applicant_id != request.user.pk]
        if similar:
            form = FORMS[kind](initial=_initial(request, kind, case), **form_kwargs)
            return render(
                request,
                TEMPLATES[kind],
                _context(request, kind, form, case, categories, similar=similar, similar_on_submit=True),
            )
    try:
        with rate_limit(request, "appeals.submit"):
            case = svc.case_submit(case=case, user=request.user)
    except DomainError as exc:
        show_problems(form, exc)
        return render(
            request, TEMPLATES[kind], _context(request, kind, form, case, categories, saved=True), status=400
        )
    messages.success(request, _registered_message(case))
    return redirect(_case_url(case))


@login_required
def new_appeal(request):
    return _handle(request, CaseKind.APPEAL)


@login_required
def new_info(request):
    return _handle(request, CaseKind.INFO)


@login_required
def new_report(request):
    return _handle(request, CaseKind.REPORT)


@login_required
def draft(request, public_id):
    case = sel.draft_get(hromada=request.hromada, public_id=public_id)
    if case is None or case.applicant_id != request.user.pk:
        raise Http404(_("Такої чернетки немає."))
    if case.status != CaseStatus.DRAFT:
        return redirect(_case_url(case))
    return _handle(request, case.kind, case)


# --- co-signing a collective appeal ---------------------------------------------------------


def cosign(request, public_id):
    case = sel.draft_get(hromada=request.hromada, public_id=public_id)
    if case is None or case.kind != CaseKind.APPEAL or not case.collective:
        raise Http404(_("Такого колективного звернення немає."))
    here = reverse("appeals:cosign", args=[case.public_id])
    if not request.user.is_authenticated:
        return render(
            request,
            "appeals/intake/cosign.html",
            {
                "case": case,
                "login_url": reverse("accounts:login") + "?" + urlencode({"next": here}),
                "count": case.cosigners.count(),
            },
        )
    prefilled = svc.prefill(request.user, request.hromada)
    initial = {"name": prefilled.get("applicant_name", ""), "address": prefilled.get("applicant_address", "")}
    form = CosignForm(request.POST or None, initial=initial)
    signed = case.cosigners.filter(user=request.user).first()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "withdraw":
            try:
                svc.cosign_withdraw(case=case, user=request.user)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Ваш підпис відкликано."))
            return redirect(here)
        if form.is_valid():
            try:
                svc.cosign(case=case, user=request.user, **form.cleaned_data)
            except DomainError as exc:
                show_problems(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, _("Дякуємо! Ви підписали звернення. Автор подасть його, коли всі підпишуть.")
                )
                return redirect(here)
        else:
            status = 400
    return render(
        request,
        "appeals/intake/cosign.html",
        {
            "case": case,
            "form": form,
            "signed": signed,
            "refusal": None if signed else svc.cosign_refusal(case, request.user),
            "count": case.cosigners.count(),
        },
        status=status,
    )


# --- similar reports nearby, joining one -----------------------------------------------------


def _float(value) -> float | None:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if -180 <= number <= 180 else None


def nearby(request):
    """The htmx fragment of similar open reports near the chosen point (as the point or
    the category changes, debounced)."""
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    code = request.GET.get("category", "")
    category = sel.category_by_code(hromada=request.hromada, code=code) if code else None
    similar = []
    if category is not None and lat is not None and lon is not None and -90 <= lat <= 90:
        rate_limit(request, "appeals.nearby")
        similar = nearby_svc.nearby_similar(hromada=request.hromada, category=category, lat=lat, lon=lon)
        if request.user.is_authenticated:
            similar = [n for n in similar if n.case.applicant_id != request.user.pk]
    return render(
        request,
        "appeals/intake/_nearby.html",
        {
            "similar": similar,
            "asked": category is not None and lat is not None,
            "draft": request.GET.get("draft", ""),
        },
    )


def attributes(request):
    """The htmx fragment of the chosen category's extra questions."""
    categories = sel.form_categories(hromada=request.hromada, kind=CaseKind.REPORT)
    code = request.GET.get("category", "")
    chosen = next((c for c in categories if c.code == code), None)
    form = ReportForm(categories=categories, chosen=chosen)
    return render(request, "appeals/intake/_attributes.html", {"form": form})


@require_POST
def join(request, public_id):
    case = Case.objects.for_hromada(request.hromada).filter(public_id=public_id, kind=CaseKind.REPORT).first()
    if case is None or case.status == CaseStatus.DRAFT:
        raise Http404(_("Такого повідомлення немає."))
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": reverse("appeals:new_report")}))
    try:
        nearby_svc.case_join(case=case, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(_case_url(case))
    leftover = request.POST.get("draft", "")
    if leftover:
        draft_case = (
            sel.draft_get(hromada=request.hromada, public_id=leftover) if _uuid_ok(leftover) else None
        )
        if (
            draft_case is not None
            and draft_case.applicant_id == request.user.pk
            and draft_case.status == CaseStatus.DRAFT
        ):
            svc.draft_discard(case=draft_case, user=request.user)
    messages.success(
        request,
        _("Ви долучилися до повідомлення №%(n)d. Ми повідомимо вас, коли щось зміниться.")
        % {"n": case.number},
    )
    return redirect(_case_url(case))


def _uuid_ok(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
