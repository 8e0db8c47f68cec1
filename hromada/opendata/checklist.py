"""The Resolution 835 checklist (ADR 0009 decision 8): for each dataset the resolution
requires, whether the hromada publishes it, which dataset, when it was last updated and
whether that update is overdue against the dataset's frequency; the answers staff give
(link a dataset, "does not apply" with a reason, the responsible publisher); and the
daily reminder to the responsible publisher before an update falls due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.accounts.rules import has_perm
from hromada.core.errors import DomainError
from hromada.core.i18n import lazy_format
from hromada.ledger.services import ledger_append
from hromada.notify.services import notify_send
from hromada.tenancy.models import Hromada
from hromada.tenancy.selectors import module_enabled

from .models import (
    Dataset,
    DatasetState,
    OpenDataSettings,
    Publisher,
    PublisherMember,
    RequiredDataset,
    Requirement,
)
from .vocabularies import frequency


class Status:
    MISSING = "missing"  # nothing fulfils it yet
    NOT_APPLICABLE = "not_applicable"
    UNPUBLISHED = "unpublished"  # linked to a dataset that is a draft or withdrawn
    CURRENT = "current"
    DUE_SOON = "due_soon"  # within the hromada's reminder window
    OVERDUE = "overdue"


LABELS = {
    Status.MISSING: _("Не оприлюднено"),
    Status.NOT_APPLICABLE: _("Не стосується громади"),
    Status.UNPUBLISHED: _("Набір не оприлюднено"),
    Status.CURRENT: _("Актуальний"),
    Status.DUE_SOON: _("Незабаром оновлення"),
    Status.OVERDUE: _("Прострочено оновлення"),
}


@dataclass(frozen=True)
class Row:
    required: RequiredDataset
    requirement: Requirement | None
    dataset: Dataset | None
    status: str
    frequency: str
    last_update: dt.datetime | None
    due: dt.datetime | None

    @property
    def label(self):
        return LABELS[self.status]


@dataclass(frozen=True)
class Summary:
    required: int  # the datasets that apply to the hromada
    published: int  # of them, published (current, due soon or overdue)
    overdue: int
    missing: int
    not_applicable: int

    @property
    def published_share(self) -> float:
        """The programmes' indicator: the share of the applicable 835 datasets published."""
        return self.published / self.required if self.required else 0.0


def _remind_days(hromada: Hromada) -> int:
    days = OpenDataSettings.objects.filter(hromada=hromada).values_list("remind_days", flat=True).first()
    return days or 7  # the settings row may not exist yet: the model's default


def _last_updates(dataset_ids: list[int]) -> dict[int, dt.datetime | None]:
    """A dataset's last update: its newest resource change, else its publication."""
    rows = Dataset.objects.filter(pk__in=dataset_ids).annotate(
        last=Max("resources__last_modified", filter=Q(resources__withdrawn_at__isnull=True))
    )
    return {d.pk: d.last or d.published_at for d in rows}


def due_of(last_update: dt.datetime | None, freq_value: str) -> dt.datetime | None:
    freq = frequency(freq_value)
    if last_update is None or freq is None or freq.period is None:
        return None
    return last_update + freq.period


def checklist(hromada: Hromada, *, now: dt.datetime | None = None) -> list[Row]:
    now = now or timezone.now()
    window = dt.timedelta(days=_remind_days(hromada))
    answers = {
        r.required_id: r
        for r in Requirement.objects.for_hromada(hromada).select_related("dataset", "publisher")
    }
    updates = _last_updates([r.dataset_id for r in answers.values() if r.dataset_id])
    rows = []
    for required in RequiredDataset.objects.order_by("section", "number"):
        answer = answers.get(required.pk)
        dataset = answer.dataset if answer else None
        freq = (dataset.frequency if dataset else "") or required.default_frequency
        last = updates.get(dataset.pk) if dataset else None
        due = due_of(last, freq)
        if answer and answer.not_applicable:
            status = Status.NOT_APPLICABLE
        elif dataset is None:
            status = Status.MISSING
        elif dataset.state != DatasetState.PUBLISHED:
            status = Status.UNPUBLISHED
        elif due and due < now:
            status = Status.OVERDUE
        elif due and due - window <= now:
            status = Status.DUE_SOON
        else:
            status = Status.CURRENT
        rows.append(Row(required, answer, dataset, status, freq, last, due))
    return rows


