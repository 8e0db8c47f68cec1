"""Staff pages of voting: paper and assisted ballots, manual authorisation, school
codes. Each checks its permission (rules.can_*); the services check it again."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.forms import apply_domain_error

from . import rules, selectors, voting_selectors
from .forms_voting import AuthorisationForm, CodesForm, PaperBallotForm
from .models import Category, CategoryKind
from .services import authorisations as authorisation_service
from .services import school_codes, voting
from .services.residency import AddressUnknown
from .views_voting import rule_sentences


def staff_page(check):
    """Staff login, then the permission `check(user, hromada)`; otherwise 403."""

    def decorate(view):
        @wraps(view)
        @never_cache
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user, request.hromada):
                return render(request, "budget/_vote_forbidden.html", status=403)
            try:
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                return render(request, "budget/_vote_forbidden.html", {"message": exc.message}, status=403)

        return wrapper

    return decorate


def _pick_cycle(request, *, voting_only: bool = False):
    cycles = list(selectors.cycles_public(hromada=request.hromada))
    if voting_only:
        cycles = [c for c in cycles if rules.phase_code(c) == "voting"] or cycles
    slug = request.POST.get("cycle") or request.GET.get("cycle") or ""
    cycle = next((c for c in cycles if c.slug == slug), None)
    if cycle is None and len(cycles) == 1:
        cycle = cycles[0]
    return cycles, cycle


@staff_page(rules.can_enter_paper)
def paper(request):
    cycles, cycle = _pick_cycle(request, voting_only=True)
    categories = [c for c in selectors.categories_of(cycle) if c.kind != CategoryKind.SCHOOL] if cycle else []
    wanted = request.POST.get("category") or request.GET.get("category") or ""
    category = next((c for c in categories if str(c.public_id) == wanted), None)
    if category is None and len(categories) == 1:
        category = categories[0]
    projects = voting_selectors.ballot_rows(category) if category else []
    entered = None
    status = 200
    if request.method == "POST" and category is not None:
        form = PaperBallotForm(request.POST, projects=projects)
        if form.is_valid():
            data = form.cleaned_data
            try:
                entered = voting.paper_ballot_enter(
                    category=category,
                    actor=request.user,
                    tax_number=data["tax_number"],
                    choices=data["choices"],
                    channel=data["channel"],
                    address=data["address"],
                )
            except AddressUnknown as exc:
                apply_domain_error(request, form, exc)
                if exc.suggestions:
                    form.add_error(
                        "address", _("Найближчі адреси: %(list)s.") % {"list": "; ".join(exc.suggestions)}
                    )
                status = 400
            except DomainError as exc:
                apply_domain_error(request, form, exc)
                status = exc.status if exc.status in (400, 403, 409) else 400
            else:
                messages.success(
                    request,
                    _("Бюлетень внесено. Квитанція виборця: %(receipt)s") % {"receipt": entered.voter},
                )
                # The next voter: a blank form on the same cycle and category.
                query = urlencode({"cycle": cycle.slug, "category": str(category.public_id)})
                return redirect(reverse("staff_budget:paper") + "?" + query)
    else:
        form = PaperBallotForm(projects=projects)
    return render(
        request,
        "budget/staff/paper_form.html" if category else "budget/staff/paper.html",
        {
            "cycles": cycles,
            "cycle": cycle,
            "categories": categories,
            "category": category,
            "projects": projects,
            "form": form,
            "rules_text": rule_sentences(category) if category else [],
            "pot": int(category.pot) if category else "",
            "max_choices": (category.max_choices or "") if category else "",
            "min_spend": "",
            "phase_refusal": rules.voting_phase_refusal(cycle) if cycle else None,
        },
        status=status,
    )


@staff_page(rules.can_authorise)
def authorisations(request):
    cycles, cycle = _pick_cycle(request)
    rows = []
    if cycle is not None:
        rows = voting_selectors.authorisations_of(cycle)
        for row in rows:
            row.receipt = rules.voter_pseudonym(cycle=cycle, person_key=row.person_key)
    return render(
        request, "budget/staff/authorisations.html", {"cycles": cycles, "cycle": cycle, "rows": rows}
    )


@staff_page(rules.can_authorise)
def authorisation_new(request):
    cycles, cycle = _pick_cycle(request)
    if cycle is None:
        return redirect("staff_budget:authorisations")
    status = 200
    if request.method == "POST":
        form = AuthorisationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            user = authorisation_service.account_of(data["tax_number"]) if data["link_account"] else None
            try:
                authorisation_service.authorisation_grant(
                    cycle=cycle,
                    actor=request.user,
                    tax_number=data["tax_number"],
                    reason=data["reason"],
                    document_seen=data["document_seen"],
                    note=data["note"],
                    user=user,
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
                status = exc.status if exc.status in (400, 403, 409) else 400
            else:
                messages.success(request, _("Право голосу підтверджено."))
                return redirect(
                    reverse("staff_budget:authorisations") + "?" + urlencode({"cycle": cycle.slug})
                )
    else:
        form = AuthorisationForm()
    return render(
        request,
        "budget/staff/authorisation_form.html",
        {"cycle": cycle, "form": form, "allowed": cycle.allow_authorisation},
        status=status,
    )


@require_POST
@staff_page(rules.can_authorise)
def authorisation_revoke(request, pk: int):
    row = voting_selectors.authorisation_get(hromada=request.hromada, pk=pk)
    if row is None:
        return render(request, "budget/_vote_forbidden.html", {"message": _("Не знайдено.")}, status=404)
    authorisation_service.authorisation_revoke(authorisation=row, actor=request.user)
    messages.success(request, _("Підтвердження права голосу відкликано."))
    return redirect(reverse("staff_budget:authorisations") + "?" + urlencode({"cycle": row.cycle.slug}))


def _school_categories(request) -> list[Category]:
    return voting_selectors.school_categories(hromada=request.hromada)


@staff_page(rules.can_print_codes)
def codes(request):
    categories = _school_categories(request)
    status = 200
    if request.method == "POST":
        form = CodesForm(request.POST, categories=categories)
        if form.is_valid():
            data = form.cleaned_data
            category = next(c for c in categories if str(c.public_id) == data["category"])
            try:
                batch, issued = school_codes.codes_issue(
                    category=category, actor=request.user, size=data["size"], label=data["label"]
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
                status = 400
            else:
                vote_url = request.build_absolute_uri(
                    reverse("budget:school_vote", args=[category.cycle.slug])
                )
                response = render(
                    request,
                    "budget/staff/codes_print.html",
                    {
                        "batch": batch,
                        "category": category,
                        "codes": [school_codes.code_display(c) for c in issued],
                        "vote_url": vote_url,
                    },
                )
                response["Cache-Control"] = "no-store"
                return response
    else:
        form = CodesForm(categories=categories)
    batches = voting_selectors.code_batches(hromada=request.hromada, categories=categories)
    return render(
        request,
        "budget/staff/codes.html",
        {"form": form, "categories": categories, "batches": batches},
        status=status,
    )


@require_POST
@staff_page(rules.can_print_codes)
def codes_revoke(request, batch):
    row = voting_selectors.code_batch_get(hromada=request.hromada, public_id=batch)
    if row is None:
        return render(
            request, "budget/_vote_forbidden.html", {"message": _("Такої партії кодів немає.")}, status=404
        )
    school_codes.batch_revoke(batch=row, actor=request.user)
    messages.success(request, _("Партію кодів відкликано: невикористані коди більше не діють."))
    return redirect("staff_budget:codes")
