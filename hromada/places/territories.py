"""Service territories: which houses of a street a territory takes (a rule), and which
territory an address belongs to.

House numbers order as a council decision reads them: 12 < 12/2 < 12А < 12Б < 13 (a
fraction and a block sort with their number). A rule is a parity (all, odd, even) and
an optional range from–to, both ends included, "to" empty meaning to the end of the
street. A bound is as precise as it is written: "20" takes 20, 20/1, 20А and 20Б;
"20А" takes 20, 20А and 20А/1 but not 20Б; "from 10А" leaves 10 out and takes 10Б.
Parity is the parity of the number: 12А is even.

Membership is a pure function (`rule_covers`), tested on these boundaries;
`territory_of` answers for a building by the rules of its street and by the polygons
(a building's point on a polygon's edge is inside: covers, not contains)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _

from hromada.core.errors import DomainError

from .addresses import house_key
from .models import Area, AreaKind, TerritoryRule

LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_RANK = {ch: i + 1 for i, ch in enumerate(LETTERS)}
_KEY = re.compile(
    r"^(?P<num>\d{1,4})(?P<letter>[^\W\d_])?(?:/(?P<frac>\d{1,4})(?P<fletter>[^\W\d_])?)?(?: к(?P<block>\d{1,3}))?$"
)
_UNKNOWN = 10**6


def _rank(letter: str | None) -> int:
    if not letter:
        return 0
    return _RANK.get(letter, 100 + ord(letter))


@lru_cache(maxsize=65536)
def key_of(text: str) -> str:
    """A house key from a key or from a number as written ("12-А" → "12а")."""
    text = (text or "").strip()
    # house_key does not read its own block form ("12а к3"): such text is a key already.
    return house_key(text) or (text if _KEY.match(text) else "")


@lru_cache(maxsize=65536)
def house_order(key: str) -> tuple:
    """(number, letter, fraction, fraction letter, block): the sort key of a house key.
    Text that is not a house number sorts after every number."""
    match = _KEY.match(key_of(key))
    if match is None:
        return (_UNKNOWN, 0, 0, 0, 0, key)
    return (
        int(match["num"]),
        _rank(match["letter"]),
        int(match["frac"] or 0),
        _rank(match["fletter"]),
        int(match["block"] or 0),
        "",
    )


def _precision(key: str) -> int:
    """How many components of house_order a bound as written fixes."""
    match = _KEY.match(key)
    if match is None:
        return 0
    if match["block"]:
        return 5
    if match["fletter"]:
        return 4
    if match["frac"]:
        return 3
    if match["letter"]:
        return 2
    return 1


@dataclass(frozen=True)
class Rule:
    parity: str = TerritoryRule.Parity.ALL
    from_house: str = ""
    to_house: str = ""


def rule_covers(house: str, *, parity: str, from_house: str = "", to_house: str = "") -> bool:
    """Whether a rule takes this house (a number as written or a house key)."""
    key = key_of(house)
    order = house_order(key)
    if not key or order[0] == _UNKNOWN:
        return False
    if parity == TerritoryRule.Parity.ODD and order[0] % 2 != 1:
        return False
    if parity == TerritoryRule.Parity.EVEN and order[0] % 2 != 0:
        return False
    if from_house:
        low = key_of(from_house)
        n = _precision(low)
        if order[:n] < house_order(low)[:n]:
            return False
    if to_house:
        high = key_of(to_house)
        n = _precision(high)
        if order[:n] > house_order(high)[:n]:
            return False
    return True


def _shown(text: str) -> str:
    return " ".join((text or "").split())


def rule_check(*, parity: str, from_house: str = "", to_house: str = "") -> Rule:
    """A rule as entered, checked: house numbers that are numbers, a range in order, and
    bounds of the rule's parity. Raises DomainError with a precise Ukrainian message."""
    if parity not in TerritoryRule.Parity.values:
        raise DomainError("parity_invalid", _("Оберіть, які номери: усі, непарні чи парні."), field="parity")
    keys = {}
    for name, value in (("from_house", from_house), ("to_house", to_house)):
        value = _shown(value)
        if value and not house_key(value):
            raise DomainError(
                "house_number_invalid",
                _("«%(v)s» — не номер будинку. Пишіть номер, як на табличці: 9, 9А, 9/2.") % {"v": value},
                field=name,
            )
        keys[name] = house_key(value) if value else ""
    low, high = keys["from_house"], keys["to_house"]
    if low and high:
        # Reversed when even the first house the start takes is beyond the end.
        n = _precision(high)
        if house_order(low)[:n] > house_order(high)[:n]:
            raise DomainError(
                "range_reversed",
                _(
                    "Діапазон «%(a)s–%(b)s» перевернуто: початок (%(a)s) більший за кінець (%(b)s). "
                    "Напишіть «%(b)s–%(a)s»."
                )
                % {"a": _display(low), "b": _display(high)},
                field="to_house",
            )
    if parity != TerritoryRule.Parity.ALL:
        want = 1 if parity == TerritoryRule.Parity.ODD else 0
        for name, key in (("from_house", low), ("to_house", high)):
            if key and house_order(key)[0] % 2 != want:
                raise DomainError(
                    "parity_mismatch",
                    (
                        _("Правило для непарних номерів, а номер %(n)s — парний. Вкажіть непарний.")
                        if want
                        else _("Правило для парних номерів, а номер %(n)s — непарний. Вкажіть парний.")
                    )
                    % {"n": _display(key)},
                    field=name,
                )
    return Rule(
        parity=parity, from_house=_display(low) if low else "", to_house=_display(high) if high else ""
    )


