"""Reads for the petitions staff console: queues with filters, the staff home's figures,
the public answer block, signer lists and statistics over time. Every function is
scoped by hromada."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import Department, StaffRole
from hromada.core.modules import StaffCounter
from hromada.tenancy.models import Hromada

from . import rules
from .models import (
    Answer,
    AnswerDraft,
    Decision,
    DraftStatus,
    FollowUpStep,
    FollowUpUpdate,
    Petition,
    Signature,
    StaffNote,
    StaffRead,
    Status,
)

QUEUES = ("moderation", "consideration", "approval", "followup", "all")
# Authors' drafts (a status the authoring pages add) are private to their authors.
PRIVATE_STATUSES = ("draft",)


@dataclass
class StaffFilters:
    """A queue's filters, read from the query string (every value optional)."""

    q: str = ""
    status: str = ""
    category: str = ""
    department: str = ""  # a department's public id
    assignee: str = ""  # a user's public id, or "me", or "none"
    overdue: bool = False
    unread: bool = False

    @classmethod
    def from_query(cls, data) -> StaffFilters:
        return cls(
            q=(data.get("q") or "")[:200].strip(),
            status=(data.get("status") or "")[:20],
            category=(data.get("category") or "")[:60],
            department=(data.get("department") or "")[:40],
            assignee=(data.get("assignee") or "")[:40],
            overdue=data.get("overdue") in ("1", "on", "true"),
            unread=data.get("unread") in ("1", "on", "true"),
        )

    @property
    def active(self) -> bool:
        return any(
            (self.q, self.status, self.category, self.department, self.assignee, self.overdue, self.unread)
        )


QUEUE_STATUSES = {
    "moderation": (Status.MODERATION,),
    "consideration": (Status.CONSIDERATION,),
    "approval": (Status.CONSIDERATION,),
    "followup": (Status.ANSWERED,),
}


def _overdue_q(queue: str, today: dt.date) -> Q:
    if queue == "moderation":
        return Q(moderation_due__lt=today)
    if queue == "followup":
        return Q(
            Exists(
                FollowUpStep.objects.filter(petition=OuterRef("pk"), done_at__isnull=True, due_date__lt=today)
            )
        )
    return Q(consideration_extended_until__lt=today) | Q(
        consideration_extended_until__isnull=True, consideration_due__lt=today
    )


def staff_queue(
    *, hromada: Hromada, user, queue: str, filters: StaffFilters | None = None
) -> QuerySet[Petition]:
    """One of QUEUES, filtered. Only petitions in the queue's own status are listed, so a
    draft or a withdrawn petition (other states) never appears in moderation."""
    filters = filters or StaffFilters()
    today = timezone.localdate()
    if queue == "all":
        qs = Petition.objects.filter(hromada=hromada).exclude(status__in=PRIVATE_STATUSES)
        if filters.status:
            qs = qs.filter(status=filters.status)
    else:
        qs = Petition.objects.filter(hromada=hromada, status__in=QUEUE_STATUSES[queue])
    if queue == "approval":
        qs = qs.filter(
            Exists(AnswerDraft.objects.filter(petition=OuterRef("pk"), status=DraftStatus.SUBMITTED))
        )
    if queue == "followup":
        qs = qs.filter(answer__decision__in=[Decision.SUPPORTED, Decision.PARTIALLY])
    if filters.status and queue == "approval" and filters.status in DraftStatus.values:
        qs = qs.filter(Exists(AnswerDraft.objects.filter(petition=OuterRef("pk"), status=filters.status)))
    if filters.category:
        qs = qs.filter(category__slug=filters.category)
    if filters.department:
        department = Department.objects.filter(hromada=hromada, public_id__iexact=filters.department).first()
        if department is None and filters.department.isdigit():
            department = Department.objects.filter(hromada=hromada, pk=int(filters.department)).first()
        if department is None:
            return qs.none()
        qs = qs.filter(
            Q(assignment__department=department)
            | Q(assignment__department__isnull=True, category__route__department=department)
            | Q(assignment__isnull=True, category__route__department=department)
        )
    if filters.assignee == "me":
        qs = qs.filter(assignment__officer=user)
    elif filters.assignee == "none":
        qs = qs.filter(Q(assignment__isnull=True) | Q(assignment__officer__isnull=True))
    elif filters.assignee:
        qs = qs.filter(assignment__officer__public_id__iexact=filters.assignee)
    if filters.overdue:
        if queue == "all":
            qs = qs.filter(
                Q(status=Status.MODERATION, moderation_due__lt=today)
                | Q(Q(status=Status.CONSIDERATION) & _overdue_q("consideration", today))
            )
        else:
            qs = qs.filter(_overdue_q(queue, today))
    if filters.q:
        q = filters.q.lstrip("№#").strip()
        qs = qs.filter(
            Q(number=int(q)) if q.isdigit() else Q(title__icontains=q) | Q(search_text__icontains=q.lower())
        )
    seen = StaffRead.objects.filter(petition=OuterRef("pk"), user=user)
    qs = qs.annotate(is_read=Exists(seen))
    if filters.unread:
        qs = qs.filter(is_read=False)
    qs = qs.select_related(
        "category", "assignment__department", "assignment__officer", "category__route__department"
    )
    order = {
        "moderation": ("moderation_due", "submitted_at"),
        "consideration": ("consideration_due", "threshold_reached_at"),
        "approval": ("consideration_due", "threshold_reached_at"),
        "followup": ("-closed_at", "-id"),
        "all": ("-number",),
    }[queue]
    return qs.order_by(*order)


