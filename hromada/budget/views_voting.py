"""Public voting pages: the residence, the list of ballots, one category's ballot with
its confirmation step, the receipt, and the pupils' page for school codes. Thin: the
services decide, the rules' refusals are shown before the button."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error
from hromada.core.ratelimit import rate_limit

from . import rules, selectors, tally, voting_selectors
from .forms_voting import BallotForm, ResidencyForm, SchoolBallotForm
from .models import CategoryKind, VotingRule
from .services import residency as residency_service
from .services import school_codes, voting
from .services.residency import AddressUnknown


def _cycle(request, slug):
    try:
        return selectors.cycle_get(hromada=request.hromada, slug=slug)
    except NotFound:
        raise Http404 from None


def _category(request, cycle, public_id):
    try:
        ctx = voting_selectors.ballot_context(hromada=request.hromada, public_id=public_id)
    except NotFound:
        raise Http404 from None
    if ctx.cycle.pk != cycle.pk:
        raise Http404
    return ctx


def rule_sentences(category) -> list[str]:
    """The voting rule in people's words, for the ballot page and the paper form."""
    out = []
    if category.max_choices:
        out.append(
            _("Оберіть до %(n)s проєктів.") % {"n": category.max_choices}
            if category.max_choices > 1
            else _("Оберіть один проєкт.")
        )
    if category.rule in (VotingRule.KNAPSACK, VotingRule.MIN_SHARE):
        out.append(
            _("Загальна вартість обраних проєктів — в межах %(pot)s.")
            % {"pot": tally.format_uah(int(category.pot))}
        )
    if category.rule == VotingRule.MIN_SHARE:
        required = category.as_tally().required_spend()
        percent = f"{float(category.min_share) * 100:g}".replace(".", ",")
        out.append(
            _("Оберіть проєкти щонайменше на %(percent)s %% суми: від %(amount)s.")
            % {"percent": percent, "amount": tally.format_uah(required)}
        )
    if category.rule == VotingRule.APPROVAL and not category.max_choices:
        out.append(_("Оберіть проєкти, які підтримуєте."))
    return out


def _next_url(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=False):
        return candidate
    return fallback


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def residency(request, slug):
    cycle = _cycle(request, slug)
    current = voting_selectors.residency_of(cycle=cycle, user=request.user)
    back = _next_url(request, reverse("budget:vote", args=[cycle.slug]))
    suggestions: list[str] = []
    locked = residency_service.has_voted(cycle=cycle, user=request.user)
    if request.method == "POST":
        form = ResidencyForm(request.POST)
        if form.is_valid():
            try:
                with rate_limit(request, "budget.residency"):
                    residency_service.residency_declare(
                        cycle=cycle, user=request.user, address=form.cleaned_data["address"]
                    )
            except AddressUnknown as exc:
                suggestions = exc.suggestions
                apply_domain_error(request, form, exc)
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                return redirect(back)
    else:
        form = ResidencyForm(initial={"address": current.address if current else "", "next": back})
    return render(
        request,
        "budget/residency.html",
        {
            "cycle": cycle,
            "form": form,
            "current": current,
            "suggestions": suggestions,
            "locked": locked,
            "back": back,
        },
    )


@never_cache
def vote(request, slug):
    cycle = _cycle(request, slug)
    refusal = rules.voting_phase_refusal(cycle)
    lines = (
        voting_selectors.categories_for(cycle=cycle, user=request.user)
        if request.user.is_authenticated
        else []
    )
    cycle_refusal = None
    if request.user.is_authenticated:
        cycle_refusal, _standing = rules.participant_refusal(request.user, cycle)
    return render(
        request,
        "budget/vote.html",
        {
            "cycle": cycle,
            "phase_refusal": refusal,
            "published": cycle.published_at is not None,
            "lines": lines,
            "cycle_refusal": cycle_refusal,
            "residency": voting_selectors.residency_of(cycle=cycle, user=request.user),
            "login_url": reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}),
            "residency_url": reverse("budget:residency", args=[cycle.slug])
            + "?"
            + urlencode({"next": request.get_full_path()}),
            "school_categories": [c for c in selectors.categories_of(cycle) if c.kind == CategoryKind.SCHOOL],
        },
    )


def _ballot_context(request, cycle, ctx, form, *, error=None, confirm=None):
    category = ctx.category
    refusal = rules.voting_phase_refusal(cycle)
    if refusal is None and cycle.published_at is None:
        refusal = DomainError("ballot_not_published", _("Бюлетень ще не оприлюднено."))
    standing_refusal = None
    ballot = None
    if request.user.is_authenticated:
        standing_refusal, standing = rules.participant_refusal(request.user, cycle, category=category)
        if standing.person_key:
            voter = rules.voter_pseudonym(cycle=cycle, person_key=standing.person_key)
            ballot = voting_selectors.ballot_of(category=category, voter=voter)
    else:
        standing_refusal = DomainError("login_required", _("Увійдіть, щоб проголосувати."), status=401)
    projects = voting_selectors.ballot_rows(category)
    return {
        "cycle": cycle,
        "category": category,
        "projects": projects,
        "costs": {str(p.public_id): p.voted_cost for p in projects},
        "form": form,
        "rules_text": rule_sentences(category),
        "pot": int(category.pot),
        "max_choices": category.max_choices or "",
        "min_spend": category.as_tally().required_spend() if category.rule == VotingRule.MIN_SHARE else "",
        "refusal": refusal or standing_refusal,
        "ballot": ballot,
        "error": error,
        "confirm": confirm,
        "login_url": reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}),
        "residency_url": reverse("budget:residency", args=[cycle.slug])
        + "?"
        + urlencode({"next": request.get_full_path()}),
    }


