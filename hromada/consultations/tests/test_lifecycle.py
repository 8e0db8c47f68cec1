"""A consultation's life through its services: editing a draft, publishing (and the
announcement when it opens), extending and closing early through the kernel's phases,
cancelling, the phase hook, documents and follows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hromada.accounts.tests.factories import UserFactory, staff_user
from hromada.consultations import selectors
from hromada.consultations.models import Consultation, Document, Follow, Status
from hromada.consultations.services import consultations as svc
from hromada.consultations.services import documents as docs
from hromada.consultations.services import follows
from hromada.consultations.services.participation import participation_join
from hromada.core import phases
from hromada.core.clock import travel_to
from hromada.core.errors import DomainError, PermissionDenied
from hromada.core.models import PhaseExtension
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .factories import DAY, dates_for, make_consultation

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def drafted(monkeypatch):
    """Replace D's report_draft (another branch) and record the calls."""
    calls: list = []
    monkeypatch.setattr(svc, "_draft_report", lambda consultation: calls.append(consultation.pk))
    return calls


def kinds(hromada, kind):
    return list(Notification.objects.filter(hromada=hromada, kind=kind).values_list("user_id", flat=True))


def test_update_changes_a_draft_with_the_same_rules(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin, publish=False)
    svc.consultation_update(consultation=c, actor=admin, title="  Нова назва ", min_age=14)
    c.refresh_from_db()
    assert (c.title, c.min_age) == ("Нова назва", 14)
    with pytest.raises(DomainError) as exc:
        svc.consultation_update(consultation=c, actor=admin, closes_at=c.opens_at - DAY)
    assert (exc.value.code, exc.value.field) == ("dates_order", "closes_at")
    with pytest.raises(DomainError) as exc:
        svc.consultation_update(consultation=c, actor=admin, title="")
    assert exc.value.code == "title_required"
    c.refresh_from_db()
    assert c.title == "Нова назва"


def test_update_is_refused_once_published_and_for_others(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin)
    with pytest.raises(DomainError) as exc:
        svc.consultation_update(consultation=c, actor=admin, title="Інша")
    assert exc.value.code == "not_draft"
    draft = make_consultation(hromada, actor=admin, publish=False)
    with pytest.raises(PermissionDenied):
        svc.consultation_update(consultation=draft, actor=staff_user(hromada, "moderator"), title="Інша")
    draft.refresh_from_db()
    assert draft.title != "Інша"


