"""Every list the API returns is paginated with a maximum page size (house rule 15)."""

import pytest

from hromada.api.api import api
from hromada.core.pagination import API_MAX_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _bare_lists(schema: dict) -> list[str]:
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation.get("responses", {}).items():
                for content in response.get("content", {}).values():
                    if content.get("schema", {}).get("type") == "array":
                        found.append(f"{method.upper()} {path} → {status}")
    return found


def test_no_api_operation_returns_an_unpaged_list():
    assert _bare_lists(api.get_openapi_schema()) == []


def test_a_page_is_never_larger_than_the_maximum(client, hromada, resident):
    from hromada.core.tests.sample.models import Thing

    Thing.objects.bulk_create(Thing(hromada=hromada, owner=resident, title=f"t{i}") for i in range(5))
    body = client.get("/api/v1/sample/things").json()
    assert body["count"] == 5 and len(body["items"]) == 2
    assert len(client.get("/api/v1/sample/things", {"page_size": 1000}).json()["items"]) == 3
    assert API_MAX_PAGE_SIZE == 100


def test_a_page_beyond_any_offset_is_refused_not_a_500(client, hromada):
    response = client.get("/api/v1/sample/things", {"page": 10**20})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
