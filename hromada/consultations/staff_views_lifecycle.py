"""Staff pages of a consultation's life, /staff/consultations/…: the list by stage, a
new consultation and its edit form (a draft), documents, the preview, publication,
the dates (extend, close now) and cancellation. Thin: parse, call a service, render."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error
from hromada.places.models import AreaKind
from hromada.places.selectors import area_list

from . import builder_selectors, rules, selectors, staff_selectors
from .forms_lifecycle import FIELD_OF, ConsultationForm, DocumentForm, ExtendForm, ReasonForm
from .models import Status
from .services import consultations as svc
from .services import documents as doc_svc
from .staff_common import consultation_nav, not_found, safe_url, staff_perm
from .views_lifecycle import detail_context


def _areas(hromada) -> list:
    return list(area_list(hromada=hromada).filter(kind__in=[AreaKind.DISTRICT, AreaKind.OKRUG]))


def _consultation(request, cid):
    try:
        return selectors.consultation_for_staff(hromada=request.hromada, public_id=cid)
    except NotFound:
        return None


def _to(name: str, consultation) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name, kwargs={"cid": consultation.public_id}))


def _apply(request, form, exc: DomainError) -> None:
    if exc.field in FIELD_OF:
        form.add_error(FIELD_OF[exc.field], str(exc.message))
    else:
        apply_domain_error(request, form, exc)


def _page(request, template: str, consultation, active: str, status: int = 200, **context):
    return render(
        request,
        template,
        {
            "consultation": consultation,
            "phase": rules.phase_code(consultation),
            "nav": consultation_nav(consultation, active, request.user, request.hromada),
            **context,
        },
        status=status,
    )


@staff_perm("consultations.manage")
def consultation_list(request):
    groups = staff_selectors.staff_groups(hromada=request.hromada)
    names = staff_selectors.group_names()
    return render(
        request,
        "consultations/staff/list.html",
        {
            "groups": [{"key": g, "name": names[g], "rows": groups[g]} for g in staff_selectors.GROUPS],
            "counts": [(names[g], len(groups[g]), g) for g in staff_selectors.GROUPS],
        },
    )


@staff_perm("consultations.manage")
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    areas = _areas(request.hromada)
    if request.method == "POST":
        form = ConsultationForm(request.POST, areas=areas)
        if form.is_valid():
            try:
                consultation = svc.consultation_create(
                    hromada=request.hromada, actor=request.user, **form.service_fields()
                )
            except DomainError as exc:
                _apply(request, form, exc)
            else:
                messages.success(
                    request, _("Чернетку створено. Додайте документи й анкету, тоді оприлюдніть.")
                )
                return _to("staff_consultations:edit", consultation)
    else:
        now = timezone.localtime()
        settings_row = selectors.consultation_settings(hromada=request.hromada)
        form = ConsultationForm(
            areas=areas,
            initial={
                "kind": "survey",
                "audience": "email",
                "results_visibility": "after",
                "min_age": 0,
                "ask_area": True,
                "anonymous": True,
                "allow_comments": True,
                "opens_date": (now + dt.timedelta(days=1)).date(),
                "opens_time": "09:00",
                "closes_date": (now + dt.timedelta(days=1 + max(settings_row.min_duration_days, 14))).date(),
                "closes_time": "00:00",
            },
        )
    return render(
        request,
        "consultations/staff/form.html",
        {"form": form, "consultation": None},
        status=400 if request.method == "POST" else 200,
    )


@staff_perm("consultations.manage")
@require_http_methods(["GET", "POST"])
def consultation_edit(request, cid):
    consultation = _consultation(request, cid)
    if consultation is None:
        return not_found(request)
    if consultation.status != Status.DRAFT:
        return _page(
            request,
            "consultations/staff/overview.html",
            consultation,
            "edit",
            steps=selectors.timeline(consultation),
            extensions=selectors.extensions_of(consultation),
            documents=selectors.documents_of(consultation),
            public_url=safe_url("consultations:detail", consultation.number),
        )
    areas = _areas(request.hromada)
    if request.method == "POST":
        form = ConsultationForm(request.POST, areas=areas)
        if form.is_valid():
            try:
                svc.consultation_update(
                    consultation=consultation, actor=request.user, **form.service_fields()
                )
            except DomainError as exc:
                _apply(request, form, exc)
            else:
                messages.success(request, _("Зміни збережено."))
                return _to("staff_consultations:edit", consultation)
    else:
        form = ConsultationForm(areas=areas, initial=ConsultationForm.initial_from(consultation))
    return _page(
        request,
        "consultations/staff/form.html",
        consultation,
        "edit",
        status=400 if request.method == "POST" else 200,
        form=form,
    )


@staff_perm("consultations.manage")
@require_http_methods(["GET", "POST"])
def documents(request, cid):
    consultation = _consultation(request, cid)
    if consultation is None:
        return not_found(request)
    form = DocumentForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "add")
        try:
            if action in ("up", "down", "delete"):
                try:
                    document_id = int(request.POST.get("document", ""))
                except ValueError:
                    raise DomainError(
                        "document_not_found", _("Такого документа немає."), status=404
                    ) from None
                if action == "delete":
                    doc_svc.document_delete(
                        consultation=consultation, actor=request.user, document_id=document_id
                    )
                    messages.success(request, _("Документ вилучено."))
                else:
                    doc_svc.document_move(
                        consultation=consultation,
                        actor=request.user,
                        document_id=document_id,
                        up=action == "up",
                    )
                return _to("staff_consultations:documents", consultation)
            form = DocumentForm(request.POST, request.FILES)
            if form.is_valid():
                doc_svc.document_add(
                    consultation=consultation,
                    actor=request.user,
                    title=form.cleaned_data["title"],
                    upload=form.cleaned_data.get("file"),
                    url=form.cleaned_data.get("url") or "",
                )
                messages.success(request, _("Документ додано."))
                return _to("staff_consultations:documents", consultation)
            status = 400
        except DomainError as exc:
            apply_domain_error(request, form if form.is_bound else None, exc)
            status = 400 if exc.status < 500 else exc.status
    return _page(
        request,
        "consultations/staff/documents.html",
        consultation,
        "documents",
        status=status,
        form=form,
        documents=selectors.documents_of(consultation),
        ledgered=consultation.status == Status.PUBLISHED,
    )


def _questions(consultation) -> list:
    return builder_selectors.questions_of(consultation)


@staff_perm("consultations.manage")
def preview(request, cid):
    consultation = _consultation(request, cid)
    if consultation is None:
        return not_found(request)
    context = detail_context(request, consultation, preview=True)
    context["questions"] = _questions(consultation)
    context["nav"] = consultation_nav(consultation, "preview", request.user, request.hromada)
    return render(request, "consultations/detail.html", context)


@staff_perm("consultations.manage")
@require_http_methods(["GET", "POST"])
def publish(request, cid):
    consultation = _consultation(request, cid)
    if consultation is None:
        return not_found(request)
    if consultation.status != Status.DRAFT:
        return _to("staff_consultations:edit", consultation)
    refusal = svc.publish_refusal(consultation)
    status = 200
    if request.method == "POST" and refusal is None:
        try:
            published = svc.consultation_publish(consultation=consultation, actor=request.user)
        except DomainError as exc:
            refusal = exc
        else:
            messages.success(request, _("Консультацію №%(n)d оприлюднено.") % {"n": published.number})
            return _to("staff_consultations:edit", published)
    if request.method == "POST":
        status = refusal.status if refusal is not None and refusal.status < 500 else 400
    return _page(
        request,
        "consultations/staff/publish.html",
        consultation,
        "publish",
        status=status,
        refusal=refusal,
        questions=_questions(consultation),
        documents=selectors.documents_of(consultation),
        report_days=selectors.consultation_settings(hromada=request.hromada).report_days,
    )


@staff_perm("consultations.manage")
@require_http_methods(["GET", "POST"])
def phase(request, cid):
    consultation = _consultation(request, cid)
    if consultation is None:
        return not_found(request)
    if consultation.status == Status.DRAFT:
        return _to("staff_consultations:edit", consultation)
    open_phase = selectors.open_phase_of(consultation)
    ends = timezone.localtime(open_phase.ends_at) if open_phase else None
    extend_form = ExtendForm(
        prefix="extend",
        initial={"ends_date": (ends + dt.timedelta(days=7)).date(), "ends_time": ends.time()} if ends else {},
    )
    close_form = ReasonForm(prefix="close")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        status = 400
        if action == "extend":
            extend_form = ExtendForm(request.POST, prefix="extend")
            if extend_form.is_valid():
                try:
                    svc.consultation_extend(
                        consultation=consultation,
                        actor=request.user,
                        ends_at=extend_form.ends_at(),
                        reason=extend_form.cleaned_data["reason"],
                    )
                except DomainError as exc:
                    if exc.field == "new_ends_at":
                        extend_form.add_error("ends_date", str(exc.message))
                    else:
                        apply_domain_error(request, extend_form, exc)
                else:
                    messages.success(
                        request, _("Строк продовжено; учасників і тих, хто стежить, повідомлено.")
                    )
                    return _to("staff_consultations:phase", consultation)
        elif action == "close":
            close_form = ReasonForm(request.POST, prefix="close")
            if close_form.is_valid():
                try:
                    svc.consultation_close_now(
                        consultation=consultation,
                        actor=request.user,
                        reason=close_form.cleaned_data["reason"],
                    )
                except DomainError as exc:
                    if exc.field == "new_ends_at":
                        close_form.add_error(None, str(exc.message))
                    else:
                        apply_domain_error(request, close_form, exc)
                else:
                    messages.success(request, _("Участь завершено; розпочато підготовку звіту."))
                    return _to("staff_consultations:phase", consultation)
    code = rules.phase_code(consultation)
    return _page(
        request,
        "consultations/staff/phase.html",
        consultation,
        "phase",
        status=status,
        extend_form=extend_form,
        close_form=close_form,
        can_extend=code in ("upcoming", "open"),
        can_close=code == "open",
        steps=selectors.timeline(consultation),
        extensions=selectors.extensions_of(consultation),
    )


@staff_perm("consultations.manage")
@require_http_methods(["GET", "POST"])
def cancel(request, cid):
    consultation = _consultation(request, cid)
    if consultation is None:
        return not_found(request)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                svc.consultation_cancel(
                    consultation=consultation, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except DomainError as exc:
                apply_domain_error(request, form, exc)
            else:
                messages.success(request, _("Консультацію скасовано; учасників повідомлено."))
                return _to("staff_consultations:edit", consultation)
    return _page(
        request,
        "consultations/staff/cancel.html",
        consultation,
        "cancel",
        status=status,
        form=form,
        can_cancel=rules.phase_code(consultation) in ("upcoming", "open"),
    )
