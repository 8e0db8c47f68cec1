"""Staff-side reads: the department queues (filters, deadline colours), one case's
staff view (history, files, templates, who may take it, merge candidates) and the
figures on the staff home."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.models import StaffRole
from hromada.accounts.rules import has_perm
from hromada.core.modules import StaffCounter, registry

from . import rules
from .models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    AnswerTemplate,
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    Category,
    Department,
    DepartmentMember,
)
from .services import deadlines
from .services.cases import settings_of
from .services.reminders import horizon

QUEUE_STATUSES = ("open", "closed", "all", *CaseStatus.values)
DUE_FILTERS = ("overdue", "near")


@dataclass
class QueueFilters:
    kind: str = ""
    status: str = "open"
    category: str = ""  # category code
    area: str = ""  # area public id
    department: str = ""  # department public id (routers)
    due: str = ""  # overdue | near
    mine: bool = False
    q: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_query(cls, data) -> QueueFilters:
        def pick(name, allowed, default=""):
            value = (data.get(name) or "").strip()
            return value if value in allowed else default

        return cls(
            kind=pick("kind", CaseKind.values),
            status=pick("status", QUEUE_STATUSES, "open"),
            category=(data.get("category") or "").strip()[:40],
            area=(data.get("area") or "").strip()[:40],
            department=(data.get("department") or "").strip()[:40],
            due=pick("due", DUE_FILTERS),
            mine=(data.get("mine") or "") in ("1", "true", "on"),
            q=" ".join((data.get("q") or "").split())[:200],
        )

    @property
    def active(self) -> bool:
        return bool(
            self.kind
            or self.status != "open"
            or self.category
            or self.area
            or self.department
            or self.due
            or self.mine
            or self.q
        )


def queue_departments(*, hromada, user) -> QuerySet[Department]:
    """The departments whose queue `user` sees: all for routers, else their own."""
    departments = Department.objects.for_hromada(hromada).order_by("name")
    if rules.can_route(user, hromada):
        return departments
    return departments.filter(pk__in=rules.department_ids_of(user, hromada))


def visible_cases(*, hromada, user) -> QuerySet[Case]:
    """Registered cases `user` may see in a queue: every one for routers; their
    departments' and their own for workers."""
    cases = Case.objects.for_hromada(hromada).exclude(status=CaseStatus.DRAFT)
    if rules.can_route(user, hromada):
        return cases
    if not has_perm(user, hromada, rules.PERM_WORK):
        return cases.none()
    return cases.filter(Q(department_id__in=rules.department_ids_of(user, hromada)) | Q(assignee=user))


def near_horizon(*, hromada, now):
    return horizon(now=now, working_days=settings_of(hromada).remind_days)