def queue_rows(petitions, *, queue: str) -> list[dict]:
    """What a queue's table shows per petition: the petition, whether it is overdue, who
    answers it."""
    today = timezone.localdate()
    rows = []
    steps_overdue: set[int] = set()
    if queue == "followup":
        steps_overdue = set(
            FollowUpStep.objects.filter(
                petition__in=list(petitions), done_at__isnull=True, due_date__lt=today
            ).values_list("petition_id", flat=True)
        )
    for p in petitions:
        assignment = getattr(p, "assignment", None) if _has_assignment(p) else None
        department = assignment.department if assignment and assignment.department_id else _routed(p)
        if queue == "followup":
            overdue = p.pk in steps_overdue
        elif p.status == Status.MODERATION:
            overdue = p.moderation_due < today
        else:
            overdue = bool(p.deadline and p.deadline < today)
        rows.append(
            {
                "petition": p,
                "overdue": overdue,
                "department": department,
                "officer": assignment.officer if assignment else None,
                "is_read": getattr(p, "is_read", True),
            }
        )
    return rows


def _has_assignment(p: Petition) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        p.assignment  # noqa: B018 - a related object look-up
    except ObjectDoesNotExist:
        return False
    return True


def _routed(p: Petition):
    from django.core.exceptions import ObjectDoesNotExist

    if p.category is None:  # a draft may have none yet
        return None
    try:
        return p.category.route.department
    except ObjectDoesNotExist:
        return None


def officers_for(*, hromada: Hromada) -> list[tuple[str, str]]:
    """(user public id, "name — position, department") of staff who answer petitions."""
    from hromada.core.modules import registry

    roles = registry.permission("petitions.answer").roles  # type: ignore[union-attr]
    out: dict[str, str] = {}
    for r in (
        StaffRole.objects.filter(hromada=hromada, role__in=roles, user__is_active=True)
        .select_related("user", "department")
        .order_by("user__display_name", "user__email")
    ):
        label = r.user.display_name or r.user.email
        extra = ", ".join(x for x in (r.position, r.department.name if r.department else "") if x)
        key = str(r.user.public_id)
        if key not in out or extra:
            out[key] = f"{label} — {extra}" if extra else label
    return list(out.items())


def departments_for(*, hromada: Hromada) -> QuerySet[Department]:
    return Department.objects.filter(hromada=hromada).order_by("name")


def petition_notes(*, petition: Petition) -> QuerySet[StaffNote]:
    return StaffNote.objects.filter(hromada=petition.hromada, petition=petition).select_related("author")


def note_get(*, hromada: Hromada, petition: Petition, pk) -> StaffNote | None:
    if not str(pk).isdigit():
        return None
    return StaffNote.objects.filter(hromada=hromada, petition=petition, pk=int(pk)).first()


def answer_draft_active(*, petition: Petition) -> AnswerDraft | None:
    return (
        AnswerDraft.objects.filter(petition=petition, status__in=["draft", "submitted", "returned"])
        .select_related("author", "department", "reviewed_by")
        .order_by("-id")
        .first()
    )