def test_publishing_an_open_consultation_announces_it_to_subscribers_at_once(
    hromada, django_capture_on_commit_callbacks, drafted
):
    admin = staff_user(hromada, "admin")
    subscriber, follower_elsewhere = UserFactory(), UserFactory()
    follows.subscribe(hromada=hromada, user=subscriber)
    c = make_consultation(hromada, actor=admin, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        c = svc.consultation_publish(consultation=c, actor=admin)
    assert c.number == 1 and c.status == Status.PUBLISHED
    assert kinds(hromada, "consultations.published") == [subscriber.pk]
    assert follower_elsewhere.pk not in kinds(hromada, "consultations.published")
    assert LedgerEntry.objects.filter(hromada=hromada, kind="consultations.published").count() == 1


def test_an_upcoming_consultation_is_announced_when_it_opens(
    hromada, django_capture_on_commit_callbacks, drafted
):
    admin = staff_user(hromada, "admin")
    subscriber = UserFactory()
    follows.subscribe(hromada=hromada, user=subscriber)
    c = make_consultation(hromada, actor=admin, publish=False, current="upcoming")
    with django_capture_on_commit_callbacks(execute=True):
        c = svc.consultation_publish(consultation=c, actor=admin)
    assert kinds(hromada, "consultations.published") == []
    with travel_to(c.opens_at + dt.timedelta(minutes=1)), django_capture_on_commit_callbacks(execute=True):
        phases.phases_tick()
    assert kinds(hromada, "consultations.published") == [subscriber.pk]
    # The close, later: the report is drafted and staff told it is due; subscribers are not told again.
    with travel_to(c.closes_at + dt.timedelta(minutes=1)), django_capture_on_commit_callbacks(execute=True):
        phases.phases_tick()
    assert drafted == [c.pk]
    assert set(kinds(hromada, "consultations.report_due")) == {admin.pk}
    assert kinds(hromada, "consultations.published") == [subscriber.pk]


def test_publish_refusals_change_nothing(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin, publish=False, questions=False)
    with pytest.raises(DomainError) as exc:
        svc.consultation_publish(consultation=c, actor=admin)
    assert exc.value.code == "questions_required"
    c.refresh_from_db()
    assert (c.status, c.number, c.plan_id) == (Status.DRAFT, None, None)


def _open_with_people(hromada, admin):
    c = make_consultation(hromada, actor=admin)
    drafter, follower = UserFactory(), UserFactory()
    participation_join(consultation=c, user=drafter)
    follows.follow_add(consultation=c, user=follower)
    return c, drafter, follower


def test_extend_moves_the_end_and_the_report_term_and_tells_people(
    hromada, django_capture_on_commit_callbacks
):
    admin = staff_user(hromada, "admin")
    c, drafter, follower = _open_with_people(hromada, admin)
    report_before = next(p for p in phases.plan_phases(c.plan) if p.code == "report")
    new_end = c.closes_at + 3 * DAY
    with django_capture_on_commit_callbacks(execute=True):
        svc.consultation_extend(consultation=c, actor=admin, ends_at=new_end, reason="Розпорядження №12")
    by_code = {p.code: p for p in phases.plan_phases(c.plan)}
    assert by_code["open"].ends_at == new_end
    assert by_code["report"].starts_at == new_end
    assert by_code["report"].ends_at == report_before.ends_at + 3 * DAY
    c.refresh_from_db()
    assert c.closes_at == new_end and c.reminded_at is None
    assert set(kinds(hromada, "consultations.extended")) == {drafter.pk, follower.pk}
    assert PhaseExtension.objects.filter(phase=by_code["open"], reason="Розпорядження №12").exists()


@pytest.mark.parametrize(
    "ends,reason,code",
    [(-1, "Підстава", "phase_extension_not_forward"), (3, "", "phase_extension_reason_required")],
)
def test_extend_refusals_change_nothing(hromada, ends, reason, code):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin)
    before = c.closes_at
    with pytest.raises(DomainError) as exc:
        svc.consultation_extend(consultation=c, actor=admin, ends_at=before + ends * DAY, reason=reason)
    assert exc.value.code == code
    c.refresh_from_db()
    assert c.closes_at == before
    assert not PhaseExtension.objects.exists()
    with pytest.raises(PermissionDenied):
        svc.consultation_extend(
            consultation=c, actor=staff_user(hromada, "moderator"), ends_at=before + DAY, reason="x"
        )


def test_close_now_ends_taking_part_and_drafts_the_report(
    hromada, django_capture_on_commit_callbacks, drafted
):
    admin, officer = staff_user(hromada, "admin"), staff_user(hromada, "officer")
    c = make_consultation(hromada, actor=admin)
    with django_capture_on_commit_callbacks(execute=True):
        svc.consultation_close_now(consultation=c, actor=admin, reason="Рішення виконкому №14")
    c = Consultation.objects.get(pk=c.pk)
    from hromada.consultations import rules

    assert rules.phase_code(c) == "report"
    assert drafted == [c.pk]
    assert set(kinds(hromada, "consultations.report_due")) == {admin.pk, officer.pk}
    assert c.plan.current_code == "report"


def test_close_now_of_an_upcoming_one_is_refused(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin, current="upcoming")
    with pytest.raises(DomainError) as exc:
        svc.consultation_close_now(consultation=c, actor=admin, reason="x")
    assert exc.value.code == "phase_shorten_before_start"


def test_cancel_is_ledgered_and_told(hromada, django_capture_on_commit_callbacks, drafted):
    admin = staff_user(hromada, "admin")
    c, drafter, follower = _open_with_people(hromada, admin)
    with pytest.raises(DomainError) as exc:
        svc.consultation_cancel(consultation=c, actor=admin, reason="  ")
    assert exc.value.code == "reason_required"
    with django_capture_on_commit_callbacks(execute=True):
        svc.consultation_cancel(consultation=c, actor=admin, reason="Помилка в проєкті рішення")
    c.refresh_from_db()
    assert c.status == Status.CANCELLED
    assert LedgerEntry.objects.filter(kind="consultations.cancelled").count() == 1
    assert set(kinds(hromada, "consultations.cancelled")) == {drafter.pk, follower.pk}
    with pytest.raises(DomainError) as exc:
        svc.consultation_cancel(consultation=c, actor=admin, reason="ще раз")
    assert exc.value.code == "already_cancelled"
    # The plan moves on, but a cancelled consultation's hook does nothing.
    with travel_to(c.closes_at + dt.timedelta(minutes=1)), django_capture_on_commit_callbacks(execute=True):
        phases.phases_tick()
    assert drafted == []


