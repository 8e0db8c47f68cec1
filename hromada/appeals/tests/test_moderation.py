"""Moderation of problem reports' text and photos: show, hide (with a reason), redact
personal data (the original kept for staff), the ledger entries without texts, the role
matrix, another hromada's reports, and the queue and its pages through HTTP."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from hromada.accounts.tests.factories import role_matrix
from hromada.appeals import moderation_selectors as msel
from hromada.appeals import selectors
from hromada.appeals.models import Attachment, CaseEvent, CaseKind, EventKind, Moderation
from hromada.appeals.services import moderation as mod
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .factories import make_case

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def photo(case, *, public=True, moderation=Moderation.PENDING):
    return Attachment.objects.create(
        hromada=case.hromada,
        case=case,
        file=ContentFile(PNG, name="lamp.png"),
        original_name="lamp.png",
        content_type="image/png",
        size=len(PNG),
        sha256=hashlib.sha256(PNG).hexdigest(),
        public=public,
        moderation=moderation,
    )


def entries(hromada):
    return list(
        LedgerEntry.objects.filter(hromada=hromada, kind="appeals.moderated")
        .order_by("id")
        .values_list("payload", flat=True)
    )


def test_show_text_and_photos_puts_the_report_on_the_public_side(hromada, moderator):
    case = make_case(hromada, text="Ліхтар біля школи не світить. Дзвоніть 0671234567.")
    first, second = photo(case), photo(case)
    assert list(selectors.public_reports(hromada=hromada)) == []
    assert list(msel.moderation_queue(hromada=hromada)) == [case]
    mod.case_moderate(case=case, actor=moderator, decision="shown", photos=True)
    case.refresh_from_db()
    assert case.moderation == Moderation.SHOWN
    assert set(Attachment.objects.values_list("moderation", flat=True)) == {Moderation.SHOWN}
    assert list(selectors.public_reports(hromada=hromada)) == [case]
    assert list(msel.moderation_queue(hromada=hromada)) == []
    [entry] = entries(hromada)
    assert entry["target"] == "text" and entry["decision"] == "shown" and entry["before"] == "pending"
    assert sorted(entry["photos"]) == sorted([first.pk, second.pk])
    assert entry["text_sha256"] == hashlib.sha256(f"{case.title}\n{case.text}".encode()).hexdigest()
    assert "0671234567" not in str(entry) and "Ліхтар" not in str(entry)
    event = CaseEvent.objects.get(case=case, kind=EventKind.MODERATED)
    assert not event.public


def test_hiding_needs_a_reason_and_keeps_the_case_for_staff(hromada, moderator, resident):
    case = make_case(hromada, applicant=resident)
    status, department, due = case.status, case.department_id, case.due_at
    with pytest.raises(DomainError) as exc:
        mod.case_moderate(case=case, actor=moderator, decision="hidden", reason="  ")
    assert exc.value.code == "reason_required" and exc.value.field == "reason"
    mod.case_moderate(case=case, actor=moderator, decision="hidden", reason="Образливі висловлювання")
    case.refresh_from_db()
    assert case.moderation == Moderation.HIDDEN
    assert (case.status, case.department_id, case.due_at) == (status, department, due)
    assert list(selectors.public_reports(hromada=hromada)) == []
    [entry] = entries(hromada)
    assert entry["reason_sha256"] == hashlib.sha256("Образливі висловлювання".encode()).hexdigest()
    assert "Образливі" not in str(entry)
    # The reporter is told, with the reason.
    note = Notification.objects.filter(user=resident, kind="appeals.updated").last()
    assert note is not None and "Образливі" in str(note.body)
    # Hiding twice is refused; showing it again is allowed.
    with pytest.raises(DomainError) as exc:
        mod.case_moderate(case=case, actor=moderator, decision="hidden", reason="Ще раз")
    assert exc.value.code == "already"
    mod.case_moderate(case=case, actor=moderator, decision="shown")
    case.refresh_from_db()
    assert case.moderation == Moderation.SHOWN


def test_each_photo_on_its_own(hromada, moderator):
    case = make_case(hromada)
    face, lamp = photo(case), photo(case)
    with pytest.raises(DomainError) as exc:
        mod.attachment_moderate(attachment=face, actor=moderator, decision="hidden")
    assert exc.value.code == "reason_required"
    mod.attachment_moderate(attachment=face, actor=moderator, decision="hidden", reason="Видно обличчя")
    mod.attachment_moderate(attachment=lamp, actor=moderator, decision="shown")
    face.refresh_from_db()
    lamp.refresh_from_db()
    assert (face.moderation, lamp.moderation) == (Moderation.HIDDEN, Moderation.SHOWN)
    # The text is still pending: the report stays in the queue.
    assert list(msel.moderation_queue(hromada=hromada)) == [case]
    assert [(e["target"], e["attachment"], e["decision"]) for e in entries(hromada)] == [
        ("photo", face.pk, "hidden"),
        ("photo", lamp.pk, "shown"),
    ]
    assert entries(hromada)[0]["file_sha256"] == face.sha256
    staff_doc = photo(case, public=False)
    with pytest.raises(DomainError) as exc:
        mod.attachment_moderate(attachment=staff_doc, actor=moderator, decision="shown")
    assert exc.value.code == "not_public_photo"


def test_a_pending_photo_of_a_shown_report_is_in_the_queue(hromada, moderator):
    case = make_case(hromada)
    mod.case_moderate(case=case, actor=moderator, decision="shown")
    assert list(msel.moderation_queue(hromada=hromada)) == []
    photo(case)
    assert list(msel.moderation_queue(hromada=hromada)) == [case]


def test_redact_keeps_the_original_for_staff(hromada, moderator):
    case = make_case(hromada, title="Яма біля буд. Петренка", text="Яма. Мій телефон 0671234567.")
    with pytest.raises(DomainError) as exc:
        mod.case_redact(case=case, actor=moderator, title=case.title, text="")
    assert exc.value.errors[0].code == "text_required"
    with pytest.raises(DomainError) as exc:
        mod.case_redact(case=case, actor=moderator, title=case.title, text=case.text)
    assert exc.value.code == "nothing_changed"
    mod.case_redact(
        case=case, actor=moderator, title="Яма біля будинку", text="Яма.", reason="прибрано телефон"
    )
    case.refresh_from_db()
    assert (case.title, case.text) == ("Яма біля будинку", "Яма.")
    [kept] = msel.redactions(case=case)
    assert not kept.public and kept.text == "Яма. Мій телефон 0671234567."
    assert kept.data["original_title"] == "Яма біля буд. Петренка"
    [entry] = entries(hromada)
    assert entry["target"] == "redacted"
    assert (
        entry["before_sha256"]
        == hashlib.sha256("Яма біля буд. Петренка\nЯма. Мій телефон 0671234567.".encode()).hexdigest()
    )
    assert "0671234567" not in str(entry) and "Петренка" not in str(entry)
    # The public side never shows internal events.
    assert not CaseEvent.objects.filter(case=case, public=True, kind=EventKind.MODERATED).exists()


def test_only_reports_and_not_drafts(hromada, moderator):
    appeal = make_case(hromada, kind=CaseKind.APPEAL)
    with pytest.raises(DomainError) as exc:
        mod.case_moderate(case=appeal, actor=moderator, decision="shown")
    assert exc.value.code == "not_report"
    draft = make_case(hromada, register=False)
    with pytest.raises(DomainError) as exc:
        mod.case_moderate(case=draft, actor=moderator, decision="shown")
    assert exc.value.code == "case_draft"
    with pytest.raises(DomainError) as exc:
        mod.case_moderate(case=make_case(hromada), actor=moderator, decision="maybe")
    assert exc.value.code == "decision_invalid"


def test_area_subscribers_told_when_shown(hromada, moderator, monkeypatch):
    """When the public part's follows service is present it is called once, on showing."""
    import sys
    import types

    calls = []
    fake = types.ModuleType("hromada.appeals.services.follows")
    fake.area_subscribers_notify = calls.append  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "hromada.appeals.services.follows", fake)
    case = make_case(hromada)
    mod.case_moderate(case=case, actor=moderator, decision="hidden", reason="Перевіримо")
    assert calls == []
    mod.case_moderate(case=case, actor=moderator, decision="shown")
    assert [c.pk for c in calls] == [case.pk]


