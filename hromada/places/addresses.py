"""An address the way people type it → a key to look it up by.

"вул. Шевченка 12а", "Шевченка,12-А", "ВУЛИЦЯ ШЕВЧЕНКА, буд. 12 а" and
"Shevchenka St 12A" all parse to the same street key and house key. The street key is
the folded name without its type word; the type is kept apart (it narrows a search when
given, and people often leave it out). Latin input is compared through the official
transliteration of the register's names (translit.py), so the key of a Latin name is its
own folded text and the register stores both."""

from __future__ import annotations

import re
from dataclasses import dataclass

APOSTROPHES = "'’ʼ`´"

# Street types: every way people write them → the register's name of the type.
STREET_TYPES = {
    "вулиця": ("вулиця", "вул", "вул.", "ул", "ул.", "улица", "street", "st", "st.", "str", "str.", "vul", "vul."),
    "провулок": ("провулок", "пров", "пров.", "пер", "пер.", "переулок", "lane", "ln", "provulok"),
    "проспект": ("проспект", "просп", "просп.", "пр-т", "пр.", "avenue", "ave", "ave.", "prospekt"),
    "площа": ("площа", "пл", "пл.", "square", "sq", "sq.", "ploshcha"),
    "бульвар": ("бульвар", "бул", "бул.", "б-р", "boulevard", "blvd", "bulvar"),
    "набережна": ("набережна", "наб", "наб.", "embankment", "naberezhna"),
    "узвіз": ("узвіз", "descent", "uzviz"),
    "шосе": ("шосе", "highway", "shose"),
    "майдан": ("майдан", "maidan"),
    "тупик": ("тупик", "туп", "туп.", "tupyk"),
    "проїзд": ("проїзд", "passage", "proizd"),
    "алея": ("алея", "alley", "aleia"),
    "мікрорайон": ("мікрорайон", "мкр", "мкр.", "мікр", "мікр.", "mikroraion"),
}  # fmt: skip
_TYPE_OF = {alias.rstrip("."): canonical for canonical, aliases in STREET_TYPES.items() for alias in aliases}
_BUILDING_WORDS = {"буд", "будинок", "б", "д", "дом", "house", "bld", "no", "№"}
_BLOCK_WORDS = {"корп", "корпус", "к", "block", "bldg"}
# Cyrillic and Latin letters that look alike in a house suffix ("12A" typed in Latin).
_LOOKALIKE = str.maketrans({"a": "а", "b": "б", "v": "в", "h": "г", "g": "ґ", "d": "д", "e": "е", "c": "с"})


class AddressInvalid(ValueError):
    """Nothing that can be an address was found in the text."""


@dataclass(frozen=True)
class ParsedAddress:
    street: str  # folded name, no type word: "шевченка"
    street_type: str  # the register's type ("вулиця") or "" when not written
    house: str  # canonical house key: "12", "12а", "12/2", "12а к3"; "" when not written


def fold(text: str) -> str:
    """Case, apostrophe variants and spacing folded: "Мар’янівська" = "мар'янівська"."""
    for mark in APOSTROPHES[1:]:
        text = text.replace(mark, "'")
    return " ".join(text.casefold().replace("ё", "е").split())


_HOUSE = re.compile(
    r"(?P<num>\d{1,4})\s*(?:-\s*)?(?P<letter>[а-яіїєґa-z](?![а-яіїєґa-z']))?"
    r"(?:\s*/\s*(?P<frac>\d{1,4}[а-яіїєґa-z]?))?"
)


def house_key(text: str) -> str:
    """ "12", "12а", "12-А", "12 а", "12A" → "12а"; "12/2" → "12/2"; "12 корп. 3" → "12 к3"."""
    words = fold(text).replace(",", " ").replace(".", " ").split()
    while words and words[0] in _BUILDING_WORDS:  # "буд. 12", "б. 12"; but "12 б" is a letter
        words = words[1:]
    block = ""
    for i, word in enumerate(words):
        if word in _BLOCK_WORDS and i + 1 < len(words) and words[i + 1].isdigit():
            block = f" к{words[i + 1]}"
            words = words[:i]
            break
    match = _HOUSE.fullmatch(" ".join(words).strip())
    if match is None:
        return ""
    key = match["num"].lstrip("0") or "0"
    if match["letter"]:
        key += match["letter"].translate(_LOOKALIKE)
    if match["frac"]:
        key += "/" + match["frac"].translate(_LOOKALIKE)
    return key + block


_SPLIT_HOUSE = re.compile(
    r"^(?P<street>.*?)[\s,]+(?:(?:буд|будинок|б|д|house|№)\.?\s*)?"
    r"(?P<house>\d{1,4}(?:\s*-?\s*[а-яіїєґa-z](?![а-яіїєґa-z']))?(?:\s*/\s*\d{1,4}[а-яіїєґa-z]?)?"
    r"(?:[\s,.]*(?:корп|корпус|к|block)\.?\s*\d{1,3})?)\s*$"
)


def parse(text: str) -> ParsedAddress:
    """Split what was typed into street, type and house. Raises AddressInvalid when no
    street name is left (e.g. only a number or only a type word)."""
    folded = fold(text or "")[:300]
    folded = folded.replace(",", ", ")
    match = _SPLIT_HOUSE.match(folded)
    street_part, house = (match["street"], house_key(match["house"])) if match else (folded, "")
    words = [w.strip(",.") for w in street_part.replace(",", " ").split()]
    words = [w for w in words if w]
    street_type = ""
    kept = []
    for word in words:
        canonical = _TYPE_OF.get(word.rstrip("."))
        if canonical and not street_type:
            street_type = canonical
            continue
        kept.append(word)
    street = " ".join(kept)
    if not street or not any(ch.isalpha() for ch in street):
        raise AddressInvalid(text)
    return ParsedAddress(street=street, street_type=street_type, house=house)
