"""Staff console for petitions: queues (filters, search, bulk actions), moderation,
the case page (assignment, notes, answer drafts, approval, extension, correction,
follow-up), signer lists, statistics and category routing."""

from __future__ import annotations

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error
from hromada.core.opendata import csv_response

from . import rules, selectors, services, staff_selectors
from .forms import (
    AnswerForm,
    AssignForm,
    CategoryRouteForm,
    CorrectionForm,
    ExtendForm,
    FollowUpForm,
    NoteForm,
    RejectForm,
    ReturnForm,
    StepForm,
)
from .models import Decision, DraftStatus, Petition, RejectionReason, Status

audit = logging.getLogger("hromada.audit")

QUEUE_TITLES = {
    "moderation": gettext_lazy("Черга модерації"),
    "consideration": gettext_lazy("Петиції на розгляді"),
    "approval": gettext_lazy("Відповіді на затвердженні"),
    "followup": gettext_lazy("Виконання підтриманих петицій"),
    "all": gettext_lazy("Усі петиції громади"),
}
PER_PAGE = 25
BULK_MAX = 100


def staff_required(view):
    @wraps(view)
    @never_cache
    @login_required
    def wrapper(request, *args, **kwargs):
        if not rules.can_view_staff_queues(request.user, request.hromada):
            return render(request, "petitions/staff/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _petition(request, public_id):
    try:
        return selectors.petition_get(hromada=request.hromada, public_id=public_id, viewer=request.user)
    except NotFound:
        return None


def _not_found(request):
    return render(request, "petitions/staff/forbidden.html", {"not_found": True}, status=404)


def _denied(request, exc):
    return render(request, "petitions/staff/forbidden.html", {"message": exc.message}, status=403)


def _confirm(request, *, title, what_happens, action_url, fields, button, danger=True, back=""):
    """A confirmation step for a destructive action: the same POST again with confirm=1."""
    context = {
        "title": title,
        "what_happens": what_happens,
        "action_url": action_url,
        "fields": [(k, v) for k, v in fields.items() if k not in ("csrfmiddlewaretoken", "confirm")],
        "button": button,
        "danger": danger,
        "back": back or request.META.get("HTTP_REFERER", "") or reverse("staff:index"),
    }
    return render(request, "core/confirm.html", context)


def _multi_fields(post) -> list[tuple[str, str]]:
    return [(k, v) for k in post for v in post.getlist(k) if k not in ("csrfmiddlewaretoken", "confirm")]


# --- queues ------------------------------------------------------------------------------------


def _queue_view(request, queue: str):
    hromada = request.hromada
    filters = staff_selectors.StaffFilters.from_query(request.GET)
    qs = staff_selectors.staff_queue(hromada=hromada, user=request.user, queue=queue, filters=filters)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v})
    can_assign = rules.can_assign(request.user, hromada) and queue in ("consideration", "followup")
    context = {
        "queue": queue,
        "title": QUEUE_TITLES[queue],
        "page": page,
        "rows": staff_selectors.queue_rows(page, queue=queue),
        "filters": filters,
        "query": query,
        "categories": selectors.category_list(hromada=hromada),
        "departments": staff_selectors.departments_for(hromada=hromada),
        "officers": staff_selectors.officers_for(hromada=hromada),
        "draft_statuses": DraftStatus.choices if queue == "approval" else (),
        "petition_statuses": [
            (v, lbl) for v, lbl in Status.choices if v not in staff_selectors.PRIVATE_STATUSES
        ]
        if queue == "all"
        else (),
        "can_assign": can_assign,
        "assign_form": AssignForm(
            departments=staff_selectors.departments_for(hromada=hromada),
            officers=staff_selectors.officers_for(hromada=hromada),
            prefix="bulk",
        )
        if can_assign
        else None,
        "active": queue,
    }
    return render(request, "petitions/staff/queue.html", context)


@staff_required
def moderation_queue(request):
    return _queue_view(request, "moderation")


@staff_required
def consideration_queue(request):
    return _queue_view(request, "consideration")


@staff_required
def approval_queue(request):
    return _queue_view(request, "approval")


