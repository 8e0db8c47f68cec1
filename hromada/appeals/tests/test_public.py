"""The public side through HTTP: who sees what, privacy, filters, the viewport query and
its errors, the cabinet, subscriptions, cross-hromada isolation."""

import datetime as dt

import pytest
from django.urls import reverse

from hromada.accounts.tests.factories import verified_user
from hromada.appeals.models import Attachment, CaseKind, CaseStatus, CoSigner, Moderation, Subscription
from hromada.appeals.services import follows
from hromada.appeals.tests.factories import LAT, LON, make_case, make_category, make_department
from hromada.appeals.tests.helpers_public import appeal, close, shown_report
from hromada.core.calendar import KYIV
from hromada.core.errors import DomainError
from hromada.notify.models import Notification
from hromada.places.models import Area, AreaKind

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=KYIV)
BBOX = f"{LON - 0.05},{LAT - 0.05},{LON + 0.05},{LAT + 0.05}"
GEO = "/api/v1/appeals/reports.geojson"

PRIVATE = {
    "applicant_name": "Шевчук Олеся Ігорівна",
    "applicant_email": "olesya.private@example.com",
    "applicant_phone": "+380501112233",
    "applicant_address": "вул. Таємна, 7, кв. 9",
}


def login(client, user):
    client.force_login(user)
    return client


def test_the_map_lists_only_shown_reports(client, hromada):
    shown = shown_report(hromada, address="вул. Соборна, 3")
    pending = make_case(hromada, address="вул. Прихована, 1")
    draft = make_case(hromada, register=False, address="вул. Чернеткова, 2")
    appeal_case = make_case(hromada, kind=CaseKind.APPEAL, moderation=Moderation.SHOWN)
    page = client.get(reverse("appeals:map")).content.decode()
    assert "вул. Соборна, 3" in page
    assert "вул. Прихована" not in page and "вул. Чернеткова" not in page
    assert str(appeal_case.public_id) not in page
    data = client.get(GEO, {"bbox": BBOX}).json()
    assert [f["id"] for f in data["features"]] == [str(shown.public_id)]
    props = data["features"][0]["properties"]
    assert set(props) >= {"number", "category", "status", "status_label", "registered_at", "url"}
    assert props["url"] == reverse("appeals:case", args=[shown.public_id])
    assert data["truncated"] is False
    assert data["features"][0]["geometry"]["coordinates"] == [LON, LAT]
    assert {str(pending.public_id), str(draft.public_id)}.isdisjoint(f["id"] for f in data["features"])


def test_private_details_never_reach_public_pages_or_the_api(client, hromada, resident):
    report = shown_report(hromada, applicant=resident, anonymous=True, **PRIVATE)
    pages = [
        client.get(reverse("appeals:map")).content.decode(),
        client.get(reverse("appeals:case", args=[report.public_id])).content.decode(),
        client.get(GEO, {"bbox": BBOX}).content.decode(),
        client.get("/api/v1/appeals/reports").content.decode(),
        client.get(f"/api/v1/appeals/reports/{report.public_id}").content.decode(),
    ]
    for body in pages:
        for value in (*PRIVATE.values(), resident.email, resident.display_name):
            assert value not in body


def test_the_reporter_name_is_shown_only_when_chosen(client, hromada, resident):
    named = shown_report(hromada, applicant=resident, anonymous=False, **PRIVATE)
    page = client.get(reverse("appeals:case", args=[named.public_id])).content.decode()
    assert PRIVATE["applicant_name"] in page
    for value in (PRIVATE["applicant_email"], PRIVATE["applicant_phone"], PRIVATE["applicant_address"]):
        assert value not in page
    api = client.get(f"/api/v1/appeals/reports/{named.public_id}").json()
    assert api["reporter"] == PRIVATE["applicant_name"]


def test_an_appeal_is_seen_only_by_its_applicant_and_cosigners(client, hromada, resident, officer):
    case = close(appeal(hromada, resident), status=CaseStatus.ANSWERED, answer="Ремонт у травні.")
    cosigner = verified_user()
    CoSigner.objects.create(hromada=hromada, case=case, user=cosigner, name="Петренко Іван")
    url = reverse("appeals:case", args=[case.public_id])
    assert client.get(url).status_code == 404
    assert login(client, verified_user()).get(url).status_code == 404
    assert login(client, officer).get(url).status_code == 404  # staff read it on the staff page
    page = login(client, resident).get(url).content.decode()
    assert "Ремонт у травні." in page and "Підтвердити" in page
    page = login(client, cosigner).get(url).content.decode()
    assert "Ремонт у травні." in page and "Підтвердити" not in page  # the verdict is the applicant's
    client.logout()
    assert client.get(f"/api/v1/appeals/reports/{case.public_id}").status_code == 404


