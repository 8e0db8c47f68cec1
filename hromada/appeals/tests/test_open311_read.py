"""Open311 GeoReport v2 reads through HTTP, in JSON and XML: discovery, services and
their definitions, service requests with every filter and the spec's limits, a
request by id, tokens; the state mapping; what is never shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hromada.appeals.models import (
    Attachment,
    AttachmentKind,
    AttributeType,
    Case,
    CaseKind,
    CaseStatus,
    CategoryAttribute,
    Channel,
    Moderation,
)
from hromada.appeals.tests.factories import LAT, LON, make_case, make_category, make_department
from hromada.appeals.tests.open311_helpers import get, parse, text

pytestmark = pytest.mark.django_db
FORMATS = ["json", "xml"]


@pytest.fixture(autouse=True)
def _any_host(settings):
    settings.ALLOWED_HOSTS = ["*"]


def shown(case, **fields):
    Case.objects.filter(pk=case.pk).update(moderation=Moderation.SHOWN, **fields)
    case.refresh_from_db()
    return case


@pytest.fixture
def lights(hromada):
    department = make_department(hromada, name="КП «Міськсвітло»")
    category = make_category(
        hromada,
        code="street-light",
        name="Не світить ліхтар",
        name_en="Street light out",
        description="Ліхтар не горить або блимає",
        group="Освітлення",
        keywords="ліхтар, освітлення ,світло",
        department=department,
        target_hours=72,
    )
    CategoryAttribute.objects.create(
        hromada=hromada,
        category=category,
        code="pole",
        description="Номер опори",
        datatype=AttributeType.STRING,
        required=True,
        order=2,
    )
    CategoryAttribute.objects.create(
        hromada=hromada,
        category=category,
        code="kind",
        description="Що з ліхтарем?",
        datatype=AttributeType.SINGLE,
        values=[{"key": "dark", "name": "Не світить"}, {"key": "blink", "name": "Блимає"}],
        order=1,
    )
    return category


# --- discovery and services ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_names_the_v2_endpoint_and_its_formats(client, hromada, fmt):
    for path in ("/open311/discovery." + fmt, "/open311/v2/discovery." + fmt):
        data = parse(client.get(path))
        endpoint = data["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == "http://testserver/open311/v2/"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert data["changeset"] and data["key_service"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_list_active_report_categories_in_order(client, hromada, lights, fmt):
    second = make_category(hromada, code="pothole", name="Яма на дорозі", order=5)
    make_category(hromada, code="off", name="Вимкнена", active=False)
    make_category(hromada, code="topic", name="Тема звернення", kind=CaseKind.APPEAL)
    response = get(client, "services", fmt)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    rows = parse(response)
    assert [r["service_code"] for r in rows] == ["street-light", "pothole"]
    light = rows[0]
    assert light["service_name"] == "Не світить ліхтар"
    assert light["description"] == "Ліхтар не горить або блимає"
    assert text(light["metadata"]) == "true" and text(rows[1]["metadata"]) == "false"
    assert light["type"] == "realtime"
    assert light["keywords"] == "ліхтар, освітлення, світло"
    assert light["group"] == "Освітлення"
    assert second.name == rows[1]["service_name"]


def test_service_names_follow_accept_language(client, hromada, lights):
    rows = parse(get(client, "services", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8"))
    assert rows[0]["service_name"] == "Street light out"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_definition_lists_its_attributes(client, hromada, lights, fmt):
    data = parse(get(client, "services/street-light", fmt))
    assert data["service_code"] == "street-light"
    kind, pole = data["attributes"]
    assert kind["code"] == "kind" and pole["code"] == "pole"
    assert text(kind["variable"]) == "true"
    assert kind["datatype"] == "singlevaluelist"
    assert text(kind["required"]) == "false" and text(pole["required"]) == "true"
    assert text(kind["order"]) == "1" and text(pole["order"]) == "2"
    assert kind["description"] == "Що з ліхтарем?"
    assert kind["datatype_description"]
    assert kind["values"] == [{"key": "dark", "name": "Не світить"}, {"key": "blink", "name": "Блимає"}]
    assert pole["values"] in ([], "")  # JSON's empty list, XML's empty element


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_or_inactive_service_code_is_404(client, hromada, lights, fmt):
    make_category(hromada, code="off", active=False)
    for code in ("nope", "off"):
        response = get(client, f"services/{code}", fmt)
        assert response.status_code == 404
        [error] = parse(response)
        assert text(error["code"]) == "404"
        assert f"«{code}»" in error["description"]


def test_xml_escapes_what_staff_typed(client, hromada):
    make_category(hromada, code="odd", name='Знаки <&> і "лапки"', description="a]]>b")
    response = get(client, "services", "xml")
    assert b"<&>" not in response.content
    [row] = parse(response)
    assert row["service_name"] == 'Знаки <&> і "лапки"' and row["description"] == "a]]>b"


# --- service requests ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_shows_its_public_fields_in_the_specs_order(client, hromada, lights, fmt, settings):
    from hromada.places import services as places

    street = places.street_save(actor=None, hromada=hromada, settlement=_settlement(hromada), name="Шевченка")
    building, _created = places.building_save(
        actor=None, street=street, data=places.BuildingData(number="12", postcode="20800", lat=LAT, lon=LON)
    )
    received = timezone.now() - dt.timedelta(days=1)
    case = make_case(hromada, category=lights, now=received, address="вул. Шевченка, 12")
    case = shown(case, building=building)
    photo = Attachment.objects.create(
        hromada=hromada,
        case=case,
        kind=AttachmentKind.PHOTO,
        file=SimpleUploadedFile("lamp.jpg", b"\xff\xd8\xff jpeg"),
        original_name="lamp.jpg",
        content_type="image/jpeg",
        size=9,
        sha256="0" * 64,
        public=True,
        moderation=Moderation.SHOWN,
    )
    [row] = parse(get(client, "requests", fmt))
    assert list(row) == [
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    ]
    assert text(row["service_request_id"]) == str(case.number)
    assert row["status"] == "open"
    assert row["status_notes"] == "Передано виконавцю"
    assert row["service_code"] == "street-light" and row["service_name"] == "Не світить ліхтар"
    assert row["description"] == case.text
    assert row["agency_responsible"] == "КП «Міськсвітло»"
    assert dt.datetime.fromisoformat(row["requested_datetime"]) == case.registered_at.replace(microsecond=0)
    assert dt.datetime.fromisoformat(row["expected_datetime"]) == case.due_at.replace(microsecond=0)
    assert row["requested_datetime"].endswith(("+02:00", "+03:00"))
    assert row["updated_datetime"]
    assert row["address"] == "вул. Шевченка, 12"
    assert row["address_id"] == str(building.public_id) and row["zipcode"] == "20800"
    assert float(row["lat"]) == LAT and float(row["long"]) == LON
    assert row["media_url"] == f"http://testserver{settings.MEDIA_URL}{photo.file.name}"


def _settlement(hromada):
    from hromada.places.tests.lookup_town import settlement

    return settlement(hromada, "Кам’янка", "UA71080130010082913", centre=True, category="M")


@pytest.mark.parametrize("fmt", FORMATS)
def test_text_and_photos_wait_for_moderation_and_hidden_reports_are_not_listed(client, hromada, lights, fmt):
    pending = make_case(hromada, category=lights, text="Текст ще не перевірено")
    Attachment.objects.create(
        hromada=hromada,
        case=pending,
        file=SimpleUploadedFile("a.jpg", b"x"),
        original_name="a.jpg",
        content_type="image/jpeg",
        size=1,
        sha256="0" * 64,
        moderation=Moderation.PENDING,
    )
    hidden = make_case(hromada, category=lights)
    Case.objects.filter(pk=hidden.pk).update(moderation=Moderation.HIDDEN)
    draft = make_case(hromada, category=lights, register=False)
    rows = parse(get(client, "requests", fmt))
    assert [text(r["service_request_id"]) for r in rows] == [str(pending.number)]
    assert rows[0]["description"] == "" and rows[0]["media_url"] == ""
    assert get(client, f"requests/{hidden.number}", fmt).status_code == 404
    assert get(client, f"tokens/{hidden.public_id}", fmt).status_code == 404
    assert get(client, f"tokens/{draft.public_id}", fmt).status_code == 404


def test_appeals_and_information_requests_are_never_service_requests(client, hromada):
    appeal = make_case(hromada, kind=CaseKind.APPEAL)
    info = make_case(hromada, kind=CaseKind.INFO)
    assert parse(get(client, "requests")) == []
    for case in (appeal, info):
        assert get(client, f"requests/{case.number}").status_code == 404
        assert get(client, f"tokens/{case.public_id}").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_personal_data_never_appear(client, hromada, lights, resident, fmt):
    case = make_case(
        hromada,
        category=lights,
        applicant=resident,
        applicant_name="Коваленко Ірина Петрівна",
        applicant_email="iryna@example.com",
        applicant_phone="+380501234567",
        applicant_address="вул. Садова, 3, кв. 7",
        channel=Channel.API,
        api_client="Мобільний застосунок",
    )
    shown(case)
    for response in (
        get(client, "requests", fmt),
        get(client, f"requests/{case.number}", fmt),
        get(client, f"tokens/{case.public_id}", fmt),
    ):
        body = response.content.decode()
        assert response.status_code == 200
        for secret in ("Коваленко", "Ірина", "iryna@example.com", "+380501234567", "Садова", "Мобільний"):
            assert secret not in body
        assert resident.email not in body


# --- the state mapping ---------------------------------------------------------------------

MAPPING = [
    (CaseStatus.REGISTERED, {}, "open", "Зареєстровано"),
    (CaseStatus.ASSIGNED, {}, "open", "Передано виконавцю"),
    (CaseStatus.IN_PROGRESS, {}, "open", "У роботі"),
    (CaseStatus.RESOLVED, {"answer": "Лампу замінено."}, "closed", "Лампу замінено."),
    (CaseStatus.RESOLVED, {}, "closed", "Вирішено"),
    (CaseStatus.ANSWERED, {"answer": "Роз'яснено."}, "closed", "Роз'яснено."),
    (
        CaseStatus.NOT_FIXED,
        {"close_reason": "Опора на балансі Укренерго."},
        "closed",
        "Закрито, не вирішено: Опора на балансі Укренерго.",
    ),
    (
        CaseStatus.REJECTED,
        {"close_reason": "Не проблема громади."},
        "closed",
        "Відхилено: Не проблема громади.",
    ),
    (CaseStatus.RETURNED, {"close_reason": "Немає опису."}, "closed", "Повернуто заявникові: Немає опису."),
    (
        CaseStatus.FORWARDED,
        {"forwarded_to": "Служба автодоріг в області"},
        "closed",
        "Переслано за належністю: Служба автодоріг в області",
    ),
]


@pytest.mark.parametrize(("status", "fields", "open311", "notes"), MAPPING)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_internal_state_maps_to_open_or_closed_with_notes(
    client, hromada, lights, status, fields, open311, notes, fmt
):
    case = make_case(hromada, category=lights)
    Case.objects.filter(pk=case.pk).update(status=status, **fields)
    [row] = parse(get(client, f"requests/{case.number}", fmt))
    assert (row["status"], row["status_notes"]) == (open311, notes)
    listed = parse(get(client, "requests", fmt, params={"status": open311}))
    assert [text(r["service_request_id"]) for r in listed] == [str(case.number)]
    other = "closed" if open311 == "open" else "open"
    assert parse(get(client, "requests", fmt, params={"status": other})) == []


def test_a_duplicate_names_its_original_and_notes_are_in_english_on_request(client, hromada, lights):
    original = make_case(hromada, category=lights)
    duplicate = make_case(hromada, category=lights)
    Case.objects.filter(pk=duplicate.pk).update(status=CaseStatus.DUPLICATE, duplicate_of=original)
    [row] = parse(get(client, f"requests/{duplicate.number}"))
    assert (row["status"], row["status_notes"]) == ("closed", f"Дублікат запиту {original.number}")
    [row] = parse(get(client, f"requests/{duplicate.number}", HTTP_ACCEPT_LANGUAGE="en"))
    assert row["status_notes"] == f"Duplicate of request {original.number}"
    Case.objects.filter(pk=original.pk).update(status=CaseStatus.NOT_FIXED, close_reason="Немає коштів.")
    [row] = parse(get(client, f"requests/{original.number}", HTTP_ACCEPT_LANGUAGE="en"))
    assert row["status_notes"] == "Closed, not fixed: Немає коштів."


def test_an_open_request_past_its_target_says_it_is_overdue(client, hromada, lights):
    case = make_case(hromada, category=lights, now=timezone.now() - dt.timedelta(days=5))
    [row] = parse(get(client, f"requests/{case.number}"))
    assert row["service_notice"] == "Прострочено: цільовий строк минув."
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.RESOLVED)
    [row] = parse(get(client, f"requests/{case.number}"))
    assert row["service_notice"] == ""


# --- filters and limits --------------------------------------------------------------------


def numbers(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [int(text(r["service_request_id"])) for r in parse(response)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_filters_by_id_code_status_and_dates(client, hromada, lights, fmt):
    pothole = make_category(hromada, code="pothole")
    now = timezone.now()
    old = make_case(hromada, category=lights, now=now - dt.timedelta(days=100))
    a = make_case(hromada, category=lights, now=now - dt.timedelta(days=10))
    b = make_case(hromada, category=pothole, now=now - dt.timedelta(days=5))
    c = make_case(hromada, category=pothole, now=now - dt.timedelta(hours=1))
    Case.objects.filter(pk=b.pk).update(status=CaseStatus.RESOLVED)
    # Without dates: the last 90 days, newest first.
    assert numbers(get(client, "requests", fmt)) == [c.number, b.number, a.number]
    # service_request_id: a comma list; the other filters are then ignored.
    ids = f"{old.number},{a.number}"
    assert numbers(get(client, "requests", fmt, params={"service_request_id": ids, "status": "closed"})) == [
        a.number,
        old.number,
    ]
    assert numbers(get(client, "requests", fmt, params={"service_code": "pothole"})) == [c.number, b.number]
    assert numbers(get(client, "requests", fmt, params={"service_code": "pothole,street-light"})) == [
        c.number,
        b.number,
        a.number,
    ]
    assert numbers(get(client, "requests", fmt, params={"service_code": "unknown"})) == []
    assert numbers(get(client, "requests", fmt, params={"status": "closed"})) == [b.number]
    assert numbers(get(client, "requests", fmt, params={"status": "open,closed"})) == [
        c.number,
        b.number,
        a.number,
    ]
    # Dates: a range, a start alone (its 90 days), an end alone (90 days up to it).
    start = (now - dt.timedelta(days=7)).isoformat()
    end = (now - dt.timedelta(days=2)).isoformat()
    assert numbers(get(client, "requests", fmt, params={"start_date": start, "end_date": end})) == [b.number]
    assert numbers(get(client, "requests", fmt, params={"start_date": start})) == [c.number, b.number]
    early = (now - dt.timedelta(days=120)).isoformat()
    assert numbers(get(client, "requests", fmt, params={"start_date": early})) == [old.number]
    assert numbers(get(client, "requests", fmt, params={"end_date": end})) == [b.number, a.number]


def test_dates_in_utc_with_a_lost_plus_or_as_a_day(client, hromada, lights):
    case = make_case(hromada, category=lights, now=dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC))
    for start, end in [
        ("2026-03-10T11:00:00Z", "2026-03-10T13:00:00Z"),
        ("2026-03-10T14:00:00 02:00", "2026-03-10T15:00:00 02:00"),  # "+" decoded as a space
        ("2026-03-10", "2026-03-11"),
    ]:
        assert numbers(get(client, "requests", params={"start_date": start, "end_date": end})) == [
            case.number
        ]
    assert numbers(get(client, "requests", params={"start_date": "2026-03-10T13:00:00Z"})) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_date_range_over_ninety_days_is_refused(client, hromada, fmt):
    response = get(
        client,
        "requests",
        fmt,
        params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-02T00:00:00Z"},
    )
    assert response.status_code == 400
    [error] = parse(response)
    assert text(error["code"]) == "400"
    assert error["description"] == "Проміжок дат не може перевищувати 90 днів."
    response = get(
        client,
        "requests",
        fmt,
        params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start_date": "yesterday"}, "start_date «yesterday» — не дата й час W3C"),
        ({"end_date": "2026-13-01"}, "end_date «2026-13-01» — не дата й час W3C"),
        ({"start_date": "2026-03-02", "end_date": "2026-03-01"}, "end_date має бути пізніше за start_date."),
        ({"status": "pending"}, "status «pending» — не «open» і не «closed»."),
        ({"service_request_id": "12,abc"}, "service_request_id «abc» — не номер запиту."),
    ],
)
def test_bad_filters_are_precise_400s(client, hromada, params, message):
    response = get(client, "requests", params=params)
    assert response.status_code == 400
    assert parse(response)[0]["description"].startswith(message)


def test_at_most_a_thousand_requests_newest_first(client, hromada, lights):
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            hromada=hromada,
            kind=CaseKind.REPORT,
            status=CaseStatus.REGISTERED,
            number=n,
            category=lights,
            lat=LAT,
            lon=LON,
            text="Темно",
            registered_at=now - dt.timedelta(minutes=n),
            due_at=now + dt.timedelta(days=3),
        )
        for n in range(1, 1002)
    )
    rows = numbers(get(client, "requests"))
    assert len(rows) == 1000
    assert rows[0] == 1 and rows[-1] == 1000
    response = get(client, "requests", params={"service_request_id": ",".join(map(str, range(1, 202)))})
    assert response.status_code == 400
    assert parse(response)[0]["description"] == "Не більше 200 значень service_request_id за раз."
    assert (
        len(
            numbers(get(client, "requests", params={"service_request_id": ",".join(map(str, range(1, 201)))}))
        )
        == 200
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_by_id_and_a_token(client, hromada, lights, fmt):
    case = make_case(hromada, category=lights)
    [row] = parse(get(client, f"requests/{case.number}", fmt))
    assert text(row["service_request_id"]) == str(case.number)
    [row] = parse(get(client, f"tokens/{case.public_id}", fmt))
    assert row == {"service_request_id": str(case.number), "token": str(case.public_id)}
    for resource in ("requests/999", "requests/abc", "tokens/not-a-uuid", f"tokens/{lights.public_id}"):
        response = get(client, resource, fmt)
        assert response.status_code == 404
        assert text(parse(response)[0]["code"]) == "404"


# --- isolation and jurisdiction --------------------------------------------------------------


def test_another_hromadas_requests_and_services_are_never_listed(client, hromada, other_hromada, lights):
    theirs = make_case(other_hromada, category=make_category(other_hromada, code="their-code"))
    ours = make_case(hromada, category=lights)
    assert numbers(get(client, "requests")) == [ours.number]
    assert [s["service_code"] for s in parse(get(client, "services"))] == ["street-light"]
    assert get(client, "services/their-code").status_code == 404
    assert get(client, f"tokens/{theirs.public_id}").status_code == 404
    # Both have a case №1: each host answers its own.
    assert theirs.number == ours.number == 1
    [row] = parse(get(client, "requests/1", HTTP_HOST="other.example.test"))
    assert row["service_code"] == "their-code"


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_id_must_name_the_hosts_hromada(client, hromada, other_hromada, lights, fmt):
    for jid in (hromada.slug, "hromada.example.test", "TESTSERVER"):
        assert get(client, "services", fmt, params={"jurisdiction_id": jid}).status_code == 200
    response = get(client, "services", fmt, params={"jurisdiction_id": other_hromada.slug})
    assert response.status_code == 404
    [error] = parse(response)
    assert error["description"] == f"Громаду jurisdiction_id «{other_hromada.slug}» не знайдено."
    response = get(client, "requests", fmt, params={"jurisdiction_id": "nowhere"}, HTTP_ACCEPT_LANGUAGE="en")
    assert parse(response)[0]["description"] == "jurisdiction_id 'nowhere' was not found."


def test_a_shared_host_picks_the_hromada_by_jurisdiction_id(client, hromada, other_hromada, lights, settings):
    from hromada.tenancy.models import ModuleSwitch
    from hromada.tenancy.selectors import tenancy_cache_clear

    settings.DEFAULT_HROMADA_SLUG = hromada.slug
    make_category(other_hromada, code="their-code")
    shared = {"HTTP_HOST": "open311.example.test"}
    response = get(client, "services", **shared)
    assert response.status_code == 400
    assert "jurisdiction_id" in parse(response)[0]["description"]
    theirs = parse(get(client, "services", params={"jurisdiction_id": other_hromada.slug}, **shared))
    assert [s["service_code"] for s in theirs] == ["their-code"]
    ours = parse(get(client, "services", params={"jurisdiction_id": "hromada.example.test"}, **shared))
    assert [s["service_code"] for s in ours] == ["street-light"]
    # A hromada that switched appeals off is no jurisdiction here.
    ModuleSwitch.objects.create(hromada=other_hromada, module="appeals", enabled=False)
    tenancy_cache_clear()
    response = get(client, "services", params={"jurisdiction_id": other_hromada.slug}, **shared)
    assert response.status_code == 404


# --- errors around the views -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_platform_errors_under_open311_are_the_specs_not_pages(client, hromada, other_hromada, fmt):
    from hromada.tenancy.models import ModuleSwitch
    from hromada.tenancy.selectors import tenancy_cache_clear

    response = client.get(f"/open311/v2/nothing.{fmt}")
    assert response.status_code == 404 and text(parse(response)[0]["code"]) == "404"
    response = client.get(f"/open311/v2/services.{fmt}", HTTP_HOST="unknown.example.test")
    assert response.status_code == 404 and parse(response)[0]["description"] == "Не знайдено."
    ModuleSwitch.objects.create(hromada=hromada, module="appeals", enabled=False)
    tenancy_cache_clear()
    response = client.get(f"/open311/v2/services.{fmt}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and parse(response)[0]["description"] == "Not found."


@pytest.mark.parametrize("fmt", FORMATS)
def test_wrong_methods_and_formats(client, hromada, fmt):
    response = client.put(f"/open311/v2/services.{fmt}")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert text(parse(response)[0]["code"]) == "405"
    response = client.delete(f"/open311/v2/requests.{fmt}")
    assert response.status_code == 405 and response["Allow"] == "GET, POST, HEAD"
    assert client.head(f"/open311/v2/services.{fmt}").status_code == 200
    response = client.get("/open311/v2/services.csv")
    assert response.status_code == 400
    assert (
        parse(response)[0]["description"] == "Формат «csv» не підтримується; використовуйте .json або .xml."
    )


def test_invalid_text_is_refused_in_the_specs_format(client, hromada):
    response = client.get("/open311/v2/requests.xml", {"status": "open\x00"})
    assert response.status_code == 400
    assert text(parse(response)[0]["code"]) == "400"


def test_a_crash_is_a_500_in_the_specs_format(client, hromada, monkeypatch):
    from hromada.appeals.open311 import selectors

    def boom(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(selectors, "services_list", boom)
    client.raise_request_exception = False
    response = client.get("/open311/v2/services.xml")
    assert response.status_code == 500
    [error] = parse(response)
    assert error["description"] == "Внутрішня помилка сервера; спробуйте пізніше."
