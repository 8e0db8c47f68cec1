"""The results page, export, API and the report pages over HTTP: visibility (hidden
while open when AFTER, live when LIVE, staff always), the staff report's permissions."""

from __future__ import annotations

import json

import pytest

from hromada.accounts.tests.factories import ACTORS, role_matrix, staff_user
from hromada.consultations.models import Report
from hromada.consultations.services.reports import report_draft, report_publish

from .test_results_data import submit, survey

pytestmark = pytest.mark.django_db


def answers(qs):
    return {
        "single": "Так",
        "multiple": ["Лави"],
        "ranking": ["Школи", "Дороги", "Парки"],
        "scale": 4,
        "number": 3,
        "long": "Видно",
        "point": (48.5, 32.2),
    }


def test_hidden_while_open_when_after(client, hromada):
    consultation, qs = survey(hromada)
    submit(consultation, qs, answers(qs))
    page = client.get(f"/consultations/{consultation.number}/results/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "буде оприлюднено після завершення" in text and "Лави" not in text
    assert client.get(f"/consultations/{consultation.number}/results/export.csv").status_code == 404
    api = client.get(f"/api/v1/consultations/{consultation.number}/results")
    assert api.status_code == 403 and api.json()["code"] == "results_hidden"
    client.force_login(staff_user(hromada, "officer"))
    assert "Лави" in client.get(f"/consultations/{consultation.number}/results/").content.decode()
    assert "Лави" in client.get(f"/staff/consultations/{consultation.public_id}/results/").content.decode()


def test_live_results_with_charts_tables_map_and_crosstab(client, hromada):
    consultation, qs = survey(hromada, results_visibility="live")
    for _ in range(5):
        submit(consultation, qs, answers(qs), age_group="18-35", text_state="shown")
    page = client.get(f"/consultations/{consultation.number}/results/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Лави" in text and "cons-bar-fill" in text and "Видно" in text
    assert "5 відповідей записано в публічному реєстрі" in text
    assert "map-" in text or "data-map" in text
    crosstab = client.get(f"/consultations/{consultation.number}/results/?by=age_group").content.decode()
    assert "За віковими групами" in crosstab and "18–35" in crosstab
    points = client.get(
        f"/consultations/{consultation.number}/results/points/{qs['point'].public_id}.geojson"
    )
    assert points.json()["features"][0]["properties"]["count"] == 5
    exported = json.loads(
        b"".join(client.get(f"/consultations/{consultation.number}/results/export.json").streaming_content)
    )
    assert {r["option"]: r["answers"] for r in exported if r["question_kind"] == "single"} == {
        "Так": 5,
        "Ні": 0,
    }
    api = client.get(f"/api/v1/consultations/{consultation.number}/results").json()
    assert api["responses"] == 5


def test_report_page_404_until_published(client, hromada):
    consultation, qs = survey(hromada, current="report")
    submit(consultation, qs, answers(qs))
    report_draft(consultation=consultation)
    assert client.get(f"/consultations/{consultation.number}/report/").status_code == 404
    assert client.get(f"/api/v1/consultations/{consultation.number}/report").status_code == 404
    report_publish(consultation=consultation, actor=staff_user(hromada, "admin"))
    page = client.get(f"/consultations/{consultation.number}/report/")
    assert page.status_code == 200 and "Учасників: 1" in page.content.decode()
    assert (
        client.get(f"/api/v1/consultations/{consultation.number}/report").json()["figures"]["responses"] == 1
    )


def test_another_hromada_sees_nothing(client, hromada, other_hromada, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    consultation, qs = survey(hromada, results_visibility="live")
    other = client.get(f"/consultations/{consultation.number}/results/", HTTP_HOST="other.example.test")
    assert other.status_code == 404
    client.force_login(staff_user(other_hromada, "admin"))
    staff = client.get(
        f"/staff/consultations/{consultation.public_id}/report/", HTTP_HOST="other.example.test"
    )
    assert staff.status_code in (403, 404)


@pytest.mark.parametrize("actor_name", ACTORS)
def test_staff_report_page_role_matrix(client, hromada, other_hromada, actor_name):
    consultation, qs = survey(hromada, current="report")
    submit(consultation, qs, answers(qs))
    report_draft(consultation=consultation)
    actor = role_matrix(hromada, other_hromada)[actor_name]
    if actor.is_authenticated:
        client.force_login(actor)
    url = f"/staff/consultations/{consultation.public_id}/report/"
    answer = client.post(url, {"action": "publish", "confirm": "on"})
    published = Report.objects.get(consultation=consultation).published_at is not None
    if actor_name in ("admin", "officer"):
        assert answer.status_code == 302 and published
    else:
        assert answer.status_code in (302, 403) and not published
        if actor_name == "anonymous":
            assert "/login" in answer["Location"] or "accounts" in answer["Location"]


def test_staff_edit_redraft_and_publish_needs_confirmation(client, hromada):
    consultation, qs = survey(hromada, current="report")
    submit(consultation, qs, answers(qs))
    client.force_login(staff_user(hromada, "officer"))
    url = f"/staff/consultations/{consultation.public_id}/report/"
    assert client.post(url, {"action": "draft"}).status_code == 302
    saved = client.post(
        url, {"action": "save", "text": "Виправлений текст", "outcome": "Ухвалено", "decision_url": "ftp://x"}
    )
    assert saved.status_code == 400 and "Посилання на рішення" in saved.content.decode()
    assert (
        client.post(
            url, {"action": "save", "text": "Виправлений текст", "decision_url": "https://rada.example/1"}
        ).status_code
        == 302
    )
    refused = client.post(url, {"action": "publish"})
    assert refused.status_code == 400 and "Підтвердьте оприлюднення" in refused.content.decode()
    assert Report.objects.get().published_at is None
    assert client.post(url, {"action": "publish", "confirm": "on"}).status_code == 302
    report = Report.objects.get()
    assert (
        report.published_at
        and report.text == "Виправлений текст"
        and report.decision_url == "https://rada.example/1"
    )
