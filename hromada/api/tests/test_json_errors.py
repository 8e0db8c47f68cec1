"""Every error under /api/ is JSON {"code", "message", "field"} with a stable code,
whoever answers it: the URL resolver, the method check, the body-size limit, a
crash (security issue 8, finding 7)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _assert_json_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert body["code"] == code and body["message"] and "field" in body


def test_an_unknown_api_path_is_a_json_404(hromada):
    _assert_json_error(Client().get("/api/v1/no-such-thing/42"), 404, "not_found")
    _assert_json_error(Client().get("/api/nothing"), 404, "not_found")


def test_a_method_the_operation_lacks_is_a_json_405(hromada):
    response = Client().delete("/api/v1/sample/ping")
    _assert_json_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_a_crash_under_the_api_is_a_json_500(hromada, monkeypatch):
    from hromada.core.tests.sample.models import Thing

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Thing.objects, "for_hromada", crash)
    response = Client(raise_request_exception=False).get("/api/v1/sample/things")
    _assert_json_error(response, 500, "server_error")
    assert "boom" not in response.content.decode()


def test_pages_outside_the_api_keep_their_html_errors(hromada):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_openapi_documents_the_errors_of_every_operation(hromada):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "ErrorOut" in schema["components"]["schemas"]
    seen = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            statuses = set(operation["responses"])
            expected = {"400", "401", "404", "414", "422", "429"}
            if method != "get":
                expected |= {"403", "409", "413"}
            assert expected <= statuses, (method, path, statuses)
            error = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert error["$ref"].endswith("/ErrorOut")
            seen += 1
    assert seen >= 3


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("post", "/api/v1/petitions/not-a-uuid/sign", 404, "not_found"),
        ("get", "/api/v1/petitions/not-a-uuid", 404, "not_found"),
        ("post", "/api/v1/petitions/00000000-0000-0000-0000-000000000000/sign", None, None),
        ("get", "/api/v1/", 404, "not_found"),
        ("get", "/api/v2/petitions", 404, "not_found"),
        ("get", "/api/v1/sample/things/extra/segments", 404, "not_found"),
        ("put", "/api/v1/sample/things", 405, "method_not_allowed"),
        ("patch", "/api/v1/sample/ping", 405, "method_not_allowed"),
        ("get", "/api/v1/datasets/no-module/no-set.json", 404, "not_found"),
        ("post", "/api/v1/sample/things", 401, "authentication_required"),
    ],
)
def test_many_paths_answer_json_errors(hromada, method, path, status, code):
    response = getattr(Client(), method)(path)
    if status is None:  # whatever it is (petitions may be absent), it is a JSON error
        assert response.status_code >= 400 and response["Content-Type"].startswith("application/json")
        assert response.json()["code"]
        return
    _assert_json_error(response, status, code)


def _echo(body, language: str | None = None, raw: str | None = None):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    data = raw if raw is not None else __import__("json").dumps(body)
    return Client().post("/api/v1/sample/echo", data=data, content_type="application/json", **headers)


def test_validation_errors_list_every_field_with_a_stable_code_in_ukrainian(hromada):
    response = _echo({"title": "ab", "count": "many"})
    _assert_json_error(response, 422, "validation_error")
    body = response.json()
    errors = {e["field"]: e for e in body["errors"]}
    assert set(errors) == {"title", "count", "ref"}
    assert errors["title"]["code"] == "string_too_short"
    assert errors["title"]["message"] == "Занадто коротко: потрібно щонайменше 3 символи."
    assert errors["count"]["code"] == "int_parsing"
    assert errors["count"]["message"] == "Має бути ціле число."
    assert errors["ref"]["code"] == "missing" and errors["ref"]["message"] == "Обов'язкове поле."
    assert body["field"] == body["errors"][0]["field"]
    assert "Field required" not in response.content.decode()
    assert "String should" not in response.content.decode()


def test_validation_errors_follow_accept_language_in_english(hromada):
    response = _echo({"title": "x" * 11, "count": 9, "ref": "nope"}, language="en-GB,en;q=0.9")
    _assert_json_error(response, 422, "validation_error")
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["title"] == {
        "field": "title",
        "code": "string_too_long",
        "message": "Too long: at most 10 characters.",
    }
    assert errors["count"]["code"] == "less_than_equal" and errors["count"]["message"] == "Must be at most 5."
    assert errors["ref"]["code"] == "uuid_parsing" and errors["ref"]["message"] == "Must be a UUID."
    assert response["Content-Language"] == "en"


def test_the_language_cookie_wins_and_ukrainian_is_the_default(hromada):
    assert _echo({}).json()["errors"][0]["message"] == "Обов'язкове поле."
    assert _echo({}, language="de").json()["errors"][0]["message"] == "Обов'язкове поле."
    client = Client()
    client.cookies["django_language"] = "uk"
    response = client.post(
        "/api/v1/sample/echo", data="{}", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["errors"][0]["message"] == "Обов'язкове поле."


@pytest.mark.parametrize(("language", "message"), [(None, "Тіло запиту"), ("en", "request body")])
def test_a_body_that_is_not_json_is_a_translated_400(hromada, language, message):
    response = _echo(None, language=language, raw="{not json")
    _assert_json_error(response, 400, "invalid_body")
    assert message in response.json()["message"]
    assert "Cannot parse" not in response.json()["message"]


def test_a_valid_body_passes(hromada):
    response = _echo({"title": "abc", "count": 2, "ref": "00000000-0000-0000-0000-000000000001"})
    assert response.status_code == 200 and response.json()["count"] == 2


def test_error_messages_follow_accept_language_for_platform_errors(hromada):
    response = Client().get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="en")
    _assert_json_error(response, 404, "not_found")
    assert response.json()["message"] == "Not found."


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    ("exception", "status", "code"),
    [("permission", 403, "forbidden"), ("http404", 404, "not_found"), ("crash", 500, "server_error")],
)
def test_exceptions_inside_an_operation_are_json(
    hromada, monkeypatch, settings, debug, exception, status, code
):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from hromada.core.tests.sample.models import Thing

    settings.DEBUG = debug
    raised = {"permission": PermissionDenied, "http404": Http404, "crash": RuntimeError("secret boom")}[
        exception
    ]

    def fail(*args, **kwargs):
        raise raised

    monkeypatch.setattr(Thing.objects, "for_hromada", fail)
    response = Client(raise_request_exception=False).get("/api/v1/sample/things")
    _assert_json_error(response, status, code)
    assert "secret" not in response.content.decode() and "Traceback" not in response.content.decode()