def answer_draft_history(*, petition: Petition) -> QuerySet[AnswerDraft]:
    return (
        AnswerDraft.objects.filter(petition=petition).select_related("author", "reviewed_by").order_by("-id")
    )


def followup_steps(*, petition: Petition) -> list[dict]:
    today = timezone.localdate()
    return [
        {"step": s, "overdue": s.done_at is None and s.due_date < today}
        for s in FollowUpStep.objects.filter(petition=petition).order_by("due_date", "id")
    ]


def step_get(*, petition: Petition, pk) -> FollowUpStep | None:
    if not str(pk).isdigit():
        return None
    return FollowUpStep.objects.filter(petition=petition, pk=int(pk)).first()


def public_answer(petition: Petition) -> dict:
    """Everything the petition page's answer block (and the API's detail) shows: whether the
    deadline was extended, the published answer with who answered, its corrections, and the implementation
    follow-up. Public: nothing staff-internal (no notes, no drafts)."""
    answer = None
    if petition.status == Status.ANSWERED:
        answer = Answer.objects.filter(petition=petition).first()
    data: dict = {
        "petition": petition,
        "answer": answer,
        "extended": petition.consideration_extended_until is not None,
        "corrections": [],
        "current_text": answer.text if answer else "",
        "steps": [],
        "updates": [],
    }
    if answer is not None:
        corrections = list(answer.corrections.order_by("created_at", "id"))
        data["corrections"] = corrections
        if corrections:
            data["current_text"] = corrections[-1].text
        data["steps"] = followup_steps(petition=petition)
        data["updates"] = list(
            FollowUpUpdate.objects.filter(petition=petition)
            .select_related("step")
            .order_by("-published_at", "-id")
        )
    return data


# --- signer list ---------------------------------------------------------------------------------


def signer_list_rows(*, petition: Petition):
    """Each signer, in the order they signed, with the statute's fields: name, the exact
    date and time, and how their identity was verified."""
    qs = (
        Signature.objects.filter(petition=petition)
        .select_related("user__identity")
        .order_by("created_at", "id")
    )
    for n, s in enumerate(qs.iterator(chunk_size=500), start=1):
        identity = getattr(s.user, "identity", None) if _has_identity(s.user) else None
        yield {
            "n": n,
            "name": s.signer_name,
            "signed_at": timezone.localtime(s.created_at).strftime("%d.%m.%Y %H:%M:%S"),
            "method": _method_label(identity),
        }


def _has_identity(user) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        user.identity  # noqa: B018
    except ObjectDoesNotExist:
        return False
    return True


def _method_label(identity) -> str:
    if identity is None:
        return str(_("підтверджена електронна пошта"))
    method = identity.get_method_display()
    if identity.auth_type:
        auth = {
            "diia_id": _("Дія.Підпис"),
            "bank_id": _("BankID НБУ"),
            "mobile_id": _("Mobile ID"),
            "dig_sign": _("кваліфікований електронний підпис"),
        }.get(identity.auth_type)
        if auth:
            return f"{method} ({auth})"
    return str(method)


# --- the staff home ------------------------------------------------------------------------------


SUMMARY_ITEMS = 5


def _items(petitions, url_name: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (f"№{p.number} {p.title}", reverse(url_name, kwargs={"public_id": p.public_id}))
        for p in petitions[:SUMMARY_ITEMS]
    )