def summary(rows: list[Row]) -> Summary:
    count = {s: 0 for s in LABELS}
    for row in rows:
        count[row.status] += 1
    applicable = len(rows) - count[Status.NOT_APPLICABLE]
    return Summary(
        required=applicable,
        published=count[Status.CURRENT] + count[Status.DUE_SOON] + count[Status.OVERDUE],
        overdue=count[Status.OVERDUE],
        missing=count[Status.MISSING] + count[Status.UNPUBLISHED],
        not_applicable=count[Status.NOT_APPLICABLE],
    )


def _check(actor, hromada: Hromada) -> None:
    if not has_perm(actor, hromada, "opendata.manage"):
        raise DomainError("forbidden", _("Перелік Постанови № 835 веде адміністратор порталу."), status=403)


def requirement_answer(
    hromada: Hromada,
    actor,
    required: RequiredDataset,
    *,
    dataset: Dataset | None = None,
    not_applicable: str = "",
    publisher: Publisher | None = None,
) -> Requirement:
    """Say how the hromada meets one required dataset: the dataset that fulfils it, or
    why it does not apply (one or the other, or neither to clear it), and who answers
    for it. The responsible publisher defaults to the dataset's."""
    _check(actor, hromada)
    not_applicable = (not_applicable or "").strip()
    if dataset is not None and not_applicable:
        raise DomainError(
            "requirement_either",
            _("Оберіть набір даних або поясніть, чому вимога не стосується громади, — не обидва."),
            field="not_applicable",
        )
    if dataset is not None and dataset.hromada_id != hromada.pk:
        raise DomainError("dataset_not_found", _("Такого набору даних немає."), field="dataset", status=404)
    if publisher is not None and publisher.hromada_id != hromada.pk:
        raise DomainError(
            "publisher_not_found", _("Такого розпорядника немає."), field="publisher", status=404
        )
    if len(not_applicable) > 500:
        raise DomainError(
            "reason_too_long", _("Пояснення — не довше за 500 символів."), field="not_applicable"
        )
    with transaction.atomic():
        requirement, _created = Requirement.objects.select_for_update().get_or_create(
            hromada=hromada, required=required
        )
        requirement.dataset = dataset
        requirement.not_applicable = not_applicable
        requirement.publisher = publisher or (dataset.publisher if dataset else None)
        requirement.reminded_for = None
        requirement.save()
        ledger_append(
            hromada=hromada,
            kind="opendata.requirement_answered",
            payload={
                "required": f"{required.section} {required.number}",
                "dataset": str(dataset.public_id) if dataset else None,
                "not_applicable": bool(not_applicable),
            },
        )
    return requirement


def _staff_url() -> str:
    try:
        return reverse("staff_opendata:checklist")
    except NoReverseMatch:
        return ""


