"""The account's budget data: exported in full, erased as module.py promises, ballots
kept counted under their pseudonyms."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.budget import privacy
from hromada.budget.models import Authorisation, Ballot, CoAuthor, Project, ProjectStatus, Residency, Support

from .helpers_results import cast, make_project
from .test_results import build

pytestmark = pytest.mark.django_db


def _data(hromada, user):
    cycle, cats, p = build(hromada, current="voting")
    draft = make_project(cycle, cats[0], status=ProjectStatus.DRAFT, author=user, title="Моя чернетка")
    mine = make_project(cycle, cats[0], author=user, title="Мій проєкт")
    other = p["s1"]
    CoAuthor.objects.create(
        hromada=hromada, project=other, user=user, token_hash="a" * 64, accepted_at=timezone.now()
    )
    CoAuthor.objects.create(hromada=hromada, project=p["s2"], user=user, token_hash="b" * 64)
    Support.objects.create(
        hromada=hromada, project=other, user=user, supporter="s" * 32, created_at=timezone.now()
    )
    Residency.objects.create(
        hromada=hromada, cycle=cycle, user=user, address="вул. Соборна, 1", inside_hromada=True
    )
    Authorisation.objects.create(
        hromada=hromada,
        cycle=cycle,
        person_key="k" * 64,
        user=user,
        reason="idp",
        document_seen="довідка ВПО",
        granted_by=staff_user(hromada, "officer"),
    )
    ballot = cast(cats[0], [other], user=user)
    return cycle, cats, p, draft, mine, ballot


def test_the_export_holds_everything_about_the_person_and_nobody_else(hromada):
    user = verified_user()
    stranger = verified_user()
    cycle, cats, p, draft, mine, ballot = _data(hromada, user)
    cast(cats[0], [p["s2"]], user=stranger)
    data = privacy.personal_data(user=user)
    json.dumps(data)
    assert {x["title"] for x in data["projects"]} == {"Моя чернетка", "Мій проєкт"}
    assert next(x for x in data["projects"] if x["title"] == "Моя чернетка")["description"] == "Опис"
    assert len(data["coauthorships"]) == 2 and len(data["supports"]) == 1
    assert data["residencies"][0]["address"] == "вул. Соборна, 1"
    assert data["authorisations"][0]["document_seen"] == "довідка ВПО"
    assert data["ballots"] == [
        {
            "hromada": hromada.slug,
            "cycle": cycle.slug,
            "category": cats[0].title,
            "category_id": str(cats[0].public_id),
            "channel": "online",
            "choices": [str(p["s1"].public_id)],
            "cast_at": ballot.cast_at.isoformat(),
        }
    ]
    assert "k" * 64 not in json.dumps(data), "the person key is not handed out"
    assert str(p["s2"].public_id) not in json.dumps(data["ballots"])


def test_erasure_keeps_ballots_counted_and_public_records(hromada):
    user = verified_user()
    cycle, cats, p, draft, mine, ballot = _data(hromada, user)
    privacy.personal_data_erase(user=user)
    assert not Project.objects.filter(pk=draft.pk).exists()
    assert Project.objects.filter(pk=mine.pk).exists(), "a submitted project is public record"
    assert not Residency.objects.filter(user=user).exists()
    assert CoAuthor.objects.filter(user=user).count() == 1, "the accepted co-authorship stays"
    kept = Ballot.objects.get(pk=ballot.pk)
    assert kept.user is None and kept.voter == ballot.voter
    assert Support.objects.get(project=p["s1"]).user is None
    assert Authorisation.objects.get(cycle=cycle).user is None
    assert privacy.personal_data(user=user)["ballots"] == []


def test_the_account_deletion_runs_the_budget_eraser(hromada):
    from hromada.accounts import services

    user = verified_user()
    cycle, cats, p, draft, mine, ballot = _data(hromada, user)
    services.user_delete_account(user=user, password="correct horse battery")
    assert Ballot.objects.get(pk=ballot.pk).user is None
    assert not Project.objects.filter(pk=draft.pk).exists()
