"""Proposals: every rule of submitting, withdrawing, supporting and answering; the role
matrix with refused actions changing nothing; another hromada's staff."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from hromada.accounts.tests.factories import UserFactory, role_matrix, staff_user, verified_user
from hromada.consultations import proposal_selectors as ps
from hromada.consultations.models import Proposal, Report, Support
from hromada.consultations.services import proposals as svc
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussion(hromada):
    return make_consultation(
        hromada, kind="discussion", title="Проєкт Положення про благоустрій", anonymous=False
    )


def _p12(consultation):
    return consultation.paragraphs.get(number="1.2")


def submit(consultation, user=None, **kw):
    kw.setdefault("title", "Уточнити строк")
    kw.setdefault("wording", "1.2. Текст у новій редакції.")
    return svc.proposal_submit(consultation=consultation, user=user or verified_user(), **kw)


def test_submit_numbers_names_ledgers_and_tells_staff(discussion, django_capture_on_commit_callbacks):
    officer = staff_user(discussion.hromada, "officer")
    resident = verified_user(first_name="Олена", last_name="Коваль")
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(discussion, resident, paragraph=_p12(discussion), body="Бо так зрозуміліше.")
    second = submit(discussion, verified_user(), title="Загальна пропозиція", wording="")
    assert (first.number, second.number) == (1, 2)
    assert first.author_name == "Олена Коваль" and first.participant
    entry = LedgerEntry.objects.filter(kind="consultations.proposal_submitted").first()
    assert entry.payload["paragraph"] == "1.2" and entry.payload["participant"] == first.participant
    assert Notification.objects.filter(user=officer, kind="consultations.proposal_new").exists()


def test_anonymous_consultation_hides_the_name(hromada):
    consultation = make_consultation(hromada, kind="discussion", anonymous=True)
    assert submit(consultation, paragraph=_p12(consultation)).author_name == ""


def test_wording_required_for_a_paragraph_in_a_discussion(discussion):
    with pytest.raises(DomainError) as exc:
        submit(discussion, paragraph=_p12(discussion), wording="  ")
    assert exc.value.code == "wording_required" and exc.value.field == "wording"
    assert "1.2" in str(exc.value.message)
    assert not Proposal.objects.exists()


def test_title_required_and_paragraph_of_another_consultation(discussion, hromada):
    with pytest.raises(DomainError) as exc:
        submit(discussion, title="")
    assert exc.value.code == "title_required"
    other = make_consultation(hromada, kind="discussion", title="Інший проєкт")
    with pytest.raises(DomainError) as exc:
        submit(discussion, paragraph=other.paragraphs.first())
    assert exc.value.code == "paragraph_invalid"
    assert not Proposal.objects.exists()


def test_closed_not_allowed_and_ineligible_are_refused(hromada):
    closed = make_consultation(hromada, kind="discussion", current="report")
    with pytest.raises(DomainError) as exc:
        submit(closed)
    assert exc.value.code == "closed"
    survey = make_consultation(hromada, kind="survey", allow_proposals=False)
    with pytest.raises(DomainError) as exc:
        submit(survey)
    assert exc.value.code == "proposals_not_allowed"
    verified_only = make_consultation(hromada, kind="consultation", audience="verified")
    with pytest.raises(DomainError) as exc:
        submit(verified_only, UserFactory())
    assert exc.value.code == "identity_required"
    assert (
        not Proposal.objects.exists()
        and not LedgerEntry.objects.filter(kind__startswith="consultations.proposal").exists()
    )


def test_consultation_with_open_proposals(hromada):
    consultation = make_consultation(hromada, kind="consultation", allow_proposals=True)
    proposal = submit(consultation, wording="")
    assert proposal.paragraph is None and proposal.number == 1


def test_withdraw_by_the_author_while_pending(discussion):
    author = verified_user()
    proposal = submit(discussion, author)
    with pytest.raises(DomainError) as exc:
        svc.proposal_withdraw(proposal=proposal, user=verified_user())
    assert exc.value.code == "forbidden"
    svc.proposal_withdraw(proposal=proposal, user=author)
    assert Proposal.objects.get(pk=proposal.pk).status == "withdrawn"
    with pytest.raises(DomainError) as exc:
        svc.proposal_withdraw(proposal=proposal, user=author)
    assert exc.value.code == "not_pending"


def test_support_once_not_own_counted_ledgered(discussion):
    author = verified_user()
    proposal = submit(discussion, author)
    with pytest.raises(DomainError) as exc:
        svc.proposal_support(proposal=proposal, user=author)
    assert exc.value.code == "own_proposal"
    supporter = verified_user()
    support = svc.proposal_support(proposal=proposal, user=supporter)
    with pytest.raises(DomainError) as exc:
        svc.proposal_support(proposal=proposal, user=supporter)
    assert exc.value.code == "already_supported"
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1 and Support.objects.count() == 1
    entry = LedgerEntry.objects.get(kind="consultations.proposal_supported")
    assert entry.payload["participant"] == support.participant
    assert svc.has_supported(proposal, supporter)


def test_double_support_is_stopped_by_the_constraint(discussion, monkeypatch):
    """The check before the insert is passed twice (a race): the unique constraint refuses."""
    proposal = submit(discussion)
    supporter = verified_user()
    svc.proposal_support(proposal=proposal, user=supporter)
    monkeypatch.setattr(svc, "support_refusal", lambda proposal, user: None)
    with pytest.raises(DomainError) as exc:
        svc.proposal_support(proposal=proposal, user=supporter)
    assert exc.value.code == "already_supported"
    assert Proposal.objects.get(pk=proposal.pk).support_count == 1
    assert LedgerEntry.objects.filter(kind="consultations.proposal_supported").count() == 1


def test_answer_needs_a_reason_and_a_status(discussion):
    proposal = submit(discussion, paragraph=_p12(discussion))
    officer = staff_user(discussion.hromada, "officer")
    with pytest.raises(DomainError) as exc:
        svc.proposal_answer(proposal=proposal, actor=officer, status="partly", reason=" ")
    assert exc.value.code == "reason_required" and exc.value.field == "reason"
    with pytest.raises(DomainError) as exc:
        svc.proposal_answer(proposal=proposal, actor=officer, status="maybe", reason="x")
    assert exc.value.code == "status_invalid"
    assert Proposal.objects.get(pk=proposal.pk).status == "pending"


def test_answer_after_closing_reanswer_then_frozen_by_the_report(hromada, django_capture_on_commit_callbacks):
    consultation = make_consultation(hromada, kind="discussion")
    author = verified_user()
    proposal = submit(consultation, author, paragraph=_p12(consultation))
    from hromada.core.models import Phase

    # The consultation closes: answering is what the report phase is for.
    Phase.objects.filter(plan=consultation.plan, code="open").update(ends_at=proposal.created_at)
    Phase.objects.filter(plan=consultation.plan, code="report").update(starts_at=proposal.created_at)
    officer = staff_user(hromada, "officer")
    with django_capture_on_commit_callbacks(execute=True):
        svc.proposal_answer(proposal=proposal, actor=officer, status="rejected", reason="Суперечить закону.")
    answered = svc.proposal_answer(
        proposal=proposal, actor=officer, status="partly", reason="Враховано строк, але не суму."
    )
    assert answered.status == "partly" and answered.reason.startswith("Враховано строк")
    entries = list(LedgerEntry.objects.filter(kind="consultations.proposal_answered").order_by("id"))
    assert [e.payload["status"] for e in entries] == ["rejected", "partly"]
    assert entries[1].payload["previous"] == "rejected"
    assert Notification.objects.filter(user=author, kind="consultations.proposal_answered").exists()
    from django.utils import timezone

    Report.objects.create(
        hromada=hromada,
        consultation=consultation,
        text="Звіт",
        drafted_at=timezone.now(),
        published_at=timezone.now(),
    )
    with pytest.raises(DomainError) as exc:
        svc.proposal_answer(proposal=proposal, actor=officer, status="accepted", reason="Передумали.")
    assert exc.value.code == "report_published"
    assert Proposal.objects.get(pk=proposal.pk).status == "partly"


def test_answer_role_matrix(discussion, hromada, other_hromada):
    proposal = submit(discussion)
    for name, actor in role_matrix(hromada, other_hromada).items():
        allowed = name in ("admin", "officer")
        before = Proposal.objects.get(pk=proposal.pk)
        try:
            svc.proposal_answer(proposal=proposal, actor=actor, status="accepted", reason=f"Так ({name}).")
        except DomainError as exc:
            assert not allowed, name
            assert exc.code == "forbidden"
            after = Proposal.objects.get(pk=proposal.pk)
            assert (after.status, after.reason) == (before.status, before.reason), name
        else:
            assert allowed, name
    assert LedgerEntry.objects.filter(kind="consultations.proposal_answered").count() == 2


def test_summary_and_selectors(discussion):
    officer = staff_user(discussion.hromada, "officer")
    a = submit(discussion, paragraph=_p12(discussion))
    b = submit(discussion, title="Друга")
    submit(discussion, title="Третя")
    svc.proposal_answer(proposal=a, actor=officer, status="accepted", reason="Слушно.")
    svc.proposal_answer(proposal=b, actor=officer, status="rejected", reason="Ні.")
    summary = ps.proposal_summary(discussion)
    assert summary["counts"]["accepted"] == 1 and summary["counts"]["rejected"] == 1
    assert summary["counts"]["total"] == 3 and summary["pending"] == 1
    assert [p.number for p in summary["answered"]] == [1, 2]
    assert ps.paragraph_counts(discussion) == {_p12(discussion).pk: 1}
    assert [p.number for p in ps.proposals_of(discussion, paragraph=_p12(discussion))] == [1]
    assert [p.number for p in ps.proposals_of(discussion, status="answered", order="old")] == [1, 2]
    queue = ps.proposals_queue(hromada=discussion.hromada)
    assert [i.proposal.number for i in queue] == [3] and queue[0].days_left > 4


def test_other_hromadas_proposals_are_not_seen(discussion, other_hromada):
    submit(discussion)
    assert ps.proposals_queue(hromada=other_hromada) == []
    other = make_consultation(other_hromada, kind="discussion")
    assert list(ps.proposals_of(other)) == []
    with pytest.raises(DomainError):
        ps.proposal_get(other, 1)


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_consecutive_under_concurrency(hromada, ledger_cleanup):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the lock matters on PostgreSQL")
    consultation = make_consultation(hromada, kind="consultation", allow_proposals=True)
    users = [verified_user() for _ in range(4)]
    errors = []

    def go(user):
        try:
            submit(consultation, user, wording="")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(Proposal.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
