"""Public pages of a consultation's life and the API through HTTP: every phase renders,
drafts are on no public surface, filters, following with and without htmx, my page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import UserFactory, staff_user
from hromada.consultations.models import Follow
from hromada.consultations.services import consultations as svc

from .factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_phase(hromada):
    admin = staff_user(hromada, "admin")
    rows = {
        p: make_consultation(hromada, actor=admin, current=p, title=f"Консультація {p}")
        for p in ("upcoming", "open", "report", "closed")
    }
    cancelled = make_consultation(hromada, actor=admin, title="Консультація cancelled")
    rows["cancelled"] = svc.consultation_cancel(
        consultation=cancelled, actor=admin, reason="Помилка в проєкті"
    )
    rows["draft"] = make_consultation(hromada, actor=admin, publish=False, title="Таємна чернетка")
    return rows


def test_every_phase_renders_and_drafts_stay_hidden(client, hromada, every_phase):
    index = client.get(reverse("consultations:index")).content.decode()
    for phase, c in every_phase.items():
        if phase == "draft":
            assert c.title not in index
            continue
        assert c.title in index
        page = client.get(reverse("consultations:detail", args=[c.number]))
        assert page.status_code == 200, phase
    assert (
        "Помилка в проєкті"
        in client.get(
            reverse("consultations:detail", args=[every_phase["cancelled"].number])
        ).content.decode()
    )
    assert "Таємна чернетка" not in client.get("/").content.decode()
    api = client.get("/api/v1/consultations").json()
    assert "Таємна чернетка" not in str(api) and api["count"] == 5


def test_index_filters_are_links(client, hromada, every_phase):
    page = client.get(reverse("consultations:index"), {"state": "open"}).content.decode()
    assert "Консультація open" in page and "Консультація closed" not in page
    assert 'aria-current="true"' in page
    assert (
        "Консультація report"
        in client.get(reverse("consultations:index"), {"state": "closed"}).content.decode()
    )
    assert "Консультацій за цими умовами" not in page
    empty = client.get(reverse("consultations:index"), {"q": "нічого такого"}).content.decode()
    assert "За цими умовами консультацій не знайдено" in empty


def test_detail_shows_who_may_take_part_and_the_persons_refusal(client, hromada):
    c = make_consultation(hromada, audience="verified", min_age=18)
    anon = client.get(reverse("consultations:detail", args=[c.number])).content.decode()
    assert "Мешканці з підтвердженою особою" in anon and "З 18 років." in anon
    assert "Увійдіть, щоб узяти участь." in anon
    client.force_login(UserFactory())
    mine = client.get(reverse("consultations:detail", args=[c.number])).content.decode()
    assert "підтвердженою особою: увійдіть через id.gov.ua" in mine


def test_follow_with_and_without_htmx(client, hromada):
    c = make_consultation(hromada)
    url = reverse("consultations:follow", args=[c.number])
    assert client.post(url).status_code == 302  # to the login page
    assert not Follow.objects.exists()
    user = UserFactory()
    client.force_login(user)
    assert client.post(url).status_code == 302
    assert Follow.objects.filter(user=user, consultation=c).exists()
    partial = client.post(url, {"action": "unfollow"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and 'id="follow-box"' in partial.content.decode()
    assert not Follow.objects.filter(consultation=c).exists()
    client.post(reverse("consultations:subscribe"))
    assert Follow.objects.filter(user=user, consultation__isnull=True).exists()
    my = client.get(reverse("consultations:my")).content.decode()
    assert "Ви отримуєте сповіщення про нові консультації." in my


def test_a_draft_is_404_on_the_page_and_the_api(client, hromada, every_phase):
    draft = every_phase["draft"]
    assert draft.number is None
    assert client.get("/api/v1/consultations/999").status_code == 404
    assert client.get("/api/v1/consultations/999").json()["code"] == "consultation_not_found"


def test_api_detail_and_follow(client, hromada):
    c = make_consultation(hromada, kind="consultation", title="Площа")
    body = client.get(f"/api/v1/consultations/{c.number}").json()
    assert body["phase"] == "open" and body["title"] == "Площа"
    assert [s["code"] for s in body["timeline"]] == ["open", "report"]
    assert body["who"]["audience"] == "email" and body["links"]["page"] == f"/consultations/{c.number}/"
    assert client.post(f"/api/v1/consultations/{c.number}/follow").status_code == 401
    user = UserFactory()
    client.force_login(user)
    assert client.post(f"/api/v1/consultations/{c.number}/follow").json() == {"following": True}
    assert client.delete(f"/api/v1/consultations/{c.number}/follow").json() == {"following": False}
    listed = client.get("/api/v1/consultations", {"kind": "consultation", "state": "open"}).json()
    assert [i["number"] for i in listed["items"]] == [c.number]


def test_another_hromada_sees_nothing(client, hromada, other_hromada, settings):
    settings.ALLOWED_HOSTS = ["*"]
    c = make_consultation(hromada)
    assert (
        client.get(
            reverse("consultations:detail", args=[c.number]), HTTP_HOST="other.example.test"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/consultations", HTTP_HOST="other.example.test").json()["count"] == 0
