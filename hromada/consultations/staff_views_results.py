"""Staff: the results at any time, and the report — edit the draft, re-draft it from the
data, publish it with a confirmation. Thin: services.reports does the work."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import rules, selectors
from .services import reports
from .staff_common import consultation_nav, staff_perm
from .views_results import results_context


class ReportForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Текст звіту"), widget=forms.Textarea(attrs={"rows": 18}), max_length=100_000
    )
    outcome = forms.CharField(
        label=gettext_lazy("Ухвалене рішення і як враховано результати"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=20_000,
    )
    decision_url = forms.CharField(label=gettext_lazy("Посилання на рішення"), required=False, max_length=500)


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Я перевірив звіт: після оприлюднення його не можна змінити, учасники отримають сповіщення"
        ),
        error_messages={"required": gettext_lazy("Підтвердьте оприлюднення: поставте позначку.")},
    )


def _consultation(request, cid):
    try:
        return selectors.consultation_for_staff(hromada=request.hromada, public_id=cid)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@staff_perm("consultations.manage", "consultations.report")
def results(request, cid):
    consultation = _consultation(request, cid)
    context = results_context(request, consultation, staff=True)
    context["nav"] = consultation_nav(consultation, "results", request.user, request.hromada)
    return render(request, "consultations/results/results.html", context)


@staff_perm("consultations.report")
def report(request, cid):
    consultation = _consultation(request, cid)
    current = reports.report_of(consultation)
    form = ReportForm(
        initial={"text": current.text, "outcome": current.outcome, "decision_url": current.decision_url}
        if current
        else None
    )
    publish_form = PublishForm()
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "draft":
                reports.report_draft(consultation=consultation)
                messages.success(request, _("Звіт складено заново з даних."))
                return redirect("staff_consultations:report", cid=consultation.public_id)
            if action == "publish":
                publish_form = PublishForm(request.POST)
                if publish_form.is_valid():
                    reports.report_publish(consultation=consultation, actor=request.user)
                    messages.success(request, _("Звіт оприлюднено, учасникам надіслано сповіщення."))
                    return redirect("staff_consultations:report", cid=consultation.public_id)
            else:
                form = ReportForm(request.POST)
                if current is None:
                    raise DomainError("report_missing", _("Спершу складіть звіт з даних."))
                if form.is_valid():
                    reports.report_update(report=current, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Звіт збережено."))
                    return redirect("staff_consultations:report", cid=consultation.public_id)
        except DomainError as exc:
            apply_domain_error(request, form if action == "save" else None, exc)
    return render(
        request,
        "consultations/staff/results/report.html",
        {
            "consultation": consultation,
            "report": current,
            "form": form,
            "publish_form": publish_form,
            "closed": rules.is_closed(consultation),
            "phase": rules.phase_code(consultation),
            "nav": consultation_nav(consultation, "report", request.user, request.hromada),
        },
        status=400 if request.method == "POST" else 200,
    )