def staff_summary(*, hromada: Hromada, user) -> list[StaffCounter]:
    """The petitions' figures on the staff home, for what `user` may act on."""
    from hromada.accounts import rules as account_rules

    today = timezone.localdate()
    out: list[StaffCounter] = []
    base = Petition.objects.filter(hromada=hromada)
    if account_rules.has_perm(user, hromada, "petitions.moderate"):
        url = reverse("staff_petitions:moderation")
        moderation = base.filter(status=Status.MODERATION)
        out.append(StaffCounter(_("Петиції на модерації"), moderation.count(), url))
        late = moderation.filter(moderation_due__lt=today).order_by("moderation_due", "number")
        out.append(
            StaffCounter(
                _("Прострочена модерація"),
                late.count(),
                url + "?overdue=1",
                overdue=True,
                items=_items(late, "staff_petitions:moderate"),
            )
        )
    if account_rules.has_perm(user, hromada, "petitions.answer") or rules.headed_departments(user, hromada):
        url = reverse("staff_petitions:consideration")
        consideration = base.filter(status=Status.CONSIDERATION)
        out.append(StaffCounter(_("Петиції на розгляді"), consideration.count(), url))
        late = consideration.filter(_overdue_q("consideration", today)).order_by(
            "consideration_due", "number"
        )
        out.append(
            StaffCounter(
                _("Прострочений розгляд"),
                late.count(),
                url + "?overdue=1",
                overdue=True,
                items=_items(late, "staff_petitions:answer"),
            )
        )
        out.append(
            StaffCounter(
                _("Призначено мені"),
                consideration.filter(assignment__officer=user).count(),
                url + "?assignee=me",
            )
        )
        out.append(
            StaffCounter(
                _("Відповіді на затвердженні"),
                staff_queue(hromada=hromada, user=user, queue="approval").count(),
                reverse("staff_petitions:approval"),
            )
        )
        out.append(
            StaffCounter(
                _("Прострочені кроки виконання"),
                FollowUpStep.objects.filter(
                    hromada=hromada, done_at__isnull=True, due_date__lt=today
                ).count(),
                reverse("staff_petitions:followup") + "?overdue=1",
                overdue=True,
            )
        )
    return out


# --- statistics over time --------------------------------------------------------------------------

STATS_FIELDS = (
    "period",
    "dimension",
    "value",
    "submitted",
    "published",
    "reached",
    "answered",
    "answered_on_time",
)


def petition_stats_over_time(*, hromada: Hromada) -> dict:
    """Per month, per category and per department: petitions submitted, published,
    that reached the threshold, answered and answered on time (answer date <= deadline).
    Drafts are left out (not submitted: no month, perhaps no category yet); withdrawn
    petitions count as submitted, as moderation received them."""
    petitions = list(
        Petition.objects.filter(hromada=hromada)
        .exclude(status__in=PRIVATE_STATUSES)
        .select_related("category", "answer", "assignment__department", "category__route__department")
        .order_by("submitted_at")
    )

    def empty():
        return {"submitted": 0, "published": 0, "reached": 0, "answered": 0, "answered_on_time": 0}

    months: dict[str, dict] = defaultdict(empty)
    categories: dict[str, dict] = defaultdict(empty)
    departments: dict[str, dict] = defaultdict(empty)
    for p in petitions:
        month = timezone.localtime(p.submitted_at).strftime("%Y-%m")
        department = _answering_department_name(p)
        answer = getattr(p, "answer", None) if p.status == Status.ANSWERED and _has_answer(p) else None
        for bucket in (months[month], categories[p.category.name], departments[department]):
            bucket["submitted"] += 1
            bucket["published"] += p.published_at is not None
            bucket["reached"] += p.threshold_reached_at is not None
            if answer is not None:
                bucket["answered"] += 1
                bucket["answered_on_time"] += bool(
                    p.deadline and timezone.localdate(answer.published_at) <= p.deadline
                )

    def rows(data: dict) -> list[dict]:
        out = []
        for key in sorted(data):
            row = {"value": key, **data[key]}
            row["on_time_pct"] = (
                round(100 * row["answered_on_time"] / row["answered"]) if row["answered"] else None
            )
            out.append(row)
        return out

    return {"months": rows(months), "categories": rows(categories), "departments": rows(departments)}


def _has_answer(p: Petition) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        p.answer  # noqa: B018
    except ObjectDoesNotExist:
        return False
    return True


def _answering_department_name(p: Petition) -> str:
    if _has_answer(p) and p.status == Status.ANSWERED and p.answer.department_name:
        return p.answer.department_name
    if _has_assignment(p) and p.assignment.department is not None:
        return p.assignment.department.name
    routed = _routed(p)
    return routed.name if routed else str(_("без підрозділу"))


def petition_stats_rows(*, hromada: Hromada):
    """The statistics as flat rows for CSV (core.opendata writes them)."""
    data = petition_stats_over_time(hromada=hromada)
    for dimension, key in (("month", "months"), ("category", "categories"), ("department", "departments")):
        for row in data[key]:
            yield {
                "period": row["value"] if dimension == "month" else "",
                "dimension": dimension,
                "value": row["value"],
                "submitted": row["submitted"],
                "published": row["published"],
                "reached": row["reached"],
                "answered": row["answered"],
                "answered_on_time": row["answered_on_time"],
            }
