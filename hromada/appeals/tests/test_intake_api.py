"""The intake API through HTTP: a report with photos (the bench's contract), an appeal,
an information request, the categories; codes, the 201 body, per-field errors."""

import pytest

from hromada.accounts.services.tokens import api_token_create
from hromada.appeals.models import Case, CaseStatus
from hromada.appeals.tests.factories import LAT, LON, make_category
from hromada.appeals.tests.intake_helpers import (
    OUT_LAT,
    OUT_LON,
    draw_boundary,
    image,
    not_an_image,
    pole_attribute,
)

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/appeals/reports"


@pytest.fixture
def auth(resident):
    _token, raw = api_token_create(user=resident, name="bench")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_report_with_photos_answers_201_with_its_number(client, hromada, resident, auth):
    category = make_category(hromada, code="streetlight", target_hours=48)
    pole_attribute(category)
    response = client.post(
        REPORTS,
        {
            "category": "streetlight",
            "lat": str(LAT),
            "lon": str(LON),
            "description": "Не світить ліхтар",
            "attribute[pole]": "17",
            "photo": [image("a.png"), image("b.jpg", "JPEG")],
            "photo_alt": ["Ліхтар уночі", ""],
        },
        **auth,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get()
    assert set(body) == {"id", "number", "status", "due_at", "url"}
    assert body["id"] == str(case.public_id) and body["number"] == case.number == 1
    assert body["status"] == case.status and body["url"].endswith(f"/appeals/cases/{case.public_id}/")
    assert case.channel == "api" and case.applicant == resident and case.attributes == {"pole": "17"}
    alts = list(case.attachments.values_list("alt_text", flat=True))
    assert alts[0] == "Ліхтар уночі" and category.name in alts[1]


def test_report_errors_have_stable_codes_and_every_field(client, hromada, auth):
    draw_boundary(hromada)
    category = make_category(hromada, code="pothole")
    response = client.post(
        REPORTS,
        {
            "category": "pothole",
            "lat": str(OUT_LAT),
            "lon": str(OUT_LON),
            "description": "",
            "photo": [not_an_image()],
        },
        **auth,
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "case_incomplete"
    assert {(e["field"], e["code"]) for e in body["errors"]} == {
        ("location", "location_outside"),
        ("text", "text_required"),
        ("photo[1]", "file_type_not_allowed"),
    }
    assert not Case.objects.exists()
    response = client.post(REPORTS, {"category": "no-such", "lat": str(LAT), "lon": str(LON)}, **auth)
    assert response.status_code == 422 and response.json()["code"] == "category_unknown"
    response = client.post(REPORTS, {"category": category.code, "lat": "north", "lon": "x"}, **auth)
    assert response.status_code == 422 and response.json()["code"] == "point_invalid"


def test_a_too_large_photo_is_refused(client, hromada, auth, settings):
    from hromada.appeals.services import intake

    make_category(hromada, code="pothole")
    big = image(size=(900, 900))
    original = intake.PHOTO_MAX_BYTES
    intake.PHOTO_MAX_BYTES = 1000
    try:
        response = client.post(
            REPORTS,
            {"category": "pothole", "lat": str(LAT), "lon": str(LON), "description": "x", "photo": [big]},
            **auth,
        )
    finally:
        intake.PHOTO_MAX_BYTES = original
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "file_too_large"


def test_more_than_three_photos_are_refused(client, hromada, auth):
    make_category(hromada, code="pothole")
    response = client.post(
        REPORTS,
        {
            "category": "pothole",
            "lat": str(LAT),
            "lon": str(LON),
            "description": "x",
            "photo": [image(f"{n}.png") for n in range(4)],
        },
        **auth,
    )
    assert response.status_code == 422 and response.json()["code"] == "too_many_files"


def test_reports_need_a_valid_token(client, hromada):
    make_category(hromada, code="pothole")
    data = {"category": "pothole", "lat": str(LAT), "lon": str(LON), "description": "x"}
    assert client.post(REPORTS, data).status_code in (401, 403)
    assert client.post(REPORTS, data, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_a_category_of_another_hromada_is_unknown(client, hromada, other_hromada, auth):
    make_category(other_hromada, code="theirs")
    response = client.post(
        REPORTS, {"category": "theirs", "lat": str(LAT), "lon": str(LON), "description": "x"}, **auth
    )
    assert response.status_code == 422 and response.json()["code"] == "category_unknown"


def test_an_appeal_by_json(client, hromada, auth):
    data = {
        "appeal_type": "complaint",
        "applicant_name": "Коваленко Ірина Петрівна",
        "applicant_address": "вул. Шевченка, 12",
        "text": "Не вивозять сміття",
    }
    response = client.post("/api/v1/appeals/appeals", data, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert case.appeal_type == "complaint" and case.status == CaseStatus.REGISTERED and case.channel == "api"
    response = client.post("/api/v1/appeals/appeals", {"text": "x"}, content_type="application/json", **auth)
    body = response.json()
    assert response.status_code == 422 and body["code"] == "case_incomplete"
    assert {e["code"] for e in body["errors"]} == {
        "applicant_name_required",
        "applicant_address_required",
        "appeal_type_required",
    }
    response = client.post(
        "/api/v1/appeals/appeals",
        data | {"applicant_email": "not-an-email"},
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 422 and response.json()["code"] == "applicant_email_invalid"


def test_an_information_request_by_json(client, hromada, auth):
    data = {
        "applicant_name": "ГО «Прозорість»",
        "applicant_email": "go@example.com",
        "text": "Кошторис ремонту",
        "answer_form": "email",
    }
    response = client.post("/api/v1/appeals/info-requests", data, content_type="application/json", **auth)
    assert response.status_code == 201
    response = client.post(
        "/api/v1/appeals/info-requests", data | {"urgent": True}, content_type="application/json", **auth
    )
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "urgent_reason_required"


def test_categories_with_their_attributes_and_target(client, hromada, other_hromada):
    category = make_category(hromada, code="streetlight", target_hours=None, group="Освітлення")
    pole_attribute(category)
    make_category(other_hromada, code="theirs")
    body = client.get("/api/v1/appeals/categories").json()
    assert [c["code"] for c in body["items"]] == ["streetlight"]
    item = body["items"][0]
    from hromada.appeals.services.cases import settings_of

    assert item["target_hours"] == settings_of(hromada).report_default_hours
    assert item["attributes"][0]["code"] == "pole" and item["attributes"][0]["required"] is True
    assert client.get("/api/v1/appeals/categories?kind=nope").status_code == 400
