"""The clerk's journey in Chromium: the staff home's figures, a filtered queue, assignment,
a note, a draft answer approved by the head of the department, a correction, follow-up,
and the signer list PDF; axe-core on every page at 390 and 1280 px."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from e2e.conftest import axe_serious, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Відремонтувати дах спортзалу ліцею №4"
ANSWER = "Виконавчий комітет підтримує петицію: дах відремонтують улітку за кошти програми розвитку освіти."


@pytest.fixture
def world(db):
    from hromada.accounts.models import StaffRole
    from hromada.accounts.tests.factories import (
        DepartmentFactory,
        StaffRoleFactory,
        staff_user,
        verified_user,
    )
    from hromada.petitions import services
    from hromada.petitions.models import Attachment
    from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "127.0.0.1"], name="Тестова міська громада")
    education = CategoryFactory(hromada=hromada, slug="osvita", name="Освіта")
    roads = CategoryFactory(hromada=hromada, slug="transport", name="Транспорт і дороги")
    department = DepartmentFactory(hromada=hromada, name="Управління освіти")
    officer = StaffRoleFactory(
        hromada=hromada, role="officer", department=department, position="головний спеціаліст"
    ).user
    head = StaffRoleFactory(
        hromada=hromada, role="officer", department=department, is_head=True, position="начальник управління"
    ).user
    admin = staff_user(hromada, "admin")
    signers = [verified_user() for _ in range(3)]
    petition = collecting(hromada=hromada, title=TITLE, category=education, threshold=3)
    other = collecting(hromada=hromada, title="Нова зупинка біля лікарні", category=roads, threshold=1)
    for person in signers:
        services.petition_sign(petition=petition, user=person)
    services.petition_sign(petition=other, user=signers[0])
    for p in (petition, other):
        services.petition_reach_threshold(petition=p)
    Attachment.objects.create(
        hromada=hromada,
        petition=petition,
        file=SimpleUploadedFile("dakh.pdf", b"%PDF-1.4 roof"),
        original_name="foto-dakhu.pdf",
        content_type="application/pdf",
        size=14,
    )
    PetitionFactory(hromada=hromada, moderation_due=timezone.localdate() - dt.timedelta(days=2))
    assert StaffRole.objects.filter(user=head, is_head=True).exists()
    return {"hromada": hromada, "petition": petition, "officer": officer, "head": head, "admin": admin}


def check(page, name):
    """Screenshots at both widths and axe-core at each: no serious or critical violation."""
    for width, height in ((390, 844), (1280, 900)):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, f"clerk-{name}-{width}")
        violations = axe_serious(page)
        assert violations == [], f"{name} at {width}px: {violations}"


def test_the_clerks_journey(new_page, world):
    from hromada.petitions.models import Answer, AnswerCorrection, FollowUpStep, SignerListDownload, StaffNote

    petition = world["petition"]
    case = f"/staff/petitions/consideration/{petition.public_id}/"

    # The administrator: the staff home's figures, then a filtered queue and assignment.
    admin = new_page(width=1280, height=900)
    login(admin, world["admin"].email)
    admin.goto("/staff/")
    assert admin.get_by_role("link", name=re.compile("Прострочена модерація")).count() == 1
    assert "Петиції на розгляді" in admin.content()
    check(admin, "01-staff-home")
    admin.goto("/staff/petitions/consideration/")
    admin.get_by_text("Пошук і фільтри").click()
    admin.get_by_label("Категорія").select_option("osvita")
    admin.get_by_role("button", name="Показати").click()
    admin.wait_for_load_state()
    assert TITLE in admin.content() and "Нова зупинка" not in admin.content()
    check(admin, "02-queue-filtered")
    admin.get_by_role("link", name=TITLE).click()
    admin.get_by_label("Посадова особа").select_option(str(world["officer"].public_id))
    admin.get_by_role("button", name="Призначити", exact=True).click()
    admin.wait_for_load_state()
    petition.refresh_from_db()
    assert petition.assignment.officer == world["officer"]

    # The officer: the attachments, an internal note, a draft answer sent for approval.
    officer = new_page()
    login(officer, world["officer"].email)
    officer.goto(case)
    assert "foto-dakhu.pdf" in officer.content()
    officer.get_by_label("Внутрішня нотатка").fill("Кошторис запитано в управлінні капбуду.")
    officer.get_by_role("button", name="Додати нотатку").click()
    officer.wait_for_load_state()
    assert StaffNote.objects.filter(petition=petition).count() == 1
    officer.get_by_label("Підтримано", exact=True).check()
    officer.get_by_label("Текст відповіді").fill(ANSWER)
    officer.get_by_role("button", name="Надіслати на затвердження").click()
    officer.wait_for_load_state()
    assert "На затвердженні" in officer.content()
    check(officer, "03-case-draft-submitted")

    # The head of the department approves; the answer is published.
    head = new_page()
    login(head, world["head"].email)
    head.goto("/staff/petitions/approval/")
    check(head, "04-approval-queue")
    head.get_by_role("link", name=TITLE).click()
    head.get_by_role("button", name="Затвердити й оприлюднити").click()
    head.wait_for_load_state()
    answer = Answer.objects.get(petition=petition)
    assert (answer.officer_position, answer.department_name) == ("головний спеціаліст", "Управління освіти")

    # ...and corrects it; the original stays.
    head.get_by_text("Виправити відповідь").click()
    head.get_by_label("Виправлений текст відповіді").fill(ANSWER.replace("улітку", "до 1 вересня"))
    head.get_by_label("Що і чому виправлено (буде оприлюднено)").fill(
        "Уточнено строк робіт за рішенням сесії."
    )
    head.get_by_role("button", name="Оприлюднити виправлення").click()
    head.wait_for_load_state()
    assert AnswerCorrection.objects.filter(answer=answer).count() == 1

    # The officer records the promised steps and reports; then downloads the signer list.
    officer.goto(case)
    officer.get_by_label("Крок, який обіцяно").fill("Підготувати проєктно-кошторисну документацію")
    officer.locator("#id_step-due_date").fill((timezone.localdate() + dt.timedelta(days=30)).isoformat())
    officer.get_by_role("button", name="Додати крок").click()
    officer.wait_for_load_state()
    assert FollowUpStep.objects.filter(petition=petition).count() == 1
    officer.get_by_label("Що зроблено").fill("Технічне завдання на проєктування передано підряднику.")
    officer.get_by_role("button", name="Оприлюднити звіт").click()
    officer.wait_for_load_state()
    check(officer, "05-case-followup")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="Список підписантів (PDF)").click()
    assert download.value.suggested_filename == f"petition-{petition.number}-signers.pdf"
    with open(download.value.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"
    assert SignerListDownload.objects.filter(user=world["officer"], format="pdf").count() == 1

    # The public page: who answered, the correction with its reason, the follow-up.
    public = new_page()
    public.goto(f"/petitions/{petition.public_id}/")
    content = public.content()
    assert "головний спеціаліст" in content and "Управління освіти" in content
    assert "Уточнено строк робіт" in content and "до 1 вересня" in content
    assert "Технічне завдання на проєктування" in content
    assert "Кошторис запитано" not in content  # the note is internal
    check(public, "06-public-answer")

    # The other queues and moderation, with its confirmation step before rejecting.
    admin.goto("/staff/petitions/followup/?overdue=1")
    check(admin, "09-followup-queue")
    admin.goto("/staff/petitions/all/?status=answered")
    assert TITLE in admin.content()
    check(admin, "09b-all-petitions")
    admin.goto("/staff/petitions/moderation/")
    check(admin, "10-moderation-queue")
    admin.locator("table a").first.click()
    check(admin, "11-moderate")
    admin.get_by_label("Дублює петицію, що вже збирає підписи").check()
    admin.get_by_role("button", name="Відхилити петицію…").click()
    admin.wait_for_load_state()
    assert "скасувати його не можна" in admin.content()
    check(admin, "12-confirm-reject")
    admin.get_by_role("link", name="Скасувати").click()

    # Statistics and the category routing page.
    admin.goto("/staff/petitions/stats/")
    check(admin, "07-stats")
    admin.goto("/staff/petitions/categories/")
    check(admin, "08-categories")
