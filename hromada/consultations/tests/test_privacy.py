"""A person's data: exported with their answers; erased as module.py's kept_on_erase says."""

from __future__ import annotations

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import verified_user
from hromada.consultations import privacy, result_selectors
from hromada.consultations.models import Follow, Proposal, Response, Support

from .test_report import proposal
from .test_results_data import submit, survey

pytestmark = pytest.mark.django_db


def test_export_and_erase(hromada):
    consultation, qs = survey(hromada)
    other_poll, other_qs = survey(hromada, title="Друге")
    user = verified_user()
    submit(consultation, qs, {"single": "Так", "long": "Моя думка"}, user=user)
    submit(other_poll, other_qs, {"single": "Ні"}, user=user, status="draft")
    mine = proposal(consultation, user=user)
    Support.objects.create(
        hromada=hromada, proposal=proposal(consultation), participant="x", user=user, at=timezone.now()
    )
    Follow.objects.create(hromada=hromada, consultation=consultation, user=user, at=timezone.now())
    data = privacy.personal_data(user=user)
    assert [r["status"] for r in data["responses"]] == ["submitted", "draft"]
    answers = data["responses"][0]["answers"]
    assert {"question": "Чи потрібен парк?", "option": "Так"}.items() <= answers[0].items()
    assert any(a["text"] == "Моя думка" for a in answers)
    assert data["proposals"][0]["title"] == mine.title
    assert len(data["supports"]) == 1 and len(data["follows"]) == 1

    privacy.personal_data_erase(user=user)
    assert not Response.objects.filter(user=user).exists()
    kept = Response.objects.get(consultation=consultation)
    assert kept.user is None and kept.status == "submitted"  # still counted, same pseudonym
    assert not Response.objects.filter(consultation=other_poll).exists()  # the draft is gone
    mine.refresh_from_db()
    assert mine.author is None and mine.author_name == privacy.ERASED_NAME
    assert not Support.objects.filter(user=user).exists() and Support.objects.count() == 1
    assert not Follow.objects.filter(user=user).exists()
    result_selectors.cache_clear()
    assert result_selectors.results_of(consultation).respondents == 1
    assert privacy.personal_data(user=user) == {
        "responses": [],
        "proposals": [],
        "supports": [],
        "follows": [],
    }
    assert Proposal.objects.filter(consultation=consultation).count() == 2
