"""Expert review of projects (ADR 0006): assignment to a department with a due date,
the checklist and the corrected estimate, the decision with public reasons, the
author's one answer, and the support threshold's verdict when review begins."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.accounts.models import Department
from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send
from hromada.tenancy.selectors import module_settings

from .. import rules
from ..models import (
    CHECKLIST_KEYS,
    TEXT_MAX,
    CoAuthor,
    CostLine,
    Cycle,
    Project,
    ProjectStatus,
    Review,
    ReviewDecision,
)
from ._staff_common import clean_text, department_staff, in_department, project_url, url_or_blank

REVIEWABLE = (ProjectStatus.SUBMITTED, ProjectStatus.REVIEW)
# Before the review phase the authors may still edit (and supporters still support).
EARLY_PHASES = ("ideas", "support")
SUPPORT_REASON = gettext_lazy("Проєкт не набрав потрібної кількості підтримок (%(n)d з %(need)d).")


def _forbidden(message=None) -> PermissionDenied:
    return PermissionDenied("forbidden", message or _("Недостатньо прав для цієї дії."))


def may_review(user, project: Project, review: Review | None = None) -> bool:
    """A reviewer of the hromada; an officer only for their own department's projects
    (the assigner — an administrator — for any)."""
    hromada = project.hromada
    if not rules.can_review(user, hromada):
        return False
    if has_perm(user, hromada, "budget.assign"):
        return True
    review = review if review is not None else Review.objects.filter(project=project).first()
    department_id = review.department_id if review is not None else None
    return department_id is not None and in_department(user, hromada, department_id)


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update()
        .select_related("hromada", "cycle", "category")
        .get(pk=project.pk, hromada_id=project.hromada_id)
    )


def _authors(project: Project) -> list:
    people = [project.author_id] if project.author_id else []
    people += list(
        CoAuthor.objects.for_hromada(project.hromada_id)
        .filter(project=project, accepted_at__isnull=False, user__isnull=False)
        .values_list("user_id", flat=True)
    )
    return people


def review_assign(*, project: Project, actor, department: Department | None, due_date: dt.date | None = None):
    """Send a submitted project to a department for review (or re-assign one under
    review): status review, the department's staff told, ledgered."""
    hromada = project.hromada
    if not has_perm(actor, hromada, "budget.assign"):
        raise _forbidden(_("Призначати проєкти на експертизу може адміністратор громади."))
    if department is None or department.hromada_id != hromada.pk:
        raise DomainError("invalid_department", _("Оберіть підрозділ своєї громади."), field="department")
    today = timezone.localdate()
    if due_date is None:
        due_date = today + dt.timedelta(days=module_settings(hromada=hromada, label="budget").review_days)
    if due_date < today:
        raise DomainError("due_date_past", _("Строк експертизи не може бути в минулому."), field="due_date")
    with transaction.atomic():
        project = _locked(project)
        review = Review.objects.filter(project=project).first()
        if project.status not in REVIEWABLE or (review is not None and review.decision):
            raise DomainError(
                "not_assignable",
                _("Проєкт №%(n)s не можна призначити: рішення експертизи вже ухвалено або його не подано.")
                % {"n": project.number},
                status=409,
            )
        phase = rules.phase_code(project.cycle)
        if project.status == ProjectStatus.SUBMITTED and phase in EARLY_PHASES:
            raise DomainError(
                "review_not_started",
                _("Експертиза починається після завершення етапу подання ідей (і збору підтримки)."),
                status=409,
            )
        if review is None:
            review = Review(hromada=hromada, project=project)
        review.department = department
        review.assigned_at = timezone.now()
        review.due_date = due_date
        review.save()
        project.status = ProjectStatus.REVIEW
        project.save(update_fields=["status", "updated_at"])
        ledger_append(
            hromada=hromada,
            kind="budget.project_assigned",
            payload={
                "project": str(project.public_id),
                "department": department.name,
                "due_date": due_date.isoformat(),
            },
        )
        staff = [u for u in department_staff(hromada, department) if u.pk != actor.pk]
        notify_send(
            hromada=hromada,
            users=staff,
            kind="budget.review_assigned",
            title=lazy_format(
                gettext_lazy("Проєкт №%(n)s передано на експертизу вашому підрозділу до %(due)s"),
                n=project.number,
                due=due_date.strftime("%d.%m.%Y"),
            ),
            body=project.title,
            url=url_or_blank("staff_budget:review", public_id=project.public_id),
        )
    return review


def _checklist(value: dict) -> dict:
    """{key: {"value": True/False/None, "note": str}} for the fixed keys; a bare
    True/False/None stands for the value without a note."""
    if not isinstance(value, dict) or any(key not in CHECKLIST_KEYS for key in value):
        raise DomainError("checklist_invalid", _("Невідомий пункт перевірки."), field="checklist")
    result = {}
    for key in CHECKLIST_KEYS:
        item = value.get(key)
        if not isinstance(item, dict):
            item = {"value": item, "note": ""}
        mark = item.get("value")
        if mark not in (True, False, None):
            raise DomainError(
                "checklist_invalid", _("Пункт перевірки: так, ні або не перевірено."), field=key
            )
        note = clean_text(item.get("note") or "", field=f"{key}_note")
        if len(note) > 2000:
            raise DomainError(
                "checklist_note_too_long", _("Примітка задовга (до 2000 символів)."), field=f"{key}_note"
            )
        result[key] = {"value": mark, "note": note}
    return result


