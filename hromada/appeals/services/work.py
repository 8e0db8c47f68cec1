"""Staff actions on a case: assignment, starting, internal comments, public updates,
answers and closing decisions, returning, forwarding, extending, merging duplicates.

Each action checks who acts (rules.can_work / can_route), locks the case row
(select_for_update) inside one transaction, writes a CaseEvent and its ledger entry and
tells the people concerned. Files are checked (by content) before anything is written,
so a refused upload leaves the case as it was."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.accounts.models import StaffRole
from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.i18n import lazy_format
from hromada.core.modules import registry
from hromada.core.text import check_text
from hromada.core.uploads import MB, check_upload
from hromada.notify.services import notify_send

from .. import rules
from ..models import (
    OPEN_STATUSES,
    REASON_MAX,
    TEXT_MAX,
    Attachment,
    AttachmentKind,
    Case,
    CaseKind,
    CaseStatus,
    Department,
    DepartmentMember,
    EventKind,
    Moderation,
    Subscription,
)
from . import deadlines
from .cases import applicant_tell, department_tell, event_add, ledger_case

ATTACHMENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
ATTACHMENT_MAX_BYTES = 10 * MB
ATTACHMENTS_MAX = 5
ANSWER_MIN = 10
NAME_MAX = 200


# --- shared steps ---------------------------------------------------------------------------


def _lock(case: Case) -> Case:
    """The case's row, locked for this transaction, with what actions read."""
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("hromada", "category", "department")
        .get(pk=case.pk)
    )


def _sync(target: Case, source: Case) -> Case:
    """Copy the locked row's state back to the caller's object (views keep using it)."""
    for field in Case._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    for name in ("department", "assignee", "duplicate_of"):
        target._state.fields_cache.pop(name, None)
    return target


def _forbidden() -> PermissionDenied:
    return PermissionDenied("case_forbidden", _("Ви не можете працювати з цим зверненням."))


def _require_work(actor, case: Case) -> None:
    if not rules.can_work(actor, case):
        raise _forbidden()


def _require_route(actor, case: Case) -> None:
    if not rules.can_route(actor, case.hromada):
        raise PermissionDenied(
            "route_forbidden",
            _("Це може зробити лише працівник, який розподіляє звернення громади."),
        )


def clean_text(value: str | None, *, field: str = "text") -> str:
    """Trimmed text, refused if it carries control characters (services are also called
    outside HTTP, where the text guard does not run)."""
    return check_text((value or "").replace("\r\n", "\n").strip(), field=field)


def _text(
    value: str, *, field: str, code: str, message, max_length: int = TEXT_MAX, min_length: int = 1
) -> str:
    text = clean_text(value, field=field)
    if len(text) < min_length:
        raise DomainError(code, message, field=field)
    if len(text) > max_length:
        raise DomainError(
            f"{field}_too_long",
            _("Текст задовгий: до %(n)d символів.") % {"n": max_length},
            field=field,
        )
    return text


def _reason(value: str, message=None) -> str:
    return _text(
        value,
        field="reason",
        code="reason_required",
        message=message or _("Вкажіть причину: її побачить заявник."),
        max_length=REASON_MAX,
    )


def _check_files(files, *, field: str = "files") -> list:
    """Check every file before anything is written; return (file, checked) pairs."""
    files = [f for f in (files or []) if f]
    if len(files) > ATTACHMENTS_MAX:
        raise DomainError(
            "too_many_files",
            _("Додайте не більше %(n)d файлів.") % {"n": ATTACHMENTS_MAX},
            field=field,
        )
    return [
        (f, check_upload(f, allowed=set(ATTACHMENT_TYPES), max_bytes=ATTACHMENT_MAX_BYTES, field=field))
        for f in files
    ]


