"""Schemas every part of the API shares."""

from ninja import Schema


class ErrorOut(Schema):
    """Every error the API answers: a stable code, a message for people, the field."""

    code: str
    message: str
    field: str | None = None
