"""The staff pages of a consultation's life through HTTP: the role matrix (refused
actions change nothing), another hromada's staff, the form's errors, documents,
publication, the dates and cancellation."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hromada.accounts.tests.factories import role_matrix, staff_user
from hromada.consultations.models import Consultation, Document, Status
from hromada.consultations.staff_selectors import staff_summary
from hromada.core.models import PhaseExtension

from .factories import DAY, make_consultation
from .test_lifecycle import PDF

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "officer"}


def form_post(**over) -> dict:
    tomorrow = timezone.localdate() + DAY
    data = {
        "kind": "consultation",
        "title": "Реконструкція площі",
        "summary": "Як має виглядати центральна площа?",
        "question": "Який варіант ви підтримуєте?",
        "body": "",
        "initiator": "Відділ архітектури",
        "contact": "",
        "opens_date": tomorrow.isoformat(),
        "opens_time": "09:00",
        "closes_date": (tomorrow + 14 * DAY).isoformat(),
        "closes_time": "18:00",
        "audience": "email",
        "min_age": "14",
        "area": "",
        "ask_area": "on",
        "anonymous": "on",
        "results_visibility": "after",
        "allow_proposals": "on",
        "allow_comments": "on",
    }
    data.update(over)
    return data


def test_create_through_the_form_reads_kyiv_time(client, hromada):
    client.force_login(staff_user(hromada, "officer"))
    assert client.get(reverse("staff_consultations:create")).status_code == 200
    response = client.post(reverse("staff_consultations:create"), form_post())
    assert response.status_code == 302
    c = Consultation.objects.get(hromada=hromada)
    assert c.status == Status.DRAFT and c.min_age == 14
    assert timezone.localtime(c.opens_at).hour == 9 and c.opens_at.utcoffset().total_seconds() == 0
    assert response["Location"] == reverse("staff_consultations:edit", kwargs={"cid": c.public_id})


def test_the_form_names_the_field_and_keeps_what_was_typed(client, hromada):
    client.force_login(staff_user(hromada, "admin"))
    today = timezone.localdate()
    response = client.post(
        reverse("staff_consultations:create"),
        form_post(closes_date=today.isoformat(), opens_date=(today + 2 * DAY).isoformat()),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Завершення має бути пізніше за початок." in html
    assert 'id="form-errors"' in html and "Реконструкція площі" in html
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(
    "actor", ["admin", "moderator", "officer", "resident", "anonymous", "other_admin", "other_officer"]
)
def test_role_matrix_for_creating_and_the_list(client, hromada, other_hromada, actor):
    user = role_matrix(hromada, other_hromada)[actor]
    if actor != "anonymous":
        client.force_login(user)
    listed = client.get(reverse("staff_consultations:list"))
    created = client.post(reverse("staff_consultations:create"), form_post())
    if actor in MANAGERS:
        assert listed.status_code == 200 and created.status_code == 302
        assert Consultation.objects.count() == 1
    else:
        assert listed.status_code in (302, 403) and created.status_code in (302, 403)
        assert not Consultation.objects.exists()


@pytest.mark.parametrize("actor", ["moderator", "resident", "other_admin"])
def test_refused_actions_change_nothing(client, hromada, other_hromada, actor):
    c = make_consultation(hromada)
    draft = make_consultation(hromada, publish=False)
    client.force_login(role_matrix(hromada, other_hromada)[actor])
    ends = c.closes_at
    kw = {"cid": c.public_id}
    client.post(reverse("staff_consultations:phase", kwargs=kw), {"action": "close", "close-reason": "x"})
    client.post(reverse("staff_consultations:cancel", kwargs=kw), {"reason": "x"})
    client.post(reverse("staff_consultations:publish", kwargs={"cid": draft.public_id}))
    client.post(
        reverse("staff_consultations:documents", kwargs=kw),
        {"action": "add", "title": "Х", "url": "https://x.test"},
    )
    c.refresh_from_db()
    draft.refresh_from_db()
    assert (c.status, c.closes_at, draft.status) == (Status.PUBLISHED, ends, Status.DRAFT)
    assert not Document.objects.exists() and not PhaseExtension.objects.exists()


def test_another_hromadas_staff_find_nothing(client, hromada, other_hromada, settings):
    settings.ALLOWED_HOSTS = ["*"]
    c = make_consultation(hromada, publish=False)
    client.force_login(staff_user(other_hromada, "admin"))
    # Their own host: this hromada's consultation is not found there.
    for name in ("edit", "documents", "preview", "publish", "phase", "cancel"):
        response = client.get(
            reverse(f"staff_consultations:{name}", kwargs={"cid": c.public_id}),
            HTTP_HOST="other.example.test",
        )
        assert response.status_code == 404, name
    assert (
        c.title
        not in client.get(
            reverse("staff_consultations:list"), HTTP_HOST="other.example.test"
        ).content.decode()
    )


def test_edit_a_draft_then_preview_and_publish(client, hromada):
    admin = staff_user(hromada, "admin")
    client.force_login(admin)
    c = make_consultation(hromada, actor=admin, publish=False)
    kw = {"cid": c.public_id}
    response = client.post(
        reverse("staff_consultations:edit", kwargs=kw), form_post(kind="survey", title="Нова назва")
    )
    assert response.status_code == 302
    preview = client.get(reverse("staff_consultations:preview", kwargs=kw)).content.decode()
    assert "Попередній перегляд" in preview and "Чи підтримуєте ви пропозицію?" in preview
    confirm = client.get(reverse("staff_consultations:publish", kwargs=kw)).content.decode()
    assert "Що буде зафіксовано" in confirm and "Оприлюднити" in confirm
    assert client.post(reverse("staff_consultations:publish", kwargs=kw)).status_code == 302
    c.refresh_from_db()
    assert c.status == Status.PUBLISHED and c.title == "Нова назва"
    # Published: the edit page is an overview, the form is gone.
    page = client.get(reverse("staff_consultations:edit", kwargs=kw)).content.decode()
    assert "Публічна сторінка" in page and 'name="title"' not in page


def test_publish_shows_the_refusal_before_the_button(client, hromada):
    admin = staff_user(hromada, "admin")
    client.force_login(admin)
    c = make_consultation(hromada, actor=admin, publish=False, questions=False)
    page = client.get(reverse("staff_consultations:publish", kwargs={"cid": c.public_id})).content.decode()
    assert "Додайте до опитування хоча б одне питання." in page
    assert '<button type="submit" class="btn">Оприлюднити' not in page
    assert client.post(reverse("staff_consultations:publish", kwargs={"cid": c.public_id})).status_code == 400
    c.refresh_from_db()
    assert c.status == Status.DRAFT


def test_documents_page_adds_moves_and_removes(client, hromada):
    admin = staff_user(hromada, "admin")
    client.force_login(admin)
    c = make_consultation(hromada, actor=admin, publish=False)
    url = reverse("staff_consultations:documents", kwargs={"cid": c.public_id})
    assert (
        client.post(
            url, {"action": "add", "title": "Проєкт", "file": SimpleUploadedFile("p.pdf", PDF)}
        ).status_code
        == 302
    )
    assert (
        client.post(
            url, {"action": "add", "title": "Посилання", "url": "https://rada.example.test/"}
        ).status_code
        == 302
    )
    bad = client.post(
        url, {"action": "add", "title": "Вірус", "file": SimpleUploadedFile("v.exe", b"MZ\x90\x00")}
    )
    assert bad.status_code == 400 and "недозволений тип" in bad.content.decode()
    second = Document.objects.get(title="Посилання")
    client.post(url, {"action": "up", "document": second.pk})
    assert list(Document.objects.order_by("order").values_list("title", flat=True)) == ["Посилання", "Проєкт"]
    client.post(url, {"action": "delete", "document": second.pk})
    assert list(Document.objects.values_list("title", flat=True)) == ["Проєкт"]
    assert client.post(url, {"action": "delete", "document": "x"}).status_code == 400


def test_phase_page_extends_and_closes(client, hromada, django_capture_on_commit_callbacks, monkeypatch):
    from hromada.consultations.services import consultations as svc

    monkeypatch.setattr(svc, "_draft_report", lambda consultation: None)
    admin = staff_user(hromada, "admin")
    client.force_login(admin)
    c = make_consultation(hromada, actor=admin)
    url = reverse("staff_consultations:phase", kwargs={"cid": c.public_id})
    assert "Продовжити строк участі" in client.get(url).content.decode()
    new_end = timezone.localtime(c.closes_at + 3 * DAY)
    no_reason = client.post(
        url,
        {
            "action": "extend",
            "extend-ends_date": new_end.date().isoformat(),
            "extend-ends_time": "18:00",
            "extend-reason": "",
        },
    )
    assert no_reason.status_code == 400
    backwards = client.post(
        url,
        {
            "action": "extend",
            "extend-ends_date": timezone.localdate().isoformat(),
            "extend-ends_time": "00:00",
            "extend-reason": "Наказ",
        },
    )
    assert backwards.status_code == 400 and "Етап можна лише продовжити" in backwards.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post(
            url,
            {
                "action": "extend",
                "extend-ends_date": new_end.date().isoformat(),
                "extend-ends_time": "18:00",
                "extend-reason": "Наказ №5",
            },
        )
    assert ok.status_code == 302
    c.refresh_from_db()
    assert timezone.localtime(c.closes_at).date() == new_end.date()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "close", "close-reason": "Рішення №6"}).status_code == 302
    assert "Участь уже завершено" in client.get(url).content.decode()


def test_cancel_page(client, hromada, django_capture_on_commit_callbacks):
    admin = staff_user(hromada, "admin")
    client.force_login(admin)
    c = make_consultation(hromada, actor=admin)
    url = reverse("staff_consultations:cancel", kwargs={"cid": c.public_id})
    assert client.post(url, {"reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": "Помилка в документах"}).status_code == 302
    c.refresh_from_db()
    assert c.status == Status.CANCELLED


def test_staff_summary_counts_for_managers_only(hromada):
    admin = staff_user(hromada, "admin")
    make_consultation(hromada, actor=admin)
    make_consultation(hromada, actor=admin, publish=False)
    make_consultation(hromada, actor=admin, current="report")
    make_consultation(hromada, actor=admin, current="closed")
    counters = {str(c.label): c for c in staff_summary(hromada=hromada, user=admin)}
    assert counters["Консультації, що тривають"].value == 1
    assert counters["Чернетки консультацій"].value == 1
    assert counters["Консультації чекають звіту"].value == 1
    assert (
        counters["Прострочені звіти консультацій"].value == 1
        and counters["Прострочені звіти консультацій"].overdue
    )
    assert staff_summary(hromada=hromada, user=staff_user(hromada, "moderator")) == []


def test_every_page_renders_in_every_phase(client, hromada, monkeypatch):
    admin = staff_user(hromada, "admin")
    client.force_login(admin)
    rows = [
        make_consultation(hromada, actor=admin, current=p) for p in ("upcoming", "open", "report", "closed")
    ]
    rows.append(make_consultation(hromada, actor=admin, publish=False))
    cancelled = make_consultation(hromada, actor=admin)
    from hromada.consultations.services import consultations as svc

    svc.consultation_cancel(consultation=cancelled, actor=admin, reason="Скасовано для перевірки")
    rows.append(cancelled)
    assert client.get(reverse("staff_consultations:list")).status_code == 200
    for c in rows:
        for name in ("edit", "documents", "preview", "publish", "phase", "cancel"):
            response = client.get(reverse(f"staff_consultations:{name}", kwargs={"cid": c.public_id}))
            assert response.status_code in (200, 302), (name, c.status)
