"""The author's one answer to the review, through the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from hromada.accounts.tests.factories import UserFactory
from hromada.budget.models import ProjectStatus, Review
from hromada.budget.tests.factories import make_cycle
from hromada.budget.tests.helpers_staff import make_project

pytestmark = pytest.mark.django_db


def _decided(hromada):
    """A rejected project whose review is decided, as the reviewer leaves it."""
    cycle = make_cycle(hromada, current="review")
    project = make_project(cycle, status=ProjectStatus.REJECTED)
    Review.objects.create(
        hromada=hromada,
        project=project,
        decision="rejected",
        reasons="Ділянка не в комунальній власності.",
        decided_at=timezone.now(),
    )
    return project


def test_the_author_answers_once_and_others_may_not(hromada):
    project = _decided(hromada)
    author = project.author
    client = Client()
    client.force_login(author)
    url = f"/api/v1/budget/projects/{project.public_id}/answer"
    stranger = Client()
    stranger.force_login(UserFactory())
    refused = stranger.post(url, {"text": "Не мій проєкт"}, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    first = client.post(url, {"text": "Дякуємо, уточнимо кошторис."}, content_type="application/json")
    assert first.status_code == 201 and first.json()["text"] == "Дякуємо, уточнимо кошторис."
    second = client.post(url, {"text": "Ще раз"}, content_type="application/json")
    assert second.status_code == 409
    assert Review.objects.get(project=project).author_answer == "Дякуємо, уточнимо кошторис."
