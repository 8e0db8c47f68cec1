"""Validation errors in the request's language, with a stable code per field.

Ninja hands over pydantic's errors ({"type", "loc", "msg", "ctx"}) whose `msg` is
English ("Field required"). Clients get, for every error, the field, pydantic's error
type as a stable code ("missing", "string_too_short", …) and a message for people
translated through gettext; a type without a translation here gets a generic message
(never pydantic's English)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Where Ninja puts a parameter, and the names our operations give their schema
# parameters: neither is a field a client sent.
_WRAPPERS = {"body", "query", "path", "form", "header", "cookie", "file", "payload", "filters"}


def field_of(loc: list | tuple) -> str | None:
    parts = [str(p) for p in loc if p not in _WRAPPERS]
    return ".".join(parts) or None


def _count(ctx: dict, key: str) -> int:
    try:
        return int(ctx.get(key))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def message_for(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Обов'язкове поле.")
    if kind in ("string_too_short", "too_short"):
        n = _count(ctx, "min_length")
        if kind == "too_short":
            return ngettext(
                "Потрібен щонайменше %(n)s елемент.", "Потрібно щонайменше %(n)s елементів.", n
            ) % {"n": n}
        return ngettext(
            "Занадто коротко: потрібно щонайменше %(n)s символ.",
            "Занадто коротко: потрібно щонайменше %(n)s символів.",
            n,
        ) % {"n": n}
    if kind in ("string_too_long", "too_long"):
        n = _count(ctx, "max_length")
        if kind == "too_long":
            return ngettext(
                "Допустимо щонайбільше %(n)s елемент.", "Допустимо щонайбільше %(n)s елементів.", n
            ) % {"n": n}
        return ngettext(
            "Занадто довго: допустимо щонайбільше %(n)s символ.",
            "Занадто довго: допустимо щонайбільше %(n)s символів.",
            n,
        ) % {"n": n}
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        limits = {
            "greater_than_equal": (_("Має бути не менше %(v)s."), "ge"),
            "greater_than": (_("Має бути більше %(v)s."), "gt"),
            "less_than_equal": (_("Має бути не більше %(v)s."), "le"),
            "less_than": (_("Має бути менше %(v)s."), "lt"),
        }
        text, key = limits[kind]
        return text % {"v": ctx.get(key, "?")}
    if kind in ("enum", "literal_error"):
        return _("Допустимі значення: %(expected)s.") % {"expected": ctx.get("expected", "")}
    if kind == "value_error" and ctx.get("error"):
        # Raised by our own validators, already in the request's language.
        return str(ctx["error"])
    simple = {
        "string_type": _("Має бути рядок."),
        "int_parsing": _("Має бути ціле число."),
        "int_type": _("Має бути ціле число."),
        "int_from_float": _("Має бути ціле число, без дробової частини."),
        "float_parsing": _("Має бути число."),
        "float_type": _("Має бути число."),
        "decimal_parsing": _("Має бути число."),
        "bool_parsing": _("Має бути true або false."),
        "bool_type": _("Має бути true або false."),
        "uuid_parsing": _("Має бути ідентифікатор UUID."),
        "uuid_type": _("Має бути ідентифікатор UUID."),
        "date_parsing": _("Має бути дата у форматі РРРР-ММ-ДД."),
        "date_from_datetime_parsing": _("Має бути дата у форматі РРРР-ММ-ДД."),
        "date_type": _("Має бути дата у форматі РРРР-ММ-ДД."),
        "datetime_parsing": _("Має бути дата й час у форматі ISO 8601."),
        "datetime_from_date_parsing": _("Має бути дата й час у форматі ISO 8601."),
        "datetime_type": _("Має бути дата й час у форматі ISO 8601."),
        "time_parsing": _("Має бути час у форматі ГГ:ХХ."),
        "json_invalid": _("Неправильний JSON."),
        "json_type": _("Неправильний JSON."),
        "list_type": _("Має бути список."),
        "dict_type": _("Має бути об'єкт."),
        "model_type": _("Має бути об'єкт."),
        "model_attributes_type": _("Має бути об'єкт."),
        "extra_forbidden": _("Невідоме поле."),
        "url_parsing": _("Має бути адреса URL."),
        "url_scheme": _("Має бути адреса URL (http або https)."),
        "value_error": _("Неправильне значення."),
        "assertion_error": _("Неправильне значення."),
        "string_pattern_mismatch": _("Значення не відповідає потрібному формату."),
        "finite_number": _("Має бути скінченне число."),
        "multiple_of": _("Значення не кратне потрібному числу."),
        "none_required": _("Поле має бути порожнім."),
        "bytes_type": _("Неправильний тип значення."),
        "is_instance_of": _("Неправильний тип значення."),
        "union_tag_invalid": _("Неправильний тип значення."),
    }
    return simple.get(kind, _("Неправильне значення."))


def translate_errors(errors: list[dict[str, Any]]) -> list[dict[str, str | None]]:
    return [
        {
            "field": field_of(error.get("loc", ())),
            "code": str(error.get("type") or "invalid"),
            "message": message_for(error),
        }
        for error in errors
    ]


def summary(first: dict[str, str | None]) -> str:
    if first["field"]:
        return _("Поле «%(field)s»: %(message)s") % {"field": first["field"], "message": first["message"]}
    return str(first["message"])
