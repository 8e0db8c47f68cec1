"""Co-authors and attachments through the API: every resident action has an endpoint."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hromada.accounts.tests.factories import verified_user
from hromada.budget.models import CoAuthor, ProjectFile

from .factories import make_cycle
from .helpers_projects import draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(hromada):
    return make_cycle(hromada, current="ideas", residence="any")


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def test_a_link_invitation_is_accepted_by_another_resident(client, cycle):
    author, friend = verified_user(), verified_user()
    project = draft(cycle, author)
    client.force_login(author)
    made = client.post(
        f"/api/v1/budget/projects/{project.public_id}/coauthors", {}, content_type="application/json"
    )
    assert made.status_code == 201
    token = made.json()["accept_url"].rstrip("/").rsplit("/", 1)[-1]
    client.force_login(friend)
    accepted = client.post(f"/api/v1/budget/coauthors/{token}/accept", content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["project"] == str(project.public_id)
    assert CoAuthor.objects.get(project=project).user == friend


def test_only_the_author_invites_and_a_forged_token_is_404(client, cycle):
    project = draft(cycle, verified_user())
    client.force_login(verified_user())
    refused = client.post(
        f"/api/v1/budget/projects/{project.public_id}/coauthors", {}, content_type="application/json"
    )
    assert refused.status_code in (403, 404)
    missing = client.post("/api/v1/budget/coauthors/not-a-token/accept", content_type="application/json")
    assert missing.status_code == 404 and missing.json()["code"] == "invitation_not_found"
    assert not CoAuthor.objects.exists()


def test_a_photo_needs_its_description_and_then_is_attached(client, cycle):
    author = verified_user()
    project = draft(cycle, author)
    client.force_login(author)
    url = f"/api/v1/budget/projects/{project.public_id}/files"
    bare = client.post(url, {"file": SimpleUploadedFile("site.png", _png(), content_type="image/png")})
    assert bare.status_code == 400 and bare.json()["code"] == "alt_text_required"
    assert not ProjectFile.objects.exists()
    ok = client.post(
        url,
        {
            "file": SimpleUploadedFile("site.png", _png(), content_type="image/png"),
            "alt_text": "Пустир біля школи, де буде майданчик",
        },
    )
    assert ok.status_code == 201 and ok.json()["alt_text"].startswith("Пустир")
    assert ProjectFile.objects.get(project=project).content_type == "image/png"
