"""Staff pages of the proposals part: the draft act's text (paste and split, edit one by
one), a consultation's proposals, the answer to one proposal, the queue of proposals
awaiting an answer, moderation. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import proposal_selectors as ps
from . import selectors
from .forms_proposals import AnswerForm, ParagraphForm, PasteForm, ReasonForm
from .models import Consultation, Status
from .services import moderation as mod
from .services import paragraphs as para
from .services import proposals as svc
from .staff_common import staff_perm


def _consultation(request, cid) -> Consultation:
    try:
        return selectors.consultation_for_staff(hromada=request.hromada, public_id=cid)
    except NotFound:
        raise Http404(_("Такої консультації немає.")) from None


@staff_perm("consultations.manage")
def paragraphs(request, cid):
    consultation = _consultation(request, cid)
    rows = ps.paragraphs_of(consultation)
    paste = PasteForm(initial={"text": para.paragraphs_text(consultation)})
    add = ParagraphForm(prefix="new")
    preview = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action in ("preview", "replace"):
                paste = PasteForm(request.POST)
                if paste.is_valid():
                    if action == "preview":
                        preview = para.paragraphs_preview(paste.cleaned_data["text"])
                    else:
                        made = para.paragraphs_replace(
                            consultation=consultation, actor=request.user, text=paste.cleaned_data["text"]
                        )
                        messages.success(request, _("Текст збережено: %(n)d пунктів.") % {"n": len(made)})
                        return redirect("staff_consultations:paragraphs", consultation.public_id)
            elif action == "add":
                add = ParagraphForm(request.POST, prefix="new")
                if add.is_valid():
                    para.paragraph_add(consultation=consultation, actor=request.user, **add.cleaned_data)
                    messages.success(request, _("Пункт додано."))
                    return redirect("staff_consultations:paragraphs", consultation.public_id)
            elif action in ("save", "delete", "up", "down"):
                item = ps.paragraph_get(consultation, request.POST.get("paragraph", ""))
                if action == "save":
                    edit = ParagraphForm(request.POST, prefix=str(item.public_id))
                    if not edit.is_valid():
                        first = next(iter(edit.errors.values()))[0]
                        raise DomainError(
                            "paragraph_invalid", _("Пункт %(n)s: %(e)s") % {"n": item.number, "e": first}
                        )
                    para.paragraph_update(paragraph=item, actor=request.user, **edit.cleaned_data)
                elif action == "delete":
                    para.paragraph_delete(paragraph=item, actor=request.user)
                else:
                    para.paragraph_move(paragraph=item, actor=request.user, direction=action)
                messages.success(request, _("Зміни збережено."))
                return redirect("staff_consultations:paragraphs", consultation.public_id)
        except NotFound:
            messages.error(request, _("Такого пункту немає."))
        except DomainError as exc:
            target = add if action == "add" else paste if action in ("preview", "replace") else None
            apply_domain_error(request, target, exc)
            status = exc.status if exc.status != 200 else 400
        if paste.errors or add.errors:
            status = 400
    context = {
        "consultation": consultation,
        "rows": [
            (
                p,
                ParagraphForm(
                    prefix=str(p.public_id),
                    initial={"number": p.number, "text": p.text, "heading": p.heading},
                ),
            )
            for p in rows
        ],
        "paste": paste,
        "add": add,
        "preview": preview,
        "editable": consultation.status == Status.DRAFT,
    }
    return render(request, "consultations/staff/proposals/paragraphs.html", context, status=status)


@staff_perm("consultations.answer", "consultations.manage")
def proposals(request, cid):
    consultation = _consultation(request, cid)
    state = request.GET.get("state", "")
    state = state if state in ("pending", "answered", "hidden") else ""
    all_paragraphs = ps.paragraphs_of(consultation)
    chosen = next((p for p in all_paragraphs if str(p.public_id) == request.GET.get("paragraph", "")), None)
    context = {
        "consultation": consultation,
        "items": list(ps.staff_proposals(consultation, state=state, paragraph=chosen)[:500]),
        "state": state,
        "chosen": chosen,
        "paragraphs": [p for p in all_paragraphs if not p.heading],
        "summary": ps.proposal_summary(consultation),
        "deadline": ps.report_deadline(consultation),
    }
    return render(request, "consultations/staff/proposals/list.html", context)


@staff_perm("consultations.answer")
def proposal_answer(request, cid, n: int):
    consultation = _consultation(request, cid)
    try:
        proposal = ps.proposal_get(consultation, n, user=request.user)
    except NotFound:
        raise Http404(_("Такої пропозиції немає.")) from None
    initial = {"status": proposal.status, "reason": proposal.reason} if proposal.answered_at else {}
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            svc.proposal_answer(
                proposal=proposal,
                actor=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Відповідь на пропозицію №%(n)d збережено.") % {"n": proposal.number})
            return redirect("staff_consultations:proposals", consultation.public_id)
    context = {
        "consultation": consultation,
        "proposal": proposal,
        "form": form,
        "report_published": svc.report_published(consultation),
    }
    return render(
        request,
        "consultations/staff/proposals/answer.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@staff_perm("consultations.answer")
def proposals_queue(request):
    items = ps.proposals_queue(hromada=request.hromada)
    return render(request, "consultations/staff/proposals_queue.html", {"items": items})


@staff_perm("consultations.moderate")
def moderation(request):
    chosen = None
    if request.GET.get("consultation"):
        try:
            chosen = selectors.consultation_for_staff(
                hromada=request.hromada, public_id=request.GET["consultation"]
            )
        except (NotFound, ValueError, DomainError):
            chosen = None
    context = {
        "answers": ps.moderation_queue(hromada=request.hromada, consultation=chosen),
        "counts": ps.moderation_counts(hromada=request.hromada),
        "chosen": chosen,
        "proposals": list(ps.proposals_to_moderate(hromada=request.hromada)),
        "form": ReasonForm(),
    }
    return render(request, "consultations/staff/moderation.html", context)


@staff_perm("consultations.moderate")
@require_POST
def moderation_answers(request):
    ids = [i for i in request.POST.getlist("answer") if i.isdigit()]
    state = request.POST.get("state", "")
    by_consultation: dict[str, list[int]] = {}
    for value in ids:
        by_consultation.setdefault(request.POST.get(f"c-{value}", ""), []).append(int(value))
    changed = 0
    try:
        if not ids:
            raise DomainError("answers_required", _("Позначте хоча б одну відповідь."))
        for cid, answer_ids in by_consultation.items():
            consultation = _consultation(request, cid) if cid else None
            if consultation is None:
                continue
            changed += mod.answers_moderate(
                consultation=consultation, actor=request.user, answer_ids=answer_ids, state=state
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Змінено відповідей: %(n)d.") % {"n": changed})
    return redirect("staff_consultations:moderation")


@staff_perm("consultations.moderate")
@require_POST
def moderation_proposal(request, cid, n: int):
    consultation = _consultation(request, cid)
    try:
        proposal = ps.proposal_get(consultation, n, user=request.user)
    except NotFound:
        raise Http404(_("Такої пропозиції немає.")) from None
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        if request.POST.get("action") == "show":
            mod.proposal_show(proposal=proposal, actor=request.user, reason=reason)
            messages.success(request, _("Пропозицію №%(n)d знову показано.") % {"n": proposal.number})
        else:
            mod.proposal_hide(proposal=proposal, actor=request.user, reason=reason)
            messages.success(request, _("Пропозицію №%(n)d приховано.") % {"n": proposal.number})
    except DomainError as exc:
        messages.error(request, _("Пропозиція №%(n)d: %(e)s") % {"n": proposal.number, "e": exc.message})
    return redirect("staff_consultations:moderation")