def test_a_closed_consultation_cannot_be_cancelled(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin, current="report")
    with pytest.raises(DomainError) as exc:
        svc.consultation_cancel(consultation=c, actor=admin, reason="Пізно")
    assert exc.value.code == "already_closed"


def test_the_hook_handles_a_skipped_report_phase(hromada, drafted):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin)
    open_phase = next(p for p in phases.plan_phases(c.plan) if p.code == "open")
    svc.consultation_phase_changed(hromada=hromada, plan=c.plan, old=open_phase, new=None)
    assert drafted == [c.pk]


def test_the_hook_finds_no_plan_of_another_hromada(hromada, other_hromada, drafted):
    c = make_consultation(hromada)
    open_phase = next(p for p in phases.plan_phases(c.plan) if p.code == "open")
    svc.consultation_phase_changed(hromada=other_hromada, plan=c.plan, old=open_phase, new=None)
    assert drafted == []


# --- documents ---------------------------------------------------------------------------


def test_documents_are_files_or_links_and_ordered(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin, publish=False)
    a = docs.document_add(
        consultation=c, actor=admin, title="Проєкт рішення", upload=SimpleUploadedFile("p.pdf", PDF)
    )
    b = docs.document_add(
        consultation=c, actor=admin, title="Сайт ради", url="https://rada.example.test/p/12"
    )
    assert (a.content_type, a.size, a.order) == ("application/pdf", len(PDF), 1)
    assert b.order == 2
    docs.document_move(consultation=c, actor=admin, document_id=b.pk, up=True)
    assert [d.pk for d in selectors.documents_of(c)] == [b.pk, a.pk]
    assert not LedgerEntry.objects.filter(kind="consultations.document_changed").exists()  # a draft
    docs.document_delete(consultation=c, actor=admin, document_id=a.pk)
    assert [d.pk for d in selectors.documents_of(c)] == [b.pk]


def test_an_office_document_is_recognised_by_its_content(hromada):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin, publish=False)
    d = docs.document_add(
        consultation=c,
        actor=admin,
        title="",
        upload=SimpleUploadedFile("Пояснювальна записка.docx", buffer.getvalue()),
    )
    assert d.title == "Пояснювальна записка"
    assert d.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"title": "Х", "upload": SimpleUploadedFile("x.exe", b"MZ\x90\x00rest")}, "file_type_not_allowed"),
        (
            {"title": "Х", "upload": SimpleUploadedFile("x.docx", b"not a zip at all")},
            "file_type_not_allowed",
        ),
        ({"title": "Х"}, "document_file_or_url"),
        ({"title": "Х", "url": "ftp://x"}, "document_url_invalid"),
        ({"title": "", "url": "https://x.test"}, "document_title_required"),
    ],
)
def test_bad_documents_are_refused_with_a_message(hromada, kwargs, code):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin, publish=False)
    with pytest.raises(DomainError) as exc:
        docs.document_add(consultation=c, actor=admin, **kwargs)
    assert exc.value.code == code
    assert str(exc.value.message)
    assert not Document.objects.exists()


def test_a_document_added_after_publication_is_ledgered(hromada):
    admin = staff_user(hromada, "admin")
    c = make_consultation(hromada, actor=admin)
    d = docs.document_add(
        consultation=c, actor=admin, title="Таблиця", upload=SimpleUploadedFile("t.pdf", PDF)
    )
    docs.document_delete(consultation=c, actor=admin, document_id=d.pk)
    events = [
        e.payload["event"]
        for e in LedgerEntry.objects.filter(kind="consultations.document_changed").order_by("pk")
    ]
    assert events == ["added", "removed"]
    assert (
        len(LedgerEntry.objects.filter(kind="consultations.document_changed").first().payload["sha256"]) == 64
    )


def test_documents_need_the_permission(hromada):
    c = make_consultation(hromada, publish=False)
    with pytest.raises(PermissionDenied):
        docs.document_add(consultation=c, actor=UserFactory(), title="Х", url="https://x.test")
    assert not Document.objects.exists()


