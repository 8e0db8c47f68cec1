"""Statistics of cases: per kind, category, department and district, for a period —
received, answered or resolved, mean and 90th-percentile time to answer, overdue share,
share submitted electronically (the programmes' indicator), mean rating.

Definitions (stated on the page too):
- *received*: cases registered in the period (drafts are not cases yet);
- *answered*: of those, answered (appeals, requests) or resolved (reports);
- *time to answer*: from registration to the answer or closing, in days, over those of
  them that are closed; the 90th percentile is the continuous one (linear
  interpolation, as PostgreSQL's percentile_cont), computed here in Python so SQLite
  and PostgreSQL agree;
- *overdue*: closed after its deadline, or still open past it;
- *electronic*: submitted through `models.ELECTRONIC_CHANNELS`.

One query reads the period's rows as tuples (a hromada's year is tens of thousands of
rows at most; the page caches nothing so figures are current)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError

from .models import ELECTRONIC_CHANNELS, OPEN_STATUSES, Case, CaseKind, CaseStatus

ANSWERED = frozenset({CaseStatus.ANSWERED, CaseStatus.RESOLVED})
DIMENSIONS = ("kind", "category", "department", "area")
DIMENSION_LABELS = {
    "all": gettext_lazy("Усього"),
    "kind": gettext_lazy("За видами"),
    "category": gettext_lazy("За категоріями"),
    "department": gettext_lazy("За підрозділами"),
    "area": gettext_lazy("За округами й районами"),
}
NONE_LABELS = {
    "category": gettext_lazy("Без категорії"),
    "department": gettext_lazy("Не передано підрозділу"),
    "area": gettext_lazy("Поза округами й районами"),
}
DAY = 86_400.0


def percentile(values: list[float], q: float) -> float | None:
    """The continuous percentile (percentile_cont): linear interpolation between the
    two nearest ranks of the sorted values."""
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Figures:
    key: str
    label: str
    received: int = 0
    answered: int = 0
    overdue: int = 0
    with_due: int = 0
    electronic: int = 0
    durations: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    def add(self, row: Row, now: dt.datetime) -> None:
        self.received += 1
        if row.status in ANSWERED:
            self.answered += 1
        if row.channel in ELECTRONIC_CHANNELS:
            self.electronic += 1
        if row.due_at is not None:
            self.with_due += 1
            if (row.answered_at is not None and row.answered_at > row.due_at) or (
                row.status in OPEN_STATUSES and now > row.due_at
            ):
                self.overdue += 1
        if row.answered_at is not None and row.registered_at is not None:
            self.durations.append(max(0.0, (row.answered_at - row.registered_at).total_seconds() / DAY))
        if row.rating is not None:
            self.ratings.append(row.rating)

    def as_dict(self) -> dict:
        mean = sum(self.durations) / len(self.durations) if self.durations else None
        p90 = percentile(self.durations, 0.9)
        return {
            "key": self.key,
            "label": self.label,
            "received": self.received,
            "answered": self.answered,
            "mean_days": round(mean, 1) if mean is not None else None,
            "p90_days": round(p90, 1) if p90 is not None else None,
            "overdue_share": round(self.overdue / self.with_due, 3) if self.with_due else None,
            "electronic_share": round(self.electronic / self.received, 3) if self.received else None,
            "rating": round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None,
        }


@dataclass(frozen=True)
class Row:
    kind: str
    status: str
    channel: str
    registered_at: dt.datetime | None
    due_at: dt.datetime | None
    answered_at: dt.datetime | None
    rating: int | None
    category: tuple[str, str] | None  # (code, name)
    department: tuple[str, str] | None  # (slug, name)
    area: tuple[str, str] | None  # (slug, name)


def rows_of(*, hromada, start: dt.datetime | None = None, end: dt.datetime | None = None) -> Iterable[Row]:
    qs = (
        Case.objects.for_hromada(hromada).exclude(status=CaseStatus.DRAFT).filter(registered_at__isnull=False)
    )
    if start is not None:
        qs = qs.filter(registered_at__gte=start)
    if end is not None:
        qs = qs.filter(registered_at__lt=end)
    values = qs.order_by().values_list(
        "kind",
        "status",
        "channel",
        "registered_at",
        "due_at",
        "answered_at",
        "rating",
        "category__code",
        "category__name",
        "department__slug",
        "department__name",
        "area__slug",
        "area__name",
    )
    for k, s, ch, reg, due, ans, rating, cc, cn, ds, dn, as_, an in values.iterator(chunk_size=2000):
        yield Row(
            k,
            s,
            ch,
            reg,
            due,
            ans,
            rating,
            (cc, cn) if cc else None,
            (ds, dn) if ds else None,
            (as_, an) if as_ else None,
        )


def figures_of(rows: Iterable[Row], *, now=None) -> dict[str, list[dict]]:
    """{"all": [total], "kind": [...], "category": [...], "department": [...], "area": [...]}."""
    now = now or timezone.now()
    kinds = dict(CaseKind.choices)
    total = Figures("all", str(DIMENSION_LABELS["all"]))
    groups: dict[str, dict[str, Figures]] = {d: {} for d in DIMENSIONS}
    for row in rows:
        total.add(row, now)
        keys = {
            "kind": (row.kind, str(kinds.get(row.kind, row.kind))),
            "category": row.category or ("", str(NONE_LABELS["category"])),
            "department": row.department or ("", str(NONE_LABELS["department"])),
            "area": row.area or ("", str(NONE_LABELS["area"])),
        }
        for dimension, (key, label) in keys.items():
            bucket = groups[dimension].get(key)
            if bucket is None:
                bucket = groups[dimension][key] = Figures(key, label)
            bucket.add(row, now)
    out: dict[str, list[dict]] = {"all": [total.as_dict()]}
    for dimension, buckets in groups.items():
        out[dimension] = sorted(
            (b.as_dict() for b in buckets.values()), key=lambda r: (-r["received"], r["label"])
        )
    return out


# --- periods ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    value: str  # "2026", "2026-Q1", "2026-03"
    label: str
    start: dt.datetime
    end: dt.datetime


MONTHS = [
    gettext_lazy("січень"),
    gettext_lazy("лютий"),
    gettext_lazy("березень"),
    gettext_lazy("квітень"),
    gettext_lazy("травень"),
    gettext_lazy("червень"),
    gettext_lazy("липень"),
    gettext_lazy("серпень"),
    gettext_lazy("вересень"),
    gettext_lazy("жовтень"),
    gettext_lazy("листопад"),
    gettext_lazy("грудень"),
]


def _start(year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, 1, tzinfo=KYIV)


def _next_month(year: int, month: int, months: int = 1) -> dt.datetime:
    index = month - 1 + months
    return _start(year + index // 12, index % 12 + 1)


def parse_period(value: str | None, *, today: dt.date | None = None) -> Period:
    """ "2026" (a year), "2026-Q2" (a quarter) or "2026-05" (a month), in Kyiv time; the
    current year when empty; DomainError period_invalid otherwise."""
    today = today or timezone.localdate()
    value = (value or "").strip().upper() or str(today.year)
    try:
        if len(value) == 4:
            year = int(value)
            period = Period(value, str(year), _start(year, 1), _start(year + 1, 1))
        elif len(value) == 7 and value[4:6] == "-Q":
            year, quarter = int(value[:4]), int(value[6])
            if not 1 <= quarter <= 4:
                raise ValueError
            month = 3 * (quarter - 1) + 1
            period = Period(
                value, f"{quarter} {_('квартал')} {year}", _start(year, month), _next_month(year, month, 3)
            )
        elif len(value) == 7 and value[4] == "-":
            year, month = int(value[:4]), int(value[5:])
            if not 1 <= month <= 12:
                raise ValueError
            period = Period(
                value, f"{MONTHS[month - 1]} {year}", _start(year, month), _next_month(year, month)
            )
        else:
            raise ValueError
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        raise DomainError(
            "period_invalid",
            _("Період — рік (2026), квартал (2026-Q1) або місяць (2026-03)."),
            field="period",
        ) from None
    return period


def period_choices(*, today: dt.date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """The period select's groups: the last five years, eight quarters, twelve months."""
    today = today or timezone.localdate()
    years = [(str(y), str(y)) for y in range(today.year, today.year - 5, -1)]
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _i in range(8):
        p = parse_period(f"{year}-Q{quarter}")
        quarters.append((p.value, p.label))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    months = []
    year, month = today.year, today.month
    for _i in range(12):
        p = parse_period(f"{year}-{month:02d}")
        months.append((p.value, p.label))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [(_("Роки"), years), (_("Квартали"), quarters), (_("Місяці"), months)]


def statistics(*, hromada, period: Period, now=None) -> dict:
    return figures_of(rows_of(hromada=hromada, start=period.start, end=period.end), now=now)


def monthly(*, hromada, now=None) -> Iterable[tuple[str, str, dict[str, list[dict]]]]:
    """(month "YYYY-MM", kind or "all", figures) for every month with cases, oldest
    first: the open dataset's rows."""
    by_month: dict[str, list[Row]] = defaultdict(list)
    for row in rows_of(hromada=hromada):
        local = timezone.localtime(row.registered_at, KYIV)
        by_month[f"{local.year}-{local.month:02d}"].append(row)
    for month in sorted(by_month):
        rows = by_month[month]
        yield month, "all", figures_of(rows, now=now)
        for kind in CaseKind.values:
            of_kind = [r for r in rows if r.kind == kind]
            if of_kind:
                yield month, kind, figures_of(of_kind, now=now)
