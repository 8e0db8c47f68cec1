"""Hostile text stopped at the edge, once (hromada.core.text): invalid Unicode and
control characters refused with a specific 400 before any view runs."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.test import override_settings
from django.utils.datastructures import MultiValueDict

from hromada.core.text import (
    InvalidText,
    check_text,
    request_problem,
    text_problem,
    validate_line,
    validate_text,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value",
    ["\ud800", "a\udfffb", "\x00", "x\x07", "\x1b[31m", "\x7f", "\x85", "\ufdd0", "\uffff", "\U0010ffff"],
)
def test_refused(value):
    assert text_problem(value) is not None
    with pytest.raises(InvalidText) as exc:
        check_text(value, field="title")
    assert exc.value.code == "invalid_text" and exc.value.field == "title" and exc.value.status == 400
    with pytest.raises(ValidationError):
        validate_text(value)


@pytest.mark.parametrize(
    "value", ["", "Ремонт дороги", "рядок\nрядок\r\n\tвідступ", "emoji 🇺🇦", "\u00a0\u202e", "\ufffd"]
)
def test_allowed(value):
    assert check_text(value) == value
    validate_text(value)


def test_single_line_refuses_line_breaks_and_tabs():
    for value in ("a\nb", "a\tb", "a\rb"):
        assert text_problem(value, multiline=False) is not None
        with pytest.raises(ValidationError):
            validate_line(value)


def test_message_names_the_character_and_position():
    with pytest.raises(InvalidText) as exc:
        check_text("ab\x00")
    assert "U+0000" in str(exc.value.message) and "3" in str(exc.value.message)
    with pytest.raises(InvalidText) as exc:
        check_text("\ud800")
    assert "Unicode" in str(exc.value.message)


def _json(client, path, data):
    return client.post(path, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "\ud800"}, "title"),
        ({"title": "ok", "text": "a\x00b"}, "text"),
        ({"items": [{"name": "ok"}, {"name": "\udc00"}]}, "items[1].name"),
        ({"a\x00": 1}, "a\ufffd"),
    ],
)
def test_api_json_bodies_are_refused_before_any_view(client, hromada, data, field):
    # Any path under /api/: the guard answers before URL resolution matters.
    response = _json(client, "/api/v1/sample/ping", data)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_text"
    assert body["field"] == field
    assert body["message"].startswith("Текст містить")


def test_api_raw_invalid_utf8_body(client, hromada):
    response = client.post("/api/v1/sample/ping", data=b'{"title": "\xff"}', content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_text"
    # A surrogate encoded as UTF-8 bytes, which json.loads lets through.
    response = client.post(
        "/api/v1/sample/ping", data=b'{"t": "\xed\xa0\x80"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "t"


def test_api_query_string_and_header(client, hromada):
    response = client.get("/api/v1/sample/ping", {"q": "a\x00"})
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_text",
        "message": "Текст містить керівний символ U+0000 (позиція 2), який тут не дозволено.",
        "field": "q",
    }
    response = client.get("/api/v1/sample/ping", HTTP_AUTHORIZATION="Bearer \ud800")
    assert response.status_code == 400
    assert response.json()["field"] == "Authorization"
    assert client.get("/api/v1/sample/ping", {"q": "звичайний пошук"}).status_code == 200


def test_pages_get_a_ukrainian_page(client, hromada):
    from hromada.accounts.models import User

    response = client.post("/accounts/login/", {"email": "a\x00@example.test", "password": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Недопустимі символи в запиті" in page
    assert "Поле «email»" in page and "U+0000" in page
    assert '<html lang="uk">' in page
    response = client.post(
        "/accounts/signup/",
        {"email": "new\x1b@example.test", "password1": "x", "f": SimpleUploadedFile("a.pdf", b"%PDF")},
    )
    assert response.status_code == 400
    assert "Поле «email»" in response.content.decode()
    assert not User.objects.filter(email__startswith="new").exists()


def test_uploaded_file_names_are_checked(rf):
    # Django's multipart parser already drops non-printable characters from file names;
    # the guard checks whatever a parser hands over all the same.
    request = rf.post("/x", {"a": "b"})
    request._post = QueryDict("a=b")
    request._files = MultiValueDict({"doc": [SimpleUploadedFile("звіт\ud800.pdf", b"%PDF")]})
    problem = request_problem(request)
    assert problem is not None and problem.field == "doc"


def test_multiline_form_text_passes(client, hromada):
    response = client.post(
        "/accounts/login/", {"email": "a@example.test", "password": "x\ty", "note": "a\r\nb"}
    )
    assert response.status_code != 400


def test_binary_api_bodies_are_not_text(client, hromada):
    # Not JSON by its content type and not UTF-8: left to the view (ninja answers 400).
    response = client.post("/api/v1/sample/ping", data=b"\x89PNG\xff\x00", content_type="image/png")
    assert response.status_code != 400 or response.json().get("code") != "invalid_text"


@pytest.mark.parametrize("depth", [900, 5000, 100_000])
def test_deeply_nested_json_is_no_500(client, hromada, depth):
    body = "[" * depth + '"\\ud800"' + "]" * depth
    response = client.post("/api/v1/sample/ping", data=body, content_type="application/json")
    # Refused by the guard, or (too deep for any JSON parser) left to the view's answer.
    assert response.status_code == 400 if depth < 1000 else response.status_code < 500


def test_malformed_forms_are_still_django_s_400(client, hromada):
    broken = b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx'  # never closed
    response = client.post("/accounts/login/", data=broken, content_type="multipart/form-data; boundary=")
    assert response.status_code == 400
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=10):
        response = client.post("/api/v1/sample/ping", {"note": "x" * 100})
    assert response.status_code in (400, 413)