def _open_review(project: Project, actor) -> Review:
    review = Review.objects.filter(project=project).first()
    if not may_review(actor, project, review):
        raise _forbidden(_("Експертизу проводять працівники підрозділу, якому її призначено."))
    if project.status != ProjectStatus.REVIEW or review is None:
        raise DomainError("not_in_review", _("Проєкт ще не передано на експертизу."), status=409)
    if review.decision:
        raise DomainError("review_decided", _("Рішення експертизи вже ухвалено."), status=409)
    return review


def review_save(
    *,
    project: Project,
    actor,
    checklist: dict,
    line_amounts: dict[int, int | None] | None = None,
    reviewed_cost: int | None = None,
) -> Review:
    """The reviewer's work in progress: the checklist and the corrected estimate (per
    line — the project's reviewed cost is then their sum — or as one figure)."""
    with transaction.atomic():
        project = _locked(project)
        review = _open_review(project, actor)
        marks = _checklist(checklist)
        lines = list(CostLine.objects.for_hromada(project.hromada_id).filter(project=project))
        if line_amounts:
            by_id = {line.pk: line for line in lines}
            for line_id, amount in line_amounts.items():
                line = by_id.get(int(line_id))
                if line is None:
                    raise DomainError("cost_line_unknown", _("Такої статті витрат у проєкті немає."))
                if amount is not None and (not isinstance(amount, int) or amount < 0):
                    raise DomainError(
                        "amount_invalid",
                        _("Сума має бути цілим числом гривень, не меншим за нуль."),
                        field=f"line_{line.pk}",
                    )
                line.reviewed_amount = None if amount is None or amount == line.amount else amount
            CostLine.objects.bulk_update(lines, ["reviewed_amount"])
            if any(line.reviewed_amount is not None for line in lines):
                reviewed_cost = sum(
                    int(line.reviewed_amount if line.reviewed_amount is not None else line.amount)
                    for line in lines
                )
            elif reviewed_cost is None:
                reviewed_cost = None
        if reviewed_cost is not None and (not isinstance(reviewed_cost, int) or reviewed_cost < 0):
            raise DomainError(
                "amount_invalid",
                _("Сума має бути цілим числом гривень, не меншим за нуль."),
                field="reviewed_cost",
            )
        project.reviewed_cost = reviewed_cost if reviewed_cost != project.cost else None
        project.save(update_fields=["reviewed_cost", "updated_at"])
        review.checklist = marks
        review.reviewer = actor
        review.save(update_fields=["checklist", "reviewer", "updated_at"])
    return review


def review_decide(*, project: Project, actor, decision: str, reasons: str, revision: int) -> Review:
    """Admit or reject a project, with public reasons. `revision` is the project's
    revision the reviewer read: if the author changed it meanwhile, a conflict (409)."""
    reasons = clean_text(reasons, field="reasons")
    with transaction.atomic():
        project = _locked(project)
        review = _open_review(project, actor)
        if decision not in (ReviewDecision.ADMITTED, ReviewDecision.REJECTED):
            raise DomainError("decision_invalid", _("Оберіть рішення: допустити чи ні."), field="decision")
        if not reasons:
            raise DomainError(
                "reasons_required", _("Напишіть публічне обґрунтування рішення."), field="reasons"
            )
        if len(reasons) > TEXT_MAX:
            raise DomainError(
                "reasons_too_long",
                _("Обґрунтування задовге: до %(max)d символів.") % {"max": TEXT_MAX},
                field="reasons",
            )
        if int(revision) != project.revision:
            raise DomainError(
                "revision_conflict",
                _(
                    "Автор змінив проєкт, поки ви його читали: перегляньте нову редакцію й ухваліть рішення знову."
                ),
                status=409,
            )
        if decision == ReviewDecision.ADMITTED and project.voted_cost > project.category.max_cost:
            raise DomainError(
                "reviewed_cost_over_max",
                _("Вартість за експертизою перевищує максимальну для категорії (%(max)s грн).")
                % {"max": f"{project.category.max_cost:,}".replace(",", "\u00a0")},
                field="decision",
            )
        _record_decision(project, review, decision=decision, reasons=reasons, actor=actor)
    return review


