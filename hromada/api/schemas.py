"""Schemas every part of the API shares."""

from ninja import Schema


class FieldErrorOut(Schema):
    """One field that failed validation: the field, a stable code (pydantic's error
    type: missing, string_too_short, uuid_parsing, …) and a message for people."""

    field: str | None = None
    code: str
    message: str


class ErrorOut(Schema):
    """Every error the API answers: a stable code, a message for people, the field;
    a validation error (422) lists every failing field in `errors`."""

    code: str
    message: str
    field: str | None = None
    errors: list[FieldErrorOut] | None = None