def test_a_pending_report_is_its_reporters_only(client, hromada, resident):
    case = make_case(hromada, applicant=resident, text="Яма на дорозі біля школи")
    url = reverse("appeals:case", args=[case.public_id])
    assert client.get(url).status_code == 404
    page = login(client, resident).get(url).content.decode()
    assert "Яма на дорозі біля школи" in page and "модерац" in page


def test_the_case_page_shows_steps_deadline_duplicate_and_photos(client, hromada):
    department = make_department(hromada, name="КП «Міськсвітло»")
    category = make_category(hromada, name="Вуличне освітлення", department=department)
    original = shown_report(hromada, category=category)
    duplicate = shown_report(hromada, category=category)
    duplicate.status, duplicate.duplicate_of = CaseStatus.DUPLICATE, original
    duplicate.save()
    Attachment.objects.create(
        hromada=hromada,
        case=original,
        file="appeals/x.jpg",
        original_name="x.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="0" * 64,
        alt_text="Темна зупинка",
        moderation=Moderation.SHOWN,
    )
    Attachment.objects.create(
        hromada=hromada,
        case=original,
        file="appeals/y.jpg",
        original_name="y.jpg",
        content_type="image/jpeg",
        size=10,
        sha256="1" * 64,
        alt_text="Не модероване",
        moderation=Moderation.PENDING,
    )
    close(original, status=CaseStatus.NOT_FIXED, answer="Це мережа обленерго.")
    page = client.get(reverse("appeals:case", args=[original.public_id])).content.decode()
    assert "Вуличне освітлення" in page and "КП «Міськсвітло»" in page
    assert "Зареєстровано" in page and "Закрито, не вирішено" in page and "Це мережа обленерго." in page
    assert 'alt="Темна зупинка"' in page and "Не модероване" not in page
    assert "Стежити за повідомленням" in page or "Увійдіть, щоб стежити" in page
    page = client.get(reverse("appeals:case", args=[duplicate.public_id])).content.decode()
    assert f"Дублікат повідомлення №{original.number}" in page
    assert reverse("appeals:case", args=[original.public_id]) in page


def test_overdue_is_marked_on_the_page(client, hromada):
    case = shown_report(hromada, now=T0)  # the default target passed long ago
    page = client.get(reverse("appeals:case", args=[case.public_id])).content.decode()
    assert "строк минув" in page and "прострочено" in page


def test_filters_by_category_status_dates_and_area(client, hromada):
    lights = make_category(hromada, code="lights")
    roads = make_category(hromada, code="roads")
    district = Area.objects.create(hromada=hromada, kind=AreaKind.DISTRICT, name="Центральний", slug="centre")
    a = shown_report(hromada, category=lights, now=T0)
    b = close(shown_report(hromada, category=roads, now=T0 + dt.timedelta(days=10)))
    c = shown_report(hromada, category=roads, now=T0 + dt.timedelta(days=20))
    c.area = district
    c.save()

    def ids(**params):
        data = client.get(GEO, {"bbox": BBOX, **params}).json()
        return {f["id"] for f in data["features"]}

    assert ids(category="lights") == {str(a.public_id)}
    assert ids(status="resolved") == {str(b.public_id)}
    assert ids(status="open") == {str(a.public_id), str(c.public_id)}
    assert ids(**{"from": "2026-03-10", "to": "2026-03-12"}) == {str(b.public_id)}
    assert ids(area="centre") == {str(c.public_id)}
    listed = client.get("/api/v1/appeals/reports", {"category": "roads"}).json()
    assert listed["count"] == 2 and {r["id"] for r in listed["items"]} == {str(b.public_id), str(c.public_id)}
    page = client.get(reverse("appeals:map"), {"category": "lights"}).content.decode()
    assert reverse("appeals:case", args=[a.public_id]) in page
    assert reverse("appeals:case", args=[b.public_id]) not in page