def _attach(case: Case, event, checked_files, *, actor, public: bool) -> list[Attachment]:
    """Staff's files of a step: shown to the applicant (and, for reports, the public)
    with a public step, never with an internal one. Staff's own files need no moderation."""
    made = []
    for upload, checked in checked_files:
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        original = os.path.basename(upload.name or "file")[:200]
        upload.name = f"{uuid.uuid4().hex}.{checked.extension}"
        made.append(
            Attachment.objects.create(
                hromada_id=case.hromada_id,
                case=case,
                event=event,
                kind=AttachmentKind.PHOTO
                if checked.content_type.startswith("image/")
                else AttachmentKind.DOCUMENT,
                file=upload,
                original_name=original,
                content_type=checked.content_type,
                size=upload.size,
                sha256=digest.hexdigest(),
                public=public,
                moderation=Moderation.SHOWN,
                uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        )
    return made


def followers_tell(*, case: Case, title, body="", exclude=()) -> int:
    """Tell the people following `case` (Subscription rows: subscribers, "me too", the
    applicants of duplicates merged into it) of a public step, and by e-mail the
    applicants of merged duplicates who have no account. The applicant is told apart."""
    skip = {u for u in exclude if u} | ({case.applicant_id} if case.applicant_id else set())
    users = set(Subscription.objects.filter(case=case).values_list("user_id", flat=True)) - skip
    sent = 0
    if users:
        from .cases import case_url

        sent = notify_send(
            hromada=case.hromada,
            users=sorted(users),
            kind="appeals.updated",
            title=title,
            body=body,
            url=case_url(case),
        )
    for duplicate in case.duplicates.filter(applicant__isnull=True).exclude(applicant_email=""):
        applicant_tell(case=duplicate, kind="appeals.updated", title=title, body=body)
    return sent


def _on_time(case: Case, now: dt.datetime) -> bool:
    return case.due_at is None or now <= case.due_at


def _close(case: Case, *, status: str, now: dt.datetime) -> None:
    case.status = status
    case.answered_at = now


def _number_title(text, case: Case):
    return lazy_format(text, n=case.number)


# --- assignment -----------------------------------------------------------------------------


def _may_be_assignee(user, department: Department | None, hromada) -> bool:
    if has_perm(user, hromada, rules.PERM_ROUTE):
        return True
    if department is None or not has_perm(user, hromada, rules.PERM_WORK):
        return False
    return (
        department.head_id == user.pk
        or DepartmentMember.objects.filter(department=department, user=user).exists()
    )


def case_assign(*, case: Case, actor, department: Department | None = None, assignee=None, now=None) -> Case:
    """Route the case to `department` and/or give it to `assignee` (reassigning too).

    A worker may take a case of their department or give it to a colleague of it; moving
    it to another department is a router's. The assignee must work in the department (or
    be a router). The assignee is told (`appeals.assigned`), a new department's people too
    (`appeals.case_new`)."""
    now = now or timezone.now()
    _require_work(actor, case)
    with transaction.atomic():
        locked = _lock(case)
        rules.require_open(locked)
        target = department or locked.department
        if department is not None:
            if department.hromada_id != locked.hromada_id or not department.active:
                raise DomainError(
                    "department_invalid", _("Оберіть чинний підрозділ громади."), field="department"
                )
            if department.pk != locked.department_id:
                _require_route(actor, locked)
        if assignee is not None and not _may_be_assignee(assignee, target, locked.hromada):
            raise DomainError(
                "assignee_not_member",
                _("Виконавцем може бути лише працівник підрозділу «%(d)s».")
                % {"d": target.name if target else "—"},
                field="assignee",
            )
        moved = target is not None and target.pk != locked.department_id
        new_assignee_id = assignee.pk if assignee is not None else locked.assignee_id
        if moved and assignee is None and locked.assignee_id:
            # The former assignee keeps it only if they work in the new department too.
            if not _may_be_assignee(locked.assignee, target, locked.hromada):
                new_assignee_id = None
        if not moved and new_assignee_id == locked.assignee_id:
            raise DomainError(
                "assign_unchanged", _("Звернення вже в цього підрозділу й виконавця."), field="assignee"
            )
        previous_department = locked.department
        locked.department = target
        reassigned = new_assignee_id != locked.assignee_id
        locked.assignee_id = new_assignee_id
        if locked.status == CaseStatus.REGISTERED or moved or reassigned:
            # Someone new has it: it is theirs to start.
            locked.status = (
                CaseStatus.ASSIGNED if (locked.department_id or locked.assignee_id) else CaseStatus.REGISTERED
            )
        locked.save(update_fields=["department", "assignee", "status", "updated_at"])
        if moved and target is not None:
            event_add(
                case=locked,
                kind=EventKind.ROUTED,
                actor=actor,
                public=True,
                text=target.name,
                data={
                    "from": str(previous_department.public_id) if previous_department else None,
                    "to": str(target.public_id),
                },
            )
            ledger_case(locked, "appeals.case_routed", department=str(target.public_id))
            department_tell(
                case=locked,
                kind="appeals.case_new",
                title=_number_title(gettext_lazy("Нове звернення №%(n)s у черзі підрозділу"), locked),
            )
        if reassigned and locked.assignee is not None:
            event_add(
                case=locked,
                kind=EventKind.ASSIGNED,
                actor=actor,
                public=False,
                text=locked.assignee.display_name or locked.assignee.email,
                data={"assignee": locked.assignee_id},
            )
            ledger_case(locked, "appeals.case_assigned")
            if locked.assignee_id != getattr(actor, "pk", None):
                from django.urls import reverse

                notify_send(
                    hromada=locked.hromada,
                    users=[locked.assignee_id],
                    kind="appeals.assigned",
                    title=_number_title(gettext_lazy("Вам доручено звернення №%(n)s"), locked),
                    url=reverse("staff_appeals:case", args=[locked.public_id]),
                )
    return _sync(case, locked)


def case_start(*, case: Case, actor, now=None) -> Case:
    """Take the case into work (the actor becomes its assignee when it has none)."""
    _require_work(actor, case)
    with transaction.atomic():
        locked = _lock(case)
        rules.require_open(locked)
        if locked.status == CaseStatus.IN_PROGRESS:
            raise DomainError("case_already_started", _("Звернення вже в роботі."), status=409)
        locked.status = CaseStatus.IN_PROGRESS
        if locked.assignee_id is None:
            locked.assignee = actor
        locked.save(update_fields=["status", "assignee", "updated_at"])
        event_add(case=locked, kind=EventKind.STARTED, actor=actor, public=True)
        ledger_case(locked, "appeals.case_started")
        title = _number_title(gettext_lazy("Звернення №%(n)s взято в роботу"), locked)
        applicant_tell(case=locked, kind="appeals.updated", title=title)
        followers_tell(case=locked, title=title, exclude=[actor.pk])
    return _sync(case, locked)


# --- notes ----------------------------------------------------------------------------------


def case_comment(*, case: Case, actor, text: str, files=(), now=None):
    """An internal comment (never shown to the applicant or the public), with internal
    files. Allowed on closed cases too: staff's notes outlive the answer."""
    _require_work(actor, case)
    text = _text(text, field="text", code="text_required", message=_("Напишіть коментар."))
    checked = _check_files(files)
    if case.status == CaseStatus.DRAFT:
        raise DomainError("case_not_registered", _("Звернення ще не зареєстровано."), status=409)
    with transaction.atomic():
        locked = _lock(case)
        event = event_add(case=locked, kind=EventKind.COMMENT, actor=actor, public=False, text=text)
        _attach(locked, event, checked, actor=actor, public=False)
    return event


def case_update(*, case: Case, actor, text: str, files=(), now=None):
    """A public note on an open case: shown on the report page and in the applicant's
    cabinet, sent to the applicant and to everyone following it (`appeals.updated`)."""
    _require_work(actor, case)
    text = _text(text, field="text", code="text_required", message=_("Напишіть, що змінилося."))
    checked = _check_files(files)
    with transaction.atomic():
        locked = _lock(case)
        rules.require_open(locked)
        event = event_add(case=locked, kind=EventKind.UPDATE, actor=actor, public=True, text=text)
        _attach(locked, event, checked, actor=actor, public=True)
        title = _number_title(gettext_lazy("Новини щодо звернення №%(n)s"), locked)
        applicant_tell(case=locked, kind="appeals.updated", title=title, body=text)
        followers_tell(case=locked, title=title, body=text, exclude=[actor.pk])
    return event


# --- answers and closing decisions ----------------------------------------------------------


def _answer_text(text: str) -> str:
    return _text(
        text,
        field="text",
        code="answer_required",
        message=_("Напишіть відповідь (щонайменше %(n)d символів).") % {"n": ANSWER_MIN},
        min_length=ANSWER_MIN,
    )


def _finish(
    *,
    case: Case,
    actor,
    status: str,
    event_kind: str,
    ledger_kind: str,
    text: str,
    reason: str = "",
    checked=(),
    now: dt.datetime,
    title,
    notice_kind: str = "appeals.answered",
    data: dict | None = None,
    extra: dict | None = None,
) -> Case:
    """Close an open case with a public step (inside the caller's transaction on a locked row)."""
    rules.require_open(case)
    on_time = _on_time(case, now)
    _close(case, status=status, now=now)
    if text:
        case.answer = text
    if reason:
        case.close_reason = reason
    case.save()
    event = event_add(
        case=case,
        kind=event_kind,
        actor=actor,
        public=True,
        text=text or reason,
        data={"on_time": on_time, **(data or {})},
    )
    _attach(case, event, checked, actor=actor, public=True)
    ledger_case(case, ledger_kind, on_time=on_time, **(extra or {}))
    applicant_tell(case=case, kind=notice_kind, title=title, body=text or reason)
    followers_tell(case=case, title=title, body=text or reason, exclude=[actor.pk])
    return case


def case_answer(*, case: Case, actor, text: str, files=(), now=None) -> Case:
    """The answer to an appeal or an information request: its text and documents, sent
    to the applicant (`appeals.answered`); whether it came within the term is recorded."""
    now = now or timezone.now()
    _require_work(actor, case)
    if case.kind == CaseKind.REPORT:
        raise DomainError(
            "answer_not_for_reports",
            _("Повідомлення про проблему закривають як вирішене чи не вирішене, а не відповіддю."),
        )
    text = _answer_text(text)
    checked = _check_files(files)
    with transaction.atomic():
        locked = _lock(case)
        _finish(
            case=locked,
            actor=actor,
            status=CaseStatus.ANSWERED,
            event_kind=EventKind.ANSWERED,
            ledger_kind="appeals.case_answered",
            text=text,
            checked=checked,
            now=now,
            title=_number_title(gettext_lazy("Відповідь на ваше звернення №%(n)s"), locked),
        )
    return _sync(case, locked)


def case_resolve(*, case: Case, actor, text: str, files=(), now=None) -> Case:
    """A problem report is fixed: the public answer (shown on the map and the report's
    page) and photos of the result; the reporter may confirm or reopen it."""
    now = now or timezone.now()
    _require_work(actor, case)
    if case.kind != CaseKind.REPORT:
        raise DomainError(
            "resolve_only_reports",
            _("Вирішеним позначають повідомлення про проблему; на звернення — відповідь."),
        )
    text = _answer_text(text)
    checked = _check_files(files)
    with transaction.atomic():
        locked = _lock(case)
        _finish(
            case=locked,
            actor=actor,
            status=CaseStatus.RESOLVED,
            event_kind=EventKind.RESOLVED,
            ledger_kind="appeals.case_resolved",
            text=text,
            checked=checked,
            now=now,
            title=_number_title(gettext_lazy("Проблему за повідомленням №%(n)s вирішено"), locked),
        )
    return _sync(case, locked)


def case_not_fixed(*, case: Case, actor, reason: str, now=None) -> Case:
    """Closed, not fixed (FixMyStreet's distinct state): with the reason, never counted as
    fixed (e.g. not the council's property, planned for next year's repairs)."""
    now = now or timezone.now()
    _require_work(actor, case)
    if case.kind != CaseKind.REPORT:
        raise DomainError(
            "not_fixed_only_reports", _("«Закрито, не вирішено» — лише для повідомлень про проблему.")
        )
    reason = _reason(reason, _("Вкажіть, чому проблему не вирішено: це побачать заявник і всі на карті."))
    with transaction.atomic():
        locked = _lock(case)
        _finish(
            case=locked,
            actor=actor,
            status=CaseStatus.NOT_FIXED,
            event_kind=EventKind.NOT_FIXED,
            ledger_kind="appeals.case_not_fixed",
            text="",
            reason=reason,
            now=now,
            title=_number_title(gettext_lazy("Повідомлення №%(n)s закрито без вирішення"), locked),
        )
    return _sync(case, locked)


def case_reject(*, case: Case, actor, reason: str, now=None) -> Case:
    """Reject (abusive, repeated with no new facts, not a matter to act on), with the reason."""
    now = now or timezone.now()
    _require_work(actor, case)
    _require_route(actor, case)
    reason = _reason(reason)
    with transaction.atomic():
        locked = _lock(case)
        _finish(
            case=locked,
            actor=actor,
            status=CaseStatus.REJECTED,
            event_kind=EventKind.REJECTED,
            ledger_kind="appeals.case_rejected",
            text="",
            reason=reason,
            now=now,
            title=_number_title(gettext_lazy("Звернення №%(n)s відхилено"), locked),
        )
    return _sync(case, locked)


def case_return(*, case: Case, actor, reason: str = "", now=None) -> Case:
    """Return an appeal (or a request) that lacks what the law requires, with the reason,
    within 10 days of receipt (whether it was in time is recorded). Refused for a case
    that has every required field: it must be considered."""
    now = now or timezone.now()
    _require_work(actor, case)
    if case.kind == CaseKind.REPORT:
        raise DomainError("return_not_for_reports", _("Повідомлення про проблему не повертають заявникові."))
    missing = rules.missing_required(case)
    if not missing:
        raise DomainError(
            "case_complete",
            _("У зверненні є всі відомості, яких вимагає закон: його треба розглянути, а не повертати."),
            status=409,
        )
    from .cases import FIELD_MESSAGES

    reason = clean_text(reason or "") or " ".join(str(FIELD_MESSAGES[f]) for f in missing)
    reason = _reason(reason)
    with transaction.atomic():
        locked = _lock(case)
        in_time = locked.registered_at is None or now <= deadlines.return_due(locked.registered_at)
        _finish(
            case=locked,
            actor=actor,
            status=CaseStatus.RETURNED,
            event_kind=EventKind.RETURNED,
            ledger_kind="appeals.case_returned",
            text="",
            reason=reason,
            now=now,
            title=_number_title(gettext_lazy("Звернення №%(n)s повернуто вам"), locked),
            notice_kind="appeals.returned",
            data={"missing": missing, "in_time": in_time},
            extra={"missing": missing, "in_time": in_time},
        )
    return _sync(case, locked)


def case_forward(*, case: Case, actor, to: str, reason: str, now=None) -> Case:
    """Forward a matter outside the council's competence to the body it belongs to, with
    a notice to the applicant, within 5 days of receipt (whether in time is recorded)."""
    now = now or timezone.now()
    _require_work(actor, case)
    _require_route(actor, case)
    to = _text(
        to,
        field="to",
        code="forward_to_required",
        message=_("Вкажіть, кому пересилаєте."),
        max_length=NAME_MAX,
    )
    reason = _reason(reason, _("Вкажіть, чому звернення не належить до повноважень ради."))
    with transaction.atomic():
        locked = _lock(case)
        in_time = locked.registered_at is None or now <= deadlines.forward_due(locked.registered_at)
        locked.forwarded_to = to
        _finish(
            case=locked,
            actor=actor,
            status=CaseStatus.FORWARDED,
            event_kind=EventKind.FORWARDED,
            ledger_kind="appeals.case_forwarded",
            text="",
            reason=reason,
            now=now,
            title=lazy_format(
                gettext_lazy("Звернення №%(n)s переслано за належністю: %(to)s"), n=locked.number, to=to
            ),
            notice_kind="appeals.forwarded",
            data={"to": to, "in_time": in_time},
            extra={"in_time": in_time},
        )
    return _sync(case, locked)


# --- extension ------------------------------------------------------------------------------

REFUSALS = {
    "deadline_passed": gettext_lazy("Строк уже минув: продовжити можна лише до його закінчення."),
    "extension_at_maximum": gettext_lazy(
        "Строк уже найдовший, який дозволяє закон (45 днів від надходження)."
    ),
    "extension_urgent": gettext_lazy("Строк термінового запиту (48 годин) не продовжують."),
    "extension_once": gettext_lazy("Строк розгляду запиту вже продовжено: вдруге закон не дозволяє."),
    "extension_notice_late": gettext_lazy(
        "Повідомити про продовження треба протягом 5 робочих днів від надходження запиту: цей строк минув."
    ),
}


def can_extend(user, case: Case) -> bool:
    """The head of the body extends a term (Law on citizens' appeals, art. 20): routers,
    and the head of the case's department."""
    if rules.can_route(user, case.hromada):
        return True
    department = case.department if case.department_id else None
    return bool(department and department.head_id == getattr(user, "pk", None) and rules.can_work(user, case))


def extension_of(case: Case, *, now=None) -> deadlines.ExtensionLimit:
    """How far the case's term may be extended now (for the page's form and the service)."""
    now = now or timezone.now()
    if case.status not in OPEN_STATUSES or case.due_at is None or case.registered_at is None:
        return deadlines.ExtensionLimit(None, "case_not_open")
    return deadlines.extension_limit(
        kind=case.kind,
        received=case.registered_at,
        due=case.due_at,
        now=now,
        urgent=case.urgent,
        extended=case.extended_at is not None,
    )


def case_extend(
    *, case: Case, actor, reason: str, until: dt.datetime | dt.date | None = None, now=None
) -> Case:
    """Extend the term within the law's limit (appeals: to 45 days from receipt;
    information requests: to 20 working days, once, not urgent ones, with the notice
    within 5 working days; reports: a later target), with the reason. The notice to the
    applicant is recorded as a public event and sent (`appeals.extended`). Reminders
    start again for the new term."""
    now = now or timezone.now()
    if not can_extend(actor, case):
        raise PermissionDenied(
            "extend_forbidden",
            _("Продовжити строк може керівник підрозділу або працівник, який розподіляє звернення."),
        )
    reason = _reason(reason, _("Вкажіть причину продовження: її отримає заявник."))
    with transaction.atomic():
        locked = _lock(case)
        rules.require_open(locked)
        limit = extension_of(locked, now=now)
        if limit.refusal:
            raise DomainError(limit.refusal, REFUSALS[limit.refusal], field="until", status=409)
        if until is None:
            if limit.latest is None:
                raise DomainError("until_required", _("Вкажіть новий строк."), field="until")
            until = limit.latest
        elif isinstance(until, dt.date) and not isinstance(until, dt.datetime):
            until = deadlines.end_of_day(until)
        assert locked.due_at is not None and locked.registered_at is not None  # open cases are registered
        if until <= locked.due_at:
            raise DomainError("until_not_later", _("Новий строк має бути пізніше чинного."), field="until")
        if limit.latest is not None and until > limit.latest:
            from django.utils.formats import date_format

            raise DomainError(
                "until_beyond_limit",
                _("Закон дозволяє продовжити строк не далі ніж до %(d)s.")
                % {"d": date_format(timezone.localtime(limit.latest).date(), "DATE_FORMAT")},
                field="until",
            )
        previous = locked.due_at
        locked.due_at = until
        locked.extended_at = now
        locked.extension_reason = reason
        locked.reminded_at = locked.escalated_at = locked.overdue_notified_at = None
        locked.save()
        notice_in_time = locked.kind != CaseKind.INFO or now <= deadlines.info_extension_notice_due(
            locked.registered_at
        )
        event_add(
            case=locked,
            kind=EventKind.EXTENDED,
            actor=actor,
            public=True,
            text=reason,
            data={"from": previous.isoformat(), "to": until.isoformat(), "notice_in_time": notice_in_time},
        )
        ledger_case(
            locked, "appeals.case_extended", due_at=until.isoformat(), previous_due_at=previous.isoformat()
        )
        from .cases import _due_text

        title = _number_title(gettext_lazy("Строк розгляду звернення №%(n)s продовжено"), locked)
        body = lazy_format(
            gettext_lazy("Новий строк: до %(due)s. Причина: %(r)s"), due=_due_text(locked), r=reason
        )
        applicant_tell(case=locked, kind="appeals.extended", title=title, body=body)
        followers_tell(case=locked, title=title, body=body, exclude=[actor.pk])
    return _sync(case, locked)


# --- duplicates -----------------------------------------------------------------------------


def case_merge(*, case: Case, actor, original: Case, now=None) -> Case:
    """Mark `case` a duplicate of `original`: the two stay linked (duplicate_of), the
    duplicate is closed, and its applicant, co-signers and followers are subscribed to the
    original so its updates and answer reach them too."""
    now = now or timezone.now()
    duplicate = case
    if original.hromada_id != duplicate.hromada_id:
        raise DomainError("merge_not_found", _("Такого звернення немає."), field="original", status=404)
    if not (
        rules.can_route(actor, duplicate.hromada)
        or (rules.can_work(actor, duplicate) and rules.can_work(actor, original))
    ):
        raise _forbidden()
    if original.pk == duplicate.pk:
        raise DomainError(
            "merge_into_itself", _("Звернення не може бути дублікатом самого себе."), field="original"
        )
    with transaction.atomic():
        # Both rows locked in one order, so two merges of the same pair cannot deadlock.
        rows = {
            c.pk: c
            for c in Case.objects.select_for_update(of=("self",))
            .select_related("hromada")
            .filter(pk__in=[duplicate.pk, original.pk])
            .order_by("pk")
        }
        dup, orig = rows[duplicate.pk], rows[original.pk]
        if dup.kind != orig.kind:
            raise DomainError(
                "merge_kind_mismatch",
                _("Об'єднати можна лише звернення одного виду (повідомлення з повідомленням)."),
                field="original",
            )
        if orig.status == CaseStatus.DUPLICATE:
            raise DomainError(
                "merge_into_duplicate",
                _("№%(n)s сам є дублікатом №%(m)s: об'єднуйте з №%(m)s.")
                % {"n": orig.number, "m": orig.duplicate_of.number if orig.duplicate_of_id else "?"},
                field="original",
            )
        rules.require_open(dup)
        if orig.status not in OPEN_STATUSES:
            raise DomainError(
                "merge_original_closed",
                _("№%(n)s уже закрито (%(s)s): відкрите звернення не можна приєднати до закритого.")
                % {"n": orig.number, "s": orig.get_status_display()},
                field="original",
            )
        dup.status = CaseStatus.DUPLICATE
        dup.duplicate_of = orig
        dup.answered_at = now
        dup.close_reason = _("Дублікат звернення №%(n)s.") % {"n": orig.number}
        dup.save()
        people = set(Subscription.objects.filter(case=dup).values_list("user_id", flat=True))
        if dup.applicant_id:
            people.add(dup.applicant_id)
        people |= set(dup.cosigners.exclude(user=None).values_list("user_id", flat=True))
        people.discard(orig.applicant_id)
        existing = set(
            Subscription.objects.filter(case=orig, user_id__in=people).values_list("user_id", flat=True)
        )
        Subscription.objects.bulk_create(
            [
                Subscription(hromada_id=orig.hromada_id, user_id=u, case=orig)
                for u in sorted(people - existing)
            ]
        )
        data = {"original": str(orig.public_id), "original_number": orig.number}
        event_add(case=dup, kind=EventKind.MERGED, actor=actor, public=True, text=dup.close_reason, data=data)
        event_add(
            case=orig,
            kind=EventKind.MERGED,
            actor=actor,
            public=False,
            text=_("Приєднано дублікат №%(n)s.") % {"n": dup.number},
            data={"duplicate": str(dup.public_id), "duplicate_number": dup.number},
        )
        ledger_case(dup, "appeals.case_merged", original=str(orig.public_id))
        applicant_tell(
            case=dup,
            kind="appeals.updated",
            title=lazy_format(
                gettext_lazy("Звернення №%(n)s об'єднано з №%(m)s: ви отримуватимете його новини"),
                n=dup.number,
                m=orig.number,
            ),
            url=_case_url(orig),
        )
    return _sync(case, dup)


def _case_url(case: Case) -> str:
    from .cases import case_url

    return case_url(case)


# --- who is told when nobody heads the department -------------------------------------------


def routers_of(hromada) -> list[int]:
    """The users who route the hromada's cases (told when a department has no head)."""
    permission = registry.permission(rules.PERM_ROUTE)
    roles = list(permission.roles) if permission else []
    return sorted(
        set(StaffRole.objects.filter(hromada=hromada, role__in=roles).values_list("user_id", flat=True))
    )
