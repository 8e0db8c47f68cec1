"""The API's OpenAPI document states, on every operation, the errors it may answer.

Operations declare their successes (and may declare errors); the errors that come
from the platform around them are the same everywhere, so they are added here
once, as `ErrorOut`, unless the operation already documents that status:

- every operation: 400 (bad input, hostile text), 401 (a bad token, or login
  required), 404 (an unknown or switched-off path, a malformed id), 414 (a query
  string over 2,000 characters), 422 (a field that fails validation), 429 (a rate
  limit);
- an operation that needs authentication, and every write: 403 (not allowed);
- every write (POST, PUT, PATCH, DELETE): 409 (the state does not allow it) and 413
  (a body over the size limit).
"""

from __future__ import annotations

from ninja import NinjaAPI

from .schemas import ErrorOut

ALWAYS = {
    400: "Неправильний запит",
    401: "Потрібна автентифікація, або API-токен недійсний",
    404: "Не знайдено",
    414: "Рядок запиту довший за 2000 символів",
    422: "Поле не пройшло перевірку",
    429: "Забагато запитів (заголовок Retry-After)",
}
AUTHENTICATED = {403: "Доступ заборонено"}
WRITES = {409: "Стан не дозволяє цієї дії", 413: "Запит завеликий"}
WRITE_METHODS = {"post", "put", "patch", "delete"}


class HromadaAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault(
            "ErrorOut", ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                errors = dict(ALWAYS)
                if operation.get("security") or method in WRITE_METHODS:
                    errors.update(AUTHENTICATED)
                if method in WRITE_METHODS:
                    errors.update(WRITES)
                responses = operation["responses"]
                for status, description in sorted(errors.items()):
                    responses.setdefault(
                        status,
                        {
                            "description": description,
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
                            },
                        },
                    )
        return schema