@pytest.mark.parametrize(
    ("bbox", "code"),
    [
        ("", "bbox_required"),
        ("1,2,3", "bbox_invalid"),
        ("a,b,c,d", "bbox_invalid"),
        ("nan,1,2,3", "bbox_invalid"),
        ("32.3,48.4,32.2,48.6", "bbox_invalid"),
        ("200,48,201,49", "bbox_invalid"),
        ("30,45,35,50", "bbox_too_large"),
    ],
)
def test_bad_bboxes_are_precise_400s(client, hromada, bbox, code):
    response = client.get(GEO, {"bbox": bbox})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["field"] == "bbox" and body["message"]


def test_bad_filters_are_precise_errors_not_500s(client, hromada):
    response = client.get(GEO, {"bbox": BBOX, "from": "вчора"})
    assert response.status_code == 400 and response.json()["code"] == "date_invalid"
    response = client.get(GEO, {"bbox": BBOX, "status": "draft"})
    assert response.status_code == 400 and response.json()["code"] == "status_invalid"
    response = client.get(GEO, {"bbox": BBOX, "from": "2026-05-01", "to": "2026-04-01"})
    assert response.json()["code"] == "date_range_invalid"
    page = client.get(reverse("appeals:map"), {"from": "31.02", "status": "nope"})
    assert page.status_code == 400
    body = page.content.decode()
    assert "РРРР-ММ-ДД" in body and "Невідомий стан" in body and 'href="#f-from"' in body


def test_the_viewport_is_capped_with_a_truncated_flag(client, hromada):
    from hromada.appeals import public_selectors as ps

    for _i in range(3):
        shown_report(hromada)
    # A box too small to cluster (a few buildings at zoom 19) shows the newest, capped.
    tiny = f"{LON - 0.0005},{LAT - 0.0005},{LON + 0.0005},{LAT + 0.0005}"
    data = ps.reports_geojson(hromada=hromada, bbox=ps.parse_bbox(tiny), filters=ps.ReportFilters(), limit=2)
    assert len(data["features"]) == 2 and data["truncated"] is True


def test_another_hromadas_reports_do_not_show(client, hromada, other_hromada):
    theirs = shown_report(other_hromada, address="Чужа вулиця")
    ours = shown_report(hromada)
    assert client.get(reverse("appeals:case", args=[theirs.public_id])).status_code == 404
    assert "Чужа вулиця" not in client.get(reverse("appeals:map")).content.decode()
    data = client.get(GEO, {"bbox": BBOX}).json()
    assert [f["id"] for f in data["features"]] == [str(ours.public_id)]
    assert client.get(f"/api/v1/appeals/reports/{theirs.public_id}").status_code == 404
    assert client.get("/api/v1/appeals/reports").json()["count"] == 1


def test_the_cabinet_lists_my_cases_drafts_and_deadlines(client, hromada, resident):
    mine = appeal(hromada, resident, now=T0)
    hotline = make_case(
        hromada, kind=CaseKind.INFO, applicant=resident, channel="hotline", title="Запит про бюджет"
    )
    draft = make_case(hromada, kind=CaseKind.REPORT, applicant=resident, register=False, title="Недописане")
    someone_else = appeal(hromada, verified_user(), title="Чуже звернення")
    assert client.get(reverse("appeals:my")).status_code == 302
    page = login(client, resident).get(reverse("appeals:my")).content.decode()
    assert f"№{mine.number}" in page and f"№{hotline.number}" in page
    assert "Недописане" in page and "Чуже звернення" not in page
    assert 'class="overdue"' in page  # the appeal's 15 days ran out long ago
    assert draft.number is None and someone_else.number is not None
    api = client.get("/api/v1/appeals/my").json()
    assert {r["id"] for r in api["items"]} == {str(mine.public_id), str(hotline.public_id)}


def test_my_cases_api_needs_a_login(client, hromada):
    assert client.get("/api/v1/appeals/my").status_code == 401


