"""Public pages of a consultation's life: the list with its filters, the consultation's
page, following and subscribing, "my consultations". Thin: parse, call a selector or
service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, NotFound

from . import rules, selectors
from .models import Audience, Kind
from .services import follows, participation
from .staff_common import safe_url

PAGE_SIZE = 20


def _consultation(request, number: int):
    try:
        return selectors.consultation_get(hromada=request.hromada, number=number)
    except NotFound:
        raise Http404(_("Такої консультації немає.")) from None


def state_names() -> dict[str, str]:
    return {"upcoming": _("Незабаром"), "open": _("Тривають"), "closed": _("Завершені")}


def phase_names() -> dict[str, str]:
    return {
        "draft": _("Чернетка"),
        "upcoming": _("Незабаром"),
        "open": _("Триває"),
        "report": _("Завершено, готується звіт"),
        "closed": _("Завершено"),
        "cancelled": _("Скасовано"),
    }


def _chips(request, name: str, choices: list, current: str) -> list[dict]:
    """Filter links: each keeps the other filters and sets (or clears) its own."""
    out = []
    for value, label in [("", _("Усі")), *choices]:
        params = {k: v for k, v in request.GET.items() if k not in (name, "page") and v}
        if value:
            params[name] = value
        out.append(
            {"label": label, "url": "?" + urlencode(params) if params else "?", "current": value == current}
        )
    return out


def card(consultation, *, user=None) -> dict:
    """What a list card shows: the badge, the dates, the count, the action."""
    code = rules.phase_code(consultation)
    url = reverse("consultations:detail", args=[consultation.number])
    if code == "open":
        action = (_("Взяти участь"), url)
        if consultation.kind == Kind.SURVEY:
            action = (_("Пройти опитування"), safe_url("consultations:answer", consultation.number) or url)
        if consultation.kind == Kind.DISCUSSION:
            action = (_("Читати проєкт акта"), safe_url("consultations:text", consultation.number) or url)
    elif code in ("report", "closed"):
        action = (_("Результати"), url)
    else:
        action = (_("Докладніше"), url)
    participants = consultation.response_count + getattr(consultation, "proposal_total", 0)
    return {
        "consultation": consultation,
        "phase": code,
        "phase_name": phase_names()[code],
        "url": url,
        "action_label": action[0],
        "action_url": action[1],
        "participants": participants,
    }


def index(request):
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "")
    q = request.GET.get("q", "")[: selectors.SEARCH_MAX]
    rows = selectors.consultation_list(hromada=request.hromada, kind=kind, state=state, q=q)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = {k: v for k, v in (("kind", kind), ("state", state), ("q", q)) if v}
    return render(
        request,
        "consultations/index.html",
        {
            "cards": [card(c) for c in page.object_list],
            "page": page,
            "page_query": urlencode(params),
            "kind_chips": _chips(request, "kind", list(Kind.choices), kind if kind in Kind.values else ""),
            "state_chips": _chips(
                request, "state", list(state_names().items()), state if state in selectors.STATES else ""
            ),
            "q": q,
            "filtered": bool(params),
            "subscribed": follows.is_subscribed(hromada=request.hromada, user=request.user),
        },
    )


def audience_lines(consultation) -> list[str]:
    lines = [str(Audience(consultation.audience).label) + "."]
    if consultation.min_age:
        lines.append(_("З %(age)d років.") % {"age": consultation.min_age})
    if consultation.area_id is not None:
        lines.append(_("Лише мешканці: %(area)s (вкажіть адресу).") % {"area": consultation.area.name})
    if consultation.anonymous:
        lines.append(_("Відповіді анонімні: у результатах імен немає, але кожен відповідає один раз."))
    else:
        lines.append(_("У результатах імен учасників немає; імена авторів пропозицій показують."))
    return lines


def detail_context(request, consultation, *, preview: bool = False) -> dict:
    code = rules.phase_code(consultation)
    number = consultation.number
    report = selectors.report_of(consultation) if not preview else None

    def part(name: str) -> str:
        return safe_url(name, number) if number else ""

    refusal = None
    if not preview and code in ("upcoming", "open"):
        refusal = participation.refusal(request.user, consultation, check_open=False)
    is_open = code == "open"
    survey_like = consultation.kind == Kind.SURVEY or consultation.questions.exists()
    actions = []
    if is_open and survey_like:
        actions.append(
            {"label": _("Відповісти на питання"), "url": part("consultations:answer"), "primary": True}
        )
    if consultation.kind == Kind.DISCUSSION:
        actions.append(
            {
                "label": _("Читати проєкт акта"),
                "url": part("consultations:text"),
                "primary": is_open and not survey_like,
            }
        )
    if consultation.allow_proposals or consultation.kind == Kind.DISCUSSION:
        actions.append({"label": _("Пропозиції"), "url": part("consultations:proposals"), "primary": False})
    if rules.results_visible(consultation, request.user) and code != "draft":
        actions.append({"label": _("Результати"), "url": part("consultations:results"), "primary": False})
    return {
        "consultation": consultation,
        "phase": code,
        "phase_name": phase_names()[code],
        "preview": preview,
        "steps": selectors.timeline(consultation),
        "extensions": selectors.extensions_of(consultation),
        "documents": selectors.documents_of(consultation),
        "audience": audience_lines(consultation),
        "refusal": refusal,
        "actions": [a for a in actions if a["url"] or preview],
        "report": report,
        "report_url": part("consultations:report") if report is not None else "",
        "following": follows.is_following(consultation, request.user),
        "follow_url": reverse("consultations:follow", args=[number]) if number else "",
        "response": participation.response_of(consultation, request.user) if not preview else None,
    }


def detail(request, number: int):
    consultation = _consultation(request, number)
    return render(request, "consultations/detail.html", detail_context(request, consultation))


def _back(request, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = default
    return HttpResponseRedirect(target or default)


@require_POST
def follow(request, number: int):
    consultation = _consultation(request, number)
    url = reverse("consultations:detail", args=[number])
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("accounts:login") + "?" + urlencode({"next": url}))
    stop = request.POST.get("action") == "unfollow"
    try:
        if stop:
            follows.follow_remove(consultation=consultation, user=request.user)
        else:
            follows.follow_add(consultation=consultation, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return HttpResponseRedirect(url)
    following = not stop
    if request.headers.get("HX-Request"):
        return render(
            request,
            "consultations/_follow.html",
            {
                "following": following,
                "follow_url": request.path,
                "consultation": consultation,
                "announce": True,
            },
        )
    messages.success(
        request,
        _("Ви стежите за консультацією: розповімо про продовження строку й звіт.")
        if following
        else _("Ви більше не стежите за консультацією."),
    )
    return _back(request, url)


@require_POST
def subscribe(request):
    url = reverse("consultations:index")
    if not request.user.is_authenticated:
        return HttpResponseRedirect(reverse("accounts:login") + "?" + urlencode({"next": url}))
    if request.POST.get("action") == "unsubscribe":
        follows.unsubscribe(hromada=request.hromada, user=request.user)
        messages.success(request, _("Ви більше не отримуватимете сповіщень про нові консультації."))
    else:
        follows.subscribe(hromada=request.hromada, user=request.user)
        messages.success(request, _("Повідомимо, щойно розпочнеться нова консультація чи опитування."))
    return _back(request, url)


@login_required
def my(request):
    rows = selectors.my(hromada=request.hromada, user=request.user)
    return render(
        request,
        "consultations/my.html",
        {
            "rows": [
                {
                    **card(r.consultation),
                    "answered": r.answered,
                    "draft": r.draft and rules.phase_code(r.consultation) == "open",
                    "proposals": r.proposals,
                    "following": r.following,
                    "answer_url": safe_url("consultations:answer", r.consultation.number),
                }
                for r in rows
            ],
            "subscribed": follows.is_subscribed(hromada=request.hromada, user=request.user),
        },
    )