def remind_tick(*, now: dt.datetime | None = None) -> dict:
    """Daily: remind the responsible publisher's members a set number of days before a
    required dataset's update falls due (once per due date: `reminded_for` is claimed
    with a conditional UPDATE, so a tick run twice sends one notice)."""
    now = now or timezone.now()
    sent = 0
    for hromada in Hromada.objects.filter(is_active=True):
        if not module_enabled(hromada, "opendata"):
            continue
        for row in checklist(hromada, now=now):
            if (
                row.status not in (Status.DUE_SOON, Status.OVERDUE)
                or row.requirement is None
                or row.due is None
            ):
                continue
            publisher_id = row.requirement.publisher_id or (row.dataset.publisher_id if row.dataset else None)
            due_day = timezone.localdate(row.due)
            with transaction.atomic():
                claimed = (
                    Requirement.objects.filter(pk=row.requirement.pk)
                    .exclude(reminded_for=due_day)
                    .update(reminded_for=due_day)
                )
                if not claimed or publisher_id is None:
                    continue
                members = PublisherMember.objects.filter(
                    hromada=hromada, publisher_id=publisher_id
                ).values_list("user_id", flat=True)
                assert row.dataset is not None
                sent += notify_send(
                    hromada=hromada,
                    users=list(members),
                    kind="opendata.update_due",
                    title=lazy_format(
                        _("Час оновити набір «%(title)s» (%(date)s)"),
                        title=row.dataset.title,
                        date=due_day.strftime("%d.%m.%Y"),
                    ),
                    body=lazy_format(
                        _("Набір з переліку Постанови № 835 оновлюється «%(frequency)s»."),
                        frequency=row.frequency,
                    ),
                    url=_staff_url(),
                )
    return {"reminded": sent}


# --- what the pages and the exports show ----------------------------------------------------

PUBLISHED = frozenset({Status.CURRENT, Status.DUE_SOON, Status.OVERDUE})
NOT_PUBLISHED = frozenset({Status.MISSING, Status.UNPUBLISHED})

# The status filter of the pages: a value of ?status= and the statuses it keeps.
FILTERS = {
    "published": (_("Оприлюднені"), PUBLISHED),
    "overdue": (_("Прострочено оновлення"), frozenset({Status.OVERDUE})),
    "due_soon": (_("Незабаром оновлення"), frozenset({Status.DUE_SOON})),
    "missing": (_("Не оприлюднені"), NOT_PUBLISHED),
    "not_applicable": (_("Не стосуються громади"), frozenset({Status.NOT_APPLICABLE})),
}


def filtered(rows: list[Row], status: str) -> list[Row]:
    """The rows a ?status= keeps (all of them for an unknown or empty value)."""
    if status not in FILTERS:
        return rows
    keep = FILTERS[status][1]
    return [r for r in rows if r.status in keep]


def by_section(rows: list[Row]) -> list[tuple[str, list[Row]]]:
    """The rows grouped by the Resolution's sections, in the checklist's order."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(row.required.section, []).append(row)
    return list(groups.items())


def is_public(row: Row) -> bool:
    """May a visitor follow the row's dataset (a draft or a withdrawn one is not shown)."""
    return row.dataset is not None and row.dataset.state == DatasetState.PUBLISHED


EXPORT_FIELDS = [
    "section",
    "number",
    "title",
    "status",
    "status_label",
    "published",
    "overdue",
    "dataset",
    "dataset_title",
    "dataset_url",
    "publisher",
    "frequency",
    "last_update",
    "next_due",
    "not_applicable_reason",
]


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def records(rows: list[Row], *, dataset_url) -> list[dict]:
    """The checklist as flat records for CSV and JSON; `dataset_url(name)` gives a
    published dataset's address. Drafts are not named: the export is public."""
    out = []
    for row in rows:
        shown = is_public(row)
        dataset = row.dataset if shown else None
        publisher = row.requirement.publisher if row.requirement and row.requirement.publisher_id else None
        out.append(
            {
                "section": row.required.section,
                "number": row.required.number,
                "title": row.required.title,
                "status": row.status,
                "status_label": str(row.label),
                "published": row.status in PUBLISHED,
                "overdue": row.status == Status.OVERDUE,
                "dataset": dataset.name if dataset else None,
                "dataset_title": dataset.title if dataset else None,
                "dataset_url": dataset_url(dataset.name) if dataset else None,
                "publisher": publisher.title if publisher else None,
                "frequency": row.frequency,
                "last_update": _iso(row.last_update) if shown else None,
                "next_due": _iso(row.due) if shown else None,
                "not_applicable_reason": (row.requirement.not_applicable if row.requirement else "") or None,
            }
        )
    return out
