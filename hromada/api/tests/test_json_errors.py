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
            expected = {"400", "401", "404", "422", "429"}
            if method != "get":
                expected |= {"403", "409", "413"}
            assert expected <= statuses, (method, path, statuses)
            error = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert error["$ref"].endswith("/ErrorOut")
            seen += 1
    assert seen >= 3
