"""The clerk's tools: queues, assignment, notes, the answer workflow, corrections,
follow-up, signer lists, statistics, and defects 5, 8 and 9 of issue 9."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hromada.accounts.models import StaffRole
from hromada.accounts.tests.factories import (
    ACTORS,
    DepartmentFactory,
    StaffRoleFactory,
    role_actor,
    staff_user,
    verified_user,
)
from hromada.core.calendar import next_working_day
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification
from hromada.petitions import services, staff_selectors
from hromada.petitions.models import (
    Answer,
    AnswerDraft,
    Attachment,
    FollowUpStep,
    Petition,
    PetitionSettings,
    SignerListDownload,
    StaffNote,
    Status,
)
from hromada.petitions.tests.factories import PetitionFactory, collecting, head_of, route_to

pytestmark = pytest.mark.django_db

ANSWER = "Рада підтримує петицію; роботи виконає управління ЖКГ до кінця року."
REASON = "Потрібен висновок управління архітектури щодо земельної ділянки."


def considered(hromada, signers=2, **kwargs):
    petition = collecting(hromada=hromada, threshold=signers, **kwargs)
    people = [verified_user() for _ in range(signers)]
    for person in people:
        services.petition_sign(petition=petition, user=person)
    services.petition_reach_threshold(petition=petition)
    petition.refresh_from_db()
    return petition, people


def answered(hromada, officer, decision="supported"):
    petition, people = considered(hromada)
    route_to(petition, officer)
    draft = services.answer_draft_save(
        petition=petition, officer=officer, decision=decision, text=ANSWER, submit=True
    )
    services.answer_draft_approve(draft=draft, reviewer=head_of(officer))
    petition.refresh_from_db()
    return petition, people


def kinds(hromada):
    return list(LedgerEntry.objects.filter(hromada=hromada).order_by("id").values_list("kind", flat=True))


# --- defect 5: the refusal names what the refusing rule allows ----------------------------------


def test_a_jpeg_answer_document_is_refused_naming_only_pdf(client, hromada, officer):
    petition, _people = considered(hromada)
    route_to(petition, officer)
    client.force_login(officer)
    jpeg = SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg")
    response = client.post(
        f"/staff/petitions/consideration/{petition.public_id}/",
        {
            "action": "save_draft",
            "answer-decision": "supported",
            "answer-text": ANSWER,
            "answer-document": jpeg,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "недозволений тип. Дозволено: PDF." in page
    error = page[page.index("недозволений тип") :][:200]
    assert "JPEG" not in error
    assert not AnswerDraft.objects.exists()


def test_size_refusals_use_the_formatted_limit(hromada):
    from hromada.core.uploads import MB, check_upload

    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * MB + 700_000), "application/pdf")
    with pytest.raises(DomainError) as err:
        check_upload(big, allowed={"application/pdf"}, max_bytes=5 * MB, field="document")
    message = str(err.value.message)
    assert "дозволено до 5\u00a0МБ" in message  # "5 МБ", not "5.0 МБ" or "5 МБ" with a decimal point
    assert "5,7\u00a0МБ" in message


# --- defect 8: extensions within the law ------------------------------------------------------------


def test_an_extension_past_45_days_from_the_threshold_is_refused(hromada, officer):
    petition, _people = considered(hromada)
    route_to(petition, officer)
    reached = timezone.localdate(petition.threshold_reached_at)
    with pytest.raises(DomainError) as err:
        services.petition_extend_deadline(
            petition=petition, officer=officer, until=dt.date(2030, 1, 1), notice=REASON
        )
    assert err.value.code == "extension_too_long"
    limit = next_working_day(reached + dt.timedelta(days=45))  # a day off rolls to the next working day
    assert limit.strftime("%d.%m.%Y") in str(err.value.message)
    assert "не більше 45 календарних днів" in str(err.value.message)
    petition.refresh_from_db()
    assert petition.consideration_extended_until is None
    with pytest.raises(DomainError):
        services.petition_extend_deadline(
            petition=petition, officer=officer, until=limit + dt.timedelta(days=1), notice=REASON
        )
    services.petition_extend_deadline(petition=petition, officer=officer, until=limit, notice=REASON)
    petition.refresh_from_db()
    assert petition.deadline == limit


def test_the_statute_may_set_a_shorter_maximum_never_a_longer_one(hromada, officer):
    from django.db import IntegrityError, transaction

    PetitionSettings.objects.filter(hromada=hromada).update(extension_max_days=20)
    petition, _people = considered(hromada)
    route_to(petition, officer)
    reached = timezone.localdate(petition.threshold_reached_at)
    with pytest.raises(DomainError) as err:
        services.petition_extend_deadline(
            petition=petition,
            officer=officer,
            until=next_working_day(reached + dt.timedelta(days=20)) + dt.timedelta(days=1),
            notice=REASON,
        )
    assert err.value.code == "extension_too_long"
    with pytest.raises(IntegrityError), transaction.atomic():
        PetitionSettings.objects.filter(hromada=hromada).update(extension_max_days=46)


def test_an_extension_is_once_and_only_before_the_deadline(hromada, officer):
    petition, _people = considered(hromada)
    route_to(petition, officer)
    Petition.objects.filter(pk=petition.pk).update(
        consideration_due=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(DomainError) as err:
        services.petition_extend_deadline(
            petition=petition,
            officer=officer,
            until=timezone.localdate() + dt.timedelta(days=5),
            notice=REASON,
        )
    assert err.value.code == "extension_too_late"
    Petition.objects.filter(pk=petition.pk).update(
        consideration_due=timezone.localdate() + dt.timedelta(days=2)
    )
    services.petition_extend_deadline(
        petition=petition, officer=officer, until=timezone.localdate() + dt.timedelta(days=10), notice=REASON
    )
    with pytest.raises(DomainError) as err:
        services.petition_extend_deadline(
            petition=petition,
            officer=officer,
            until=timezone.localdate() + dt.timedelta(days=12),
            notice=REASON,
        )
    assert err.value.code == "extension_once"


def test_the_public_page_shows_the_extension_date_and_reason(client, hromada, officer):
    petition, _people = considered(hromada)
    route_to(petition, officer)
    until = petition.consideration_due + dt.timedelta(days=5)
    services.petition_extend_deadline(petition=petition, officer=officer, until=until, notice=REASON)
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    # One place: the timeline's entry has the new date and the reason together.
    entry = page[page.index('id="timeline-extension"') :].split("</li>")[0]
    petition.refresh_from_db()
    assert petition.consideration_extended_until.strftime("%d.%m.%Y") in entry
    assert REASON in entry
    assert page.count(REASON) == 1
    assert LedgerEntry.objects.filter(kind="petition.deadline_extended").get().payload["reason"] == REASON


# --- defect 9: attachments on the officer's pages ---------------------------------------------------


def _attach(petition):
    return Attachment.objects.create(
        hromada=petition.hromada,
        petition=petition,
        file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"),
        original_name="plan-dilyanky.pdf",
        content_type="application/pdf",
        size=13,
    )


def test_the_answer_and_moderation_pages_show_the_attachments(client, hromada, officer, moderator):
    petition, _people = considered(hromada)
    route_to(petition, officer)
    _attach(petition)
    client.force_login(officer)
    page = client.get(f"/staff/petitions/consideration/{petition.public_id}/").content.decode()
    assert "plan-dilyanky.pdf" in page
    waiting = PetitionFactory(hromada=hromada)
    _attach(waiting)
    client.force_login(moderator)
    assert (
        "plan-dilyanky.pdf"
        in client.get(f"/staff/petitions/moderation/{waiting.public_id}/").content.decode()
    )


# --- the staff home and the queues ------------------------------------------------------------------


def test_the_staff_home_shows_counts_and_what_is_overdue(client, hromada, hromada_admin):
    PetitionFactory(hromada=hromada)
    PetitionFactory(hromada=hromada, moderation_due=timezone.localdate() - dt.timedelta(days=3))
    client.force_login(hromada_admin)
    page = client.get("/staff/").content.decode()
    assert "Петиції на модерації" in page
    summary = {
        str(c.label): c.value for c in staff_selectors.staff_summary(hromada=hromada, user=hromada_admin)
    }
    assert summary["Петиції на модерації"] == 2
    assert summary["Прострочена модерація"] == 1
    assert "/staff/petitions/moderation/?overdue=1" in page
    late = Petition.objects.get(moderation_due__lt=timezone.localdate())
    assert f"/staff/petitions/moderation/{late.public_id}/" in page  # what is overdue, by name


def test_a_resident_gets_no_staff_figures(hromada, resident):
    assert staff_selectors.staff_summary(hromada=hromada, user=resident) == []


def test_queues_filter_by_category_department_assignee_overdue_and_search(
    client, hromada, hromada_admin, officer
):
    a, _ = considered(hromada, title="Ремонт даху школи №3")
    b, _ = considered(hromada, title="Освітлення парку Шевченка")
    route_to(a, officer)
    department = StaffRole.objects.get(user=officer).department
    Petition.objects.filter(pk=b.pk).update(consideration_due=timezone.localdate() - dt.timedelta(days=1))
    services.petition_assign(petitions=[b], actor=hromada_admin, officer=officer)
    client.force_login(hromada_admin)

    def numbers(query):
        page = client.get("/staff/petitions/consideration/?" + query)
        assert page.status_code == 200
        return {row["petition"].number for row in page.context["rows"]}

    assert numbers("") == {a.number, b.number}
    assert numbers(f"category={a.category.slug}") == {a.number}
    # a by its category's routing; b because its officer works in that department
    assert numbers(f"department={department.public_id}") == {a.number, b.number}
    assert numbers(f"department={DepartmentFactory(hromada=hromada).public_id}") == set()
    assert numbers(f"assignee={officer.public_id}") == {b.number}
    assert numbers("assignee=none") == {a.number}
    assert numbers("overdue=1") == {b.number}
    assert numbers("q=даху") == {a.number}
    assert numbers(f"q=№{b.number}") == {b.number}


def test_the_moderation_queue_lists_only_petitions_in_moderation(client, hromada, moderator):
    waiting = PetitionFactory(hromada=hromada, title="Чекає на модерацію")
    collecting(hromada=hromada, title="Вже збирає підписи")
    Petition.objects.filter(pk=PetitionFactory(hromada=hromada, title="Відхилена раніше").pk).update(
        status=Status.REJECTED, rejection_reason="duplicate"
    )
    client.force_login(moderator)
    page = client.get("/staff/petitions/moderation/")
    assert [r["petition"].pk for r in page.context["rows"]] == [waiting.pk]


def test_bulk_assign_asks_for_confirmation_then_assigns(client, hromada, hromada_admin, officer):
    a, _ = considered(hromada)
    b, _ = considered(hromada)
    client.force_login(hromada_admin)
    data = {
        "action": "assign",
        "ids": [str(a.public_id), str(b.public_id)],
        "bulk-officer": str(officer.public_id),
    }
    response = client.post("/staff/petitions/bulk/consideration/", data)
    assert response.status_code == 200
    assert "Так, призначити" in response.content.decode()
    assert not hasattr(Petition.objects.get(pk=a.pk), "assignment")
    response = client.post("/staff/petitions/bulk/consideration/", {**data, "confirm": "1"})
    assert response.status_code == 302
    assert {p.assignment.officer_id for p in Petition.objects.filter(pk__in=[a.pk, b.pk])} == {officer.pk}
    assert Notification.objects.filter(user=officer, kind="petition.assigned").count() == 1
    assert officer.pk in {
        r["officer"].pk
        for r in staff_selectors.queue_rows(
            staff_selectors.staff_queue(
                hromada=hromada,
                user=officer,
                queue="consideration",
                filters=staff_selectors.StaffFilters(assignee="me"),
            ),
            queue="consideration",
        )
    }


def test_an_officer_may_not_assign(client, hromada, officer):
    a, _ = considered(hromada)
    client.force_login(officer)
    data = {
        "action": "assign",
        "ids": [str(a.public_id)],
        "bulk-officer": str(officer.public_id),
        "confirm": "1",
    }
    client.post("/staff/petitions/bulk/consideration/", data)
    assert not Petition.objects.filter(pk=a.pk, assignment__isnull=False).exists()


def test_bulk_mark_as_read(client, hromada, moderator):
    p = PetitionFactory(hromada=hromada)
    client.force_login(moderator)
    assert client.get("/staff/petitions/moderation/?unread=1").context["rows"][0]["petition"] == p
    client.post("/staff/petitions/bulk/moderation/", {"action": "read", "ids": [str(p.public_id)]})
    assert client.get("/staff/petitions/moderation/?unread=1").context["rows"] == []


def test_reject_asks_for_confirmation_and_says_what_happens(client, hromada, moderator):
    p = PetitionFactory(hromada=hromada)
    client.force_login(moderator)
    url = f"/staff/petitions/moderation/{p.public_id}/"
    response = client.post(url, {"action": "reject", "reason": "duplicate"})
    assert response.status_code == 200
    assert "скасувати його не можна" in response.content.decode()
    p.refresh_from_db()
    assert p.status == Status.MODERATION
    client.post(url, {"action": "reject", "reason": "duplicate", "confirm": "1"})
    p.refresh_from_db()
    assert p.status == Status.REJECTED


# --- assignment and scope -------------------------------------------------------------------------------


def test_assignment_decides_who_may_answer(hromada, hromada_admin):
    petition, _ = considered(hromada)
    officer, other = staff_user(hromada, "officer"), staff_user(hromada, "officer")
    from hromada.petitions import rules

    assert not rules.can_answer(officer, petition)
    services.petition_assign(petitions=[petition], actor=hromada_admin, officer=officer)
    petition = Petition.objects.get(pk=petition.pk)
    assert rules.can_answer(officer, petition) and not rules.can_answer(other, petition)
    with pytest.raises(DomainError) as err:
        services.petition_assign(petitions=[petition], actor=officer, officer=other)
    assert err.value.status == 403
    wrong = DepartmentFactory(hromada=hromada)
    with pytest.raises(DomainError) as err:
        services.petition_assign(petitions=[petition], actor=hromada_admin, department=wrong, officer=officer)
    assert err.value.code == "officer_not_in_department"


def test_the_admin_routes_a_category_to_a_department(client, hromada, hromada_admin, officer):
    petition, _ = considered(hromada)
    department = StaffRole.objects.get(user=officer).department
    client.force_login(hromada_admin)
    response = client.post(
        "/staff/petitions/categories/",
        {
            "category": petition.category.slug,
            f"c{petition.category.pk}-department": str(department.public_id),
        },
    )
    assert response.status_code == 302
    from hromada.petitions import rules

    assert rules.can_answer(officer, Petition.objects.get(pk=petition.pk))
    client.force_login(officer)
    client.post(
        "/staff/petitions/categories/",
        {"category": petition.category.slug, f"c{petition.category.pk}-department": ""},
    )
    assert rules.can_answer(officer, Petition.objects.get(pk=petition.pk))  # an officer cannot change it


# --- notes ----------------------------------------------------------------------------------------------


def test_notes_are_for_staff_only(client, hromada, officer, other_hromada):
    petition, _ = considered(hromada)
    route_to(petition, officer)
    client.force_login(officer)
    client.post(f"/staff/petitions/notes/{petition.public_id}/", {"text": "Секретна службова примітка"})
    assert StaffNote.objects.get().text == "Секретна службова примітка"
    assert (
        "Секретна службова"
        in client.get(f"/staff/petitions/consideration/{petition.public_id}/").content.decode()
    )
    client.logout()
    assert "Секретна службова" not in client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "Секретна службова" not in client.get(f"/api/v1/petitions/{petition.public_id}").content.decode()
    client.force_login(staff_user(other_hromada, "officer"))
    client.post(f"/staff/petitions/notes/{petition.public_id}/", {"text": "Чужа нотатка"})
    assert StaffNote.objects.count() == 1


def test_deleting_a_note_asks_first(client, hromada, officer):
    petition, _ = considered(hromada)
    note = services.staff_note_add(petition=petition, author=officer, text="Видалити потім")
    client.force_login(officer)
    url = f"/staff/petitions/notes/{petition.public_id}/"
    response = client.post(url, {"action": "delete_note", "note": note.pk})
    assert "видалено назавжди" in response.content.decode()
    assert StaffNote.objects.exists()
    client.post(url, {"action": "delete_note", "note": note.pk, "confirm": "1"})
    assert not StaffNote.objects.exists()


# --- the answer workflow ---------------------------------------------------------------------------------


def test_a_draft_needs_the_heads_approval_and_shows_who_answered(client, hromada, officer):
    StaffRole.objects.filter(user=officer).update(position="головний спеціаліст")
    petition, people = considered(hromada)
    route_to(petition, officer)
    head = head_of(officer)
    draft = services.answer_draft_save(
        petition=petition, officer=officer, decision="supported", text=ANSWER, submit=True
    )
    petition.refresh_from_db()
    assert petition.status == Status.CONSIDERATION and not Answer.objects.exists()
    with pytest.raises(DomainError) as err:
        services.answer_draft_approve(draft=draft, reviewer=officer)
    assert err.value.status == 403
    assert Notification.objects.filter(user=head, kind="petition.answer_for_approval").exists()
    services.answer_draft_return(draft=draft, reviewer=head, comment="Додайте строк виконання.")
    assert Notification.objects.filter(user=officer, kind="petition.answer_returned").exists()
    draft = services.answer_draft_save(
        petition=petition, officer=officer, decision="supported", text=ANSWER + " До 1 жовтня.", submit=True
    )
    services.answer_draft_approve(draft=draft, reviewer=head)
    answer = Answer.objects.get(petition=petition)
    department = StaffRole.objects.get(user=officer).department
    assert (answer.officer_position, answer.department_name, answer.approved_by) == (
        "головний спеціаліст",
        department.name,
        head,
    )
    assert kinds(hromada)[-1] == "petition.answered"
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "головний спеціаліст" in page and department.name in page
    assert {n.user_id for n in Notification.objects.filter(kind="petition.answered")} >= {
        p.pk for p in people
    }


def test_a_head_of_another_department_may_not_approve(hromada, officer):
    petition, _ = considered(hromada)
    route_to(petition, officer)
    draft = services.answer_draft_save(
        petition=petition, officer=officer, decision="supported", text=ANSWER, submit=True
    )
    stranger = StaffRoleFactory(hromada=hromada, role="officer", is_head=True).user
    with pytest.raises(DomainError) as err:
        services.answer_draft_approve(draft=draft, reviewer=stranger)
    assert err.value.status == 403
    assert AnswerDraft.objects.get(pk=draft.pk).status == "submitted"


def test_withdrawing_a_draft_asks_first(client, hromada, officer):
    petition, _ = considered(hromada)
    route_to(petition, officer)
    services.answer_draft_save(petition=petition, officer=officer, decision="supported", text=ANSWER)
    client.force_login(officer)
    url = f"/staff/petitions/consideration/{petition.public_id}/"
    assert "Так, відкликати проєкт" in client.post(url, {"action": "withdraw_draft"}).content.decode()
    assert AnswerDraft.objects.get().status == "draft"
    client.post(url, {"action": "withdraw_draft", "confirm": "1"})
    assert AnswerDraft.objects.get().status == "withdrawn"


def test_a_correction_keeps_the_original_and_is_shown_with_date_and_reason(client, hromada, officer):
    petition, _ = answered(hromada, officer)
    answer = petition.answer
    with pytest.raises(DomainError) as err:
        services.answer_correct(
            answer=answer, actor=officer, text=ANSWER + " Виправлено.", reason="Уточнено строк."
        )
    assert err.value.status == 403
    services.answer_correct(
        answer=answer,
        actor=head_of(officer),
        text=ANSWER.replace("кінця року", "1 жовтня"),
        reason="Уточнено строк робіт.",
    )
    answer.refresh_from_db()
    assert answer.text == ANSWER  # the original stays
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert ANSWER in page and "1 жовтня" in page and "Уточнено строк робіт." in page
    assert f"Виправлення від {timezone.localdate().strftime('%d.%m.%Y')}" in page
    assert kinds(hromada)[-1] == "petition.answer_corrected"


# --- follow-up ---------------------------------------------------------------------------------------------


def test_follow_up_is_published_told_and_flagged_when_overdue(client, hromada, officer):
    petition, people = answered(hromada, officer)
    step = services.followup_step_add(
        petition=petition,
        actor=officer,
        title="Підготувати кошторис",
        due_date=timezone.localdate() + dt.timedelta(days=3),
    )
    services.followup_publish(
        petition=petition, actor=officer, text="Кошторис на погодженні у фінансовому управлінні.", step=step
    )
    page = client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert "Підготувати кошторис" in page and "Кошторис на погодженні" in page
    assert {n.user_id for n in Notification.objects.filter(kind="petition.followup_published")} >= {
        p.pk for p in people
    }
    assert kinds(hromada)[-1] == "petition.followup_published"
    FollowUpStep.objects.filter(pk=step.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    assert services.petitions_tick()["followup_overdue"] == 1
    assert services.petitions_tick()["followup_overdue"] == 0
    assert Notification.objects.filter(user=officer, kind="petition.followup_overdue").count() == 1
    summary = {str(c.label): c.value for c in staff_selectors.staff_summary(hromada=hromada, user=officer)}
    assert summary["Прострочені кроки виконання"] == 1
    client.force_login(officer)
    rows = client.get("/staff/petitions/followup/?overdue=1").context["rows"]
    assert [r["petition"].pk for r in rows] == [petition.pk]


def test_no_follow_up_after_a_not_supported_answer(hromada, officer):
    petition, _ = answered(hromada, officer, decision="not_supported")
    with pytest.raises(DomainError) as err:
        services.followup_step_add(
            petition=petition, actor=officer, title="Щось зробити", due_date=timezone.localdate()
        )
    assert err.value.code == "followup_not_supported"


# --- signer list, statistics ---------------------------------------------------------------------------------


def test_the_signer_list_pdf_and_csv_are_guarded_and_audited(client, hromada, officer, moderator):
    petition, people = considered(hromada)
    route_to(petition, officer)
    client.force_login(moderator)
    assert client.get(f"/staff/petitions/consideration/{petition.public_id}/signers.pdf").status_code == 403
    assert not SignerListDownload.objects.exists()
    client.force_login(officer)
    response = client.get(f"/staff/petitions/consideration/{petition.public_id}/signers.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-")
    csv = b"".join(
        client.get(f"/staff/petitions/consideration/{petition.public_id}/signers.csv").streaming_content
    ).decode()
    first = petition.signatures.order_by("created_at").first()
    assert first.signer_name in csv
    assert list(SignerListDownload.objects.values_list("user_id", "format")) == [
        (officer.pk, "csv"),
        (officer.pk, "pdf"),
    ]


def test_statistics_over_time_and_their_csv(client, hromada, officer, hromada_admin):
    answered(hromada, officer)
    PetitionFactory(hromada=hromada)
    data = staff_selectors.petition_stats_over_time(hromada=hromada)
    month = timezone.localtime(timezone.now()).strftime("%Y-%m")
    assert data["months"][0]["value"] == month and data["months"][0]["submitted"] == 2
    assert data["months"][0]["answered_on_time"] == 1
    department = StaffRole.objects.get(user=officer).department.name
    assert any(r["value"] == department and r["answered"] == 1 for r in data["departments"])
    client.force_login(hromada_admin)
    csv = b"".join(client.get("/staff/petitions/stats.csv").streaming_content).decode()
    assert csv.splitlines()[0].lstrip("\ufeff") == ",".join(staff_selectors.STATS_FIELDS)
    assert f"month,{month},2" in csv
    assert "Вчасно" in client.get("/staff/petitions/stats/").content.decode()


# --- every role against the clerk's actions ---------------------------------------------------------

MAY_ASSIGN = {"admin"}
MAY_APPROVE = {"admin"}  # and heads of the answering department (tested above)
MAY_DOWNLOAD = {"admin", "officer"}
MAY_NOTE = {"admin", "moderator", "officer"}


@pytest.mark.parametrize("role", ACTORS)
def test_the_clerks_actions_for_every_role(role, hromada, other_hromada):
    from hromada.petitions import rules

    user = role_actor(role, hromada, other_hromada)
    petition, _ = considered(hromada)
    helper = staff_user(hromada, "officer")
    before = (StaffNote.objects.count(), SignerListDownload.objects.count(), LedgerEntry.objects.count())
    assert rules.can_assign(user, hromada) == (role in MAY_ASSIGN)
    assert rules.can_approve(user, petition) == (role in MAY_APPROVE)
    assert rules.can_download_signers(user, petition) == (role in MAY_DOWNLOAD)
    assert rules.can_note(user, petition) == (role in MAY_NOTE)
    calls = {
        "assign": (
            MAY_ASSIGN,
            lambda: services.petition_assign(petitions=[petition], actor=user, officer=helper),
        ),
        "note": (
            MAY_NOTE,
            lambda: services.staff_note_add(petition=petition, author=user, text="Службова примітка"),
        ),
        "download": (
            MAY_DOWNLOAD,
            lambda: services.signer_list_download_record(petition=petition, user=user, format="pdf"),
        ),
    }
    for _name, (allowed, call) in calls.items():
        if role in allowed:
            call()
        else:
            with pytest.raises(DomainError) as err:
                call()
            assert err.value.status == 403
    if not ({role} & (MAY_ASSIGN | MAY_NOTE | MAY_DOWNLOAD)):
        assert (
            StaffNote.objects.count(),
            SignerListDownload.objects.count(),
            LedgerEntry.objects.count(),
        ) == before


def test_the_admin_grants_a_heads_role_with_a_position(client, hromada, hromada_admin):
    from hromada.accounts.tests.factories import UserFactory

    person = UserFactory(email="head@example.test")
    department = DepartmentFactory(hromada=hromada)
    client.force_login(hromada_admin)
    response = client.post(
        "/staff/roles/",
        {
            "email": person.email,
            "role": "officer",
            "department": str(department.public_id),
            "position": "начальник управління",
            "is_head": "on",
        },
    )
    assert response.status_code == 302
    role = StaffRole.objects.get(user=person)
    assert (role.position, role.is_head, role.department) == ("начальник управління", True, department)


def test_the_demo_has_the_clerks_casework():
    from django.core.management import call_command

    from hromada.petitions.models import AnswerCorrection, Assignment
    from hromada.tenancy.models import Hromada

    call_command("demo_seed", verbosity=0)
    hromada = Hromada.objects.get(slug="demo")
    assert Assignment.objects.filter(hromada=hromada).exists()
    assert StaffNote.objects.filter(hromada=hromada).count() >= 2
    assert AnswerDraft.objects.filter(hromada=hromada, status="submitted").exists()
    assert AnswerCorrection.objects.filter(hromada=hromada).exists()
    steps = FollowUpStep.objects.filter(hromada=hromada)
    overdue = steps.filter(done_at__isnull=True, due_date__lt=timezone.localdate())
    assert steps.count() == 3 and overdue.count() == 1
    answer = Answer.objects.filter(hromada=hromada).first()
    assert answer is not None
    assert answer.officer_position == "головний спеціаліст" and answer.department_name


def test_a_late_answer_is_flagged_once_to_admins_and_the_assignee(hromada, hromada_admin, officer):
    petition, _ = considered(hromada)
    services.petition_assign(petitions=[petition], actor=hromada_admin, officer=officer)
    assert services.petitions_tick()["consideration_overdue"] == 0
    Petition.objects.filter(pk=petition.pk).update(
        consideration_due=timezone.localdate() - dt.timedelta(days=1)
    )
    assert services.petitions_tick()["consideration_overdue"] == 1
    assert services.petitions_tick()["consideration_overdue"] == 0
    told = set(
        Notification.objects.filter(kind="petition.consideration_overdue").values_list("user_id", flat=True)
    )
    assert told == {hromada_admin.pk, officer.pk}


def test_the_all_petitions_queue_filters_by_status(client, hromada, hromada_admin):
    waiting = PetitionFactory(hromada=hromada)
    running = collecting(hromada=hromada)
    rejected = PetitionFactory(hromada=hromada)
    Petition.objects.filter(pk=rejected.pk).update(status=Status.REJECTED, rejection_reason="duplicate")
    client.force_login(hromada_admin)

    def listed(query=""):
        return {r["petition"].pk for r in client.get("/staff/petitions/all/?" + query).context["rows"]}

    assert listed() == {waiting.pk, running.pk, rejected.pk}
    assert listed("status=collecting") == {running.pk}
    assert listed("status=moderation") == {waiting.pk}


def test_a_draft_answer_is_never_public(client, hromada, officer):
    petition, _ = considered(hromada)
    route_to(petition, officer)
    secret = "Проєкт: підтримати, але без коштів цього року (не для оприлюднення)."
    services.answer_draft_save(
        petition=petition, officer=officer, decision="partially", text=secret, submit=True
    )
    assert secret not in client.get(f"/petitions/{petition.public_id}/").content.decode()
    assert secret not in client.get(f"/api/v1/petitions/{petition.public_id}").content.decode()