def test_role_matrix_moderator_and_admin_moderate(hromada, other_hromada):
    actors = role_matrix(hromada, other_hromada)
    for name, user in actors.items():
        case = make_case(hromada)
        attachment = photo(case)
        if name in ("admin", "moderator"):
            mod.case_moderate(case=case, actor=user, decision="shown")
            mod.attachment_moderate(attachment=attachment, actor=user, decision="hidden", reason="Обличчя")
            mod.case_redact(case=case, actor=user, title="Інше", text="Інший текст")
            continue
        for attempt in (
            lambda c=case, u=user: mod.case_moderate(case=c, actor=u, decision="shown"),
            lambda a=attachment, u=user: mod.attachment_moderate(attachment=a, actor=u, decision="shown"),
            lambda c=case, u=user: mod.case_redact(case=c, actor=u, title="Інше", text="Інший"),
        ):
            with pytest.raises(PermissionDenied):
                attempt()
        case.refresh_from_db()
        assert case.moderation == Moderation.PENDING, name
    assert len(entries(hromada)) == 6


def test_queue_is_per_hromada(hromada, other_hromada):
    mine, theirs = make_case(hromada), make_case(other_hromada)
    assert list(msel.moderation_queue(hromada=hromada)) == [mine]
    assert msel.moderation_case(hromada=hromada, public_id=theirs.public_id) is None


