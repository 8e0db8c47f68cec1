"""Staff pages of the work part: the department queue and one case with every action
allowed now. Thin: parse, call a service or selector, render. A refused action re-renders
the page with the form as it was sent (status 400), every error listed at its top."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from hromada.accounts.models import User
from hromada.core.errors import DomainError, NotFound
from hromada.core.errors import PermissionDenied as DomainPermissionDenied
from hromada.core.forms import apply_domain_error

from . import rules
from . import staff_selectors as ss
from .forms_work import AnswerForm, AssignForm, ExtendForm, ForwardForm, MergeForm, NoteForm, ReasonForm
from .models import OPEN_STATUSES, CaseKind, CaseStatus, Department
from .selectors import case_get
from .services import work
from .services.cases import FIELD_MESSAGES, settings_of
from .staff_common import staff_perm

PER_PAGE = 25


@staff_perm("appeals.work", "appeals.route", "appeals.register", "appeals.moderate", "appeals.manage")
def queue(request):
    hromada, user = request.hromada, request.user
    filters = ss.QueueFilters.from_query(request.GET)
    now = timezone.now()
    cases = ss.queue(hromada=hromada, user=user, filters=filters, now=now)
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])
    context = {
        "page": page,
        "rows": ss.queue_rows(page.object_list, hromada=hromada, now=now),
        "filters": filters,
        "query": query,
        "choices": ss.filter_choices(hromada=hromada, user=user),
        "departments": list(ss.queue_departments(hromada=hromada, user=user)),
        "is_router": rules.can_route(user, hromada),
        "works": rules.can_route(user, hromada) or bool(rules.department_ids_of(user, hromada)),
    }
    return render(request, "appeals/staff/queue.html", context)


def _case(request, public_id):
    try:
        case = case_get(hromada=request.hromada, public_id=public_id)
    except NotFound:
        raise Http404(_("Такого звернення немає.")) from None
    if case.status == CaseStatus.DRAFT or not rules.can_see_staff(request.user, case):
        raise Http404(_("Такого звернення немає."))
    return case


ACTIONS = (
    "assign",
    "start",
    "comment",
    "update",
    "answer",
    "template",
    "resolve",
    "not_fixed",
    "reject",
    "return",
    "forward",
    "extend",
    "merge",
)


@staff_perm("appeals.work", "appeals.route", "appeals.register", "appeals.moderate")
def case(request, public_id):
    case = _case(request, public_id)
    user = request.user
    post = request.POST if request.method == "POST" else None
    action = (post or {}).get("action", "")
    forms = _forms(request, case, bound=action if action in ACTIONS else "")
    status = 200
    if post is not None:
        if action not in ACTIONS:
            messages.error(request, _("Невідома дія."))
            return redirect("staff_appeals:case", case.public_id)
        form_key = "answer" if action == "template" else action
        form = forms.get(form_key)
        try:
            if action == "template":
                _insert_template(case, form)
            elif action == "start":
                work.case_start(case=case, actor=user)
                return _done(request, case, _("Звернення взято в роботу."))
            elif form is None:
                raise DomainPermissionDenied("case_forbidden", _("Ця дія зараз недоступна."))
            elif form.is_valid():
                message = _perform(request, case, action, form)
                return _done(request, case, message)
        except DomainPermissionDenied as exc:
            messages.error(request, str(exc.message))
            status = 403
        except DomainError as exc:
            apply_domain_error(request, form, exc)
            status = exc.status if exc.status >= 400 else 400
        if form is not None and form.errors and status == 200:
            status = 400
    return render(request, "appeals/staff/case.html", _context(request, case, forms, action), status=status)


def _done(request, case, message):
    messages.success(request, message)
    return redirect("staff_appeals:case", case.public_id)


def _insert_template(case, form):
    """The picker without JavaScript: the chosen template's text goes into the answer,
    after whatever was written (nothing lost)."""
    chosen = ss.answer_template_get(case, form.data.get(form.add_prefix("template")))
    if chosen is None:
        raise DomainError("template_required", _("Оберіть шаблон зі списку."), field="template")
    data = form.data.copy()
    key = form.add_prefix("text")
    written = (data.get(key) or "").rstrip()
    data[key] = f"{written}\n\n{chosen.text}" if written else chosen.text
    form.data = data
    form.is_bound = True
    form._errors = None


def _user(value):
    if not value:
        return None
    try:
        return User.objects.get(pk=int(value))
    except (User.DoesNotExist, ValueError):
        raise DomainError(
            "assignee_not_member", _("Оберіть виконавця зі списку."), field="assignee"
        ) from None


def _perform(request, case, action, form) -> str:
    data, user = form.cleaned_data, request.user
    if action == "assign":
        department = None
        if data.get("department"):
            department = (
                Department.objects.for_hromada(case.hromada).filter(public_id=data["department"]).first()
            )
            if department is None:
                raise DomainError(
                    "department_invalid", _("Оберіть чинний підрозділ громади."), field="department"
                )
        work.case_assign(case=case, actor=user, department=department, assignee=_user(data.get("assignee")))
        return _("Призначення збережено.")
    if action == "comment":
        work.case_comment(case=case, actor=user, text=data["text"], files=data["files"])
        return _("Внутрішній коментар додано.")
    if action == "update":
        work.case_update(case=case, actor=user, text=data["text"], files=data["files"])
        return _("Оновлення опубліковано й надіслано заявникові.")
    if action == "answer":
        work.case_answer(case=case, actor=user, text=data["text"], files=data["files"])
        return _("Відповідь надіслано заявникові.")
    if action == "resolve":
        work.case_resolve(case=case, actor=user, text=data["text"], files=data["files"])
        return _("Повідомлення позначено вирішеним.")
    if action == "not_fixed":
        work.case_not_fixed(case=case, actor=user, reason=data["reason"])
        return _("Повідомлення закрито без вирішення.")
    if action == "reject":
        work.case_reject(case=case, actor=user, reason=data["reason"])
        return _("Звернення відхилено.")
    if action == "return":
        work.case_return(case=case, actor=user, reason=data["reason"])
        return _("Звернення повернуто заявникові.")
    if action == "forward":
        work.case_forward(case=case, actor=user, to=data["to"], reason=data["reason"])
        return _("Звернення переслано за належністю; заявника повідомлено.")
    if action == "extend":
        work.case_extend(case=case, actor=user, reason=data["reason"], until=data.get("until"))
        return _("Строк продовжено; заявника повідомлено.")
    if action == "merge":
        try:
            original = case_get(hromada=case.hromada, public_id=data["original"])
        except NotFound:
            raise DomainError("merge_not_found", _("Такого звернення немає."), field="original") from None
        work.case_merge(case=case, actor=user, original=original)
        return _("Звернення позначено дублікатом №%(n)s.") % {"n": original.number}
    raise DomainError("action_unknown", _("Невідома дія."))


def _forms(request, case, *, bound: str) -> dict:
    """The action forms allowed now for this user, the one sent bound to its data."""
    user, hromada = request.user, case.hromada
    is_open = case.status in OPEN_STATUSES
    works = rules.can_work(user, case)
    router = rules.can_route(user, hromada)

    def data(name) -> tuple:
        """(data, files) for the form that was sent, (None, None) for the others."""
        if bound == name or (bound == "template" and name == "answer"):
            return (request.POST, request.FILES)
        return (None, None)

    forms: dict = {}
    if works:
        forms["comment"] = NoteForm(data("comment")[0], data("comment")[1], prefix="comment")
        forms["comment"].fields["text"].label = _("Коментар для колег")
    if not (works and is_open):
        return forms
    forms["assign"] = AssignForm(
        data("assign")[0],
        prefix="assign",
        departments=[d for d in ss.queue_departments(hromada=hromada, user=user) if d.active]
        if router
        else (),
        people=ss.assignable_people(hromada=hromada, department=case.department),
        can_move=router,
        initial={
            "department": str(case.department.public_id) if case.department_id else "",
            "assignee": str(case.assignee_id or ""),
        },
    )
    forms["update"] = NoteForm(data("update")[0], data("update")[1], prefix="update")
    forms["update"].fields["text"].label = _("Текст оновлення")
    if case.kind == CaseKind.REPORT:
        forms["resolve"] = NoteForm(data("resolve")[0], data("resolve")[1], prefix="resolve")
        forms["resolve"].fields["text"].label = _("Що зроблено (публічна відповідь)")
        forms["resolve"].fields["files"].label = _("Фото результату")
        forms["not_fixed"] = ReasonForm(
            data("not_fixed")[0],
            prefix="not_fixed",
            help_text=_(
                "Наприклад: не належить громаді, заплановано на наступний рік. Це побачать усі на карті."
            ),
        )
    else:
        forms["answer"] = AnswerForm(
            data("answer")[0], data("answer")[1], prefix="answer", templates=ss.answer_templates(case)
        )
        missing = rules.missing_required(case)
        if missing:
            forms["return"] = ReasonForm(
                data("return")[0],
                prefix="return",
                required=False,
                initial={"reason": " ".join(str(FIELD_MESSAGES[f]) for f in missing)},
                help_text=_(
                    "Закон вимагає повернути звернення без обов'язкових відомостей протягом 10 днів."
                ),
            )
    if router:
        forms["reject"] = ReasonForm(data("reject")[0], prefix="reject")
        forms["forward"] = ForwardForm(data("forward")[0], prefix="forward")
    if work.can_extend(user, case) and not work.extension_of(case).refusal:
        forms["extend"] = ExtendForm(
            data("extend")[0], prefix="extend", latest=work.extension_of(case).latest
        )
    forms["merge"] = MergeForm(data("merge")[0], prefix="merge")
    return forms


def _context(request, case, forms, action) -> dict:
    user, now = request.user, timezone.now()
    remind = settings_of(case.hromada).remind_days
    merge_q = (request.GET.get("merge_q") or request.POST.get("merge_q") or "").strip()[:200]
    limit = work.extension_of(case, now=now)
    urgency = ss.urgency_of(case, now=now, remind_days=remind)
    return {
        "case": case,
        "forms": forms,
        "sent": action,
        "history": ss.case_history(case),
        "attachments": ss.case_attachments(case),
        "urgency": urgency,
        "urgency_text": ss.URGENCY_TEXT.get(urgency, ""),
        "left": ss.left_text(case, now),
        "legal_basis": ss.legal_basis(case),
        "missing": [str(FIELD_MESSAGES[f]) for f in rules.missing_required(case)]
        if case.kind != CaseKind.REPORT
        else [],
        "can_work": rules.can_work(user, case),
        "can_extend": work.can_extend(user, case),
        "extension_refusal": str(work.REFUSALS.get(limit.refusal, "")) if case.is_open else "",
        "merge_q": merge_q,
        "merge_candidates": ss.merge_candidates(case, q=merge_q) if "merge" in forms else [],
        "duplicates": list(case.duplicates.order_by("number")),
        "cosigners": list(case.cosigners.all()),
        "attributes": _attributes(case),
        "map_layers": [
            {
                "name": _("Це звернення і схожі відкриті поруч"),
                "url": reverse("api-v1:appeals_staff_case_map", kwargs={"case_id": case.public_id}),
                "kind": "points",
                "cluster": False,
            }
        ],
        "map_center": [case.lat, case.lon] if case.lat is not None else None,
    }


def _attributes(case) -> list[tuple[str, str]]:
    if not case.attributes or not case.category_id:
        return []
    names = {a.code: a.description for a in case.category.attributes.all()}
    return [
        (names.get(code, code), ", ".join(v) if isinstance(v, list) else str(v))
        for code, v in case.attributes.items()
    ]