def _display(key: str) -> str:
    """A house key as a decision writes it: "12а" → "12А", "12 к3" → "12 корп. 3"."""
    return key.upper().replace(" К", " корп. ")


def rule_text(rule) -> str:
    """A rule for people: "непарні 1–15", "усі від 10 до кінця", "парні"."""
    parity = {"all": _("усі"), "odd": _("непарні"), "even": _("парні")}[rule.parity]
    if rule.from_house and rule.to_house:
        return f"{parity} {rule.from_house}–{rule.to_house}"
    if rule.from_house:
        return _("%(p)s від %(a)s до кінця") % {"p": parity, "a": rule.from_house}
    if rule.to_house:
        return _("%(p)s до %(b)s") % {"p": parity, "b": rule.to_house}
    return str(parity)


_PARITY_WORDS = {
    "усі": "all", "всі": "all", "все": "all", "all": "all", "уся": "all", "вся": "all",
    "непарні": "odd", "непарна": "odd", "непарна сторона": "odd", "непар": "odd", "odd": "odd", "н": "odd",
    "парні": "even", "парна": "even", "парна сторона": "even", "пар": "even", "even": "even", "п": "even",
}  # fmt: skip
_RANGE = re.compile(
    r"^(?:з|із|від|from)?\s*(?P<a>\d[^\s–—-]*(?:\s*корп\.?\s*\d+)?)\s*"
    r"(?:(?:-|–|—|по|до|to)\s*(?P<b>кінця|end|\d\S*(?:\s*корп\.?\s*\d+)?))?$"
)


def parse_rule(text: str) -> Rule:
    """A rule as written in a decision or a CSV: "усі", "непарні 1–15", "парні з 10",
    "з 10 до кінця", "2-20". Raises DomainError (rule_check's messages, or rule_invalid)."""
    words = " ".join((text or "").casefold().replace(",", " ").split())
    parity = "all"
    for word in sorted(_PARITY_WORDS, key=len, reverse=True):
        if words == word or words.startswith(word + " "):
            parity = _PARITY_WORDS[word]
            words = words[len(word) :].strip()
            break
    words = words.removeprefix("номери ").removeprefix("будинки ").strip()
    if not words:
        return rule_check(parity=parity)
    match = _RANGE.match(words)
    if match is None:
        raise DomainError(
            "rule_invalid",
            _("Правило «%(t)s» не зрозуміле. Пишіть: «усі», «непарні 1–15», «парні з 10», «з 10 до кінця».")
            % {"t": _shown(text)},
            field="rule",
        )
    a, b = match["a"], match["b"]
    if b in ("кінця", "end"):
        b = ""
    elif b is None:
        b = "" if re.match(r"^(з|із|від|from)\s", words) else a  # "з 10": to the end; "10": one house
    return rule_check(parity=parity, from_house=a, to_house=b)


def territory_of(*, hromada, building, purpose: str) -> list[Area]:
    """The territories of `purpose` that take this building: by the rules of its street
    and by their polygons (the building's point inside or on the edge). Sorted by name."""
    found: dict[int, Area] = {}
    rules = TerritoryRule.objects.filter(
        hromada=hromada, street_id=building.street_id, area__kind=AreaKind.TERRITORY, area__purpose=purpose
    ).select_related("area")
    for rule in rules:
        if rule.area.hromada_id == hromada.pk and rule_covers(
            building.house_key, parity=rule.parity, from_house=rule.from_house, to_house=rule.to_house
        ):
            found[rule.area.pk] = rule.area
    if building.lat is not None and building.lon is not None:
        from .geocode import areas_at

        for area in areas_at(
            hromada=hromada, lat=building.lat, lon=building.lon, kind=AreaKind.TERRITORY, purpose=purpose
        ):
            found.setdefault(area.pk, area)
    return sorted(found.values(), key=lambda a: (a.name, a.pk))