# --- pages ------------------------------------------------------------------------------------


def test_moderation_pages_role_matrix(client, hromada, other_hromada):
    for name, user in role_matrix(hromada, other_hromada).items():
        case = make_case(hromada)
        client.logout()
        if name != "anonymous":
            client.force_login(user)
        allowed = name in ("admin", "moderator")
        for url in (
            reverse("staff_appeals:moderation"),
            reverse("staff_appeals:moderation_case", args=[case.public_id]),
        ):
            response = client.get(url)
            expected = 200 if allowed else 302 if name == "anonymous" else 403
            assert response.status_code == expected, (name, url)
        response = client.post(
            reverse("staff_appeals:moderation_text", args=[case.public_id]), {"decision": "shown"}
        )
        assert response.status_code == (302 if allowed or name == "anonymous" else 403), name
        case.refresh_from_db()
        assert case.moderation == (Moderation.SHOWN if allowed else Moderation.PENDING), name


def test_moderation_page_hides_with_a_reason_and_shows_the_missing_reason(client, hromada, moderator):
    case = make_case(hromada, text="Текст з прізвищем Петренко")
    shot = photo(case)
    client.force_login(moderator)
    page = client.get(reverse("staff_appeals:moderation"))
    assert f"№{case.number}" in page.content.decode()
    assert reverse("staff_appeals:moderation_photo", args=[case.public_id, shot.pk]) in page.content.decode()
    image = client.get(reverse("staff_appeals:moderation_photo", args=[case.public_id, shot.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == PNG
    url = reverse("staff_appeals:moderation_text", args=[case.public_id])
    response = client.post(url, {"decision": "hidden", "reason": ""})
    assert response.status_code == 400
    assert "Напишіть, чому приховано" in response.content.decode()
    response = client.post(url, {"decision": "hidden", "reason": "Неправдиві відомості"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.moderation == Moderation.HIDDEN
    # A photo refused without a reason keeps the page and says why, beside that photo.
    response = client.post(
        reverse("staff_appeals:moderation_photo_decide", args=[case.public_id, shot.pk]),
        {"decision": "hidden"},
    )
    assert response.status_code == 400 and f'id="pr-{shot.pk}_error"' in response.content.decode()
    # Redact: an empty text is refused, nothing lost; then saved.
    redact = reverse("staff_appeals:moderation_redact", args=[case.public_id])
    response = client.post(redact, {"title": "Новий заголовок", "text": "", "reason": "прізвище"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Новий заголовок" in body and "Текст повідомлення не може бути порожнім" in body
    response = client.post(redact, {"title": "Новий заголовок", "text": "Текст", "reason": "прізвище"})
    assert response.status_code == 302
    page = client.get(reverse("staff_appeals:moderation_case", args=[case.public_id]))
    assert "Текст з прізвищем Петренко" in page.content.decode()  # the original, for staff


def test_another_hromadas_report_is_not_found(client, hromada, other_hromada, moderator):
    theirs = make_case(other_hromada)
    other_photo = photo(theirs)
    client.force_login(moderator)
    assert client.get(reverse("staff_appeals:moderation_case", args=[theirs.public_id])).status_code == 404
    assert (
        client.post(
            reverse("staff_appeals:moderation_text", args=[theirs.public_id]), {"decision": "shown"}
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("staff_appeals:moderation_photo", args=[theirs.public_id, other_photo.pk])
        ).status_code
        == 404
    )
    mine = make_case(hromada)
    # Another case's photo through this case's address: not found either.
    assert (
        client.get(
            reverse("staff_appeals:moderation_photo", args=[mine.public_id, other_photo.pk])
        ).status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.moderation == Moderation.PENDING