# --- follows and whom to tell -------------------------------------------------------------


def test_follow_and_subscribe_are_idempotent(hromada):
    c = make_consultation(hromada)
    user = UserFactory()
    follows.follow_add(consultation=c, user=user)
    follows.follow_add(consultation=c, user=user)
    follows.subscribe(hromada=hromada, user=user)
    follows.subscribe(hromada=hromada, user=user)
    assert Follow.objects.filter(user=user).count() == 2
    assert follows.is_following(c, user) and follows.is_subscribed(hromada=hromada, user=user)
    assert follows.follow_remove(consultation=c, user=user)
    assert not follows.follow_remove(consultation=c, user=user)
    assert follows.unsubscribe(hromada=hromada, user=user)
    assert not Follow.objects.exists()


def test_following_a_draft_or_anonymously_is_refused(hromada):
    from django.contrib.auth.models import AnonymousUser

    draft = make_consultation(hromada, publish=False)
    with pytest.raises(DomainError):
        follows.follow_add(consultation=draft, user=UserFactory())
    with pytest.raises(DomainError) as exc:
        follows.subscribe(hromada=hromada, user=AnonymousUser())
    assert exc.value.code == "login_required"
    assert not Follow.objects.exists()


def test_participants_of_is_distinct_and_one_query(hromada, django_assert_num_queries):
    from hromada.consultations.models import Response

    c = make_consultation(hromada)
    answered, drafter, follower = UserFactory(), UserFactory(), UserFactory()
    r = participation_join(consultation=c, user=answered)
    Response.objects.filter(pk=r.pk).update(status="submitted", submitted_at=timezone.now())
    participation_join(consultation=c, user=drafter)
    follows.follow_add(consultation=c, user=follower)
    follows.follow_add(consultation=c, user=answered)
    with django_assert_num_queries(1):
        ids = sorted(u.pk for u in selectors.participants_of(c))
    assert ids == sorted([answered.pk, follower.pk])
    assert drafter.pk in {u.pk for u in selectors.participants_of(c, drafts=True)}


def test_list_filters_and_drafts_never_public(hromada, other_hromada):
    admin = staff_user(hromada, "admin")
    opened = make_consultation(hromada, actor=admin, title="Парк Шевченка")
    upcoming = make_consultation(
        hromada, actor=admin, current="upcoming", kind="consultation", title="Вулиця"
    )
    closed = make_consultation(hromada, actor=admin, current="closed", title="Сквер")
    draft = make_consultation(hromada, actor=admin, publish=False, title="Парк чернетка")
    make_consultation(other_hromada, title="Парк в іншій громаді")

    def titles(**f):
        return {c.title for c in selectors.consultation_list(hromada=hromada, **f)}

    assert titles() == {opened.title, upcoming.title, closed.title}
    assert titles(state="open") == {opened.title}
    assert titles(state="upcoming") == {upcoming.title}
    assert titles(state="closed") == {closed.title}
    assert titles(kind="consultation") == {upcoming.title}
    assert titles(q="парк") == {opened.title}
    assert titles(state="nonsense", kind="nonsense") == titles()
    assert draft.title not in titles()
    assert [c.title for c in selectors.home_summary(hromada=hromada)["open"]] == [opened.title]


def test_timeline_shows_the_report_due_date(hromada):
    c = make_consultation(hromada, current="report")
    steps = selectors.timeline(c)
    assert [(s.code, s.state) for s in steps] == [("open", "past"), ("report", "current")]
    assert "оприлюднюють до" in steps[1].note


def test_my_lists_where_i_took_part(hromada):
    c1 = make_consultation(hromada, title="Перша")
    c2 = make_consultation(hromada, title="Друга")
    make_consultation(hromada, title="Третя")
    user = UserFactory()
    participation_join(consultation=c1, user=user)
    follows.follow_add(consultation=c2, user=user)
    rows = {r.consultation.title: r for r in selectors.my(hromada=hromada, user=user)}
    assert set(rows) == {"Перша", "Друга"}
    assert rows["Перша"].draft and not rows["Перша"].answered
    assert rows["Друга"].following


def test_dates_for_helper_is_consistent():
    opens, closes = dates_for("open")
    assert opens < timezone.now() < closes
