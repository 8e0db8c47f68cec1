"""Security issue 8 for petitions: hostile text refused at the edge (finding 3), CSV
formulas neutralised (finding 6), signing times published to the minute (finding 8)."""

import csv
import datetime as dt
import io
import json

import pytest

from hromada.accounts.services import api_token_create
from hromada.accounts.tests.factories import staff_user, verified_user
from hromada.core.edge import Edge
from hromada.core.errors import DomainError
from hromada.petitions import edge, services
from hromada.petitions.models import Petition, Signature, Status
from hromada.petitions.tests.factories import (
    CategoryFactory,
    PetitionFactory,
    collecting,
    route_to,
)
from hromada.petitions.tests.test_edge import Recorder, call, environ

pytestmark = pytest.mark.django_db


def _post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


@pytest.mark.parametrize("url", ["/api/v1/petitions/export.csv", "/api/v1/datasets/petitions/petitions.csv"])
def test_open_data_csv_neutralises_formulas(client, hromada, url):
    collecting(hromada=hromada, title='=HYPERLINK("http://evil.example","click")')
    raw = b"".join(client.get(url).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw)))
    assert rows[0]["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for v in row.values())


# Finding 3: hostile text.

HOSTILE = ["Назва петиції \ud800 про дорогу", "Назва петиції \x00 про дорогу"]


@pytest.mark.parametrize("title", HOSTILE)
@pytest.mark.parametrize("field", ["title", "text", "category"])
def test_submit_with_hostile_text_is_refused_and_nothing_stored(client, hromada, title, field):
    CategoryFactory(hromada=hromada, slug="roads")
    client.force_login(verified_user())
    data = {
        "title": "Ремонт дороги на Садовій",
        "text": "Просимо відремонтувати дорогу. " * 3,
        "category": "roads",
    }
    data[field] = title
    response = _post(client, "/api/v1/petitions", data)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "invalid_text"
    assert response.json()["field"] == field
    assert not Petition.objects.exists()


def test_reject_comment_and_deadline_notice_with_surrogates(client, hromada):
    p = PetitionFactory(hromada=hromada)
    client.force_login(staff_user(hromada, "moderator"))
    response = _post(
        client, f"/api/v1/petitions/{p.public_id}/reject", {"reason": "duplicate", "comment": "\ud800"}
    )
    assert (response.status_code, response.json()["field"]) == (400, "comment")
    p.refresh_from_db()
    assert p.status == Status.MODERATION
    considered = collecting(hromada=hromada, status=Status.CONSIDERATION)
    officer = staff_user(hromada, "officer")
    route_to(considered, officer)
    client.force_login(officer)
    response = _post(
        client,
        f"/api/v1/petitions/{considered.public_id}/extend",
        {"until": "2030-01-01", "notice": "Продовжуємо строк \udfff через експертизу"},
    )
    assert (response.status_code, response.json()["field"]) == (400, "notice")


def test_page_form_with_nul_is_refused_with_a_page(client, hromada):
    CategoryFactory(hromada=hromada, slug="roads")
    client.force_login(verified_user())
    response = client.post("/petitions/new/", {"title": "Назва\x00петиції для перевірки", "text": "x"})
    assert response.status_code == 400
    assert "Поле «title»" in response.content.decode()
    assert not Petition.objects.exists()


def test_services_refuse_hostile_text_outside_http(hromada, moderator, officer):
    category = CategoryFactory(hromada=hromada)
    with pytest.raises(DomainError) as exc:
        services.petition_submit(
            hromada=hromada,
            author=verified_user(),
            title="Назва петиції \x00 про дорогу",
            text="Просимо відремонтувати дорогу. " * 3,
            category=category,
        )
    assert (exc.value.code, exc.value.field) == ("invalid_text", "title")
    p = PetitionFactory(hromada=hromada)
    with pytest.raises(DomainError) as exc:
        services.petition_reject(petition=p, moderator=moderator, reason="duplicate", comment="\ud800")
    assert (exc.value.code, exc.value.field) == ("invalid_text", "comment")
    considered = collecting(hromada=hromada, status=Status.CONSIDERATION)
    route_to(considered, officer)
    with pytest.raises(DomainError) as exc:
        services.petition_extend_deadline(
            petition=considered, officer=officer, until=dt.date(2030, 1, 1), notice="Причина \x00" * 5
        )
    assert (exc.value.code, exc.value.field) == ("invalid_text", "notice")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/petitions/%ZZ/sign",
        "/api/v1/petitions/\xed\xa0\x80/sign",  # a surrogate's UTF-8 bytes, as WSGI passes them
        "/api/v1/petitions/\ud800/sign",  # not a WSGI string at all: the edge answers 400
        "/api/v1/petitions/%ED%A0%80/sign",
    ],
)
def test_signing_edge_survives_malformed_paths_and_tokens(client, hromada, path):
    p = collecting(hromada=hromada)
    token = api_token_create(user=verified_user(), name="t")[1]
    django = Recorder()
    app = Edge(django, routes=edge.ROUTES)
    status, _headers, body = call(app, environ(path, token))
    if all(ord(c) < 256 for c in path):  # a WSGI string (PEP 3333)
        assert status.startswith("418") and django.calls == [path]  # handed to Django
    else:
        assert status.startswith("400") and json.loads(body)["code"] == "invalid_text"
    good = f"/api/v1/petitions/{p.public_id}/sign"
    for bad_token in ("\ud800", "\xff\xfe", "tok\x00en"):
        status, _headers, _body = call(app, environ(good, bad_token))
        assert status.startswith("418"), status  # handed to Django, which answers:
        response = client.post(good, HTTP_AUTHORIZATION=f"Bearer {bad_token}")
        assert response.status_code in (400, 401), response.content
    # And Django answers the malformed paths that reach it without a 500.
    for url in ("/api/v1/petitions/%ZZ/sign", "/api/v1/petitions/%ED%A0%80/sign"):
        assert client.post(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    assert not Signature.objects.exists()


# Finding 8: signing times are published to the minute, never to the microsecond.


def test_signing_times_are_published_to_the_minute(client, hromada):
    p = collecting(hromada=hromada)
    at = dt.datetime(2026, 3, 2, 8, 15, 4, 123456, tzinfo=dt.UTC)
    signer = verified_user()
    Signature.objects.create(
        hromada=hromada, petition=p, user=signer, person_key="k1", signer_name="Олена Коваль", created_at=at
    )
    items = client.get(f"/api/v1/petitions/{p.public_id}/signatures").json()["items"]
    published = dt.datetime.fromisoformat(items[0]["signed_at"])
    assert published == at.replace(second=0, microsecond=0)
    page = client.get(f"/petitions/{p.public_id}/").content.decode()
    assert 'datetime="2026-03-02T10:15:00+02:00"' in page
    assert "123456" not in page and "10:15:04" not in page
    fragment = client.get(f"/petitions/{p.public_id}/signers").content.decode()
    assert "123456" not in fragment and "10:15:00" in fragment
    assert Signature.objects.get(petition=p).created_at == at  # the stored row keeps its time
