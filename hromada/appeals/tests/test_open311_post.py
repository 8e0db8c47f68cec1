"""Open311 POST requests through HTTP, in JSON and XML: a registered report, every
error the issue names (a bad API key, an unknown service code, a missing required
attribute, a location outside the hromada), isolation between hromadas, the rate
limit; and the API keys' service (issue once, hashed, revoke, permission, ledger)."""

from __future__ import annotations

import hashlib

import pytest
from django.utils import timezone

from hromada.appeals.models import (
    ApiClient,
    AttributeType,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    CategoryAttribute,
    Channel,
    EventKind,
)
from hromada.appeals.services.open311_keys import api_client_for, api_key_issue, api_key_revoke
from hromada.appeals.tests.factories import LAT, LON, make_category, make_department
from hromada.appeals.tests.open311_helpers import get, parse, post, text
from hromada.core.errors import PermissionDenied
from hromada.ledger.models import LedgerEntry

pytestmark = pytest.mark.django_db
FORMATS = ["json", "xml"]


@pytest.fixture(autouse=True)
def _any_host(settings):
    settings.ALLOWED_HOSTS = ["*"]


@pytest.fixture
def lights(hromada):
    category = make_category(
        hromada,
        code="street-light",
        name="Не світить ліхтар",
        department=make_department(hromada, name="КП «Міськсвітло»"),
        target_hours=72,
    )
    attrs = [
        ("pole", AttributeType.STRING, True, []),
        (
            "kind",
            AttributeType.SINGLE,
            False,
            [{"key": "dark", "name": "Не світить"}, {"key": "blink", "name": "Блимає"}],
        ),
        ("lamps", AttributeType.NUMBER, False, []),
        ("since", AttributeType.DATETIME, False, []),
        (
            "around",
            AttributeType.MULTI,
            False,
            [{"key": "school", "name": "Школа"}, {"key": "stop", "name": "Зупинка"}],
        ),
    ]
    for order, (code, datatype, required, values) in enumerate(attrs):
        CategoryAttribute.objects.create(
            hromada=hromada,
            category=category,
            code=code,
            description=f"Питання {code}",
            datatype=datatype,
            required=required,
            values=values,
            order=order,
        )
    return category


@pytest.fixture
def key(hromada, hromada_admin):
    _client, key = api_key_issue(hromada=hromada, actor=hromada_admin, name="Мобільний застосунок «Місто»")
    return key


def good(key, **extra):
    data = {
        "api_key": key,
        "service_code": "street-light",
        "lat": str(LAT),
        "long": str(LON),
        "description": "Не світить ліхтар біля зупинки «Центр».",
        "attribute[pole]": "17-А",
        "email": "reporter@example.com",
        "first_name": "Олена",
        "last_name": "Мельник",
        "phone": "+380671112233",
        "device_id": "abc-123",
        "account_id": "42",
    }
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# --- a registered report --------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_posted_request_is_a_registered_api_report(client, hromada, lights, key, fmt):
    response = post(
        client,
        fmt,
        good(
            key,
            **{
                "attribute[kind]": "blink",
                "attribute[lamps]": "3",
                "attribute[since]": "2026-05-01T20:00:00+03:00",
                "attribute[around][]": ["school", "stop"],
            },
        ),
    )
    assert response.status_code == 201, response.content
    [row] = parse(response)
    case = Case.objects.get(hromada=hromada)
    assert text(row["service_request_id"]) == str(case.number)
    assert row["token"] == str(case.public_id)
    assert text(row["account_id"]) == ""
    assert f"№{case.number}" in row["service_notice"] and "не звернення" in row["service_notice"]
    assert (case.kind, case.channel, case.status) == (CaseKind.REPORT, Channel.API, CaseStatus.ASSIGNED)
    assert case.api_client == "Мобільний застосунок «Місто»"
    assert case.category == lights and case.department.name == "КП «Міськсвітло»"
    assert (case.lat, case.lon) == (LAT, LON)
    assert case.text == "Не світить ліхтар біля зупинки «Центр»."
    assert case.applicant_name == "Олена Мельник" and case.applicant_email == "reporter@example.com"
    assert case.applicant_phone == "+380671112233" and case.anonymous
    assert case.attributes == {
        "pole": "17-А",
        "kind": "blink",
        "lamps": 3,
        "since": "2026-05-01T20:00:00+03:00",
        "around": ["school", "stop"],
    }
    assert case.number and case.registered_at and case.due_at
    entry = LedgerEntry.objects.filter(hromada=hromada, kind="appeals.case_registered").get()
    assert entry.payload["channel"] == "api"
    assert "Мельник" not in str(entry.payload) and "reporter@" not in str(entry.payload)
    # The client reads it back at once, by id and by token.
    [back] = parse(get(client, f"requests/{case.number}", fmt))
    assert back["status"] == "open" and back["description"] == ""  # text awaits moderation
    [tok] = parse(get(client, f"tokens/{case.public_id}", fmt))
    assert text(tok["service_request_id"]) == str(case.number)


