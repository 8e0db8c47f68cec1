"""Column types of a DataStore table, inferred from a sample of the file's rows, and
the conversion of each cell to its column's type.

The types and their CKAN names: int, numeric, bool, date, timestamp, text. A value is
read the way Ukrainian files write it: a decimal comma ("12,5"), digit groups split by
a space ("1 234 567"), dates as 31.12.2026 or 2026-12-31. A number written with a
leading zero ("007", "04012345" — an ЄДРПОУ code) is a code, so its column stays text.
An empty cell is NULL in every type.

When a later value does not fit its column (the sample said int, row 70,000 says
"н/д"), the column is widened — int to numeric when the value is a number, anything
else to text — and the rows already loaded keep their values in the wider type. No row
is lost to a wrong guess; a row is refused only when it cannot be placed at all (more
values than the header has columns, a NUL character): see load.py."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

INT, NUMERIC, BOOL, DATE, TIMESTAMP, TEXT = "int", "numeric", "bool", "date", "timestamp", "text"
TYPES = (INT, NUMERIC, BOOL, DATE, TIMESTAMP, TEXT)
SAMPLE_ROWS = 1000
BIGINT_MAX = 2**63 - 1

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_INT = re.compile(r"[+-]?(0|[1-9]\d*)")
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}([\s\u00a0\u202f\u2009]\d{3})+([.,]\d+)?")
_NUMERIC = re.compile(r"[+-]?(0|[1-9]\d*)?([.,]\d+)?([eE][+-]?\d+)?")
_TRUE = {"true", "так", "yes", "t", "істина"}
_FALSE = {"false", "ні", "no", "f", "хибність"}
_DATE_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_TS_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TS = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?")


class Unfit(ValueError):
    """A value that is not of the column's type."""


def to_int(text: str) -> int:
    s = text.strip()
    if not _INT.fullmatch(s):
        if _GROUPED.fullmatch(s) and not re.search(r"[.,]", s):
            s = _SPACES.sub("", s)
        else:
            raise Unfit(text)
    value = int(s)
    if abs(value) > BIGINT_MAX:
        raise Unfit(text)
    return value


def to_numeric(text: str) -> Decimal:
    s = text.strip()
    if _GROUPED.fullmatch(s):
        s = _SPACES.sub("", s)
    if not s or not _NUMERIC.fullmatch(s) or not re.search(r"\d", s.split("e")[0].split("E")[0]):
        raise Unfit(text)
    try:
        value = Decimal(s.replace(",", "."))
    except InvalidOperation as e:
        raise Unfit(text) from e
    if not value.is_finite():
        raise Unfit(text)
    return value


def to_bool(text: str) -> bool:
    s = text.strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise Unfit(text)


def to_date(text: str) -> dt.date:
    s = text.strip()
    try:
        if _ISO_DATE.fullmatch(s):
            return dt.date.fromisoformat(s)
        m = _DATE_DOTTED.fullmatch(s)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError as e:
        raise Unfit(text) from e
    raise Unfit(text)


def to_timestamp(text: str) -> dt.datetime:
    """A naive timestamp (CKAN's `timestamp` has no zone): one written with an offset
    is converted to UTC; a bare date is its midnight."""
    s = text.strip()
    try:
        if _ISO_TS.fullmatch(s):
            value = dt.datetime.fromisoformat(s.replace("Z", "+00:00"))
            if value.tzinfo is not None:
                value = value.astimezone(dt.UTC).replace(tzinfo=None)
            return value
        m = _TS_DOTTED.fullmatch(s)
        if m:
            return dt.datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4]), int(m[5]), int(m[6] or 0))
        day = to_date(s)
    except ValueError as e:
        raise Unfit(text) from e
    return dt.datetime(day.year, day.month, day.day)


_TEXT_PARSERS = {INT: to_int, NUMERIC: to_numeric, BOOL: to_bool, DATE: to_date, TIMESTAMP: to_timestamp}


def convert(value: Any, kind: str) -> Any:
    """`value` (a str from a CSV, or what openpyxl gives: int, float, datetime, bool) as
    `kind`; None for an empty cell. Raises Unfit."""
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            return None
        if kind == TEXT:
            return value
        return _TEXT_PARSERS[kind](value)
    return _convert_native(value, kind)


def _convert_native(value: Any, kind: str) -> Any:
    if kind == TEXT:
        return as_text(value)
    if isinstance(value, bool):
        if kind == BOOL:
            return value
        raise Unfit(value)
    if isinstance(value, int | float | Decimal):
        if kind == INT and (isinstance(value, int) or float(value).is_integer()):
            if abs(int(value)) > BIGINT_MAX:
                raise Unfit(value)
            return int(value)
        if kind == NUMERIC:
            if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
                raise Unfit(value)
            return Decimal(str(value))
        raise Unfit(value)
    if isinstance(value, dt.datetime):
        if kind == TIMESTAMP:
            return value.replace(tzinfo=None) if value.tzinfo is None else to_timestamp(value.isoformat())
        if kind == DATE and value.time() == dt.time(0):
            return value.date()
        raise Unfit(value)
    if isinstance(value, dt.date):
        if kind == DATE:
            return value
        if kind == TIMESTAMP:
            return dt.datetime(value.year, value.month, value.day)
        raise Unfit(value)
    if isinstance(value, dt.time) and kind == TEXT:
        return value.isoformat()
    raise Unfit(value)


def as_text(value: Any) -> str | None:
    """A loaded value written as text (the widening of a column)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _fits(value: Any, kind: str) -> bool:
    try:
        convert(value, kind)
    except Unfit:
        return False
    return True


def infer_type(values: list[Any]) -> str:
    """The narrowest type every non-empty sample value fits (text when none is given)."""
    present = [v for v in values if v is not None and not (isinstance(v, str) and not v.strip())]
    if not present:
        return TEXT
    for kind in (BOOL, INT, NUMERIC, DATE, TIMESTAMP):
        if all(_fits(v, kind) for v in present):
            return kind
    return TEXT


def widened(kind: str, value: Any) -> str:
    """The type a column of `kind` becomes when `value` does not fit it."""
    if kind == INT and _fits(value, NUMERIC):
        return NUMERIC
    if kind == DATE and _fits(value, TIMESTAMP):
        return TIMESTAMP
    return TEXT