@staff_required
def followup_queue(request):
    return _queue_view(request, "followup")


@staff_required
def all_queue(request):
    return _queue_view(request, "all")


@staff_required
@require_http_methods(["POST"])
def bulk(request, queue):
    """A bulk action from a queue: assign, or mark as read; shown for confirmation first."""
    if queue not in staff_selectors.QUEUES:
        return _not_found(request)
    back = reverse(f"staff_petitions:{queue}")
    ids = request.POST.getlist("ids")[:BULK_MAX]
    petitions = list(
        Petition.objects.filter(hromada=request.hromada, public_id__in=[i for i in ids if _is_uuid(i)])
        .select_related("hromada")
        .order_by("number")
    )
    if not petitions:
        messages.error(request, _("Позначте хоча б одну петицію."))
        return redirect(back)
    action = request.POST.get("action")
    numbers = ", ".join(f"№{p.number}" for p in petitions)
    try:
        if action == "read":
            services.petitions_mark_read(petitions=petitions, user=request.user, hromada=request.hromada)
            messages.success(request, _("Позначено як переглянуті: %(list)s.") % {"list": numbers})
            return redirect(back)
        if action == "assign":
            form = AssignForm(
                request.POST,
                departments=staff_selectors.departments_for(hromada=request.hromada),
                officers=staff_selectors.officers_for(hromada=request.hromada),
                prefix="bulk",
            )
            if not form.is_valid():
                messages.error(request, _("Оберіть підрозділ або посадову особу зі списку."))
                return redirect(back)
            department, officer = _assignee(request, form)
            if request.POST.get("confirm") != "1":
                whom = ", ".join(
                    str(x) for x in (department, officer and (officer.display_name or officer.email)) if x
                )
                return _confirm_multi(request, numbers, whom, back)
            count = services.petition_assign(
                petitions=petitions, actor=request.user, department=department, officer=officer
            )
            messages.success(request, _("Призначено петицій: %(n)d.") % {"n": count})
            return redirect(back)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    messages.error(request, _("Оберіть дію."))
    return redirect(back)


def _confirm_multi(request, numbers, whom, back):
    context = {
        "title": _("Призначити петиції?"),
        "what_happens": _(
            "Петиції %(list)s буде призначено: %(whom)s. Попереднє призначення буде замінено; "
            "призначена посадова особа отримає сповіщення."
        )
        % {"list": numbers, "whom": whom or "—"},
        "action_url": request.path,
        "fields": _multi_fields(request.POST),
        "button": _("Так, призначити"),
        "danger": False,
        "back": back,
    }
    return render(request, "core/confirm.html", context)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _assignee(request, form):
    from hromada.accounts.models import Department

    department = officer = None
    if form.cleaned_data.get("department"):
        department = Department.objects.filter(
            hromada=request.hromada, public_id=form.cleaned_data["department"]
        ).first()
    if form.cleaned_data.get("officer"):
        officer = get_user_model().objects.filter(public_id=form.cleaned_data["officer"]).first()
    return department, officer


# --- moderation ---------------------------------------------------------------------------------


def _revision(post) -> int | None:
    """The revision of the text the moderator read (a hidden field of the page)."""
    try:
        return int(post.get("revision", ""))
    except ValueError:
        return None


