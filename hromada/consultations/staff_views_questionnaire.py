"""Staff builder of a consultation's questionnaire: one page listing sections and
questions with their actions, a page per question (its options and conditions), and
small POST actions. Thin: the builder's services decide (a published questionnaire is
frozen — the page says so and offers no changes)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import builder_selectors, rules, selectors
from .forms_questionnaire import OptionForm, QuestionForm, SectionForm, rows_of
from .models import CHOICE_KINDS, Option, Question, QuestionKind, Section, Status
from .questionnaire_selectors import questionnaire_of
from .services import questionnaire as builder
from .staff_common import consultation_nav, staff_perm

PERM = "consultations.manage"


def _consultation(request, cid):
    try:
        return selectors.consultation_for_staff(hromada=request.hromada, public_id=cid)
    except NotFound:
        raise Http404 from None


def _question(request, consultation, qid) -> Question:
    found = builder_selectors.question_get(consultation, qid)
    if found is None:
        raise Http404
    return found


def _section(request, consultation, sid: int) -> Section:
    found = builder_selectors.section_get(consultation, sid)
    if found is None:
        raise Http404
    return found


def _option(request, question, oid) -> Option:
    found = builder_selectors.option_get(question, oid)
    if found is None:
        raise Http404
    return found


def _back(consultation, question=None) -> str:
    if question is not None:
        return reverse("staff_consultations:question_edit", args=[consultation.public_id, question.public_id])
    return reverse("staff_consultations:questions", args=[consultation.public_id])


def _run(request, call, done: str) -> None:
    try:
        call()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)


@staff_perm(PERM)
@require_http_methods(["GET", "POST"])
def questions(request, cid):
    consultation = _consultation(request, cid)
    tree = questionnaire_of(consultation)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            builder.section_add(consultation=consultation, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Розділ додано."))
            return redirect(_back(consultation))
    return render(
        request,
        "consultations/staff/questionnaire/questions.html",
        {
            "consultation": consultation,
            "tree": tree,
            "frozen": consultation.status != Status.DRAFT,
            "form": form,
            "kinds": QuestionKind.choices,
            "preview": rows_of(tree, {}, {}),
            "sections": builder_selectors.sections_of(consultation),
            "nav": consultation_nav(consultation, "questions", request.user, request.hromada),
            "phase": rules.phase_code(consultation),
        },
        status=400 if form.errors else 200,
    )


@staff_perm(PERM)
@require_http_methods(["GET", "POST"])
def question_new(request, cid):
    consultation = _consultation(request, cid)
    sections = builder_selectors.sections_of(consultation)
    kind = request.POST.get("kind") or request.GET.get("kind") or QuestionKind.SINGLE
    form = QuestionForm(
        request.POST or None,
        sections=sections,
        initial={"kind": kind, "required": True, "section": request.GET.get("section", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = builder.question_add(
                consultation=consultation,
                actor=request.user,
                kind=data["kind"],
                text=data["text"],
                help=data["help"],
                required=data["required"],
                section=data["section"] or None,
                options=form.option_labels(),
                **form.params(),
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Питання додано."))
            return redirect(_back(consultation, question))
    return render(
        request,
        "consultations/staff/questionnaire/question_form.html",
        {
            "consultation": consultation,
            "form": form,
            "kind": kind,
            "question": None,
            "frozen": consultation.status != Status.DRAFT,
        },
        status=400 if form.errors else 200,
    )


@staff_perm(PERM)
@require_http_methods(["GET", "POST"])
def question_edit(request, cid, qid):
    consultation = _consultation(request, cid)
    question = _question(request, consultation, qid)
    sections = builder_selectors.sections_of(consultation)
    initial = {
        "text": question.text, "help": question.help, "required": question.required,
        "section": str(question.section_id or ""), "min_choices": question.min_choices,
        "max_choices": question.max_choices, "scale_min": question.scale_min, "scale_max": question.scale_max,
        "scale_min_label": question.scale_min_label, "scale_max_label": question.scale_max_label,
        "number_min": question.number_min if question.number_min is not None else "",
        "number_max": question.number_max if question.number_max is not None else "",
    }  # fmt: skip
    form = QuestionForm(request.POST or None, sections=sections, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            builder.question_update(
                question=question,
                actor=request.user,
                text=data["text"],
                help=data["help"],
                required=data["required"],
                section=data["section"] or None,
                **form.params(),
            )
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Питання збережено."))
            return redirect(_back(consultation, question))
    tree = questionnaire_of(consultation)
    spec = tree.question(str(question.public_id))
    earlier = [q for q in tree.questions if spec and q.number < spec.number and q.kind in CHOICE_KINDS]
    return render(
        request,
        "consultations/staff/questionnaire/question_form.html",
        {
            "consultation": consultation,
            "form": form,
            "kind": question.kind,
            "question": question,
            "spec": spec,
            "sources": tree.condition_sources(spec) if spec else [],
            "earlier": earlier,
            "options": list(question.options.order_by("order")),
            "is_choice": question.kind in CHOICE_KINDS,
            "option_form": OptionForm(),
            "frozen": consultation.status != Status.DRAFT,
        },
        status=400 if form.errors else 200,
    )


@staff_perm(PERM)
@require_POST
def question_action(request, cid, qid, action):
    consultation = _consultation(request, cid)
    question = _question(request, consultation, qid)
    if action == "delete":
        _run(
            request,
            lambda: builder.question_delete(question=question, actor=request.user),
            _("Питання видалено."),
        )
    elif action in ("up", "down"):
        _run(
            request,
            lambda: builder.question_move(question=question, actor=request.user, direction=action),
            _("Питання переміщено."),
        )
    else:
        raise Http404
    return redirect(_back(consultation) + f"#q-{question.public_id}")


@staff_perm(PERM)
@require_http_methods(["GET", "POST"])
def section_edit(request, cid, sid: int):
    consultation = _consultation(request, cid)
    section = _section(request, consultation, sid)
    form = SectionForm(
        request.POST or None, initial={"title": section.title, "description": section.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            builder.section_update(section=section, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            apply_domain_error(request, form, exc)
        else:
            messages.success(request, _("Розділ збережено."))
            return redirect(_back(consultation))
    return render(
        request,
        "consultations/staff/questionnaire/section_form.html",
        {
            "consultation": consultation,
            "section": section,
            "form": form,
            "frozen": consultation.status != Status.DRAFT,
        },
        status=400 if form.errors else 200,
    )


@staff_perm(PERM)
@require_POST
def section_action(request, cid, sid: int, action):
    consultation = _consultation(request, cid)
    section = _section(request, consultation, sid)
    if action == "delete":
        _run(
            request,
            lambda: builder.section_delete(section=section, actor=request.user),
            _("Розділ видалено."),
        )
    elif action in ("up", "down"):
        _run(
            request,
            lambda: builder.section_move(section=section, actor=request.user, direction=action),
            _("Розділ переміщено."),
        )
    else:
        raise Http404
    return redirect(_back(consultation))


@staff_perm(PERM)
@require_POST
def option_add(request, cid, qid):
    consultation = _consultation(request, cid)
    question = _question(request, consultation, qid)
    _run(
        request,
        lambda: builder.option_add(
            question=question, actor=request.user, label=request.POST.get("label", "")
        ),
        _("Варіант додано."),
    )
    return redirect(_back(consultation, question) + "#options")


@staff_perm(PERM)
@require_POST
def option_action(request, cid, qid, oid, action):
    consultation = _consultation(request, cid)
    question = _question(request, consultation, qid)
    option = _option(request, question, oid)
    if action == "save":
        label = request.POST.get("label", "")
        _run(
            request,
            lambda: builder.option_update(option=option, actor=request.user, label=label),
            _("Варіант збережено."),
        )
    elif action == "delete":
        _run(
            request, lambda: builder.option_delete(option=option, actor=request.user), _("Варіант видалено.")
        )
    elif action in ("up", "down"):
        _run(
            request,
            lambda: builder.option_move(option=option, actor=request.user, direction=action),
            _("Варіант переміщено."),
        )
    else:
        raise Http404
    return redirect(_back(consultation, question) + "#options")


@staff_perm(PERM)
@require_POST
def condition_action(request, cid, qid, action):
    consultation = _consultation(request, cid)
    question = _question(request, consultation, qid)
    key = request.POST.get("option", "")
    option = builder_selectors.consultation_option_get(consultation, key) if key else None
    if option is None:
        messages.error(request, _("Оберіть варіант відповіді, від якого залежить питання."))
    elif action == "add":
        _run(
            request,
            lambda: builder.condition_add(question=question, actor=request.user, option=option),
            _("Умову додано."),
        )
    elif action == "delete":
        _run(
            request,
            lambda: builder.condition_delete(question=question, actor=request.user, option=option),
            _("Умову прибрано."),
        )
    else:
        raise Http404
    return redirect(_back(consultation, question) + "#conditions")
