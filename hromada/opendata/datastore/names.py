"""Column names of a DataStore table: the file's headers made into identifiers a query
can use without quoting (lower-case Latin, digits, _), unique within the table. The
header as written in the file is kept as the column's label."""

from __future__ import annotations

import re

MAX_LEN = 60  # PostgreSQL's identifiers are at most 63 bytes
RESERVED = {"_id", "_full_text"}

# Ukrainian → Latin (Cabinet of Ministers Resolution No. 55 of 2010, without the rules
# for the start of a word: a column name needs to be readable, not official).
_LATIN = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщюяыэё",
        "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch iu ia y e e".split(" "),
        strict=True,
    )
) | {"ь": "", "ъ": ""}
_NOT_IDENT = re.compile(r"[^a-z0-9]+")


def identifier(header: str, position: int) -> str:
    text = "".join(_LATIN.get(ch, ch) for ch in str(header).strip().lower())
    text = text.replace("'", "").replace("’", "").replace("ʼ", "")
    name = _NOT_IDENT.sub("_", text).strip("_")[:MAX_LEN].rstrip("_")
    if not name:
        name = f"column_{position + 1}"
    if name[0].isdigit():
        name = f"c_{name}"[:MAX_LEN]
    return name


def column_names(headers: list[str]) -> list[str]:
    """One identifier per header, unique: a repeated name gets _2, _3 …"""
    seen: set[str] = set(RESERVED)
    out = []
    for i, header in enumerate(headers):
        base = identifier(header, i)
        name, n = base, 1
        while name in seen:
            n += 1
            suffix = f"_{n}"
            name = base[: MAX_LEN - len(suffix)] + suffix
        seen.add(name)
        out.append(name)
    return out
