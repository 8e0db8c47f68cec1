"""consultations_tick with the kernel's clock travel: the closing reminder (once, again
after an extension) and the overdue report (once)."""

from __future__ import annotations

import datetime as dt

import pytest

from hromada.accounts.tests.factories import UserFactory, staff_user
from hromada.consultations.services import consultations as svc
from hromada.consultations.services import follows
from hromada.consultations.services.participation import participation_join
from hromada.consultations.tasks import consultations_tick
from hromada.core.clock import travel_to
from hromada.notify.models import Notification

from .factories import DAY, make_consultation

pytestmark = pytest.mark.django_db


def told(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_the_closing_reminder_goes_once_to_drafters_and_followers(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin)  # closes in 4 days; reminder_days is 2
    drafter, follower, bystander = UserFactory(), UserFactory(), UserFactory()
    participation_join(consultation=c, user=drafter)
    follows.follow_add(consultation=c, user=follower)
    assert consultations_tick() == 0
    with travel_to(c.closes_at - dt.timedelta(days=1)):
        assert consultations_tick() == 2
        assert consultations_tick() == 0
    assert told("consultations.closing") == sorted([drafter.pk, follower.pk])
    assert bystander.pk not in told("consultations.closing")
    c.refresh_from_db()
    assert c.reminded_at is not None
    # Extended: a reminder again before the new end.
    with travel_to(c.closes_at - dt.timedelta(hours=20)):
        svc.consultation_extend(consultation=c, actor=admin, ends_at=c.closes_at + 5 * DAY, reason="Наказ №3")
        assert consultations_tick() == 0
    with travel_to(c.closes_at - dt.timedelta(hours=12)):
        assert consultations_tick() == 2


def test_an_overdue_report_is_told_to_staff_once(hromada, other_hromada):
    admin, officer = staff_user(hromada, "admin"), staff_user(hromada, "officer")
    staff_user(hromada, "moderator")
    other_admin = staff_user(other_hromada, "admin")
    c = make_consultation(hromada, actor=admin, current="report")
    assert consultations_tick() == 0
    with travel_to(c.closes_at + 15 * DAY):
        assert consultations_tick() == 2
        assert consultations_tick() == 0
    assert told("consultations.report_due") == sorted([admin.pk, officer.pk])
    assert other_admin.pk not in told("consultations.report_due")


def test_the_tick_skips_a_hromada_that_switched_the_module_off(hromada):
    from hromada.tenancy.models import ModuleSwitch

    c = make_consultation(hromada, current="report")
    ModuleSwitch.objects.create(hromada=hromada, module="consultations", enabled=False)
    from hromada.tenancy.selectors import tenancy_cache_clear

    tenancy_cache_clear()
    with travel_to(c.closes_at + 15 * DAY):
        assert consultations_tick() == 0
