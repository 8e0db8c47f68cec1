"""Public pages of a draft-act discussion and of proposals: the text as numbered
paragraphs, one paragraph with its proposals, the list of proposals, the form, one
proposal with its support and its answer. Thin: parse, call a service or selector,
render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.comments import selectors as comment_selectors
from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error
from hromada.core.ratelimit import rate_limit

from . import proposal_selectors as ps
from . import rules, selectors
from .forms_proposals import ProposalForm
from .models import Consultation, Kind, Paragraph, Proposal, ProposalStatus
from .services import proposals as svc

STATUS_FILTERS = [
    ("", _("Усі")),
    (ProposalStatus.PENDING, _("Розглядаються")),
    (ProposalStatus.ACCEPTED, _("Враховано")),
    (ProposalStatus.PARTLY, _("Враховано частково")),
    (ProposalStatus.REJECTED, _("Відхилено")),
    (ProposalStatus.WITHDRAWN, _("Відкликано")),
]


def _consultation(request, number: int) -> Consultation:
    try:
        return selectors.consultation_get(hromada=request.hromada, number=number)
    except NotFound:
        raise Http404(_("Такої консультації немає.")) from None


def _paragraph(consultation: Consultation, pid) -> Paragraph:
    try:
        return ps.paragraph_get(consultation, pid)
    except NotFound:
        raise Http404(_("Такого пункту немає.")) from None


def _proposal(request, consultation: Consultation, n: int) -> Proposal:
    try:
        return ps.proposal_get(consultation, n, user=request.user)
    except NotFound:
        raise Http404(_("Такої пропозиції немає.")) from None


def _base(request, consultation: Consultation) -> dict:
    return {
        "consultation": consultation,
        "phase": rules.phase_code(consultation),
        "is_discussion": consultation.kind == Kind.DISCUSSION,
        "propose_refusal": svc.proposals_refusal(consultation, request.user),
    }


def _comment_counts(kind: str, keys: list[str], hromada) -> dict[str, int]:
    """Comments per thing, in one query."""
    return comment_selectors.counts_for(hromada=hromada, target_kind=kind, keys=keys)


def text(request, number: int):
    consultation = _consultation(request, number)
    paragraphs = ps.paragraphs_of(consultation)
    counts = ps.paragraph_counts(consultation)
    comments = _comment_counts(
        "consultations.paragraph", [str(p.public_id) for p in paragraphs], request.hromada
    )
    rows = [
        {"paragraph": p, "proposals": counts.get(p.pk, 0), "comments": comments.get(str(p.public_id), 0)}
        for p in paragraphs
    ]
    return render(request, "consultations/proposals/text.html", _base(request, consultation) | {"rows": rows})


def paragraph(request, number: int, pid):
    consultation = _consultation(request, number)
    item = _paragraph(consultation, pid)
    form = ProposalForm(paragraphs=[item], initial={"paragraph": str(item.public_id)})
    context = _base(request, consultation) | {
        "paragraph": item,
        "proposals": list(ps.proposals_of(consultation, paragraph=item, order="supported")),
        "form": form,
        "comment_kind": "consultations.paragraph",
        "comment_key": str(item.public_id),
    }
    return render(request, "consultations/proposals/paragraph.html", context)


def proposals(request, number: int):
    consultation = _consultation(request, number)
    status = request.GET.get("status", "")
    status = status if status in ProposalStatus.values and status != ProposalStatus.HIDDEN else ""
    order = request.GET.get("order", "new")
    order = order if order in ("new", "supported") else "new"
    paragraphs = ps.paragraphs_of(consultation)
    chosen = next((p for p in paragraphs if str(p.public_id) == request.GET.get("paragraph", "")), None)
    rows = ps.proposals_of(consultation, paragraph=chosen, status=status or None, order=order)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    context = _base(request, consultation) | {
        "page": page,
        "query": query,
        "status": status,
        "order": order,
        "chosen": chosen,
        "paragraphs": [p for p in paragraphs if not p.heading],
        "statuses": STATUS_FILTERS,
        "orders": [("new", _("Спершу нові")), ("supported", _("Найбільше підтримок"))],
    }
    return render(request, "consultations/proposals/list.html", context)


@login_required
def proposal_new(request, number: int):
    consultation = _consultation(request, number)
    paragraphs = ps.paragraphs_of(consultation)
    is_discussion = consultation.kind == Kind.DISCUSSION
    form = ProposalForm(
        request.POST or None,
        paragraphs=paragraphs,
        with_wording=is_discussion,
        initial={"paragraph": request.GET.get("paragraph", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next((p for p in paragraphs if str(p.public_id) == data.get("paragraph")), None)
        try:
            with rate_limit(request, "consultations.propose"):
                proposal = svc.proposal_submit(
                    consultation=consultation,
                    user=request.user,
                    title=data["title"],
                    body=data.get("body", ""),
                    wording=data.get("wording", ""),
                    paragraph=chosen,
                )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Пропозицію №%(n)d подано. Її бачать усі.") % {"n": proposal.number})
            return redirect("consultations:proposal", consultation.number, proposal.number)
    context = _base(request, consultation) | {"form": form}
    return render(
        request,
        "consultations/proposals/new.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _detail_context(request, proposal: Proposal) -> dict:
    consultation = proposal.consultation
    return _base(request, consultation) | {
        "proposal": proposal,
        "is_author": svc.is_author(proposal, request.user),
        "support_refusal": svc.support_refusal(proposal, request.user),
        "has_supported": svc.has_supported(proposal, request.user),
        "comment_kind": "consultations.proposal",
        "comment_key": str(proposal.public_id),
    }


def proposal(request, number: int, n: int):
    consultation = _consultation(request, number)
    item = _proposal(request, consultation, n)
    return render(request, "consultations/proposals/detail.html", _detail_context(request, item))


@require_POST
def proposal_support(request, number: int, n: int):
    consultation = _consultation(request, number)
    item = _proposal(request, consultation, n)
    here = reverse("consultations:proposal", args=[consultation.number, item.number])
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": here}))
    htmx = bool(request.headers.get("HX-Request"))
    try:
        svc.proposal_support(proposal=item, user=request.user)
    except DomainError as exc:
        context = _detail_context(request, item) | {"support_error": exc}
        if htmx:
            return render(request, "consultations/proposals/_support.html", context)
        return render(request, "consultations/proposals/detail.html", context, status=exc.status)
    if htmx:
        return render(
            request,
            "consultations/proposals/_support.html",
            _detail_context(request, item) | {"thanks": True},
        )
    messages.success(request, _("Дякуємо! Вашу підтримку враховано."))
    return redirect(here)


@login_required
@require_POST
def proposal_withdraw(request, number: int, n: int):
    consultation = _consultation(request, number)
    item = _proposal(request, consultation, n)
    try:
        svc.proposal_withdraw(proposal=item, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Пропозицію відкликано."))
    return redirect("consultations:proposal", consultation.number, item.number)
