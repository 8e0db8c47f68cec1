"""The tick: a reminder before the deadline, escalation to the head, the overdue notice;
each once per deadline, again after an extension; hromadas apart."""

import datetime as dt

import pytest

from hromada.accounts.tests.factories import staff_user
from hromada.appeals.models import CaseEvent, CaseKind, EventKind
from hromada.appeals.services import work
from hromada.appeals.services.reminders import reminders_tick
from hromada.appeals.tasks import appeals_tick
from hromada.appeals.tests.factories import make_case, make_department
from hromada.core.calendar import KYIV
from hromada.notify.models import Notification

pytestmark = pytest.mark.django_db
D = dt.date


def at(day: D, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=KYIV)


def told(user, kind):
    return Notification.objects.filter(user=user, kind=kind).count()


@pytest.fixture
def setup(hromada, officer):
    head = staff_user(hromada, "officer")
    department = make_department(hromada, head=head, members=[officer])
    # remind_days=2, escalate_days=1 (the defaults). Received Monday 7 Dec: due Monday 14.
    case = make_case(hromada, kind=CaseKind.INFO, now=at(D(2026, 12, 7)), department=department)
    return {"head": head, "worker": officer, "case": case, "department": department}


def test_nothing_while_the_deadline_is_far(setup):
    assert reminders_tick(now=at(D(2026, 12, 9))) == {"reminded": 0, "escalated": 0, "overdue": 0}


def test_remind_then_escalate_then_overdue_each_once(setup):
    worker, head, case = setup["worker"], setup["head"], setup["case"]
    # Thursday 10 Dec: Friday 11 and Monday 14 are the two working days left.
    assert reminders_tick(now=at(D(2026, 12, 10))) == {"reminded": 1, "escalated": 0, "overdue": 0}
    assert reminders_tick(now=at(D(2026, 12, 10), 15)) == {"reminded": 0, "escalated": 0, "overdue": 0}
    assert told(worker, "appeals.deadline_near") == 1 and told(head, "appeals.escalated") == 0
    # Friday 11: one working day left: the head is told.
    assert reminders_tick(now=at(D(2026, 12, 11))) == {"reminded": 0, "escalated": 1, "overdue": 0}
    assert told(head, "appeals.escalated") == 1 and told(worker, "appeals.escalated") == 0
    # Tuesday 15: passed.
    assert reminders_tick(now=at(D(2026, 12, 15))) == {"reminded": 0, "escalated": 0, "overdue": 1}
    assert reminders_tick(now=at(D(2026, 12, 16))) == {"reminded": 0, "escalated": 0, "overdue": 0}
    assert told(worker, "appeals.overdue") == 1 and told(head, "appeals.overdue") == 1
    events = list(
        CaseEvent.objects.filter(case=case).exclude(kind="registered").values_list("kind", "public")
    )
    assert events == [(EventKind.REMINDED, False), (EventKind.ESCALATED, False), (EventKind.OVERDUE, False)]


def test_the_assignee_alone_is_reminded(hromada, setup):
    colleague = staff_user(hromada, "officer")
    from hromada.appeals.models import DepartmentMember

    DepartmentMember.objects.create(hromada=hromada, department=setup["department"], user=colleague)
    work.case_assign(case=setup["case"], actor=setup["worker"], assignee=colleague)
    reminders_tick(now=at(D(2026, 12, 10)))
    assert (
        told(colleague, "appeals.deadline_near") == 1 and told(setup["worker"], "appeals.deadline_near") == 0
    )


def test_an_extension_starts_the_reminders_again(hromada, setup, hromada_admin):
    case = setup["case"]
    reminders_tick(now=at(D(2026, 12, 11)))
    case.refresh_from_db()
    assert case.reminded_at and case.escalated_at
    work.case_extend(case=case, actor=hromada_admin, reason="Великий обсяг.", now=at(D(2026, 12, 11), 12))
    # New term: 4 January 2027. Far away now; near on Wednesday 30 December.
    assert reminders_tick(now=at(D(2026, 12, 14))) == {"reminded": 0, "escalated": 0, "overdue": 0}
    assert reminders_tick(now=at(D(2026, 12, 31))) == {"reminded": 1, "escalated": 0, "overdue": 0}
    assert told(setup["worker"], "appeals.deadline_near") == 2


def test_closed_cases_are_left_alone(setup):
    work.case_answer(
        case=setup["case"], actor=setup["worker"], text="Відповідь надано вчасно.", now=at(D(2026, 12, 8))
    )
    assert reminders_tick(now=at(D(2026, 12, 20))) == {"reminded": 0, "escalated": 0, "overdue": 0}


def test_without_a_head_the_routers_are_told(hromada, officer, hromada_admin):
    department = make_department(hromada, members=[officer])
    make_case(hromada, kind=CaseKind.INFO, now=at(D(2026, 12, 7)), department=department)
    reminders_tick(now=at(D(2026, 12, 15)))
    assert told(hromada_admin, "appeals.overdue") == 1 and told(officer, "appeals.overdue") == 1


def test_a_report_counted_in_hours_is_near_in_its_last_day(hromada, officer):
    from hromada.appeals.tests.factories import make_category

    department = make_department(hromada, members=[officer])
    category = make_category(hromada, department=department, target_hours=4)
    make_case(hromada, category=category, now=at(D(2026, 12, 7), 8))
    # A short target is near from the start (its last 24 hours) and overdue 4 hours on.
    assert reminders_tick(now=at(D(2026, 12, 7), 9))["reminded"] == 1
    assert reminders_tick(now=at(D(2026, 12, 7), 13))["overdue"] == 1


def test_hromadas_are_apart_and_the_module_off_is_skipped(hromada, other_hromada, setup):
    from hromada.tenancy.services import module_switch_set

    other_worker = staff_user(other_hromada, "officer")
    other_department = make_department(other_hromada, members=[other_worker])
    make_case(other_hromada, kind=CaseKind.INFO, now=at(D(2026, 12, 7)), department=other_department)
    module_switch_set(
        hromada=other_hromada, module="appeals", enabled=False, actor=staff_user(other_hromada, "admin")
    )
    assert reminders_tick(now=at(D(2026, 12, 15)))["overdue"] == 1
    assert told(other_worker, "appeals.overdue") == 0


def test_the_job_calls_the_tick(setup):
    assert set(appeals_tick()) == {"reminded", "escalated", "overdue"}
