"""Announcements to residents about a cycle: a phase extended, voting open. Each is
sent once: a repeated call (the tick, a retried hook) finds the notifications already
made for the same event (its URL names the event) and sends nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hromada.core.i18n import lazy_format
from hromada.notify.models import Notification
from hromada.notify.services import notify_send

from ..models import Cycle, Project, ProjectStatus, Residency, Support
from ._staff_common import url_or_blank


def _cycle_url(cycle: Cycle, name: str = "budget:cycle") -> str:
    return url_or_blank(name, slug=cycle.slug) or f"/budget/{cycle.slug}/"


def _authors(cycle: Cycle) -> set[int]:
    return set(
        Project.objects.for_hromada(cycle.hromada_id)
        .filter(cycle=cycle, author__isnull=False)
        .exclude(status=ProjectStatus.WITHDRAWN)
        .values_list("author_id", flat=True)
    )


def _residents(cycle: Cycle) -> set[int]:
    return set(
        Residency.objects.for_hromada(cycle.hromada_id).filter(cycle=cycle).values_list("user_id", flat=True)
    )


def _supporters(cycle: Cycle) -> set[int]:
    return set(
        Support.objects.for_hromada(cycle.hromada_id)
        .filter(project__cycle=cycle, user__isnull=False)
        .values_list("user_id", flat=True)
    )


def _send_once(cycle: Cycle, *, kind: str, users: set[int], title, body, url: str) -> int:
    with transaction.atomic():
        if Notification.objects.filter(hromada_id=cycle.hromada_id, kind=kind, url=url).exists():
            return 0
        return notify_send(
            hromada=cycle.hromada, users=sorted(users), kind=kind, title=title, body=body, url=url
        )


def phase_extended(*, cycle: Cycle, code: str, new_ends_at: dt.datetime, reason: str) -> int:
    """Tell the people a phase concerns that it was extended: the authors of the cycle's
    projects, and during voting also everyone who declared their residence for it."""
    from .cycles import phase_names

    users = _authors(cycle)
    if code == "voting":
        users |= _residents(cycle)
    name = phase_names().get(code, code)
    ends = timezone.localtime(new_ends_at).strftime("%d.%m.%Y %H:%M")
    return _send_once(
        cycle,
        kind="budget.phase_extended",
        users=users,
        title=lazy_format(
            _("«%(cycle)s»: етап «%(phase)s» продовжено до %(ends)s"),
            cycle=cycle.title,
            phase=name,
            ends=ends,
        ),
        body=reason,
        url=f"{_cycle_url(cycle)}#{code}-{int(new_ends_at.timestamp())}",
    )


def voting_open(*, cycle: Cycle) -> int:
    """Voting has begun: tell the project authors, supporters and people who declared
    their residence for the cycle."""
    users = _authors(cycle) | _supporters(cycle) | _residents(cycle)
    url = url_or_blank("budget:vote", slug=cycle.slug) or f"{_cycle_url(cycle)}vote/"
    return _send_once(
        cycle,
        kind="budget.voting_open",
        users=users,
        title=lazy_format(_("«%(cycle)s»: розпочато голосування за проєкти"), cycle=cycle.title),
        body=_("Оберіть проєкти, які варто втілити у вашій громаді."),
        url=url,
    )
