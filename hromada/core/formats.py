"""Numbers and sizes as a reader of the page's language writes them.

Ukrainian groups thousands with a space and uses a decimal comma ("18 400", "5,7 МБ");
English uses "18,400" and "5.7 MB". The space is a no-break space so a number never
wraps across lines. Used by the `hromada_format` template filters and by messages.
"""

from __future__ import annotations

from django.utils.translation import get_language

NBSP = "\u00a0"


def _is_uk() -> bool:
    return (get_language() or "uk").split("-")[0] != "en"


def number(value: int | float | str | None, decimals: int = 0) -> str:
    """18400 → "18 400" (uk) / "18,400" (en); decimals are rounded, never truncated."""
    if value is None or value == "":
        return ""
    try:
        as_float = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{as_float:,.{decimals}f}"  # "18,400.5"
    if _is_uk():
        text = text.replace(",", NBSP).replace(".", ",")
    return text


_UNITS_UK = ("Б", "КБ", "МБ", "ГБ")
_UNITS_EN = ("B", "KB", "MB", "GB")


def filesize(size: int | None) -> str:
    """Bytes in one unit system: 12 Б, 340 КБ, 5,7 МБ (powers of 1024, one decimal from MB on)."""
    if size is None:
        return ""
    units = _UNITS_UK if _is_uk() else _UNITS_EN
    value = float(max(0, int(size)))
    index = 0
    while value >= 1024 and index < len(units) - 1:
        value /= 1024
        index += 1
    decimals = 0 if index < 2 or value >= 100 else 1
    text = number(value, decimals)
    if decimals and text[-2:] in (",0", ".0"):
        text = text[:-2]  # "5,0 МБ" reads better as "5 МБ"
    return f"{text}{NBSP}{units[index]}"


def megabytes(limit_bytes: int) -> str:
    """A limit stated in a message: 5242880 → "5 МБ"."""
    return filesize(limit_bytes)
