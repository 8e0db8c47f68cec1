"""Domain errors: one exception type that carries a stable code for the API,
a translated message for people and the field it concerns."""

from __future__ import annotations

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400

    def __init__(
        self, code: str, message: str | Promise, *, field: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        return {"code": self.code, "message": str(self.message), "field": self.field}


class NotFound(DomainError):
    status = 404

    def __init__(self, code: str = "not_found", message: str | Promise = "Not found", **kw):
        super().__init__(code, message, **kw)


class PermissionDenied(DomainError):
    status = 403

    def __init__(self, code: str = "forbidden", message: str | Promise = "Forbidden", **kw):
        super().__init__(code, message, **kw)
