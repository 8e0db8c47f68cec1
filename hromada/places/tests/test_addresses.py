"""Every way of writing the same address parses to the same keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hromada.places.addresses import AddressInvalid, fold, house_key, parse


@pytest.mark.parametrize(
    ("typed", "street", "street_type", "house"),
    [
        ("вул. Шевченка 12а", "шевченка", "вулиця", "12а"),
        ("Шевченка,12-А", "шевченка", "", "12а"),
        ("ВУЛИЦЯ ШЕВЧЕНКА, буд. 12 а", "шевченка", "вулиця", "12а"),
        ("Shevchenka St 12A", "shevchenka", "вулиця", "12а"),
        ("просп. Миру, 5/2", "миру", "проспект", "5/2"),
        ("Мар’янівська 7 корп. 2", "мар'янівська", "", "7 к2"),
        ("пл. Героїв Майдану", "героїв майдану", "площа", ""),
        ("вулиця 8 Березня 3", "8 березня", "вулиця", "3"),
        ("пров. Тихий, 012", "тихий", "провулок", "12"),
    ],
)
def test_addresses_as_people_type_them(typed, street, street_type, house):
    assert parse(typed) == (parse(typed).__class__)(street, street_type, house)


@pytest.mark.parametrize("typed", ["", "   ", "12", "вул. 12", ",,,", "вулиця"])
def test_no_street_name_is_refused(typed):
    with pytest.raises(AddressInvalid):
        parse(typed)


def test_house_keys():
    assert house_key("12") == house_key("012") == "12"
    assert house_key("12-А") == house_key("12 а") == house_key("12A") == house_key("буд. 12а") == "12а"
    assert house_key("1 б") == house_key("б. 1б") == "1б"  # "б" is a letter after the number
    assert house_key("12/2") == "12/2"
    assert house_key("12 корп. 3") == house_key("12, к. 3") == "12 к3"
    assert house_key("дванадцять") == ""


def test_apostrophes_fold_to_one():
    assert fold("Мар’янівська") == fold("Мар'янівська") == fold("МАРʼЯНІВСЬКА") == "мар'янівська"


NAMES = st.lists(
    st.sampled_from(["Шевченка", "Лесі Українки", "Мар'янівська", "Героїв", "Садова", "Соборна", "Зелена"]),
    min_size=1,
    max_size=2,
    unique=True,
).map(" ".join)
TYPES = st.sampled_from(
    [("вулиця", ["вул.", "вул", "вулиця", "ВУЛ.", ""]), ("провулок", ["пров.", "провулок"])]
)


@given(
    name=NAMES,
    kind=TYPES,
    number=st.integers(min_value=1, max_value=999),
    letter=st.sampled_from(["", "а", "б", "в"]),
    data=st.data(),
)
def test_every_rendering_of_an_address_gives_the_same_keys(name, kind, number, letter, data):
    canonical_type, spellings = kind
    spelling = data.draw(st.sampled_from(spellings))
    sep = data.draw(st.sampled_from([" ", ", ", ","]))
    joiner = data.draw(st.sampled_from(["", "-", " "])) if letter else ""
    house_word = data.draw(st.sampled_from(["", "буд. ", "б. "]))
    apostrophe = data.draw(st.sampled_from(["'", "’", "ʼ"]))
    upper = data.draw(st.booleans())
    shown_letter = letter.upper() if data.draw(st.booleans()) else letter
    typed = f"{spelling} {name.replace(chr(39), apostrophe)}{sep}{house_word}{number}{joiner}{shown_letter}".strip()
    if upper:
        typed = typed.upper()
    parsed = parse(typed)
    assert parsed.street == fold(name)
    assert parsed.street_type == (canonical_type if spelling else "")
    assert parsed.house == f"{number}{letter}"