@never_cache
@require_http_methods(["GET", "POST"])
def vote_category(request, slug, category):
    cycle = _cycle(request, slug)
    ctx = _category(request, cycle, category)
    if ctx.category.kind == CategoryKind.SCHOOL:
        return redirect(
            reverse("budget:school_vote", args=[cycle.slug]) + f"?category={ctx.category.public_id}"
        )
    projects = voting_selectors.ballot_rows(ctx.category)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.path}))
        form = BallotForm(request.POST, projects=projects)
        if form.is_valid():
            choices = form.cleaned_data["choices"]
            try:
                if request.POST.get("confirm") != "1":
                    # The confirmation step: checked as the service will, nothing stored yet.
                    voting.check_choices(ctx, voting.normalise_choices(choices))
                    chosen = [p for p in projects if str(p.public_id) in choices]
                    confirm = {"projects": chosen, "total": sum(p.voted_cost for p in chosen)}
                    return render(
                        request,
                        "budget/vote_category.html",
                        _ballot_context(request, cycle, ctx, form, confirm=confirm),
                    )
                voting.ballot_cast(category=ctx.category, user=request.user, choices=choices)
            except DomainError as exc:
                apply_domain_error(request, form, exc)
                return render(
                    request,
                    "budget/vote_category.html",
                    _ballot_context(request, cycle, ctx, form, error=exc),
                    status=exc.status if exc.status in (400, 403, 409) else 400,
                )
            return redirect("budget:voted", slug=cycle.slug, category=ctx.category.public_id)
    else:
        form = BallotForm(projects=projects)
    return render(request, "budget/vote_category.html", _ballot_context(request, cycle, ctx, form))


@never_cache
@login_required
def voted(request, slug, category):
    cycle = _cycle(request, slug)
    ctx = _category(request, cycle, category)
    _refusal, standing = rules.participant_refusal(request.user, cycle)
    voter = rules.voter_pseudonym(cycle=cycle, person_key=standing.person_key)
    ballot = voting_selectors.ballot_of(category=ctx.category, voter=voter)
    if ballot is None:
        return redirect("budget:vote_category", slug=cycle.slug, category=ctx.category.public_id)
    chosen = [p for p in voting_selectors.ballot_rows(ctx.category) if str(p.public_id) in ballot.choices]
    return render(
        request,
        "budget/voted.html",
        {
            "cycle": cycle,
            "category": ctx.category,
            "ballot": ballot,
            "chosen": chosen,
            "channel": voting_selectors.channel_label(ballot.channel),
            "receipt": ballot.voter,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def school_vote(request, slug):
    cycle = _cycle(request, slug)
    schools = [c for c in selectors.categories_of(cycle) if c.kind == CategoryKind.SCHOOL]
    wanted = request.POST.get("category") or request.GET.get("category") or ""
    chosen = next((c for c in schools if str(c.public_id) == wanted), None)
    if chosen is None and len(schools) == 1:
        chosen = schools[0]
    ctx = _category(request, cycle, chosen.public_id) if chosen is not None else None
    projects = voting_selectors.ballot_rows(ctx.category) if ctx else []
    done = None
    status = 200
    if request.method == "POST" and ctx is not None:
        form = SchoolBallotForm(request.POST, projects=projects)
        if form.is_valid():
            # Every attempt counts (a refused one too): guessing codes is slowed down.
            rate_limit(request, "budget.school_vote")
            try:
                done = school_codes.school_ballot_cast(
                    category=ctx.category,
                    code=form.cleaned_data["code"],
                    choices=form.cleaned_data["choices"],
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
                status = exc.status if exc.status in (400, 403, 409) else 400
            else:
                form = SchoolBallotForm(projects=projects)
    else:
        form = SchoolBallotForm(projects=projects)
    return render(
        request,
        "budget/school_vote.html",
        {
            "cycle": cycle,
            "schools": schools,
            "category": ctx.category if ctx else None,
            "projects": projects,
            "costs": {str(p.public_id): p.voted_cost for p in projects},
            "form": form,
            "rules_text": rule_sentences(ctx.category) if ctx else [],
            "pot": int(ctx.category.pot) if ctx else "",
            "max_choices": (ctx.category.max_choices or "") if ctx else "",
            "refusal": rules.voting_phase_refusal(cycle),
            "done": done,
        },
        status=status,
    )
