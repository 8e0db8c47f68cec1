"""Ukrainian → Latin by the official table (Cabinet of Ministers Resolution No. 55 of
27 January 2010), used for the English pages and for finding an address typed in Latin.

Rules of the table: Є, Ї, Й, Ю, Я are written Ye, Yi, Y, Yu, Ya at the start of a word
and ie, i, i, iu, ia elsewhere; "зг" is "zgh" (to keep it apart from "ж" = "zh"); the
soft sign and the apostrophe are not written."""

from __future__ import annotations

_PLAIN = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "'": "", "’": "", "ʼ": "", "`": "",
}  # fmt: skip
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_MEDIAL = {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}


def transliterate(text: str) -> str:
    out: list[str] = []
    at_word_start = True
    previous = ""
    for ch in text:
        low = ch.lower()
        if low in _INITIAL:
            latin = (_INITIAL if at_word_start else _MEDIAL)[low]
        elif low == "г" and previous == "з":
            latin = "gh"
        elif low in _PLAIN:
            latin = _PLAIN[low]
        else:
            latin = ch
        if ch != low and latin:  # keep the capital: "Щ" → "Shch"
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
        if low in _PLAIN and low in "'’ʼ`ь":
            pass  # an apostrophe or soft sign does not start a new word
        else:
            at_word_start = not (ch.isalpha())
        previous = low
    return "".join(out)
