"""Offices, their workplaces (windows), weekly hours and exceptions.

Each write checks everything first (CnapInvalid with every problem), then runs in one
transaction with its ledger entry. An office's okrug is a row of the community
registers, checked through hromada.places.selectors only and refused while places is
off (the office keeps its free-text address then)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.ledger.services import ledger_append
from hromada.tenancy.selectors import module_enabled, module_settings

from .. import rules
from ..models import (
    UNIT_MAX,
    UNIT_MIN,
    Office,
    OfficeKind,
    ScheduleException,
    Service,
    WeeklyHours,
    Workplace,
)
from ._common import Check, CnapInvalid

EXCEPTION_DAYS_MAX = 366
WEEKDAYS = range(7)


def _record(office: Office, kind: str, **payload) -> None:
    ledger_append(hromada=office.hromada, kind=kind, payload={"office": office.code, **payload})


def _clean_okrug(hromada, okrug, check: Check):
    if okrug in (None, ""):
        return None
    if not module_enabled(hromada, "places"):
        check.add("okrug_unavailable", _("Реєстр громади вимкнено: округ вказати не можна."), "okrug")
        return None
    from hromada.places import selectors as places

    if not isinstance(okrug, places.Area):
        okrug = places.area_list(hromada=hromada, kind=places.OKRUG, purpose="", slug=str(okrug)).first()
    if okrug is None or not places.is_routing_area(okrug, hromada=hromada, kind=places.OKRUG):
        check.add("okrug_unknown", _("Такого старостинського округу в громаді немає."), "okrug")
        return None
    return okrug


def _clean_point(lat, lon, check: Check) -> tuple[float | None, float | None]:
    if lat in (None, "") and lon in (None, ""):
        return None, None
    try:
        lat_f, lon_f = float(str(lat).replace(",", ".")), float(str(lon).replace(",", "."))
    except (TypeError, ValueError):
        check.add("point_invalid", _("Точка — дві координати числами, напр. 48.5079 і 32.2623."), "lat")
        return None, None
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        check.add("point_invalid", _("Широта від −90 до 90, довгота від −180 до 180."), "lat")
        return None, None
    return lat_f, lon_f


def office_save(
    hromada,
    actor,
    *,
    office: Office | None = None,
    kind: str = OfficeKind.CENTRE,
    code: str,
    name: str,
    address: str = "",
    lat=None,
    lon=None,
    okrug=None,
    phone: str = "",
    email: str = "",
    how_to_get: str = "",
    active: bool = True,
    order: int = 0,
) -> Office:
    rules.require_manage(actor, hromada)
    if office is not None and office.hromada_id != hromada.pk:
        raise DomainError("office_unknown", _("Такого офісу немає."), status=404)
    check = Check()
    if kind not in OfficeKind.values:
        check.add("office_kind_invalid", _("Оберіть вид офісу."), "kind")
    code = check.line(code, "code", limit=60, required=True, label=_("Коротке ім'я"))
    if code and not check.failed("code") and slugify(code) != code:
        check.add(
            "code_invalid", _("Коротке ім'я — латинські малі літери, цифри й дефіс (напр. «tsentr»)."), "code"
        )
    name = check.line(name, "name", limit=200, required=True, label=_("Назва"))
    address = check.line(address, "address", limit=300, required=kind != OfficeKind.MOBILE, label=_("Адреса"))
    lat, lon = _clean_point(lat, lon, check)
    okrug = _clean_okrug(hromada, okrug, check)
    phone = check.line(phone, "phone", limit=40, label=_("Телефон"))
    email = check.email(email, "email")
    how_to_get = check.text(how_to_get, "how_to_get", limit=3000, label=_("Як дістатися"))
    order = check.integer(order or 0, "order", low=0, high=999, label=_("Порядок"))
    check.done()
    taken = Office.objects.for_hromada(hromada).filter(code=code)
    if office is not None:
        taken = taken.exclude(pk=office.pk)
    if taken.exists():
        raise CnapInvalid(
            [
                DomainError(
                    "office_code_taken",
                    _("Коротке ім'я «%(c)s» уже зайнято.") % {"c": code},
                    field="code",
                    status=409,
                )
            ]
        )
    values = {
        "kind": kind,
        "code": code,
        "name": name,
        "address": address,
        "lat": lat,
        "lon": lon,
        "okrug": okrug,
        "phone": phone,
        "email": email,
        "how_to_get": how_to_get,
        "active": bool(active),
        "order": order,
    }
    try:
        with transaction.atomic():
            if office is None:
                office = Office.objects.create(hromada=hromada, **values)
                action, changed = "created", sorted(values)
            else:
                office = Office.objects.select_for_update().get(pk=office.pk)
                changed = sorted(k for k, v in values.items() if getattr(office, k) != v)
                for k, v in values.items():
                    setattr(office, k, v)
                office.save()
                action = "changed"
            _record(office, "cnap.office_changed", object="office", action=action, fields=changed)
    except IntegrityError:
        raise CnapInvalid(
            [
                DomainError(
                    "office_code_taken",
                    _("Коротке ім'я «%(c)s» уже зайнято.") % {"c": code},
                    field="code",
                    status=409,
                )
            ]
        ) from None
    return office


# --- workplaces -----------------------------------------------------------------------------


def _clean_services(hromada, services: Iterable, check: Check) -> list[Service]:
    out: list[Service] = []
    for item in services or ():
        if isinstance(item, Service):
            found = item if item.hromada_id == hromada.pk else None
        else:
            found = Service.objects.for_hromada(hromada).filter(code=str(item)).first()
        if found is None:
            check.add("service_unknown", _("Такої послуги в каталозі немає."), "services")
        elif found not in out:
            out.append(found)
    return out


def workplace_save(
    office: Office,
    actor,
    *,
    workplace: Workplace | None = None,
    number,
    name: str = "",
    unit_minutes=None,
    services: Iterable = (),
    active: bool = True,
) -> Workplace:
    hromada = office.hromada
    rules.require_manage(actor, hromada)
    if workplace is not None and workplace.office_id != office.pk:
        raise DomainError("workplace_unknown", _("Такого робочого місця в цьому офісі немає."), status=404)
    if unit_minutes in (None, ""):
        unit_minutes = (
            workplace.unit_minutes
            if workplace
            else module_settings(hromada=hromada, label="cnap").default_unit_minutes
        )
    check = Check()
    number = check.integer(number, "number", low=1, high=999, label=_("Номер вікна"))
    name = check.line(name, "name", limit=200, label=_("Назва"))
    unit_minutes = check.integer(
        unit_minutes, "unit_minutes", low=UNIT_MIN, high=UNIT_MAX, label=_("Одиниця часу")
    )
    rows = _clean_services(hromada, services, check)
    check.done()
    taken = Workplace.objects.filter(office=office, number=number)
    if workplace is not None:
        taken = taken.exclude(pk=workplace.pk)
    if taken.exists():
        raise CnapInvalid(
            [
                DomainError(
                    "workplace_number_taken",
                    _("Вікно №%(n)d у цьому офісі вже є.") % {"n": number},
                    field="number",
                    status=409,
                )
            ]
        )
    try:
        with transaction.atomic():
            if workplace is None:
                workplace = Workplace.objects.create(
                    hromada=hromada,
                    office=office,
                    number=number,
                    name=name,
                    unit_minutes=unit_minutes,
                    active=bool(active),
                )
                action = "created"
            else:
                workplace.number, workplace.name, workplace.unit_minutes, workplace.active = (
                    number,
                    name,
                    unit_minutes,
                    bool(active),
                )
                workplace.save()
                action = "changed"
            workplace.services.set(rows)
            _record(
                office,
                "cnap.office_changed",
                object="workplace",
                action=action,
                number=number,
                unit_minutes=unit_minutes,
                active=bool(active),
                services=sorted(s.code for s in rows),
            )
    except IntegrityError:
        raise CnapInvalid(
            [
                DomainError(
                    "workplace_number_taken",
                    _("Вікно №%(n)d у цьому офісі вже є.") % {"n": number},
                    field="number",
                    status=409,
                )
            ]
        ) from None
    return workplace


# --- weekly hours ---------------------------------------------------------------------------


def _clean_day(weekday: int, row: Mapping | None, check: Check):
    """(opens, closes, break_starts, break_ends) or None for a day off; fields named d<N>_…"""
    if not row or not (row.get("opens") or row.get("closes")):
        if row and (row.get("break_starts") or row.get("break_ends")):
            check.add(
                "hours_break_alone",
                _("Перерва без годин роботи: вкажіть, коли відкривається й зачиняється."),
                f"d{weekday}_opens",
            )
        return None
    opens = check.time(row.get("opens"), f"d{weekday}_opens", label=_("відкривається"))
    closes = check.time(row.get("closes"), f"d{weekday}_closes", label=_("зачиняється"))
    bs = check.time(row.get("break_starts"), f"d{weekday}_break_starts", label=_("перерва з"), required=False)
    be = check.time(row.get("break_ends"), f"d{weekday}_break_ends", label=_("перерва до"), required=False)
    if opens and closes and opens >= closes:
        check.add("hours_order", _("Час відкриття має бути раніше за час закриття."), f"d{weekday}_closes")
        return None
    if (bs is None) != (be is None) and not (
        check.failed(f"d{weekday}_break_starts") or check.failed(f"d{weekday}_break_ends")
    ):
        check.add(
            "hours_break_half",
            _("Вкажіть і початок, і кінець перерви (або жодного)."),
            f"d{weekday}_break_starts",
        )
        return None
    if bs and be and opens and closes and not (opens < bs < be < closes):
        check.add(
            "hours_break_outside",
            _("Перерва має бути всередині робочого часу і закінчуватися після початку."),
            f"d{weekday}_break_starts",
        )
        return None
    return opens, closes, bs, be


def week_set(office: Office, actor, days: Mapping[int, Mapping | None]) -> list[WeeklyHours]:
    """Set the office's weekly hours: `days` maps weekday (0 Monday … 6 Sunday) to
    {opens, closes, break_starts, break_ends} or None for a day off; weekdays not given
    keep their rows."""
    rules.require_manage(actor, office.hromada)
    check = Check()
    clean: dict[int, tuple | None] = {}
    for weekday, row in days.items():
        if weekday not in WEEKDAYS:
            check.add("weekday_invalid", _("День тижня — від 0 (понеділок) до 6 (неділя)."), None)
            continue
        clean[weekday] = _clean_day(weekday, row, check)
    check.done()
    with transaction.atomic():
        Office.objects.select_for_update().get(pk=office.pk)  # one editor of the week at a time
        existing = {r.weekday: r for r in WeeklyHours.objects.filter(office=office)}
        for weekday, value in clean.items():
            row = existing.get(weekday)
            if value is None:
                if row is not None:
                    row.delete()
                continue
            opens, closes, bs, be = value
            if row is None:
                WeeklyHours.objects.create(
                    hromada=office.hromada,
                    office=office,
                    weekday=weekday,
                    opens=opens,
                    closes=closes,
                    break_starts=bs,
                    break_ends=be,
                )
            else:
                row.opens, row.closes, row.break_starts, row.break_ends = opens, closes, bs, be
                row.save()
        rows = list(WeeklyHours.objects.filter(office=office).order_by("weekday"))
        _record(
            office,
            "cnap.office_changed",
            object="hours",
            action="changed",
            week=[
                {
                    "weekday": r.weekday,
                    "opens": r.opens.strftime("%H:%M"),
                    "closes": r.closes.strftime("%H:%M"),
                    "break": f"{r.break_starts:%H:%M}-{r.break_ends:%H:%M}" if r.break_starts else "",
                }
                for r in rows
            ],
        )
    return rows


# --- exceptions -----------------------------------------------------------------------------


def exception_add(
    office: Office,
    actor,
    *,
    workplace: Workplace | None = None,
    starts_on,
    ends_on=None,
    closed: bool = True,
    opens=None,
    closes=None,
    reason: str,
) -> ScheduleException:
    """A closure or other hours of the office (or of one of its workplaces)."""
    rules.require_manage(actor, office.hromada)
    check = Check()
    if workplace is not None and (
        workplace.office_id != office.pk or workplace.hromada_id != office.hromada_id
    ):
        check.add("workplace_unknown", _("Це робоче місце не належить цьому офісу."), "workplace")
    starts_on = check.date(starts_on, "starts_on", label=_("з"))
    ends_on = starts_on if ends_on in (None, "") else check.date(ends_on, "ends_on", label=_("по"))
    if starts_on and ends_on:
        if ends_on < starts_on:
            check.add("exception_dates_order", _("Дата «по» не може бути раніше за дату «з»."), "ends_on")
        elif (ends_on - starts_on).days >= EXCEPTION_DAYS_MAX:
            check.add(
                "exception_too_long",
                _("Виняток — до року; для постійних змін змініть тижневий графік."),
                "ends_on",
            )
    if not closed:
        opens = check.time(opens, "opens", label=_("відкривається"))
        closes = check.time(closes, "closes", label=_("зачиняється"))
        if opens and closes and opens >= closes:
            check.add("hours_order", _("Час відкриття має бути раніше за час закриття."), "closes")
    else:
        opens = closes = None
    reason = check.line(reason, "reason", limit=300, required=True, label=_("Причина"))
    check.done()
    with transaction.atomic():
        row = ScheduleException.objects.create(
            hromada=office.hromada,
            office=office,
            workplace=workplace,
            starts_on=starts_on,
            ends_on=ends_on,
            closed=bool(closed),
            opens=opens,
            closes=closes,
            reason=reason,
        )
        _record(office, "cnap.schedule_exception_added", **_exception_payload(row))
    return row


def _exception_payload(row: ScheduleException) -> dict:
    return {
        "workplace": row.workplace.number if row.workplace_id else None,
        "starts_on": row.starts_on.isoformat(),
        "ends_on": row.ends_on.isoformat(),
        "closed": row.closed,
        "hours": "" if row.closed else f"{row.opens:%H:%M}-{row.closes:%H:%M}",
        "reason": row.reason,
    }


def exception_remove(row: ScheduleException, actor) -> None:
    office = row.office
    rules.require_manage(actor, office.hromada)
    with transaction.atomic():
        _record(office, "cnap.schedule_exception_removed", **_exception_payload(row))
        row.delete()


def default_week() -> dict[int, dict]:
    """The Law on administrative services' minimum (art. 12): six days a week, seven
    hours a day without a lunch break, one day until 20:00 — a new centre's start."""
    t = dt.time
    week = {d: {"opens": t(8), "closes": t(17)} for d in range(5)}
    week[2] = {"opens": t(8), "closes": t(20)}
    week[5] = {"opens": t(8), "closes": t(15)}
    return week