def test_the_service_notice_follows_accept_language(client, hromada, lights, key):
    [row] = parse(post(client, "json", good(key), HTTP_ACCEPT_LANGUAGE="en"))
    assert row["service_notice"].startswith("Registered as problem report No. 1")


def test_an_address_string_is_found_in_the_register(client, hromada, lights, key):
    from hromada.places.tests.lookup_town import make_town

    town = make_town(hromada)
    response = post(client, "json", good(key, lat=None, long=None, address_string="вул. Шевченка, 12"))
    assert response.status_code == 201, response.content
    case = Case.objects.get(hromada=hromada)
    building = town.buildings["shev 12"]
    assert case.building == building and (case.lat, case.lon) == (building.lat, building.lon)
    assert "Шевченка" in case.address
    response = post(client, "json", good(key, lat=None, long=None, address_id=str(building.public_id)))
    assert response.status_code == 201
    assert Case.objects.get(number=2, hromada=hromada).building == building
    response = post(client, "json", good(key, lat=None, long=None, address_string="вул. Неіснуюча, 999"))
    assert response.status_code == 400
    assert "не знайдено в адресному реєстрі" in parse(response)[0]["description"]


def test_a_media_url_is_kept_for_staff_only(client, hromada, lights, key):
    response = post(client, "json", good(key, media_url="https://cdn.example.org/p/1.jpg"))
    assert response.status_code == 201
    case = Case.objects.get(hromada=hromada)
    event = CaseEvent.objects.get(case=case, kind=EventKind.COMMENT)
    assert not event.public and event.data["media_url"] == "https://cdn.example.org/p/1.jpg"
    Case.objects.filter(pk=case.pk).update(moderation="shown")
    [row] = parse(get(client, f"requests/{case.number}"))
    assert row["media_url"] == ""
    response = post(client, "json", good(key, media_url="file:///etc/passwd"))
    assert response.status_code == 400
    assert parse(response)[0]["description"] == "media_url має бути адресою http(s)."


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_or_bad_api_key_is_403(client, hromada, lights, key, fmt):
    response = post(client, fmt, good(None))
    assert response.status_code == 403
    assert parse(response) == [
        {"code": 403 if fmt == "json" else "403", "description": "Не вказано api_key."}
    ]
    response = post(client, fmt, good(key + "x"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert parse(response)[0]["description"] == "api_key is invalid or revoked."
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_service_code_is_404(client, hromada, lights, key, fmt):
    response = post(client, fmt, good(key, service_code="nope"))
    assert response.status_code == 404
    assert parse(response)[0]["description"] == "Послугу service_code «nope» не знайдено."
    response = post(client, fmt, good(key, service_code=None))
    assert response.status_code == 400
    assert parse(response)[0]["description"] == "Не вказано service_code."


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_required_attribute_and_other_problems_are_listed_together(
    client, hromada, lights, key, fmt
):
    response = post(
        client,
        fmt,
        good(
            key,
            description="",
            email="not-an-email",
            **{
                "attribute[pole]": "",
                "attribute[kind]": "broken",
                "attribute[lamps]": "many",
                "attribute[colour]": "red",
            },
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    descriptions = [e["description"] for e in parse(response)]
    assert descriptions == [
        "description was not provided: describe the problem.",
        "attribute[colour] is not an attribute of service 'street-light'.",
        "attribute[pole] is required: Питання pole",
        "attribute[kind]: 'broken' is not one of the keys dark, blink.",
        "attribute[lamps]: 'many' is not a valid number.",
        "email is not a valid e-mail address.",
    ]
    assert not Case.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_location_outside_the_hromada_is_refused(
    client, hromada, lights, key, fmt, django_capture_on_commit_callbacks
):
    from hromada.places import services as places
    from hromada.places.tests.lookup_town import square

    with django_capture_on_commit_callbacks(execute=True):
        places.area_save(
            actor=None,
            hromada=hromada,
            kind="boundary",
            name="Межа громади",
            geometry_value=square(LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.05),
        )
    response = post(client, fmt, good(key, lat=str(LAT + 1)))
    assert response.status_code == 400
    assert parse(response) == [
        {"code": 400 if fmt == "json" else "400", "description": "Місце поза територією громади."}
    ]
    assert post(client, fmt, good(key)).status_code == 201  # inside is fine


@pytest.mark.parametrize(
    ("extra", "description"),
    [
        ({"lat": None, "long": None}, "Вкажіть lat і long, address_string або address_id."),
        ({"lat": "north"}, "lat і long мають бути десятковими градусами (WGS84), обидва."),
        ({"long": None}, "lat і long мають бути десятковими градусами (WGS84), обидва."),
        ({"lat": "123"}, "lat і long мають бути десятковими градусами (WGS84), обидва."),
        ({"lat": None, "long": None, "address_id": "nope"}, "Адресу address_id «nope» не знайдено."),
        ({"description": "x" * 20_001}, "Поле description задовге: до 20000 знаків."),
        ({"phone": "1" * 41}, "Поле phone задовге: до 40 знаків."),
    ],
)
def test_bad_input_is_a_precise_400(client, hromada, lights, key, extra, description):
    response = post(client, "json", good(key, **extra))
    assert response.status_code == 400
    assert parse(response)[0]["description"] == description
    assert not Case.objects.exists()


def test_only_form_bodies_are_accepted(client, hromada, lights, key):
    response = client.post("/open311/v2/requests.json", good(key), content_type="application/json")
    assert response.status_code == 415
    assert text(parse(response)[0]["code"]) == "415"
    response = client.post(
        "/open311/v2/requests.xml",
        "&".join(f"{k}={v}" for k, v in good(key).items()),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 201


def test_post_needs_no_csrf_token(hromada, lights, key):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    assert browser.post("/open311/v2/requests.json", good(key)).status_code == 201


# --- isolation, jurisdiction, limits ---------------------------------------------------------


def test_a_key_of_one_hromada_cannot_post_to_another(client, hromada, other_hromada, lights, key):
    make_category(other_hromada, code="street-light")
    response = post(client, "json", good(key), HTTP_HOST="other.example.test")
    assert response.status_code == 403
    assert not Case.objects.for_hromada(other_hromada).exists()
    # …nor through jurisdiction_id on its own hromada's host.
    response = post(client, "json", good(key, jurisdiction_id=other_hromada.slug))
    assert response.status_code == 404
    assert post(client, "json", good(key, jurisdiction_id=hromada.slug)).status_code == 201


def test_a_shared_host_posts_to_the_jurisdiction_with_its_key(
    client, hromada, other_hromada, hromada_admin, settings
):
    from hromada.accounts.tests.factories import staff_user

    settings.DEFAULT_HROMADA_SLUG = hromada.slug
    make_category(other_hromada, code="street-light")
    _c, theirs = api_key_issue(hromada=other_hromada, actor=staff_user(other_hromada, "admin"), name="App")
    shared = {"HTTP_HOST": "open311.example.test"}
    data = {
        "api_key": theirs,
        "service_code": "street-light",
        "lat": str(LAT),
        "long": str(LON),
        "description": "Темно",
    }
    assert post(client, "json", data, **shared).status_code == 400  # jurisdiction_id required here
    response = post(client, "json", {**data, "jurisdiction_id": other_hromada.slug}, **shared)
    assert response.status_code == 201
    assert Case.objects.for_hromada(other_hromada).get().api_client == "App"
    response = post(client, "json", {**data, "jurisdiction_id": hromada.slug}, **shared)
    assert response.status_code == 403  # their key is not ours


def test_posting_is_rate_limited_per_key(client, hromada, lights, key, settings):
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {"appeals.open311": "1/m"}
    assert post(client, "json", good(key, description="")).status_code == 400  # refused: given back
    assert post(client, "json", good(key)).status_code == 201
    response = post(client, "xml", good(key))
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert text(parse(response)[0]["code"]) == "429"
    assert Case.objects.count() == 1


# --- API keys ----------------------------------------------------------------------------------


def test_a_key_is_shown_once_stored_hashed_and_ledgered(hromada, hromada_admin):
    client, key = api_key_issue(hromada=hromada, actor=hromada_admin, name="  Партнер   ТОВ  ")
    row = ApiClient.objects.get(pk=client.pk)
    assert row.name == "Партнер ТОВ" and row.active and row.created_by == hromada_admin
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in str(row.__dict__)
    assert row.key_hint == key[-6:]
    entry = LedgerEntry.objects.get(hromada=hromada, kind="appeals.setup_changed")
    assert entry.payload == {
        "object": "api_client",
        "action": "issued",
        "ref": str(client.pk),
        "fields": ["name"],
    }
    assert key not in str(entry.payload) and row.key_hint not in str(entry.payload)
    assert api_client_for(hromada=hromada, key=key) == client
    assert ApiClient.objects.get(pk=client.pk).last_used_at is not None
    second, other_key = api_key_issue(hromada=hromada, actor=hromada_admin, name="Другий")
    assert other_key != key and second.key_hash != client.key_hash


def test_names_are_required_and_unique_among_live_keys(hromada, hromada_admin):
    from hromada.core.errors import DomainError

    client, _key = api_key_issue(hromada=hromada, actor=hromada_admin, name="App")
    for name, code in (
        ("", "api_client_name_required"),
        ("app", "api_client_name_taken"),
        ("x" * 201, "api_client_name_too_long"),
    ):
        with pytest.raises(DomainError) as error:
            api_key_issue(hromada=hromada, actor=hromada_admin, name=name)
        assert error.value.code == code
    api_key_revoke(client=client, actor=hromada_admin)
    assert api_key_issue(hromada=hromada, actor=hromada_admin, name="App")[0].active


def test_a_revoked_key_is_refused_at_once(client, hromada, hromada_admin, lights):
    api_client, key = api_key_issue(hromada=hromada, actor=hromada_admin, name="App")
    assert post(client, "json", good(key)).status_code == 201
    api_key_revoke(client=api_client, actor=hromada_admin)
    api_key_revoke(client=api_client, actor=hromada_admin)  # again: nothing more happens
    assert (
        LedgerEntry.objects.filter(
            hromada=hromada, payload__action="revoked", payload__object="api_client"
        ).count()
        == 1
    )
    assert post(client, "json", good(key)).status_code == 403
    assert api_client_for(hromada=hromada, key=key) is None


def test_a_key_works_only_in_its_hromada(hromada, other_hromada, hromada_admin):
    _client, key = api_key_issue(hromada=hromada, actor=hromada_admin, name="App")
    assert api_client_for(hromada=other_hromada, key=key) is None
    assert api_client_for(hromada=hromada, key="") is None


@pytest.mark.parametrize("role", ["admin", "officer", "moderator", "resident", "anonymous", "other_admin"])
def test_only_the_hromadas_administrators_issue_and_revoke_keys(hromada, other_hromada, hromada_admin, role):
    from hromada.accounts.tests.factories import role_actor

    actor = role_actor(role, hromada, other_hromada)
    existing, _key = api_key_issue(hromada=hromada, actor=hromada_admin, name="Existing")
    if role == "admin":
        assert api_key_issue(hromada=hromada, actor=actor, name="New")[0].pk
        assert not api_key_revoke(client=existing, actor=actor).active
        return
    with pytest.raises(PermissionDenied):
        api_key_issue(hromada=hromada, actor=actor, name="New")
    with pytest.raises(PermissionDenied):
        api_key_revoke(client=existing, actor=actor)
    assert ApiClient.objects.get(pk=existing.pk).active


def test_last_use_is_written_at_most_every_few_minutes(hromada, hromada_admin):
    import datetime as dt

    client, key = api_key_issue(hromada=hromada, actor=hromada_admin, name="App")
    first = timezone.now()
    api_client_for(hromada=hromada, key=key, now=first)
    api_client_for(hromada=hromada, key=key, now=first + dt.timedelta(minutes=1))
    assert ApiClient.objects.get(pk=client.pk).last_used_at == first
    later = first + dt.timedelta(minutes=6)
    api_client_for(hromada=hromada, key=key, now=later)
    assert ApiClient.objects.get(pk=client.pk).last_used_at == later