@staff_required
def moderate(request, public_id):
    petition = _petition(request, public_id)
    if petition is None:
        return _not_found(request)
    # Bound only when rejecting: a refused publication does not ask for a rejection reason.
    form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    changed = None  # the author edited while the moderator read: show the new text
    if request.method == "POST":
        revision = _revision(request.POST)
        try:
            if request.POST.get("action") == "publish":
                services.petition_publish(petition=petition, moderator=request.user, revision=revision)
                messages.success(request, _("Петицію №%(n)d опубліковано.") % {"n": petition.number})
                return redirect("staff_petitions:moderation")
            if form.is_valid():
                if request.POST.get("confirm") != "1":
                    return render(
                        request,
                        "core/confirm.html",
                        {
                            "title": _("Відхилити петицію №%(n)d?") % {"n": petition.number},
                            "what_happens": _(
                                "Петицію не буде опубліковано, і вона не збиратиме підписів. Автор отримає "
                                "повідомлення з причиною: «%(reason)s». Рішення записується до публічного "
                                "журналу, і скасувати його не можна."
                            )
                            % {"reason": RejectionReason(form.cleaned_data["reason"]).label},
                            "action_url": request.path,
                            "fields": _multi_fields(request.POST),
                            "button": _("Так, відхилити петицію"),
                            "danger": True,
                            "back": request.path,
                        },
                    )
                services.petition_reject(
                    petition=petition,
                    moderator=request.user,
                    reason=form.cleaned_data["reason"],
                    comment=form.cleaned_data["comment"],
                    revision=revision,
                )
                messages.success(request, _("Петицію №%(n)d відхилено.") % {"n": petition.number})
                return redirect("staff_petitions:moderation")
        except DomainError as exc:
            if exc.code == "petition_changed":
                changed = exc.message
                petition = _petition(request, public_id) or petition  # the text as it is now
            else:
                apply_domain_error(request, form, exc)
    services.petitions_mark_read(petitions=[petition], user=request.user, hromada=request.hromada)
    context = {
        "petition": petition,
        "attachments": list(petition.attachments.all()),
        "form": form,
        "changed": changed,
        "overdue": selectors.is_overdue(petition),
        "can_moderate": rules.can_moderate(request.user, petition),
        "notes": staff_selectors.petition_notes(petition=petition),
        "note_form": NoteForm(),
        "can_note": rules.can_note(request.user, petition),
        "active": "moderation",
    }
    status = 409 if changed else 400 if form.errors else 200
    return render(request, "petitions/staff/moderate.html", context, status=status)


# --- the case page: consideration and after -----------------------------------------------------

CASE_STATUSES = (Status.COLLECTING, Status.CONSIDERATION, Status.ANSWERED, Status.UNSUCCESSFUL)


def _case_context(request, petition, **forms) -> dict:
    hromada, user = request.hromada, request.user
    draft = staff_selectors.answer_draft_active(petition=petition)
    answer = getattr(petition, "answer", None) if petition.status == Status.ANSWERED else None
    steps = staff_selectors.followup_steps(petition=petition)
    departments = staff_selectors.departments_for(hromada=hromada)
    officers = staff_selectors.officers_for(hromada=hromada)
    assignment = getattr(petition, "assignment", None)
    initial_answer = {"decision": draft.decision, "text": draft.text} if draft else None
    can_answer = rules.can_answer(user, petition)
    can_approve = rules.can_approve(user, petition, draft.department_id if draft else None)
    own_draft = draft is not None and draft.author_id == user.pk
    approve_any = rules.account_rules.has_perm(user, hromada, "petitions.approve_answer")
    return {
        "may_review": can_approve and (not own_draft or approve_any),
        "show_answer_form": (can_answer or can_approve)
        and (draft is None or draft.status != DraftStatus.SUBMITTED),
        "may_withdraw": draft is not None and (own_draft or can_approve),
        "petition": petition,
        "attachments": list(petition.attachments.all()),
        "count": selectors.petition_live_count(petition),
        "overdue": selectors.is_overdue(petition),
        "assignment": assignment,
        "answering_department": staff_selectors._routed(petition),
        "can_answer": can_answer,
        "can_approve": can_approve,
        "can_assign": rules.can_assign(user, hromada),
        "can_note": rules.can_note(user, petition),
        "can_download": rules.can_download_signers(user, petition),
        "draft": draft,
        "own_draft": own_draft,
        "history": staff_selectors.answer_draft_history(petition=petition),
        "answer": answer,
        "public": staff_selectors.public_answer(petition),
        "notes": staff_selectors.petition_notes(petition=petition),
        "steps": steps,
        "extension_limit": services.extension_limit(petition),
        "followup_allowed": answer is not None
        and answer.decision in (Decision.SUPPORTED, Decision.PARTIALLY),
        "form": forms.get("form") or AnswerForm(initial=initial_answer, prefix="answer"),
        "extend_form": forms.get("extend_form") or ExtendForm(prefix="extend"),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            departments=departments,
            officers=officers,
            prefix="assign",
            initial={
                "department": str(assignment.department.public_id)
                if assignment and assignment.department
                else "",
                "officer": str(assignment.officer.public_id) if assignment and assignment.officer else "",
            },
        ),
        "note_form": forms.get("note_form") or NoteForm(),
        "return_form": forms.get("return_form") or ReturnForm(prefix="review"),
        "correction_form": forms.get("correction_form")
        or CorrectionForm(
            prefix="correct", initial={"text": staff_selectors.public_answer(petition)["current_text"]}
        ),
        "step_form": forms.get("step_form") or StepForm(prefix="step"),
        "followup_form": forms.get("followup_form")
        or FollowUpForm(prefix="update", steps=[s["step"] for s in steps if s["step"].done_at is None]),
        "active": "consideration" if petition.status != Status.ANSWERED else "followup",
    }