def test_confirm_from_the_cabinet_and_through_the_api(client, hromada, resident):
    one = close(shown_report(hromada, applicant=resident))
    two = close(shown_report(hromada, applicant=resident))
    login(client, resident)
    response = client.post(
        reverse("appeals:case_confirm", args=[one.public_id]), {"next": reverse("appeals:my")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("appeals:my")
    one.refresh_from_db()
    assert one.confirmed_at is not None
    response = client.post(
        f"/api/v1/appeals/cases/{two.public_id}/rate", {"rating": 5}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["rating"] == 5
    response = client.post(
        f"/api/v1/appeals/cases/{two.public_id}/rate", {"rating": 4}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "already_rated"
    response = client.post(
        f"/api/v1/appeals/cases/{two.public_id}/reopen",
        {"reason": "Знову темно"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == CaseStatus.IN_PROGRESS
    other = verified_user()
    login(client, other)
    response = client.post(f"/api/v1/appeals/cases/{one.public_id}/confirm")
    assert response.status_code == 403 and response.json()["code"] == "not_applicant"


def test_a_visitor_follows_and_unfollows_a_report(client, hromada):
    report = shown_report(hromada)
    url = reverse("appeals:case_follow", args=[report.public_id])
    assert client.post(url)["Location"].startswith(reverse("accounts:login"))
    user = verified_user()
    login(client, user)
    client.post(url)
    client.post(url)
    assert Subscription.objects.filter(user=user, case=report).count() == 1
    assert "Не стежити" in client.get(reverse("appeals:case", args=[report.public_id])).content.decode()
    client.post(url, {"action": "unfollow"})
    assert not Subscription.objects.filter(user=user, case=report).exists()


def test_a_pending_report_cannot_be_followed_by_others(hromada):
    case = make_case(hromada)
    with pytest.raises(DomainError) as caught:
        follows.case_follow(case, verified_user())
    assert caught.value.code == "case_not_found"


def test_area_subscribers_hear_of_new_shown_reports(client, hromada, other_hromada, resident):
    district = Area.objects.create(hromada=hromada, kind=AreaKind.DISTRICT, name="Подільський", slug="podil")
    elsewhere = Area.objects.create(hromada=hromada, kind=AreaKind.DISTRICT, name="Фортечний", slug="fort")
    lights = make_category(hromada, code="lights")
    roads = make_category(hromada, code="roads")
    whole = verified_user()
    only_lights = verified_user()
    only_roads = verified_user()
    other_place = verified_user()
    follows.area_subscribe(hromada=hromada, user=whole, area=district)
    follows.area_subscribe(hromada=hromada, user=only_lights, area=district, category=lights)
    follows.area_subscribe(hromada=hromada, user=only_roads, area=district, category=roads)
    follows.area_subscribe(hromada=hromada, user=other_place, area=elsewhere)
    follows.area_subscribe(hromada=hromada, user=resident, area=district)  # the reporter
    case = make_case(hromada, category=lights, applicant=resident)
    case.area = district
    case.save()
    assert follows.area_subscribers_notify(case) == 0  # not shown yet
    case.moderation = Moderation.SHOWN
    case.save()
    assert follows.area_subscribers_notify(case) == 2
    told = set(Notification.objects.filter(kind="appeals.area_report").values_list("user_id", flat=True))
    assert told == {whole.pk, only_lights.pk}
    with pytest.raises(DomainError) as caught:
        follows.area_subscribe(hromada=other_hromada, user=whole, area=district)
    assert caught.value.code == "area_invalid"


def test_the_cabinet_adds_and_removes_area_subscriptions(client, hromada, resident):
    district = Area.objects.create(hromada=hromada, kind=AreaKind.DISTRICT, name="Подільський", slug="podil")
    login(client, resident)
    client.post(reverse("appeals:subscribe"), {"area": str(district.public_id)})
    row = Subscription.objects.get(user=resident)
    assert row.area == district and row.category is None
    page = client.get(reverse("appeals:my")).content.decode()
    assert "Подільський" in page
    response = client.post(reverse("appeals:subscribe"), {"area": "not-a-uuid"}, follow=True)
    assert "Такого округу чи району в громаді немає." in response.content.decode()
    intruder = verified_user()
    login(client, intruder)
    client.post(reverse("appeals:unsubscribe", args=[row.pk]))
    assert Subscription.objects.filter(pk=row.pk).exists()
    login(client, resident)
    client.post(reverse("appeals:unsubscribe", args=[row.pk]))
    assert not Subscription.objects.filter(pk=row.pk).exists()
