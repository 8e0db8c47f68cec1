"""Every staff action on a case through services/work.py: its rules, refusals, history,
ledger and notices; merging and its notifications; forwarding and returning in time;
extension limits; the role matrix and cross-hromada isolation."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.appeals.models import (
    Attachment,
    CaseEvent,
    CaseKind,
    CaseStatus,
    EventKind,
    Subscription,
)
from hromada.appeals.services import work
from hromada.appeals.services.deadlines import end_of_day
from hromada.appeals.tests.factories import make_case, make_category, make_department
from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

pytestmark = pytest.mark.django_db

D = dt.date


def at(day: D, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=KYIV)


def png(name="photo.png"):
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def refused(code, call, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.as_dict()
    return caught.value


def kinds(case, **filters):
    return list(CaseEvent.objects.filter(case=case, **filters).values_list("kind", flat=True))


def ledger(kind):
    return list(LedgerEntry.objects.filter(kind=kind).order_by("id").values_list("payload", flat=True))


def told(user, kind):
    return Notification.objects.filter(user=user, kind=kind).count()


@pytest.fixture
def world(hromada, officer, hromada_admin):
    """Street lighting (A, the officer works it) and water (B, another worker)."""
    worker_b = staff_user(hromada, "officer")
    colleague = staff_user(hromada, "officer")
    lighting = make_department(hromada, name="КП «Міськсвітло»", members=[officer, colleague])
    water = make_department(hromada, name="КП «Водоканал»", members=[worker_b])
    category = make_category(hromada, code="streetlight", department=lighting)
    return {
        "a": lighting,
        "b": water,
        "worker_a": officer,
        "colleague": colleague,
        "worker_b": worker_b,
        "router": hromada_admin,
        "category": category,
    }


@pytest.fixture
def report(hromada, world, resident):
    return make_case(hromada, category=world["category"], applicant=resident)


# --- assignment -----------------------------------------------------------------------------


def test_a_router_moves_a_case_to_another_department_and_its_worker(report, world):
    work.case_assign(case=report, actor=world["router"], department=world["b"], assignee=world["worker_b"])
    report.refresh_from_db()
    assert (report.department, report.assignee, report.status) == (world["b"], world["worker_b"], "assigned")
    assert kinds(report, kind__in=["routed", "assigned"]) == ["routed", "assigned"]
    assert CaseEvent.objects.get(case=report, kind="assigned").public is False
    assert told(world["worker_b"], "appeals.assigned") == 1
    assert told(world["worker_b"], "appeals.case_new") == 1
    assert ledger("appeals.case_routed")[0]["department"] == str(world["b"].public_id)
    assert len(ledger("appeals.case_assigned")) == 1


def test_a_worker_gives_a_case_to_a_colleague_but_not_to_an_outsider_nor_another_department(report, world):
    work.case_assign(case=report, actor=world["worker_a"], assignee=world["colleague"])
    assert report.assignee == world["colleague"]
    assert told(world["colleague"], "appeals.assigned") == 1
    refused(
        "assignee_not_member",
        work.case_assign,
        case=report,
        actor=world["worker_a"],
        assignee=world["worker_b"],
    )
    refused("route_forbidden", work.case_assign, case=report, actor=world["worker_a"], department=world["b"])
    refused(
        "assign_unchanged",
        work.case_assign,
        case=report,
        actor=world["worker_a"],
        assignee=world["colleague"],
    )
    # Taking it oneself is assigning oneself; nobody is notified of their own act.
    work.case_assign(case=report, actor=world["worker_a"], assignee=world["worker_a"])
    assert told(world["worker_a"], "appeals.assigned") == 0


def test_a_move_drops_an_assignee_who_does_not_work_in_the_new_department(report, world):
    work.case_assign(case=report, actor=world["worker_a"], assignee=world["colleague"])
    work.case_assign(case=report, actor=world["router"], department=world["b"])
    report.refresh_from_db()
    assert report.department == world["b"] and report.assignee is None and report.status == "assigned"


def test_a_router_may_be_the_assignee_of_any_department(report, world):
    work.case_assign(case=report, actor=world["router"], assignee=world["router"])
    assert report.assignee == world["router"]


def test_a_worker_of_another_department_cannot_act_on_the_case(report, world):
    for call, extra in [
        (work.case_start, {}),
        (work.case_comment, {"text": "x"}),
        (work.case_update, {"text": "x"}),
        (work.case_resolve, {"text": "Замінено лампу."}),
        (work.case_assign, {"assignee": world["worker_b"]}),
    ]:
        refused("case_forbidden", call, case=report, actor=world["worker_b"], **extra)
    assert report.events.count() == 1  # only its registration


def test_a_resident_and_another_hromadas_staff_cannot_act(report, world, resident, other_hromada):
    refused("case_forbidden", work.case_start, case=report, actor=resident)
    refused("case_forbidden", work.case_start, case=report, actor=staff_user(other_hromada, "admin"))
    other_department = make_department(other_hromada)
    refused(
        "department_invalid",
        work.case_assign,
        case=report,
        actor=world["router"],
        department=other_department,
    )


# --- start, comment, update -----------------------------------------------------------------


def test_start_takes_the_case_and_tells_the_applicant(report, world, resident):
    work.case_start(case=report, actor=world["worker_a"])
    report.refresh_from_db()
    assert report.status == CaseStatus.IN_PROGRESS and report.assignee == world["worker_a"]
    assert CaseEvent.objects.get(case=report, kind="started").public is True
    assert told(resident, "appeals.updated") == 1
    refused("case_already_started", work.case_start, case=report, actor=world["worker_a"])


def test_an_internal_comment_with_a_file_is_never_public_nor_sent(report, world, resident):
    event = work.case_comment(
        case=report, actor=world["worker_a"], text="Опора на балансі Укренерго?", files=[png()]
    )
    assert event.public is False and event.kind == EventKind.COMMENT
    attachment = Attachment.objects.get(case=report)
    assert attachment.public is False and attachment.event == event and attachment.kind == "photo"
    assert told(resident, "appeals.updated") == 0
    refused("text_required", work.case_comment, case=report, actor=world["worker_a"], text="   ")
    work.case_not_fixed(case=report, actor=world["worker_a"], reason="Не наша опора.")
    work.case_comment(
        case=report, actor=world["worker_a"], text="Передали листом до обленерго."
    )  # still allowed


def test_a_refused_file_leaves_nothing_behind(report, world):
    bad = SimpleUploadedFile("virus.png", b"MZ\x90\x00not an image at all", content_type="image/png")
    refused(
        "file_type_not_allowed",
        work.case_update,
        case=report,
        actor=world["worker_a"],
        text="Фото",
        files=[bad],
    )
    assert not Attachment.objects.exists() and kinds(report) == ["registered"]
    refused(
        "too_many_files",
        work.case_update,
        case=report,
        actor=world["worker_a"],
        text="x",
        files=[png() for _ in range(6)],
    )


def test_a_public_update_reaches_the_applicant_and_the_followers(hromada, report, world, resident):
    follower = verified_user()
    Subscription.objects.create(hromada=hromada, user=follower, case=report)
    event = work.case_update(
        case=report, actor=world["worker_a"], text="Бригада виїде завтра.", files=[png()]
    )
    assert event.public is True
    assert Attachment.objects.get(event=event).public is True
    assert told(resident, "appeals.updated") == 1 and told(follower, "appeals.updated") == 1
    work.case_resolve(case=report, actor=world["worker_a"], text="Лампу замінено.")
    refused("case_not_open", work.case_update, case=report, actor=world["worker_a"], text="Ще одне")


# --- answers and closing decisions ----------------------------------------------------------


def test_an_information_request_answered_within_five_working_days(hromada, world, resident):
    received = at(D(2026, 12, 7))
    request = make_case(hromada, kind=CaseKind.INFO, applicant=resident, now=received, department=world["a"])
    assert request.due_at == end_of_day(D(2026, 12, 14))
    work.case_answer(
        case=request,
        actor=world["worker_a"],
        text="Надсилаємо графік освітлення вулиць.",
        files=[png("plan.png")],
        now=at(D(2026, 12, 11)),
    )
    request.refresh_from_db()
    assert request.status == CaseStatus.ANSWERED and request.answered_at == at(D(2026, 12, 11))
    event = CaseEvent.objects.get(case=request, kind="answered")
    assert event.public and event.data["on_time"] is True
    assert ledger("appeals.case_answered")[0]["on_time"] is True
    assert told(resident, "appeals.answered") == 1
    assert Attachment.objects.get(case=request).public is True


def test_a_late_answer_is_recorded_as_late(hromada, world):
    request = make_case(hromada, kind=CaseKind.INFO, now=at(D(2026, 12, 7)), department=world["a"])
    work.case_answer(
        case=request, actor=world["worker_a"], text="Відповідь із запізненням.", now=at(D(2026, 12, 15))
    )
    assert ledger("appeals.case_answered")[0]["on_time"] is False


def test_answers_are_for_appeals_and_requests_resolution_for_reports(hromada, report, world):
    refused(
        "answer_not_for_reports",
        work.case_answer,
        case=report,
        actor=world["worker_a"],
        text="Відповідь довга",
    )
    appeal = make_case(hromada, kind=CaseKind.APPEAL, department=world["a"])
    refused(
        "resolve_only_reports", work.case_resolve, case=appeal, actor=world["worker_a"], text="Вирішено все"
    )
    refused("not_fixed_only_reports", work.case_not_fixed, case=appeal, actor=world["worker_a"], reason="Ні")
    refused("answer_required", work.case_answer, case=appeal, actor=world["worker_a"], text="Так")


def test_resolve_shows_the_public_answer_and_tells_everyone(hromada, report, world, resident):
    follower = verified_user()
    Subscription.objects.create(hromada=hromada, user=follower, case=report, joined=True)
    work.case_resolve(case=report, actor=world["worker_a"], text="Замінено лампу на LED.")
    report.refresh_from_db()
    assert report.status == CaseStatus.RESOLVED and report.answer == "Замінено лампу на LED."
    assert CaseEvent.objects.get(case=report, kind="resolved").public
    assert told(resident, "appeals.answered") == 1 and told(follower, "appeals.updated") == 1
    refused("case_not_open", work.case_resolve, case=report, actor=world["worker_a"], text="Ще раз вирішено")


def test_closed_not_fixed_is_not_resolved_and_needs_a_reason(report, world):
    refused("reason_required", work.case_not_fixed, case=report, actor=world["worker_a"], reason="")
    work.case_not_fixed(
        case=report, actor=world["worker_a"], reason="Опора належить обленерго, передали їм лист."
    )
    report.refresh_from_db()
    assert report.status == CaseStatus.NOT_FIXED and report.status != CaseStatus.RESOLVED
    assert report.close_reason.startswith("Опора") and report.answer == ""
    assert ledger("appeals.case_not_fixed") and not ledger("appeals.case_resolved")


def test_reject_is_a_routers_with_a_reason(report, world, resident):
    refused("route_forbidden", work.case_reject, case=report, actor=world["worker_a"], reason="Спам")
    refused("reason_required", work.case_reject, case=report, actor=world["router"], reason=" ")
    work.case_reject(case=report, actor=world["router"], reason="Повідомлення не містить проблеми.")
    assert report.status == CaseStatus.REJECTED and told(resident, "appeals.answered") == 1


# --- return and forward ---------------------------------------------------------------------


def _incomplete_appeal(hromada, world, resident, now):
    from hromada.appeals.services.cases import case_register

    case = make_case(
        hromada,
        kind=CaseKind.APPEAL,
        register=False,
        applicant=resident,
        applicant_address="",
        department=world["a"],
    )
    return case_register(case=case, actor=resident, now=now, strict=False)


def test_an_appeal_without_the_laws_fields_is_returned_within_ten_days(hromada, world, resident):
    case = _incomplete_appeal(hromada, world, resident, at(D(2026, 12, 2)))
    work.case_return(
        case=case, actor=world["worker_a"], now=at(D(2026, 12, 14))
    )  # the 10th day rolls to Monday
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED and "місце проживання" in case.close_reason
    event = CaseEvent.objects.get(case=case, kind="returned")
    assert event.public and event.data == {"on_time": True, "missing": ["applicant_address"], "in_time": True}
    assert told(resident, "appeals.returned") == 1
    assert ledger("appeals.case_returned")[0]["missing"] == ["applicant_address"]


def test_a_late_return_is_recorded_and_a_complete_appeal_cannot_be_returned(hromada, world, resident):
    late = _incomplete_appeal(hromada, world, resident, at(D(2026, 12, 2)))
    work.case_return(case=late, actor=world["worker_a"], reason="Не вказано адресу.", now=at(D(2026, 12, 15)))
    assert CaseEvent.objects.get(case=late, kind="returned").data["in_time"] is False
    complete = make_case(hromada, kind=CaseKind.APPEAL, department=world["a"])
    refused("case_complete", work.case_return, case=complete, actor=world["worker_a"])
    assert complete.status == CaseStatus.ASSIGNED


def test_forwarding_outside_the_councils_competence_notifies_and_records_the_term(hromada, world, resident):
    case = make_case(
        hromada, kind=CaseKind.APPEAL, applicant=resident, now=at(D(2026, 12, 7)), department=world["a"]
    )
    refused(
        "route_forbidden", work.case_forward, case=case, actor=world["worker_a"], to="ГУ ДСНС", reason="x"
    )
    refused(
        "forward_to_required", work.case_forward, case=case, actor=world["router"], to=" ", reason="Не наше"
    )
    refused("reason_required", work.case_forward, case=case, actor=world["router"], to="ГУ ДСНС", reason="")
    work.case_forward(
        case=case,
        actor=world["router"],
        to="Головне управління ДСНС в області",
        reason="Питання пожежної безпеки — повноваження ДСНС.",
        now=at(D(2026, 12, 14)),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.FORWARDED and case.forwarded_to == "Головне управління ДСНС в області"
    assert CaseEvent.objects.get(case=case, kind="forwarded").data["in_time"] is True
    assert told(resident, "appeals.forwarded") == 1
    late = make_case(hromada, kind=CaseKind.APPEAL, now=at(D(2026, 12, 7)), department=world["a"])
    work.case_forward(
        case=late, actor=world["router"], to="Держпраці", reason="Трудові спори.", now=at(D(2026, 12, 15))
    )
    assert ledger("appeals.case_forwarded")[1]["in_time"] is False


# --- extension ------------------------------------------------------------------------------


def test_an_appeal_is_extended_to_forty_five_days_with_a_recorded_notice(hromada, world, resident):
    case = make_case(
        hromada, kind=CaseKind.APPEAL, applicant=resident, now=at(D(2026, 12, 1)), department=world["a"]
    )
    case.reminded_at = case.escalated_at = at(D(2026, 12, 14))
    case.save()
    refused(
        "extend_forbidden", work.case_extend, case=case, actor=world["worker_a"], reason="Потрібен висновок"
    )
    refused("reason_required", work.case_extend, case=case, actor=world["router"], reason="")
    refused(
        "until_beyond_limit",
        work.case_extend,
        case=case,
        actor=world["router"],
        reason="Висновок",
        until=D(2027, 1, 18),
        now=at(D(2026, 12, 10)),
    )
    refused(
        "until_not_later",
        work.case_extend,
        case=case,
        actor=world["router"],
        reason="Висновок",
        until=D(2026, 12, 16),
        now=at(D(2026, 12, 10)),
    )
    work.case_extend(
        case=case, actor=world["router"], reason="Потрібен висновок експерта.", now=at(D(2026, 12, 10))
    )
    case.refresh_from_db()
    assert case.due_at == end_of_day(D(2027, 1, 15)) and case.first_due_at == end_of_day(D(2026, 12, 16))
    assert case.reminded_at is None and case.escalated_at is None
    event = CaseEvent.objects.get(case=case, kind="extended")
    assert event.public and event.text == "Потрібен висновок експерта."
    assert told(resident, "appeals.extended") == 1
    refused(
        "extension_at_maximum",
        work.case_extend,
        case=case,
        actor=world["router"],
        reason="Ще",
        now=at(D(2026, 12, 11)),
    )


def test_the_department_head_may_extend(hromada, world):
    world["a"].head = world["worker_a"]
    world["a"].save()
    case = make_case(hromada, kind=CaseKind.APPEAL, now=at(D(2026, 12, 1)), department=world["a"])
    work.case_extend(
        case=case,
        actor=world["worker_a"],
        reason="Додаткове вивчення.",
        until=D(2026, 12, 30),
        now=at(D(2026, 12, 2)),
    )
    assert case.due_at == end_of_day(D(2026, 12, 30))


def test_an_information_request_extends_once_to_twenty_working_days_and_never_when_urgent(hromada, world):
    received = at(D(2026, 12, 7))
    case = make_case(hromada, kind=CaseKind.INFO, now=received, department=world["a"])
    work.case_extend(
        case=case, actor=world["router"], reason="Великий обсяг інформації.", now=at(D(2026, 12, 9))
    )
    assert case.due_at == end_of_day(D(2027, 1, 4))
    refused(
        "extension_once",
        work.case_extend,
        case=case,
        actor=world["router"],
        reason="Ще",
        now=at(D(2026, 12, 10)),
    )
    late = make_case(hromada, kind=CaseKind.INFO, now=received, department=world["a"])
    refused(
        "deadline_passed",
        work.case_extend,
        case=late,
        actor=world["router"],
        reason="x",
        now=at(D(2026, 12, 15)),
    )
    urgent = make_case(hromada, kind=CaseKind.INFO, now=received, urgent=True, department=world["a"])
    refused(
        "extension_urgent", work.case_extend, case=urgent, actor=world["router"], reason="x", now=received
    )


def test_a_report_target_moves_to_a_given_later_moment(report, world):
    refused("until_required", work.case_extend, case=report, actor=world["router"], reason="Чекаємо деталь")
    later = report.due_at + dt.timedelta(days=3)
    work.case_extend(case=report, actor=world["router"], reason="Чекаємо деталь.", until=later)
    assert report.due_at == later


# --- merge ----------------------------------------------------------------------------------


def test_a_duplicate_is_merged_and_the_originals_updates_reach_its_reporter(hromada, report, world, resident):
    second_reporter = verified_user()
    follower = verified_user()
    duplicate = make_case(hromada, category=world["category"], applicant=second_reporter)
    Subscription.objects.create(hromada=hromada, user=follower, case=duplicate)
    work.case_merge(case=duplicate, actor=world["worker_a"], original=report)
    duplicate.refresh_from_db()
    assert duplicate.status == CaseStatus.DUPLICATE and duplicate.duplicate_of == report
    assert list(report.duplicates.all()) == [duplicate]
    assert set(Subscription.objects.filter(case=report).values_list("user_id", flat=True)) == {
        second_reporter.pk,
        follower.pk,
    }
    assert CaseEvent.objects.get(case=duplicate, kind="merged").public
    assert CaseEvent.objects.get(case=report, kind="merged").public is False
    assert ledger("appeals.case_merged")[0]["original"] == str(report.public_id)
    assert told(second_reporter, "appeals.updated") == 1
    work.case_resolve(case=report, actor=world["worker_a"], text="Ліхтар полагоджено.")
    assert told(second_reporter, "appeals.updated") == 2 and told(follower, "appeals.updated") == 1
    assert told(resident, "appeals.answered") == 1


def test_merge_refuses_nonsense(hromada, report, world, other_hromada):
    refused("merge_into_itself", work.case_merge, case=report, actor=world["router"], original=report)
    appeal = make_case(hromada, kind=CaseKind.APPEAL, department=world["a"])
    refused("merge_kind_mismatch", work.case_merge, case=report, actor=world["router"], original=appeal)
    first = make_case(hromada, category=world["category"])
    work.case_merge(case=first, actor=world["router"], original=report)
    another = make_case(hromada, category=world["category"])
    refused("merge_into_duplicate", work.case_merge, case=another, actor=world["router"], original=first)
    refused("case_not_open", work.case_merge, case=first, actor=world["router"], original=another)
    work.case_resolve(case=report, actor=world["router"], text="Відремонтовано.")
    refused("merge_original_closed", work.case_merge, case=another, actor=world["router"], original=report)
    foreign = make_case(other_hromada)
    refused("merge_not_found", work.case_merge, case=another, actor=world["router"], original=foreign)
    refused("case_forbidden", work.case_merge, case=another, actor=world["worker_b"], original=first)