def _record_decision(project: Project, review: Review, *, decision: str, reasons: str, actor) -> None:
    now = timezone.now()
    review.decision = decision
    review.reasons = reasons
    review.decided_at = now
    review.decided_by = actor
    review.revision = project.revision
    review.save()
    project.status = ProjectStatus.ADMITTED if decision == ReviewDecision.ADMITTED else ProjectStatus.REJECTED
    project.save(update_fields=["status", "updated_at"])
    ledger_append(
        hromada=project.hromada,
        kind="budget.project_reviewed",
        payload={
            "project": str(project.public_id),
            "decision": decision,
            "reasons": reasons,
            "reviewed_cost": project.reviewed_cost,
        },
    )
    title = (
        gettext_lazy("Ваш проєкт «%(title)s» допущено до голосування")
        if decision == ReviewDecision.ADMITTED
        else gettext_lazy("Ваш проєкт «%(title)s» не допущено до голосування")
    )
    notify_send(
        hromada=project.hromada,
        users=_authors(project),
        kind="budget.project_reviewed",
        title=lazy_format(title, title=project.title[:120]),
        body=reasons,
        url=project_url(project),
    )


def author_answer(*, project: Project, actor, text: str) -> Review:
    """The author's one answer to the decision, shown beside it."""
    text = clean_text(text, field="text")
    with transaction.atomic():
        project = _locked(project)
        if actor is None or not actor.is_authenticated or project.author_id != actor.pk:
            raise _forbidden(_("Відповісти на висновок експертизи може лише автор проєкту."))
        review = Review.objects.select_for_update().filter(project=project).first()
        if review is None or not review.decision:
            raise DomainError(
                "answer_before_decision", _("Відповісти можна після рішення експертизи."), status=409
            )
        if review.author_answered_at is not None:
            raise DomainError("answer_once", _("Ви вже відповіли на висновок експертизи."), status=409)
        if not text:
            raise DomainError("answer_required", _("Напишіть відповідь."), field="text")
        if len(text) > TEXT_MAX:
            raise DomainError(
                "answer_too_long",
                _("Відповідь задовга: до %(max)d символів.") % {"max": TEXT_MAX},
                field="text",
            )
        review.author_answer = text
        review.author_answered_at = timezone.now()
        review.save(update_fields=["author_answer", "author_answered_at", "updated_at"])
        ledger_append(
            hromada=project.hromada,
            kind="budget.author_answered",
            payload={"project": str(project.public_id)},
        )
        reviewers = {pk for pk in (review.decided_by_id, review.reviewer_id) if pk}
        notify_send(
            hromada=project.hromada,
            users=sorted(reviewers),
            kind="budget.author_answered",
            title=lazy_format(
                gettext_lazy("Автор відповів на висновок щодо проєкту №%(n)s"), n=project.number
            ),
            body=text[:500],
            url=url_or_blank("staff_budget:review", public_id=project.public_id),
        )
    return review


def support_close(*, cycle: Cycle) -> int:
    """When review begins in a cycle with a support threshold: the projects still
    submitted with fewer supports than needed are not admitted, with the public reason
    (ledgered as a decision without a decider). Idempotent. Returns how many."""
    need = cycle.support_threshold
    if not need:
        return 0
    closed = 0
    with transaction.atomic():
        rows = (
            Project.objects.for_hromada(cycle.hromada_id)
            .select_for_update()
            .select_related("hromada", "cycle", "category")
            .filter(cycle=cycle, status=ProjectStatus.SUBMITTED, support_count__lt=need)
            .order_by("number")
        )
        for project in rows:
            review = Review.objects.filter(project=project).first() or Review(
                hromada=project.hromada, project=project
            )
            reasons = str(SUPPORT_REASON % {"n": project.support_count, "need": need})
            _record_decision(project, review, decision=ReviewDecision.REJECTED, reasons=reasons, actor=None)
            closed += 1
    return closed


def review_overdue_notify(*, now: dt.datetime | None = None) -> int:
    """Tell the department (and the administrators who assign) once that a review is
    past its due date. The notification itself is the record: its URL names the review."""
    from hromada.accounts.models import Role, StaffRole
    from hromada.notify.models import Notification

    today = timezone.localdate(now or timezone.now())
    late = (
        Review.objects.filter(
            decision="", due_date__lt=today, project__status=ProjectStatus.REVIEW, department__isnull=False
        )
        .select_related("project", "project__hromada", "department")
        .order_by("due_date", "pk")
    )
    told = 0
    for review in late:
        project = review.project
        url = (
            url_or_blank("staff_budget:review", public_id=project.public_id) or "/staff/budget/review/"
        ) + "#overdue"
        with transaction.atomic():
            if Notification.objects.filter(
                hromada=project.hromada, kind="budget.review_overdue", url=url
            ).exists():
                continue
            users = {u.pk for u in department_staff(project.hromada, review.department)}
            users |= set(
                StaffRole.objects.filter(hromada=project.hromada, role=Role.ADMIN).values_list(
                    "user_id", flat=True
                )
            )
            sent = notify_send(
                hromada=project.hromada,
                users=sorted(users),
                kind="budget.review_overdue",
                title=lazy_format(
                    gettext_lazy("Прострочено експертизу проєкту №%(n)s (строк — %(due)s)"),
                    n=project.number,
                    due=review.due_date.strftime("%d.%m.%Y") if review.due_date else "",
                ),
                body=project.title,
                url=url,
            )
            told += bool(sent)
    return told
