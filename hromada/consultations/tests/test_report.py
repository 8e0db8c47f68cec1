"""The report: drafted from the data (its figures equal the raw answers, counted here
independently, and the ledger), edited, published once after closing with every
proposal answered; permissions by the role matrix; refusals change nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import ACTORS, role_matrix, staff_user, verified_user
from hromada.consultations import rules
from hromada.consultations.models import Answer, Follow, Proposal, ProposalStatus, Report, Response, Support
from hromada.consultations.services.reports import (
    figures_hash,
    participant_user_ids,
    report_draft,
    report_publish,
    report_update,
)
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.notify.models import Notification

from .test_results_data import submit, survey

pytestmark = pytest.mark.django_db


def proposal(consultation, *, user=None, status=ProposalStatus.PENDING, reason="", n=None):
    user = user or verified_user()
    answered = status in (ProposalStatus.ACCEPTED, ProposalStatus.PARTLY, ProposalStatus.REJECTED)
    return Proposal.objects.create(
        hromada=consultation.hromada,
        consultation=consultation,
        number=n or Proposal.objects.filter(consultation=consultation).count() + 1,
        author=user,
        author_name=user.display_name,
        participant=rules.pseudonym_of(user, consultation),
        title="Додати велодоріжку",
        status=status,
        reason=reason,
        answered_at=timezone.now() if answered else None,
    )


@pytest.fixture
def closed(hromada):
    consultation, qs = survey(hromada, current="report", allow_proposals=True)
    voters = [verified_user() for _ in range(6)]
    for i, user in enumerate(voters):
        submit(
            consultation,
            qs,
            {
                "single": "Так" if i % 3 else "Ні",
                "multiple": ["Лави", "Ліхтарі"][: 1 + i % 2],
                "scale": 1 + i % 5,
            },
            user=user,
            age_group="18-35",
        )
    submit(consultation, qs, {"single": "Так"}, status="draft")
    author = voters[0]  # answered and proposed: one participant
    proposal(consultation, user=author, status=ProposalStatus.ACCEPTED, reason="Враховано в п. 2")
    proposal(consultation, status=ProposalStatus.REJECTED, reason="Поза повноваженнями")
    return consultation, qs, voters


def test_the_figures_equal_the_raw_answers_and_the_ledger(closed):
    consultation, qs, _voters = closed
    report = report_draft(consultation=consultation)
    figures = report.figures
    # Counted independently, straight from the rows.
    submitted = Response.objects.filter(consultation=consultation, status="submitted")
    assert figures["responses"] == submitted.count() == 6
    entries = LedgerEntry.objects.filter(
        kind="consultations.response_submitted", hromada=consultation.hromada
    )
    ledgered = [e for e in entries if e.payload["consultation"] == str(consultation.public_id)]
    assert figures["ledger_responses"] == len(ledgered) == 6
    raw = Answer.objects.filter(response__in=submitted)
    single = next(q for q in figures["questions"] if q["id"] == str(qs["single"].public_id))
    for item in single["options"]:
        assert item["count"] == raw.filter(option__label=item["label"], question=qs["single"]).count()
    multiple = next(q for q in figures["questions"] if q["id"] == str(qs["multiple"].public_id))
    assert sum(o["count"] for o in multiple["options"]) == raw.filter(question=qs["multiple"]).count()
    scale = next(q for q in figures["questions"] if q["id"] == str(qs["scale"].public_id))
    values = [float(a.number) for a in raw.filter(question=qs["scale"])]
    assert scale["mean"] == pytest.approx(sum(values) / len(values), abs=0.01)
    # Participants: six respondents, two proposal authors of whom one also answered.
    assert (figures["proposal_authors"], figures["participants"]) == (2, 7)
    assert figures["proposals"]["accepted"] == 1 and figures["proposals"]["rejected"] == 1
    assert figures["by_age_group"] == [{"group": "18-35", "count": 6}]
    text = report.text
    assert "Учасників: 7" in text and "Враховано в п. 2" in text and "Поза повноваженнями" in text


def test_the_draft_is_idempotent_and_keeps_staff_fields(closed, hromada):
    consultation, qs, _voters = closed
    first = report_draft(consultation=consultation)
    officer = staff_user(hromada, "officer")
    report_update(report=first, actor=officer, text="Мій текст", outcome="Рішення ухвалено", decision_url="")
    again = report_draft(consultation=consultation)
    assert Report.objects.filter(consultation=consultation).count() == 1
    assert again.pk == first.pk and again.outcome == "Рішення ухвалено"
    assert again.text != "Мій текст"  # re-drafted from the data on request


def test_update_checks_its_fields(closed, hromada):
    consultation, _qs, _v = closed
    report = report_draft(consultation=consultation)
    admin = staff_user(hromada, "admin")
    for kwargs, code in [
        ({"text": "  "}, "text_required"),
        ({"text": "x", "decision_url": "javascript:alert(1)"}, "decision_url_invalid"),
        ({"text": "x" * 100_001}, "text_too_long"),
    ]:
        with pytest.raises(DomainError) as exc:
            report_update(report=report, actor=admin, **kwargs)
        assert exc.value.code == code
    report.refresh_from_db()
    assert report.text.startswith("Звіт про результати")


def test_publish_needs_every_proposal_answered_and_names_how_many(closed, hromada):
    consultation, _qs, _v = closed
    proposal(consultation)
    proposal(consultation)
    admin = staff_user(hromada, "admin")
    with pytest.raises(DomainError) as exc:
        report_publish(consultation=consultation, actor=admin)
    assert exc.value.code == "proposals_pending" and "2" in exc.value.message
    assert not Report.objects.filter(consultation=consultation, published_at__isnull=False).exists()
    assert not LedgerEntry.objects.filter(kind="consultations.report_published").exists()


def test_publish_only_after_closing(hromada):
    consultation, qs = survey(hromada, current="open")
    with pytest.raises(DomainError) as exc:
        report_publish(consultation=consultation, actor=staff_user(hromada, "admin"))
    assert exc.value.code == "not_closed"
    assert not Report.objects.filter(consultation=consultation).exists()


def test_publish_ledgers_the_hashes_and_tells_participants_and_followers(
    closed, hromada, django_capture_on_commit_callbacks
):
    consultation, _qs, voters = closed
    follower = verified_user()
    Follow.objects.create(hromada=hromada, consultation=consultation, user=follower, at=timezone.now())
    supporter = verified_user()
    Support.objects.create(
        hromada=hromada,
        proposal=Proposal.objects.get(consultation=consultation, number=2),
        participant=rules.pseudonym_of(supporter, consultation),
        user=supporter,
        at=timezone.now(),
    )
    admin = staff_user(hromada, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        report = report_publish(consultation=consultation, actor=admin)
    assert report.published_at is not None and report.published_by == admin
    entry = LedgerEntry.objects.get(kind="consultations.report_published")
    assert entry.payload["text_sha256"] == hashlib.sha256(report.text.encode()).hexdigest()
    assert entry.payload["figures_sha256"] == figures_hash(report.figures)
    told = set(
        Notification.objects.filter(kind="consultations.report_published").values_list("user_id", flat=True)
    )
    expected = {u.pk for u in voters} | {follower.pk, supporter.pk}
    expected |= set(Proposal.objects.filter(consultation=consultation).values_list("author_id", flat=True))
    assert told == expected == participant_user_ids(consultation)
    with pytest.raises(DomainError) as exc:
        report_publish(consultation=consultation, actor=admin)
    assert exc.value.code == "report_published"
    with pytest.raises(DomainError):
        report_update(report=report, actor=admin, text="Інший")
    # A published report is never re-drafted.
    assert report_draft(consultation=consultation).text == report.text
    assert LedgerEntry.objects.filter(kind="consultations.report_published").count() == 1


ALLOWED = {"admin", "officer"}


@pytest.mark.parametrize("actor_name", ACTORS)
def test_role_matrix_for_update_and_publish(closed, hromada, other_hromada, actor_name):
    consultation, _qs, _v = closed
    report = report_draft(consultation=consultation)
    before = (report.text, report.outcome)
    actor = role_matrix(hromada, other_hromada)[actor_name]
    if actor_name in ALLOWED:
        report_update(report=report, actor=actor, text="Текст", outcome="Ухвалено")
        assert report_publish(consultation=consultation, actor=actor).published_at is not None
        return
    with pytest.raises(PermissionDenied):
        report_update(report=report, actor=actor, text="Текст")
    with pytest.raises(PermissionDenied):
        report_publish(consultation=consultation, actor=actor)
    report.refresh_from_db()
    assert (report.text, report.outcome, report.published_at) == (*before, None)
    assert not LedgerEntry.objects.filter(kind="consultations.report_published").exists()


def test_another_hromadas_staff_cannot_publish(closed, other_hromada):
    consultation, _qs, _v = closed
    with pytest.raises(PermissionDenied):
        report_publish(consultation=consultation, actor=staff_user(other_hromada, "admin"))


def test_report_of_a_closed_consultation_with_proposals_only(hromada):
    consultation, _qs = survey(hromada, current="report")
    proposal(consultation, status=ProposalStatus.PARTLY, reason="Частково")
    report = report_draft(consultation=consultation)
    assert report.figures["participants"] == 1 and report.figures["responses"] == 0
    assert report.figures["opens_at"] < report.figures["closes_at"]
    assert dt.datetime.fromisoformat(report.figures["closes_at"]) < timezone.now()