@staff_required
def answer(request, public_id):
    """The case page of a petition past moderation: everything the answering staff do."""
    petition = _petition(request, public_id)
    if petition is None or petition.status not in CASE_STATUSES:
        messages.error(request, _("Петиція не перебуває на розгляді."))
        return redirect("staff_petitions:consideration")
    if request.method == "POST":
        return _case_post(request, petition)
    services.petitions_mark_read(petitions=[petition], user=request.user, hromada=request.hromada)
    return render(request, "petitions/staff/answer.html", _case_context(request, petition))


def _case_post(request, petition):  # noqa: C901 - one dispatch over the page's forms
    action = request.POST.get("action", "")
    here = reverse("staff_petitions:answer", kwargs={"public_id": petition.public_id})
    forms: dict = {}
    form: Form
    try:
        if action in ("save_draft", "submit_draft", "publish"):
            form = forms["form"] = AnswerForm(request.POST, request.FILES, prefix="answer")
            if form.is_valid():
                data = form.cleaned_data
                if action == "publish":
                    services.petition_answer(
                        petition=petition,
                        officer=request.user,
                        decision=data["decision"],
                        text=data["text"],
                        document=data["document"],
                    )
                    messages.success(
                        request, _("Відповідь на петицію №%(n)d оприлюднено.") % {"n": petition.number}
                    )
                    return redirect("petitions:detail", public_id=petition.public_id)
                services.answer_draft_save(
                    petition=petition,
                    officer=request.user,
                    decision=data["decision"],
                    text=data["text"],
                    document=data["document"],
                    submit=action == "submit_draft",
                )
                messages.success(
                    request,
                    _("Проєкт відповіді надіслано керівникові на затвердження.")
                    if action == "submit_draft"
                    else _("Чернетку відповіді збережено."),
                )
                return redirect(here)
        elif action in ("approve", "return"):
            draft = staff_selectors.answer_draft_active(petition=petition)
            if draft is None:
                raise DomainError("no_draft", _("Немає проєкту відповіді для затвердження."), status=409)
            if action == "approve":
                services.answer_draft_approve(draft=draft, reviewer=request.user)
                messages.success(request, _("Відповідь затверджено й оприлюднено."))
                return redirect(here)
            form = forms["return_form"] = ReturnForm(request.POST, prefix="review")
            if form.is_valid():
                services.answer_draft_return(
                    draft=draft, reviewer=request.user, comment=form.cleaned_data["comment"]
                )
                messages.success(request, _("Проєкт повернуто авторові з коментарем."))
                return redirect(here)
        elif action == "withdraw_draft":
            draft = staff_selectors.answer_draft_active(petition=petition)
            if draft is None:
                raise DomainError("no_draft", _("Немає проєкту відповіді."), status=409)
            if request.POST.get("confirm") != "1":
                return _confirm(
                    request,
                    title=_("Відкликати проєкт відповіді?"),
                    what_happens=_(
                        "Проєкт відповіді на петицію №%(n)d буде закрито, і його не можна буде затвердити. "
                        "Текст залишиться в історії проєктів; щоб відповісти, доведеться створити новий."
                    )
                    % {"n": petition.number},
                    action_url=here,
                    fields={"action": "withdraw_draft"},
                    button=_("Так, відкликати проєкт"),
                    back=here,
                )
            services.answer_draft_withdraw(draft=draft, officer=request.user)
            messages.success(request, _("Проєкт відповіді відкликано."))
            return redirect(here)
        elif action == "extend":
            form = forms["extend_form"] = ExtendForm(request.POST, prefix="extend")
            if form.is_valid():
                services.petition_extend_deadline(
                    petition=petition,
                    officer=request.user,
                    until=form.cleaned_data["until"],
                    notice=form.cleaned_data["notice"],
                )
                messages.success(request, _("Строк розгляду продовжено."))
                return redirect(here)
        elif action == "assign":
            form = forms["assign_form"] = AssignForm(
                request.POST,
                departments=staff_selectors.departments_for(hromada=request.hromada),
                officers=staff_selectors.officers_for(hromada=request.hromada),
                prefix="assign",
            )
            if form.is_valid():
                department, officer = _assignee(request, form)
                services.petition_assign(
                    petitions=[petition], actor=request.user, department=department, officer=officer
                )
                messages.success(request, _("Петицію призначено."))
                return redirect(here)
        elif action == "correct":
            form = forms["correction_form"] = CorrectionForm(request.POST, prefix="correct")
            if form.is_valid():
                services.answer_correct(
                    answer=petition.answer,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Виправлення оприлюднено поруч із первісною відповіддю."))
                return redirect(here)
        elif action == "add_step":
            form = forms["step_form"] = StepForm(request.POST, prefix="step")
            if form.is_valid():
                services.followup_step_add(
                    petition=petition,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    due_date=form.cleaned_data["due_date"],
                )
                messages.success(request, _("Крок виконання додано."))
                return redirect(here + "#followup")
        elif action == "followup":
            steps = [s["step"] for s in staff_selectors.followup_steps(petition=petition)]
            form = forms["followup_form"] = FollowUpForm(request.POST, prefix="update", steps=steps)
            if form.is_valid():
                step = staff_selectors.step_get(petition=petition, pk=form.cleaned_data["step"])
                services.followup_publish(
                    petition=petition,
                    actor=request.user,
                    text=form.cleaned_data["text"],
                    step=step,
                    done=form.cleaned_data["done"],
                )
                messages.success(
                    request, _("Звіт про виконання оприлюднено; автор і підписанти отримають сповіщення.")
                )
                return redirect(here + "#followup")
        else:
            messages.error(request, _("Невідома дія."))
            return redirect(here)
    except DomainError as exc:
        if exc.status == 403:
            return _denied(request, exc)
        target = next(iter(forms.values()), None)
        apply_domain_error(request, target, exc)
    petition.refresh_from_db()
    return render(
        request, "petitions/staff/answer.html", _case_context(request, petition, **forms), status=400
    )


@staff_required
@require_http_methods(["POST"])
def notes(request, public_id):
    """Add an internal note, or delete one after confirmation; back to the page it came from."""
    petition = _petition(request, public_id)
    if petition is None:
        return _not_found(request)
    page = "moderate" if petition.status == Status.MODERATION else "answer"
    back = reverse(f"staff_petitions:{page}", kwargs={"public_id": petition.public_id}) + "#notes"
    try:
        if request.POST.get("action") == "delete_note":
            note = staff_selectors.note_get(
                hromada=request.hromada, petition=petition, pk=request.POST.get("note")
            )
            if note is None:
                raise DomainError("note_not_found", _("Нотатку не знайдено."), status=404)
            if request.POST.get("confirm") != "1":
                return _confirm(
                    request,
                    title=_("Видалити нотатку?"),
                    what_happens=_(
                        "Нотатку «%(text)s» буде видалено назавжди; інші працівники її більше не побачать."
                    )
                    % {"text": note.text[:120]},
                    action_url=request.path,
                    fields={"action": "delete_note", "note": str(note.pk)},
                    button=_("Так, видалити нотатку"),
                    back=back,
                )
            services.staff_note_delete(note=note, actor=request.user)
            messages.success(request, _("Нотатку видалено."))
        else:
            form = NoteForm(request.POST)
            if not form.is_valid():
                raise DomainError("note_empty", _("Напишіть текст нотатки."), field="text")
            services.staff_note_add(petition=petition, author=request.user, text=form.cleaned_data["text"])
            messages.success(request, _("Нотатку додано."))
    except DomainError as exc:
        if exc.status == 403:
            return _denied(request, exc)
        messages.error(request, str(exc.message))
    return redirect(back)


# --- signer list ----------------------------------------------------------------------------------


def _signer_download(request, public_id, fmt):
    petition = _petition(request, public_id)
    if petition is None:
        return _not_found(request)
    try:
        services.signer_list_download_record(petition=petition, user=request.user, format=fmt)
    except DomainError as exc:
        if exc.status == 403:
            return _denied(request, exc)
        messages.error(request, str(exc.message))
        return redirect("staff_petitions:answer", public_id=petition.public_id)
    audit.info(
        "signer list downloaded",
        extra={"petition": str(petition.public_id), "user": str(request.user.public_id), "format": fmt},
    )
    rows = staff_selectors.signer_list_rows(petition=petition)
    filename = f"petition-{petition.number}-signers"
    if fmt == "csv":
        response = csv_response(rows, filename=filename, fieldnames=["n", "name", "signed_at", "method"])
    else:
        from .signer_pdf import signer_list_pdf

        response = HttpResponse(
            signer_list_pdf(petition=petition, rows=list(rows)), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def signers_pdf(request, public_id):
    return _signer_download(request, public_id, "pdf")


@staff_required
def signers_csv(request, public_id):
    return _signer_download(request, public_id, "csv")


# --- statistics and categories ----------------------------------------------------------------------


@staff_required
def stats(request):
    return render(
        request,
        "petitions/staff/stats.html",
        {
            "stats": selectors.petition_stats(hromada=request.hromada),
            "over_time": staff_selectors.petition_stats_over_time(hromada=request.hromada),
            "active": "stats",
        },
    )


@staff_required
def stats_csv(request):
    return csv_response(
        staff_selectors.petition_stats_rows(hromada=request.hromada),
        filename="petition-statistics",
        fieldnames=list(staff_selectors.STATS_FIELDS),
    )


@staff_required
def categories(request):
    """Which department answers each category (the hromada's administrator sets it)."""
    from hromada.accounts.models import Department

    hromada = request.hromada
    may = rules.can_manage_categories(request.user, hromada)
    departments = staff_selectors.departments_for(hromada=hromada)
    if request.method == "POST":
        if not may:
            return render(request, "petitions/staff/forbidden.html", status=403)
        category = selectors.category_get(hromada=hromada, slug_or_id=request.POST.get("category", ""))
        prefix = f"c{category.pk}" if category else "c"
        form = CategoryRouteForm(request.POST, departments=departments, prefix=prefix)
        if category is None or not form.is_valid():
            messages.error(request, _("Оберіть категорію і підрозділ зі списку."))
        else:
            department = None
            if form.cleaned_data["department"]:
                department = Department.objects.filter(
                    hromada=hromada, public_id=form.cleaned_data["department"]
                ).first()
            try:
                services.category_department_set(actor=request.user, category=category, department=department)
                messages.success(request, _("Категорію «%(c)s» закріплено.") % {"c": category.name})
            except DomainError as exc:
                messages.error(request, str(exc.message))
        return redirect("staff_petitions:categories")
    rows = []
    for category in selectors.category_list(hromada=hromada).select_related("route__department"):
        route = getattr(category, "route", None)
        rows.append(
            (
                category,
                route.department if route else None,
                CategoryRouteForm(
                    departments=departments,
                    prefix=f"c{category.pk}",
                    initial={"department": str(route.department.public_id) if route else ""},
                ),
            )
        )
    return render(
        request, "petitions/staff/categories.html", {"rows": rows, "may": may, "active": "categories"}
    )
