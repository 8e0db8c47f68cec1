"""The staff's casework on petitions: assignment, internal notes, read marks, the
category → department routing, implementation follow-up and the signer-list audit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import Department, StaffRole
from hromada.core.errors import DomainError
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send
from hromada.tenancy.models import Hromada

from .. import rules
from ..models import (
    Assignment,
    Category,
    CategoryDepartment,
    Decision,
    FollowUpStep,
    FollowUpUpdate,
    Petition,
    SignerListDownload,
    StaffNote,
    StaffRead,
    Status,
)
from ._common import _clean_text, _forbidden, _url
from .consideration import petition_audience

ASSIGNABLE_STATUSES = (Status.COLLECTING, Status.CONSIDERATION, Status.ANSWERED)  # answered: its follow-up
FOLLOWUP_DECISIONS = (Decision.SUPPORTED, Decision.PARTIALLY)
NOTE_MAX = 5000


def petition_assign(
    *, petitions: Iterable[Petition], actor, department: Department | None = None, officer=None
) -> int:
    """Assign petitions (one or many, from a queue's bulk action) to a department and/or an
    officer. The officer must hold a staff role that answers petitions in this hromada;
    with a department, they must work in it. Returns how many were assigned."""
    petitions = list(petitions)
    if not petitions:
        return 0
    hromada = petitions[0].hromada
    if not rules.can_assign(actor, hromada):
        raise _forbidden(_("Призначати петиції може адміністратор громади."))
    if department is None and officer is None:
        raise DomainError("assignee_required", _("Оберіть підрозділ або посадову особу."), field="department")
    if department is not None and department.hromada_id != hromada.pk:
        raise DomainError("invalid_department", _("Оберіть підрозділ своєї громади."), field="department")
    if officer is not None:
        roles = StaffRole.objects.filter(hromada=hromada, user=officer)
        if not rules.account_rules.has_perm(officer, hromada, "petitions.answer"):
            raise DomainError(
                "invalid_officer", _("Ця людина не відповідає на петиції в громаді."), field="officer"
            )
        if department is not None and not roles.filter(department=department).exists():
            raise DomainError(
                "officer_not_in_department",
                _("Обрана посадова особа не працює в підрозділі «%(d)s».") % {"d": department.name},
                field="officer",
            )
    if officer is not None and department is None:
        # An officer works in a department: the petition goes to it too (its head approves).
        departments = {
            r.department
            for r in StaffRole.objects.filter(hromada=hromada, user=officer).select_related("department")
            if r.department_id
        }
        if len(departments) == 1:
            department = departments.pop()
    count = 0
    with transaction.atomic():
        for petition in Petition.objects.select_for_update().filter(
            pk__in=[p.pk for p in petitions], hromada=hromada
        ):
            if petition.status not in ASSIGNABLE_STATUSES:
                raise DomainError(
                    "not_assignable",
                    _("Петицію №%(n)d не можна призначити: вона вже не на розгляді.")
                    % {"n": petition.number},
                    status=409,
                )
            Assignment.objects.update_or_create(
                petition=petition,
                defaults={
                    "hromada": hromada,
                    "department": department,
                    "officer": officer,
                    "assigned_by": actor,
                },
            )
            count += 1
        if officer is not None and officer.pk != actor.pk:
            notify_send(
                hromada=hromada,
                users=[officer],
                kind="petition.assigned",
                title=lazy_format(_("Вам призначено петицій для відповіді: %(n)d"), n=count),
                body=", ".join(f"№{p.number}" for p in petitions[:20]),
                url=reverse("staff_petitions:consideration") + "?assignee=me",
            )
    return count


def category_department_set(*, actor, category: Category, department: Department | None) -> None:
    """Route a category's petitions to a department (None: no routing)."""
    if not rules.can_manage_categories(actor, category.hromada):
        raise _forbidden(_("Керувати категоріями може адміністратор громади."))
    if department is not None and department.hromada_id != category.hromada_id:
        raise DomainError("invalid_department", _("Оберіть підрозділ своєї громади."), field="department")
    with transaction.atomic():
        if department is None:
            CategoryDepartment.objects.filter(category=category).delete()
        else:
            CategoryDepartment.objects.update_or_create(
                category=category, defaults={"hromada": category.hromada, "department": department}
            )


def staff_note_add(*, petition: Petition, author, text: str) -> StaffNote:
    if not rules.can_note(author, petition):
        raise _forbidden(_("Нотатки до петицій залишають працівники громади."))
    text = _clean_text(text, field="text")
    if not text:
        raise DomainError("note_empty", _("Напишіть текст нотатки."), field="text")
    if len(text) > NOTE_MAX:
        raise DomainError("note_too_long", _("Нотатка задовга (до 5000 символів)."), field="text")
    return StaffNote.objects.create(
        hromada=petition.hromada, petition=petition, author=author, text=text, created_at=timezone.now()
    )


def staff_note_delete(*, note: StaffNote, actor) -> None:
    """Its author, or the hromada's administrator, removes a note."""
    if note.author_id != actor.pk and not rules.account_rules.is_hromada_admin(actor, note.hromada):
        raise _forbidden(_("Видалити нотатку може її автор або адміністратор громади."))
    StaffNote.objects.filter(pk=note.pk).delete()


def petitions_mark_read(*, petitions: Iterable[Petition], user, hromada: Hromada) -> int:
    """Mark petitions as seen by `user` (a bulk action in the queues)."""
    if not rules.can_view_staff_queues(user, hromada):
        raise _forbidden(_("Ця дія доступна лише працівникам громади."))
    now = timezone.now()
    ids = [p.pk for p in petitions if p.hromada_id == hromada.pk]
    seen = set(StaffRead.objects.filter(user=user, petition_id__in=ids).values_list("petition_id", flat=True))
    StaffRead.objects.bulk_create(
        [StaffRead(hromada=hromada, petition_id=pk, user=user, read_at=now) for pk in ids if pk not in seen],
        ignore_conflicts=True,
    )
    return len(ids)


# --- implementation follow-up -------------------------------------------------------------------


def _check_followup(actor, petition: Petition) -> None:
    if not (rules.can_answer(actor, petition) or rules.can_approve(actor, petition)):
        raise _forbidden(_("Звітувати про виконання може підрозділ, що відповідав на петицію."))
    answer = getattr(petition, "answer", None) if petition.status == Status.ANSWERED else None
    if answer is None or answer.decision not in FOLLOWUP_DECISIONS:
        raise DomainError(
            "followup_not_supported",
            _("Кроки виконання ведуть лише для підтриманих (повністю чи частково) петицій."),
            status=409,
        )


def followup_step_add(*, petition: Petition, actor, title: str, due_date: dt.date) -> FollowUpStep:
    _check_followup(actor, petition)
    title = _clean_text(title, field="title", multiline=False)
    if len(title) < 5:
        raise DomainError("step_title_short", _("Опишіть крок (щонайменше 5 символів)."), field="title")
    if len(title) > 300:
        raise DomainError("step_title_long", _("Опис кроку задовгий (до 300 символів)."), field="title")
    if due_date < timezone.localdate(petition.closed_at or timezone.now()):
        raise DomainError(
            "step_due_past", _("Строк кроку не може бути раніше за дату відповіді."), field="due_date"
        )
    return FollowUpStep.objects.create(
        hromada=petition.hromada, petition=petition, title=title, due_date=due_date, created_by=actor
    )


def followup_publish(*, petition: Petition, actor, text: str, step: FollowUpStep | None = None, done=False):
    """Publish a report on the implementation (optionally of one step, marking it done):
    shown on the petition's page, ledgered, and sent to the petition's audience."""
    _check_followup(actor, petition)
    text = _clean_text(text, field="text")
    if len(text) < 10:
        raise DomainError("update_short", _("Опишіть, що зроблено (щонайменше 10 символів)."), field="text")
    if len(text) > 5000:
        raise DomainError("update_long", _("Звіт задовгий (до 5000 символів)."), field="text")
    if step is not None and step.petition_id != petition.pk:
        raise DomainError("step_invalid", _("Оберіть крок цієї петиції."), field="step")
    now = timezone.now()
    with transaction.atomic():
        update = FollowUpUpdate.objects.create(
            hromada=petition.hromada, petition=petition, step=step, text=text, author=actor, published_at=now
        )
        if step is not None and done and step.done_at is None:
            FollowUpStep.objects.filter(pk=step.pk).update(done_at=now, updated_at=now)
        ledger_append(
            hromada=petition.hromada,
            kind="petition.followup_published",
            payload={
                "petition": str(petition.public_id),
                "step": step.title if step else None,
                "done": bool(step and done),
                "text_sha256": hashlib.sha256(text.encode()).hexdigest(),
            },
        )
        notify_send(
            hromada=petition.hromada,
            users=petition_audience(petition),
            kind="petition.followup_published",
            title=lazy_format(_("Новини про виконання петиції №%(n)d"), n=petition.number),
            body=text[:300],
            url=_url(petition),
        )
    return update


def signer_list_download_record(*, petition: Petition, user, format: str) -> SignerListDownload:
    """Record who took the signer list (personal data) out of the system, and refuse
    those who may not."""
    if not rules.can_download_signers(user, petition):
        raise _forbidden(_("Завантажувати список підписантів можуть посадові особи громади."))
    if petition.status not in (Status.CONSIDERATION, Status.ANSWERED, Status.UNSUCCESSFUL, Status.COLLECTING):
        raise DomainError("no_signers", _("Ця петиція не збирала підписів."), status=409)
    return SignerListDownload.objects.create(
        hromada=petition.hromada, petition=petition, user=user, format=format, created_at=timezone.now()
    )
