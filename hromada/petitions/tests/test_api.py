import csv
import io
import json

import pytest

from hromada.accounts.tests.factories import UserFactory, staff_user, verified_user
from hromada.petitions.models import Signature, Status
from hromada.petitions.tests.factories import CategoryFactory, PetitionFactory, collecting

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def test_list_and_read_published_petitions(client, hromada):
    p = collecting(hromada=hromada, title="Освітлення в парку Шевченка")
    PetitionFactory(hromada=hromada)  # in moderation: not public
    response = client.get("/api/v1/petitions")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == str(p.public_id)
    assert body["items"][0]["signatures"] == 0
    detail = client.get(f"/api/v1/petitions/{p.public_id}").json()
    assert detail["title"] == "Освітлення в парку Шевченка"
    assert detail["status"] == "collecting"


def test_list_filters_by_search_and_status(client, hromada):
    collecting(hromada=hromada, title="Ремонт дороги на Садовій вулиці")
    collecting(hromada=hromada, title="Новий сквер біля ринку", status=Status.CONSIDERATION)
    assert client.get("/api/v1/petitions", {"q": "дороги"}).json()["count"] == 1
    assert client.get("/api/v1/petitions", {"status": "consideration"}).json()["count"] == 1


def test_other_hromadas_petition_is_not_found(client, hromada, other_hromada):
    foreign = collecting(hromada=other_hromada)
    response = client.get(f"/api/v1/petitions/{foreign.public_id}")
    assert response.status_code == 404
    assert response.json()["code"] == "petition_not_found"
    client.force_login(verified_user())
    response = _post(client, f"/api/v1/petitions/{foreign.public_id}/sign")
    assert response.status_code == 404
    assert not Signature.objects.exists()


def test_sign_through_api_then_twice(client, hromada):
    p = collecting(hromada=hromada)
    client.force_login(verified_user())
    response = _post(client, f"/api/v1/petitions/{p.public_id}/sign")
    assert response.status_code == 201, response.content
    assert response.json()["signed"] is True
    assert len(response.json()["receipt"]) == 32
    again = _post(client, f"/api/v1/petitions/{p.public_id}/sign")
    assert again.status_code == 409
    assert again.json() == {
        "code": "already_signed",
        "message": "Ви вже підписали цю петицію.",
        "field": None,
    }
    assert Signature.objects.count() == 1


def test_sign_requires_authentication_and_identity(client, hromada):
    p = collecting(hromada=hromada)
    response = _post(client, f"/api/v1/petitions/{p.public_id}/sign")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_required"
    client.force_login(UserFactory())
    response = _post(client, f"/api/v1/petitions/{p.public_id}/sign")
    assert response.status_code == 403
    assert response.json()["code"] == "identity_required"
    assert not Signature.objects.exists()


def test_submit_validation_errors_have_code_and_field(client, hromada):
    CategoryFactory(hromada=hromada, slug="roads")
    client.force_login(verified_user())
    response = _post(client, "/api/v1/petitions", {"title": "", "text": "x", "category": "roads"})
    assert response.status_code == 400
    assert response.json()["code"] == "title_required"
    assert response.json()["field"] == "title"
    response = _post(client, "/api/v1/petitions", {"title": "Назва петиції тут"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    response = client.post("/api/v1/petitions", data="{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert "code" in response.json()


def test_staff_actions_through_api(client, hromada):
    p = PetitionFactory(hromada=hromada)
    client.force_login(verified_user())
    # A resident cannot see a petition in moderation, so for them it does not exist.
    assert _post(client, f"/api/v1/petitions/{p.public_id}/publish").status_code == 404
    p.refresh_from_db()
    assert p.status == Status.MODERATION
    client.force_login(staff_user(hromada, "moderator"))
    response = _post(client, f"/api/v1/petitions/{p.public_id}/publish")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "collecting"
    other = PetitionFactory(hromada=hromada)
    response = _post(client, f"/api/v1/petitions/{other.public_id}/reject", {"reason": "bogus"})
    assert response.status_code == 422
    response = _post(
        client, f"/api/v1/petitions/{other.public_id}/reject", {"reason": "duplicate", "comment": "Є №1"}
    )
    assert response.json()["status"] == "rejected"


def test_another_hromadas_moderator_cannot_publish(client, hromada, other_hromada):
    p = PetitionFactory(hromada=hromada)
    client.force_login(staff_user(other_hromada, "moderator"))
    response = _post(client, f"/api/v1/petitions/{p.public_id}/publish")
    assert response.status_code in (403, 404)
    p.refresh_from_db()
    assert p.status == Status.MODERATION


def test_open_data_export_csv_and_json(client, hromada):
    p = collecting(hromada=hromada, title="Сквер біля ринку для всіх")
    signer = verified_user()
    Signature.objects.create(
        hromada=hromada, petition=p, user=signer, person_key="k", signer_name="Х Y", created_at=p.published_at
    )
    data = json.loads(b"".join(client.get("/api/v1/petitions/export.json").streaming_content))
    assert data[0]["signatures"] == 1
    assert data[0]["title"] == "Сквер біля ринку для всіх"
    raw = b"".join(client.get("/api/v1/petitions/export.csv").streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert rows[0]["signatures"] == "1"
    assert "Х Y" not in raw


def test_openapi_schema_is_served(client, hromada):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/petitions/{public_id}/sign" in schema["paths"]
