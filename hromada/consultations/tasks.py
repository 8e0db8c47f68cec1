"""The periodic jobs (module.py `jobs`). `results_tick`: the results snapshots of open
and just-closed consultations (services.snapshots). `consultations_tick`: the closing reminder (once per consultation and
end: `Consultation.reminded_at`, cleared by an extension) to people with an unsubmitted
draft and to followers, and the overdue report told to staff once (the notification,
its URL marked #report-overdue, is the record)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hromada.core.i18n import lazy_format
from hromada.notify.services import notify_send
from hromada.tenancy.models import Hromada
from hromada.tenancy.selectors import module_enabled, module_settings

from . import selectors
from .models import PHASE_OPEN, PHASE_REPORT, Consultation, Follow, Response, ResponseStatus, Status
from .services.consultations import page_url, report_url_for_staff

OVERDUE_MARK = "#report-overdue"
logger = logging.getLogger(__name__)


def _remind(consultation: Consultation, now: dt.datetime) -> int:
    hromada = consultation.hromada
    with transaction.atomic():
        # The guarded update makes the reminder once, even with two workers.
        if not Consultation.objects.filter(pk=consultation.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            return 0
        drafts = Response.objects.for_hromada(hromada).filter(
            consultation=consultation, status=ResponseStatus.DRAFT, user__isnull=False
        )
        followers = Follow.objects.for_hromada(hromada).filter(consultation=consultation)
        users = set(drafts.values_list("user_id", flat=True)) | set(
            followers.values_list("user_id", flat=True)
        )
        return notify_send(
            hromada=hromada,
            users=sorted(users),
            kind="consultations.closing",
            title=lazy_format(
                gettext_lazy("Консультація №%(n)s завершується %(ends)s"),
                n=consultation.number,
                ends=timezone.localtime(consultation.closes_at).strftime("%d.%m.%Y %H:%M"),
            ),
            body=lazy_format(
                gettext_lazy("«%(title)s». Якщо ви почали відповідати — надішліть відповіді до завершення."),
                title=consultation.title,
            ),
            url=page_url(consultation),
        )


def _overdue(consultation: Consultation) -> int:
    from hromada.notify.models import Notification

    hromada = consultation.hromada
    url = report_url_for_staff(consultation) + OVERDUE_MARK
    with transaction.atomic():
        if Notification.objects.filter(hromada=hromada, kind="consultations.report_due", url=url).exists():
            return 0
        return notify_send(
            hromada=hromada,
            users=selectors.staff_holders(hromada=hromada, codename="consultations.manage"),
            kind="consultations.report_due",
            title=lazy_format(
                gettext_lazy("Прострочено звіт про результати консультації №%(n)s"), n=consultation.number
            ),
            body=consultation.title,
            url=url,
        )


def consultations_tick(now: dt.datetime | None = None) -> int:
    """Send what is due now; returns how many notifications went out."""
    now = now or timezone.now()
    sent = 0
    for hromada in Hromada.objects.order_by("pk"):
        if not module_enabled(hromada, "consultations"):
            continue
        days = module_settings(hromada=hromada, label="consultations").reminder_days
        published = (
            Consultation.objects.for_hromada(hromada).filter(status=Status.PUBLISHED).select_related("plan")
        )
        if days:
            closing = published.filter(
                reminded_at__isnull=True,
                plan__phases__code=PHASE_OPEN,
                plan__phases__starts_at__lte=now,
                plan__phases__ends_at__gt=now,
                plan__phases__ends_at__lte=now + dt.timedelta(days=days),
            )
            for consultation in closing:
                sent += _remind(consultation, now)
        late = published.filter(
            plan__phases__code=PHASE_REPORT, plan__phases__ends_at__lte=now, report__published_at__isnull=True
        )
        for consultation in late:
            sent += _overdue(consultation)
    return sent


def results_tick(now: dt.datetime | None = None) -> int:
    """Refresh the results snapshots that are due (live ones every few seconds, and
    once more after the close); returns how many were computed. One hromada's failure
    is logged and does not stop the others'."""
    from .services.snapshots import snapshots_tick

    computed = 0
    for hromada in Hromada.objects.order_by("pk"):
        if not module_enabled(hromada, "consultations"):
            continue
        try:
            computed += snapshots_tick(hromada=hromada, now=now)
        except Exception:
            logger.exception("results snapshots of hromada %s", hromada.pk)
    return computed
