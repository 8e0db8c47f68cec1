"""The hotline console: the operator finds the caller (or takes a new caller's details),
registers the call — or a letter, a visit, an e-mail — as an appeal, an information
request or a problem report, and reads out its number. Thin: parse, call a service or
selector, render."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError

from . import intake_selectors as sel
from . import rules
from .forms_intake import CallerSearchForm, HotlineForm
from .models import Case, CaseKind, CaseStatus, Category
from .services import intake as svc
from .services.cases import FIELD_MESSAGES
from .staff_common import staff_perm
from .views_intake import safe_url, show_problems


def _categories(hromada) -> list[Category]:
    return list(
        Category.objects.for_hromada(hromada)
        .filter(active=True)
        .prefetch_related("attributes")
        .order_by("kind", "group", "order", "name")
    )


def _caller_user(hromada, public_id):
    from hromada.accounts.models import User

    if not public_id:
        return None
    return User.objects.filter(public_id=public_id, is_active=True).first()


@staff_perm(rules.PERM_REGISTER)
def hotline(request):
    hromada = request.hromada
    search = CallerSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_valid() else ""
    callers = sel.callers_find(hromada=hromada, q=q) if q else []
    for found in callers:
        for case in found.cases:
            case.staff_url = safe_url("staff_appeals:case", case.public_id)  # type: ignore[attr-defined]
    chosen = sel.caller_details(
        hromada=hromada,
        user_public_id=request.GET.get("user", ""),
        case_public_id=request.GET.get("case", ""),
    )
    caller = chosen.pop("caller", None)
    initial = chosen | {"caller": caller.public_id if caller else None}
    if request.GET.get("kind") in CaseKind.values:
        initial["kind"] = request.GET["kind"]
    categories = _categories(hromada)
    form = HotlineForm(request.POST or None, categories=categories, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                registered = svc.hotline_register(
                    hromada=hromada,
                    operator=request.user,
                    kind=data["kind"],
                    channel=data["channel"],
                    caller=_caller_user(hromada, data.get("caller")),
                    cosigners=form.signers(),
                    **form.values(categories),
                )
            except DomainError as exc:
                show_problems(form, exc)
            else:
                return redirect("staff_appeals:hotline_done", registered.case.public_id)
        status = 400
    caller_user = caller or (
        _caller_user(hromada, form["caller"].value()) if request.method == "POST" else None
    )
    return render(
        request,
        "appeals/staff/hotline.html",
        {
            "search": search,
            "q": q,
            "callers": callers,
            "form": form,
            "caller_user": caller_user,
        },
        status=status,
    )


@staff_perm(rules.PERM_REGISTER)
def hotline_done(request, public_id):
    case = (
        Case.objects.for_hromada(request.hromada)
        .filter(public_id=public_id)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("category", "department")
        .first()
    )
    if case is None:
        raise Http404(_("Такого звернення немає."))
    missing = (
        [str(FIELD_MESSAGES[f]) for f in rules.missing_required(case)] if case.kind == CaseKind.APPEAL else []
    )
    if case.kind == CaseKind.APPEAL and case.collective and not case.cosigners.exists():
        missing.append(str(svc.EXTRA_MESSAGES["cosigners"]))
    return render(
        request,
        "appeals/staff/hotline_done.html",
        {
            "case": case,
            "missing": missing,
            "staff_url": safe_url("staff_appeals:case", case.public_id),
        },
    )
