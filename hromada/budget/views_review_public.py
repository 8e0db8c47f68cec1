"""The author's one answer to the review's decision, on the public side (the project
page includes budget/_review_answer_form.html)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hromada.core.errors import DomainError, NotFound
from hromada.core.forms import apply_domain_error

from . import selectors, staff_selectors
from .forms_staff import AnswerForm
from .services._staff_common import project_url
from .services.review import author_answer


@login_required
@require_http_methods(["GET", "POST"])
def review_answer(request, public_id):
    try:
        project = selectors.project_get(hromada=request.hromada, public_id=public_id)
    except NotFound:
        return render(request, "budget/review_answer.html", {"not_found": True}, status=404)
    review = staff_selectors.review_of(project)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                author_answer(project=project, actor=request.user, text=form.cleaned_data["text"])
            except DomainError as exc:
                apply_domain_error(request, form, exc)
                status = exc.status
            else:
                messages.success(request, _("Вашу відповідь оприлюднено поруч із висновком експертизи."))
                return HttpResponseRedirect(project_url(project) or request.path)
        else:
            status = 400
    return render(
        request,
        "budget/review_answer.html",
        {"project": project, "review": review, "answer_form": form, "project_url": project_url(project)},
        status=status,
    )
