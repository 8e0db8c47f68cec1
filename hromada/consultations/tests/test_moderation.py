"""Moderation: hiding and showing proposals with a reason; free-text answers let through
or hidden (one by one and in bulk); permissions; another hromada's rows untouched; the
comment targets' rules."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import UserFactory, role_matrix, staff_user, verified_user
from hromada.consultations import comment_targets
from hromada.consultations import proposal_selectors as ps
from hromada.consultations.models import Answer, Proposal, Question, Response
from hromada.consultations.services import moderation as mod
from hromada.consultations.services import proposals as svc
from hromada.core.errors import DomainError
from hromada.ledger.models import LedgerEntry

from .factories import make_consultation

pytestmark = pytest.mark.django_db


def _text_answers(consultation, n=2):
    question = Question.objects.create(
        hromada=consultation.hromada, consultation=consultation, order=99, kind="long", text="Що змінити?"
    )
    answers = []
    for i in range(n):
        response = Response.objects.create(
            hromada=consultation.hromada,
            consultation=consultation,
            participant=f"p{i}",
            status="submitted",
            submitted_at=timezone.now(),
        )
        answers.append(
            Answer.objects.create(
                hromada=consultation.hromada,
                response=response,
                question=question,
                text=f"Відповідь {i}",
                text_state="pending",
            )
        )
    return answers


def test_hide_and_show_a_proposal(hromada):
    consultation = make_consultation(hromada, kind="discussion")
    author = verified_user()
    proposal = svc.proposal_submit(consultation=consultation, user=author, title="Образлива", wording="x")
    moderator = staff_user(hromada, "moderator")
    with pytest.raises(DomainError) as exc:
        mod.proposal_hide(proposal=proposal, actor=moderator, reason="")
    assert exc.value.code == "reason_required"
    mod.proposal_hide(proposal=proposal, actor=moderator, reason="Містить персональні дані.")
    assert list(ps.proposals_of(consultation)) == []
    with pytest.raises(DomainError):
        ps.proposal_get(consultation, 1, user=verified_user())
    assert ps.proposal_get(consultation, 1, user=author).reason == "Містить персональні дані."
    with pytest.raises(DomainError) as exc:
        svc.proposal_support(proposal=Proposal.objects.get(pk=proposal.pk), user=verified_user())
    assert exc.value.code == "support_closed"
    mod.proposal_show(proposal=proposal, actor=moderator, reason="Дані прибрано автором.")
    assert Proposal.objects.get(pk=proposal.pk).status == "pending"
    actions = [
        e.payload["action"] for e in LedgerEntry.objects.filter(kind="consultations.moderated").order_by("id")
    ]
    assert actions == ["hidden", "shown"]


def test_an_answered_proposal_cannot_be_hidden(hromada):
    consultation = make_consultation(hromada, kind="discussion")
    proposal = svc.proposal_submit(consultation=consultation, user=verified_user(), title="Т", wording="x")
    svc.proposal_answer(
        proposal=proposal, actor=staff_user(hromada, "officer"), status="accepted", reason="Так."
    )
    with pytest.raises(DomainError) as exc:
        mod.proposal_hide(proposal=proposal, actor=staff_user(hromada, "moderator"), reason="Ні.")
    assert exc.value.code == "not_pending"


def test_free_text_answers_one_by_one_and_in_bulk(hromada):
    consultation = make_consultation(hromada, kind="survey")
    a, b, c = _text_answers(consultation, 3)
    moderator = staff_user(hromada, "moderator")
    assert [x.pk for x in ps.moderation_queue(hromada=hromada)] == [a.pk, b.pk, c.pk]
    assert (
        mod.answers_moderate(consultation=consultation, actor=moderator, answer_ids=[a.pk], state="hidden")
        == 1
    )
    assert (
        mod.answers_moderate(
            consultation=consultation, actor=moderator, answer_ids=[a.pk, b.pk, c.pk], state="shown"
        )
        == 3
    )
    assert set(Answer.objects.values_list("text_state", flat=True)) == {"shown"}
    assert ps.moderation_queue(hromada=hromada) == []
    with pytest.raises(DomainError) as exc:
        mod.answers_moderate(consultation=consultation, actor=moderator, answer_ids=[a.pk], state="pending")
    assert exc.value.code == "state_invalid"


def test_moderation_role_matrix_and_other_hromada(hromada, other_hromada):
    consultation = make_consultation(hromada, kind="survey")
    (answer,) = _text_answers(consultation, 1)
    foreign = make_consultation(other_hromada, kind="survey")
    (foreign_answer,) = _text_answers(foreign, 1)
    for name, actor in role_matrix(hromada, other_hromada).items():
        allowed = name in ("admin", "moderator")
        try:
            mod.answers_moderate(
                consultation=consultation, actor=actor, answer_ids=[answer.pk], state="hidden"
            )
        except DomainError as exc:
            assert not allowed, name
            assert exc.code == "forbidden"
            assert Answer.objects.get(pk=answer.pk).text_state in ("pending", "hidden")
        else:
            assert allowed, name
            Answer.objects.filter(pk=answer.pk).update(text_state="pending")
    # An answer of another hromada's consultation is never touched through this one.
    moderator = staff_user(hromada, "moderator")
    assert (
        mod.answers_moderate(
            consultation=consultation, actor=moderator, answer_ids=[foreign_answer.pk], state="shown"
        )
        == 0
    )
    assert Answer.objects.get(pk=foreign_answer.pk).text_state == "pending"
    assert ps.moderation_queue(hromada=hromada) == [answer]


def test_comment_targets(hromada, other_hromada):
    consultation = make_consultation(hromada, kind="discussion")
    paragraph = consultation.paragraphs.get(number="1.2")
    author = verified_user()
    proposal = svc.proposal_submit(
        consultation=consultation, user=author, title="Т", wording="x", paragraph=paragraph
    )
    target = comment_targets.proposal(hromada=hromada, key=str(proposal.public_id))
    assert target.public and target.moderate_perm == "consultations.moderate"
    assert target.url == f"/consultations/{consultation.number}/proposals/1/"
    assert list(target.audience()) == [author]
    assert target.refusal(verified_user()) is None
    assert target.refusal(UserFactory(email_confirmed_at=None)).code == "email_unconfirmed"
    para = comment_targets.paragraph(hromada=hromada, key=str(paragraph.public_id))
    assert "1.2" in para.title and para.url.endswith(f"/text/{paragraph.public_id}/")
    whole = comment_targets.consultation(hromada=hromada, key=str(consultation.public_id))
    assert whole.public and whole.url == f"/consultations/{consultation.number}/"
    # Another hromada, nonsense keys: no such thing.
    assert comment_targets.proposal(hromada=other_hromada, key=str(proposal.public_id)) is None
    assert comment_targets.paragraph(hromada=hromada, key="nonsense") is None
    # Comments off, closed, draft.
    quiet = make_consultation(hromada, kind="discussion", allow_comments=False, title="Тихо")
    assert (
        comment_targets.consultation(hromada=hromada, key=str(quiet.public_id)).refusal(author).code
        == "comments_off"
    )
    closed = make_consultation(hromada, kind="discussion", current="report", title="Закрито")
    assert (
        comment_targets.consultation(hromada=hromada, key=str(closed.public_id)).refusal(author).code
        == "closed"
    )
    draft = make_consultation(hromada, kind="discussion", publish=False, title="Чернетка")
    assert not comment_targets.consultation(hromada=hromada, key=str(draft.public_id)).public