def queue(*, hromada, user, filters: QueueFilters, now=None) -> QuerySet[Case]:
    """The queue, sorted by deadline (the most urgent first; closed ones by their close)."""
    now = now or timezone.now()
    cases = visible_cases(hromada=hromada, user=user).select_related(
        "category", "department", "assignee", "area"
    )
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif filters.status == "closed":
        cases = cases.filter(status__in=CLOSED_STATUSES)
    elif filters.status != "all":
        cases = cases.filter(status=filters.status)
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.category:
        cases = cases.filter(category__code=filters.category)
    if filters.area:
        cases = cases.filter(area__public_id=filters.area) if _is_uuid(filters.area) else cases.none()
    if filters.department:
        if filters.department == "none":
            cases = cases.filter(department__isnull=True)
        elif _is_uuid(filters.department):
            cases = cases.filter(department__public_id=filters.department)
        else:
            cases = cases.none()
    if filters.due == "overdue":
        cases = cases.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    elif filters.due == "near":
        cases = cases.filter(
            status__in=OPEN_STATUSES, due_at__gte=now, due_at__lte=near_horizon(hromada=hromada, now=now)
        )
    if filters.mine:
        cases = cases.filter(assignee=user)
    if filters.q:
        term = filters.q.lstrip("№#").strip()
        if term.isdigit():
            cases = cases.filter(number=int(term))
        else:
            cases = cases.filter(
                Q(title__icontains=term)
                | Q(text__icontains=term)
                | Q(address__icontains=term)
                | Q(applicant_name__icontains=term)
            )
    if filters.status in ("open", *[s.value for s in OPEN_STATUSES]):
        return cases.order_by("due_at", "number")
    return (
        cases.order_by("-answered_at", "-number")
        if filters.status == "closed"
        else cases.order_by("due_at", "number")
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def urgency_of(case: Case, *, now, remind_days: int) -> str:
    if case.status not in OPEN_STATUSES:
        return ""
    return deadlines.urgency(due=case.due_at, now=now, remind_working_days=remind_days)


URGENCY_TEXT = {
    "overdue": _("прострочено"),
    "near": _("строк спливає"),
    "ok": _("у строк"),
}


def queue_rows(cases, *, hromada, now=None) -> list[dict]:
    now = now or timezone.now()
    remind = settings_of(hromada).remind_days
    rows = []
    for case in cases:
        level = urgency_of(case, now=now, remind_days=remind)
        rows.append(
            {
                "case": case,
                "urgency": level,
                "urgency_text": URGENCY_TEXT.get(level, ""),
                "left": left_text(case, now),
            }
        )
    return rows


def left_text(case: Case, now) -> str:
    """How long is left, in words ("3 дні", "5 годин", "прострочено на 2 дні")."""
    from django.utils.translation import ngettext

    if case.due_at is None or case.status not in OPEN_STATUSES:
        return ""
    seconds = (case.due_at - now).total_seconds()
    hours = abs(seconds) / 3600
    if hours < 48:
        n = max(1, math.ceil(hours))
        amount = ngettext("%(n)d година", "%(n)d годин", n) % {"n": n}
    else:
        n = math.floor(hours / 24)
        amount = ngettext("%(n)d день", "%(n)d днів", n) % {"n": n}
    if seconds < 0:
        return str(_("прострочено на %(t)s")) % {"t": amount}
    return str(_("залишилось %(t)s")) % {"t": amount}


def filter_choices(*, hromada, user) -> dict:
    from hromada.places import selectors as places

    return {
        "kinds": CaseKind.choices,
        "statuses": [
            ("open", _("у роботі")),
            ("closed", _("закриті")),
            ("all", _("усі")),
            *CaseStatus.choices[1:],
        ],
        "categories": list(Category.objects.for_hromada(hromada).order_by("kind", "order", "name")),
        "areas": list(places.routing_areas(hromada=hromada).order_by("name")),
        "departments": list(queue_departments(hromada=hromada, user=user))
        if rules.can_route(user, hromada)
        else [],
    }


# --- one case -------------------------------------------------------------------------------


def case_history(case: Case) -> list[CaseEvent]:
    """Every step, public and internal, with its files and who acted."""
    return list(
        CaseEvent.objects.for_hromada(case.hromada)
        .filter(case=case)
        .select_related("actor")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def case_attachments(case: Case) -> list[Attachment]:
    return list(Attachment.objects.for_hromada(case.hromada).filter(case=case).order_by("id"))


def answer_templates(case: Case) -> list[AnswerTemplate]:
    """Templates of the case's department and the general ones, of its kind or any kind."""
    templates = AnswerTemplate.objects.for_hromada(case.hromada).filter(Q(kind="") | Q(kind=case.kind))
    if case.department_id:
        templates = templates.filter(Q(department__isnull=True) | Q(department_id=case.department_id))
    else:
        templates = templates.filter(department__isnull=True)
    return list(templates.select_related("department").order_by("department_id", "title"))


def answer_template_get(case: Case, template_id) -> AnswerTemplate | None:
    try:
        template_id = int(template_id)
    except (TypeError, ValueError):
        return None
    return next((t for t in answer_templates(case) if t.pk == template_id), None)


def assignable_people(*, hromada, department: Department | None) -> list:
    """Who may take a case of `department`: its members and head, and the routers."""
    from hromada.accounts.models import User

    ids = set()
    if department is not None:
        ids |= set(DepartmentMember.objects.filter(department=department).values_list("user_id", flat=True))
        if department.head_id:
            ids.add(department.head_id)
    permission = registry.permission(rules.PERM_ROUTE)
    ids |= set(
        StaffRole.objects.filter(
            hromada=hromada, role__in=list(permission.roles) if permission else []
        ).values_list("user_id", flat=True)
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("display_name", "email"))


def merge_candidates(case: Case, *, q: str = "", limit: int = 10) -> list[Case]:
    """Open cases of the same kind the case may be a duplicate of: by number or text when
    searched; for a report with a point, the nearest open ones of its category otherwise."""
    others = (
        Case.objects.for_hromada(case.hromada)
        .filter(kind=case.kind, status__in=OPEN_STATUSES)
        .exclude(pk=case.pk)
        .select_related("category")
    )
    q = " ".join((q or "").split())[:200]
    if q:
        term = q.lstrip("№#").strip()
        if term.isdigit():
            return list(others.filter(number=int(term))[:limit])
        return list(
            others.filter(
                Q(title__icontains=term) | Q(text__icontains=term) | Q(address__icontains=term)
            ).order_by("-registered_at")[:limit]
        )
    if case.kind != CaseKind.REPORT or case.lat is None or case.lon is None:
        return []
    radius = settings_of(case.hromada).nearby_m
    dlat = radius / 111_320
    dlon = radius / (111_320 * max(0.1, math.cos(math.radians(case.lat))))
    near = others.filter(
        lat__range=(case.lat - dlat, case.lat + dlat), lon__range=(case.lon - dlon, case.lon + dlon)
    )
    if case.category_id:
        near = near.filter(category_id=case.category_id)
    found = list(near[:200])
    for other in found:
        other.distance_m = round(_metres(case.lat, case.lon, other.lat, other.lon))
    return sorted((o for o in found if o.distance_m <= radius), key=lambda o: o.distance_m)[:limit]


def _metres(lat1, lon1, lat2, lon2) -> float:
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


LEGAL_BASIS = {
    "appeal": _(
        "Закон «Про звернення громадян», ст. 20: до 15 днів без додаткового вивчення, інакше до місяця; "
        "продовження — до 45 днів з повідомленням заявника."
    ),
    "appeal_study": _(
        "Закон «Про звернення громадян», ст. 20: до одного місяця (потребує додаткового вивчення); "
        "продовження — до 45 днів з повідомленням заявника."
    ),
    "info": _(
        "Закон «Про доступ до публічної інформації», ст. 20: 5 робочих днів; продовження — до 20 робочих днів "
        "з повідомленням протягом 5 робочих днів."
    ),
    "info_urgent": _(
        "Закон «Про доступ до публічної інформації», ст. 20: 48 годин (інформація потрібна для захисту "
        "життя чи свободи, про стан довкілля, аварії чи надзвичайні ситуації)."
    ),
    "report": _(
        "Повідомлення про проблему — не звернення за законом: цільовий строк категорії, встановлений громадою."
    ),
}


def legal_basis(case: Case) -> str:
    if case.kind == CaseKind.APPEAL:
        return str(LEGAL_BASIS["appeal_study" if case.extra_study else "appeal"])
    if case.kind == CaseKind.INFO:
        return str(LEGAL_BASIS["info_urgent" if case.urgent else "info"])
    return str(LEGAL_BASIS["report"])


# --- the staff home -------------------------------------------------------------------------


def staff_summary(*, hromada, user) -> list[StaffCounter]:
    """Open, near and overdue cases of the queues `user` works, with the first few of each."""
    if not rules.is_staff_of(user, hromada):
        return []
    now = timezone.now()
    cases = visible_cases(hromada=hromada, user=user).filter(status__in=OPEN_STATUSES)
    url = reverse("staff_appeals:queue")

    def items(qs) -> tuple[tuple[str, str], ...]:
        return tuple(
            (
                f"№{c.number} {c.title or c.get_kind_display()}"[:120],
                reverse("staff_appeals:case", args=[c.public_id]),
            )
            for c in qs.order_by("due_at")[:5]
        )

    overdue = cases.filter(due_at__lt=now)
    near = cases.filter(due_at__gte=now, due_at__lte=near_horizon(hromada=hromada, now=now))
    return [
        StaffCounter(_("Звернень у роботі"), cases.count(), url),
        StaffCounter(_("Строк спливає незабаром"), near.count(), f"{url}?due=near", items=items(near)),
        StaffCounter(
            _("Прострочено звернень"),
            overdue.count(),
            f"{url}?due=overdue",
            overdue=True,
            items=items(overdue),
        ),
    ]
