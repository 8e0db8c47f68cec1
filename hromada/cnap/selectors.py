"""Reads of the service centre, always scoped by the hromada: the catalogue and its
search, offices, and a day's opening hours (the base of part (b)'s free slots)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse

from hromada.core.calendar import holidays_in, is_working_day
from hromada.tenancy.selectors import module_enabled

from . import schedule
from .models import (
    LifeSituation,
    Office,
    ScheduleException,
    Service,
    ServiceCategory,
    ServiceDocument,
    ServiceStatus,
    WeeklyHours,
    Workplace,
)

SEARCH_TEXT_MAX = 20_000
WORD_RE = re.compile(r"[\w'’ʼ-]+", re.UNICODE)
# Matches the expression index of migration 0001 (PostgreSQL only).
SEARCH_VECTOR_SQL = "to_tsvector('simple'::regconfig, search_text)"
SEARCH_WHERE = f"{SEARCH_VECTOR_SQL} @@ to_tsquery('simple'::regconfig, %s)"


# --- search ---------------------------------------------------------------------------------


def search_text_of(service: Service) -> str:
    """The words a service is found by: code, title, description, provider, result and
    its documents. The services store it on every change."""
    parts = [service.code, service.title, service.description, service.provider, service.result]
    if service.pk:
        parts += list(ServiceDocument.objects.filter(service=service).values_list("title", flat=True))
    # Lower-cased here: SQLite's LIKE folds the case of ASCII letters only.
    return " ".join(p for p in parts if p).lower()[:SEARCH_TEXT_MAX]


def _words(text: str) -> list[str]:
    return [w.strip("'’ʼ-").lower() for w in WORD_RE.findall(text or "") if w.strip("'’ʼ-")][:10]


def _text_condition(text: str) -> Q:
    words = _words(text)
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        # Every word must match, the last as a prefix; the tsquery is built from the
        # words alone (apostrophes dropped), never from the person's operators.
        terms = [w.replace("'", "").replace("\\", "") for w in words]
        terms = [t for t in terms if t]
        if not terms:
            return Q()
        query = (
            " & ".join(f"'{t}'" for t in terms[:-1]) + (" & " if len(terms) > 1 else "") + f"'{terms[-1]}':*"
        )
        return Q(pk__in=Service.objects.extra(where=[SEARCH_WHERE], params=[query]).values("pk"))  # noqa: S610
    condition = Q()
    for word in words:
        condition &= Q(search_text__icontains=word)
    return condition


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    category: str = ""  # a category's code
    situation: str = ""  # a life situation's code


def catalogue(*, hromada, filters: CatalogueFilters = CatalogueFilters()) -> QuerySet[Service]:
    """The published services matching `filters` (unknown codes match nothing)."""
    qs = Service.objects.for_hromada(hromada).filter(status=ServiceStatus.PUBLISHED)
    if filters.q.strip():
        qs = qs.filter(_text_condition(filters.q))
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.situation:
        qs = qs.filter(life_situations__code=filters.situation, life_situations__hromada=hromada)
    return qs.select_related("category").order_by("title", "id")


def category_list(*, hromada, published_only: bool = True) -> QuerySet[ServiceCategory]:
    qs = ServiceCategory.objects.for_hromada(hromada)
    if published_only:
        qs = qs.annotate(n=Count("services", filter=Q(services__status=ServiceStatus.PUBLISHED)))
    return qs.order_by("order", "name")


def situation_list(*, hromada, published_only: bool = True) -> QuerySet[LifeSituation]:
    qs = LifeSituation.objects.for_hromada(hromada)
    if published_only:
        qs = qs.annotate(n=Count("services", filter=Q(services__status=ServiceStatus.PUBLISHED)))
    return qs.order_by("order", "name")


def service_get(*, hromada, public_id, published_only: bool = True) -> Service | None:
    qs = Service.objects.for_hromada(hromada).filter(public_id=public_id)
    if published_only:
        qs = qs.filter(status=ServiceStatus.PUBLISHED)
    return (
        qs.select_related("category")
        .prefetch_related(
            "life_situations", Prefetch("documents", ServiceDocument.objects.order_by("order", "id"))
        )
        .first()
    )


def service_list(*, hromada, status: str = "", q: str = "") -> QuerySet[Service]:
    """Every service of the hromada for the staff console."""
    qs = Service.objects.for_hromada(hromada)
    if status:
        qs = qs.filter(status=status)
    if q.strip():
        qs = qs.filter(_text_condition(q))
    return qs.select_related("category").order_by("title", "id")


def service_url(service: Service) -> str:
    return reverse("cnap:service", kwargs={"public_id": service.public_id})


# --- offices --------------------------------------------------------------------------------


def office_list(*, hromada, active_only: bool = True) -> QuerySet[Office]:
    qs = Office.objects.for_hromada(hromada)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("order", "name")


def office_get(*, hromada, code: str, active_only: bool = True) -> Office | None:
    qs = office_list(hromada=hromada, active_only=active_only).filter(code=code)
    return qs.first()


def office_by_id(*, hromada, public_id) -> Office | None:
    return Office.objects.for_hromada(hromada).filter(public_id=public_id).first()


def workplace_list(*, office: Office, active_only: bool = False) -> QuerySet[Workplace]:
    qs = Workplace.objects.filter(hromada_id=office.hromada_id, office=office)
    if active_only:
        qs = qs.filter(active=True)
    return qs.prefetch_related("services").order_by("number")


def service_offices(*, service: Service) -> list[Office]:
    """The active offices with an active workplace that serves `service`."""
    return list(
        Office.objects.filter(
            hromada_id=service.hromada_id,
            active=True,
            workplaces__active=True,
            workplaces__services=service,
        )
        .distinct()
        .order_by("order", "name")
    )


def okrug_of(office: Office):
    """The starosta okrug the office serves, when the community registers are on."""
    if office.okrug_id is None or not module_enabled(office.hromada, "places"):
        return None
    from hromada.places import selectors as places

    area = office.okrug
    return area if places.is_routing_area(area, hromada=office.hromada, kind=places.OKRUG) else None


def okrug_choices(*, hromada) -> list:
    """The okrugs an office may serve (none when places is off)."""
    if not module_enabled(hromada, "places"):
        return []
    from hromada.places import selectors as places

    return list(places.area_list(hromada=hromada, kind=places.OKRUG, purpose=""))


# --- hours ----------------------------------------------------------------------------------


def _hours_of(row) -> schedule.Hours:
    return schedule.Hours(row.opens, row.closes, row.break_starts, row.break_ends)


def _closure_of(row: ScheduleException) -> schedule.Closure:
    hours = None if row.closed else schedule.Hours(row.opens, row.closes)
    return schedule.Closure(row.starts_on, row.ends_on, hours, row.reason)


def _weekend_holidays(year: int) -> dict[dt.date, str]:
    # Statutory holidays on a Saturday or Sunday still in force (not martial law).
    return {r["date"]: r["name"] for r in holidays_in(year) if r["effect"] == "transferred"}


def _day_off_name(day: dt.date) -> str:
    return next((r["name"] for r in holidays_in(day.year) if r["date"] == day), "")


def day_kind(day: dt.date) -> tuple[str, str]:
    """(WORKING, WEEKEND or HOLIDAY, the holiday's name) by the kernel's legal calendar."""
    if is_working_day(day):
        return schedule.WORKING, ""
    if day.weekday() < 5:
        return schedule.HOLIDAY, _day_off_name(day)
    name = _weekend_holidays(day.year).get(day)
    return (schedule.HOLIDAY, name) if name is not None else (schedule.WEEKEND, "")


def _weekly(office: Office) -> dict[int, schedule.Hours]:
    rows = WeeklyHours.objects.filter(hromada_id=office.hromada_id, office=office)
    return {r.weekday: _hours_of(r) for r in rows}


def _exceptions(office: Office, first: dt.date, last: dt.date, *, workplace=None) -> list[schedule.Closure]:
    qs = ScheduleException.objects.filter(
        hromada_id=office.hromada_id, office=office, starts_on__lte=last, ends_on__gte=first
    )
    qs = qs.filter(workplace=workplace) if workplace is not None else qs.filter(workplace__isnull=True)
    return [_closure_of(r) for r in qs.order_by("created_at", "id")]


def office_days(office: Office, first: dt.date, days: int) -> list[schedule.DayHours]:
    """The office's hours for `days` consecutive dates from `first` (two queries)."""
    last = first + dt.timedelta(days=days - 1)
    weekly = _weekly(office)
    exceptions = _exceptions(office, first, last)
    out = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        kind, name = day_kind(day)
        out.append(
            schedule.day_hours(day, weekly=weekly, exceptions=exceptions, day_kind=kind, holiday_name=name)
        )
    return out


def office_hours(office: Office, date: dt.date) -> schedule.DayHours:
    """The office's opening intervals on `date`: weekly hours, the legal calendar and
    the office's exceptions (schedule.day_hours)."""
    return office_days(office, date, 1)[0]


def workplace_hours(workplace: Workplace, date: dt.date) -> schedule.DayHours:
    """A workplace's intervals on `date`: its office's, less its own exceptions."""
    office_day = office_hours(workplace.office, date)
    if not workplace.active:
        return schedule.DayHours(date, (), schedule.CLOSED_NO_HOURS)
    return schedule.workplace_day(office_day, _exceptions(workplace.office, date, date, workplace=workplace))


def week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def weekly_rows(*, office: Office) -> list[WeeklyHours]:
    return list(WeeklyHours.objects.filter(hromada_id=office.hromada_id, office=office).order_by("weekday"))


def exception_list(*, office: Office, since: dt.date | None = None) -> QuerySet[ScheduleException]:
    qs = ScheduleException.objects.filter(hromada_id=office.hromada_id, office=office)
    if since:
        qs = qs.filter(ends_on__gte=since)
    return qs.select_related("workplace").order_by("starts_on", "id")


# --- open data ------------------------------------------------------------------------------

SERVICE_FIELDS = (
    "id",
    "code",
    "title",
    "category",
    "provider",
    "applicants",
    "term",
    "result",
    "fee_kind",
    "fee_amount",
    "in_person",
    "online_url",
    "diia_url",
    "booking_allowed",
    "documents",
    "life_situations",
    "offices",
    "url",
)


def service_rows(*, hromada) -> Iterator[dict]:
    """The published catalogue (public fields only), for the registry's dataset."""
    qs = (
        Service.objects.for_hromada(hromada)
        .filter(status=ServiceStatus.PUBLISHED)
        .select_related("category")
        .prefetch_related(
            "life_situations",
            Prefetch("documents", ServiceDocument.objects.order_by("order", "id")),
            Prefetch(
                "workplaces",
                Workplace.objects.filter(active=True, office__active=True).select_related("office"),
            ),
        )
        .order_by("code", "id")
    )
    for s in qs.iterator(chunk_size=200):
        offices = sorted({w.office.name for w in s.workplaces.all()})
        yield {
            "id": str(s.public_id),
            "code": s.code,
            "title": s.title,
            "category": s.category.name if s.category else "",
            "provider": s.provider,
            "applicants": s.applicants,
            "term": s.term,
            "result": s.result,
            "fee_kind": s.fee_kind,
            "fee_amount": str(s.fee_amount) if s.fee_amount is not None else "",
            "in_person": s.in_person,
            "online_url": s.online_url,
            "diia_url": s.diia_url,
            "booking_allowed": s.booking_allowed,
            "documents": "; ".join(d.title for d in s.documents.all()),
            "life_situations": "; ".join(ls.name for ls in s.life_situations.all()),
            "offices": "; ".join(offices),
            "url": service_url(s),
        }
