"""Every way of writing the same address finds it; former names; settlements; misses."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hromada.places import lookup
from hromada.places.tests.lookup_town import make_town
from hromada.places.translit import transliterate

pytestmark = pytest.mark.django_db

# street key in the town → the names it may be typed by (current full, its tail, former).
NAMES = {
    "shevchenka": ["Тараса Шевченка", "Шевченка"],
    "maidan": ["Героїв Майдану", "Майдану", "Леніна", "Соборна"],
    "marianivska": ["Мар'янівська"],
}
FORMER = {"Леніна": "вулиця Леніна", "Соборна": "вулиця Соборна"}
HOUSES = {"shevchenka": ["12А", "12Б", "13", "1"], "maidan": ["12А", "5"], "marianivska": ["7"]}


@pytest.fixture
def town(hromada):
    return make_town(hromada)


def _render(data, name: str, house: str) -> str:
    latin = data.draw(st.booleans(), label="latin")
    number, letter = (house[:-1], house[-1]) if house[-1].isalpha() else (house, "")
    if latin:
        kind = data.draw(st.sampled_from(["", "vul.", "vul", "St", "Street"]), label="type")
        street = transliterate(name)
        letter = {"А": "A", "Б": "B"}.get(letter, letter)
    else:
        kind = data.draw(st.sampled_from(["", "вул.", "вул", "вулиця", "ВУЛ."]), label="type")
        apostrophe = data.draw(st.sampled_from(["'", "’", "ʼ"]), label="apostrophe")
        street = name.replace("'", apostrophe)
    if letter and data.draw(st.booleans(), label="lower"):
        letter = letter.lower()
    joiner = data.draw(st.sampled_from(["", "-", " "]), label="joiner") if letter else ""
    sep = data.draw(st.sampled_from([" ", ", ", ","]), label="sep")
    house_word = data.draw(st.sampled_from(["", "буд. "] if not latin else [""]), label="house word")
    after = kind in ("St", "Street") or (kind and data.draw(st.booleans(), label="type after"))
    head = f"{street} {kind}" if after else f"{kind} {street}"
    typed = f"{head.strip()}{sep}{house_word}{number}{joiner}{letter}"
    case = data.draw(st.sampled_from(["as is", "upper", "lower"]), label="case")
    return typed.upper() if case == "upper" else typed.lower() if case == "lower" else typed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_way_of_writing_an_address_finds_it(town, data):
    key = data.draw(st.sampled_from(sorted(NAMES)), label="street")
    name = data.draw(st.sampled_from(NAMES[key]), label="name")
    house = data.draw(st.sampled_from(HOUSES[key]), label="house")
    typed = _render(data, name, house)
    building = town.buildings[f"{key.replace('shevchenka', 'shev')} {house}"]

    found = lookup.find(hromada=town.hromada, q=typed)
    assert found.building_id == str(building.public_id), typed
    assert found.former == FORMER.get(name, "")
    first = lookup.suggest(hromada=town.hromada, q=typed)[0]
    assert first.building_id == str(building.public_id), typed
    assert first.label.startswith(f"{town.streets[key].street_type} {town.streets[key].name}, ")


def test_a_former_name_shows_the_current_address(town):
    (s,) = lookup.suggest(hromada=town.hromada, q="вул. Леніна 12-а")
    assert s.label == "вулиця Героїв Майдану, 12А, Кам’янка"
    assert s.former == "вулиця Леніна"
    assert s.kind == "building" and s.settlement == "Кам’янка"
    streets = lookup.suggest(hromada=town.hromada, q="Лені")
    assert [(x.label, x.former) for x in streets] == [("вулиця Героїв Майдану, Кам’янка", "вулиця Леніна")]


def test_the_current_name_wins_over_a_former_one(town):
    (s,) = lookup.suggest(hromada=town.hromada, q="Героїв Майдану 5")
    assert s.former == ""


def test_a_settlement_in_the_query_narrows_to_it(town):
    both = lookup.suggest(hromada=town.hromada, q="Шкільна 3")
    assert [s.settlement for s in both] == ["Кам’янка", "Вербівка"]  # the centre first
    for typed in (
        "Вербівка, Шкільна 3",
        "с. Вербівка, вул. Шкільна, 3",
        "Шкільна 3, Вербівка",
        "Verbivka, Shkilna 3",
    ):
        (s,) = lookup.suggest(hromada=town.hromada, q=typed)
        assert s.label == "вулиця Шкільна, 3, Вербівка", typed
        assert lookup.find(hromada=town.hromada, q=typed).building_id == s.building_id
    assert lookup.find(hromada=town.hromada, q="Шкільна 3").settlement == "Кам’янка"


def test_partial_input_suggests_as_you_type(town):
    assert [s.label for s in lookup.suggest(hromada=town.hromada, q="шевч")] == [
        "вулиця Тараса Шевченка, Кам’янка"
    ]
    houses = [s.label.split(", ")[1] for s in lookup.suggest(hromada=town.hromada, q="Шевченка 12")]
    assert houses == ["12", "12/2", "12А", "12Б"]
    houses = [s.label.split(", ")[1] for s in lookup.suggest(hromada=town.hromada, q="шевч 1", limit=3)]
    assert houses == ["1", "10", "12"]
    assert lookup.suggest(hromada=town.hromada, q="ш") == []
    assert lookup.suggest(hromada=town.hromada, q="12") == []
    assert [s.label for s in lookup.suggest(hromada=town.hromada, q="пров. Садов")] == [
        "провулок Садовий, Кам’янка"
    ]


def test_a_street_found_without_a_house(town):
    s = lookup.find(hromada=town.hromada, q="вулиця Мар’янівська")
    assert (
        s.kind == "street"
        and s.building_id == ""
        and s.street_id == str(town.streets["marianivska"].public_id)
    )


def test_a_missing_house_suggests_the_nearest_numbers(town):
    with pytest.raises(lookup.AddressNotFound) as caught:
        lookup.find(hromada=town.hromada, q="Шевченка 14")
    assert caught.value.message == "Адреси «Шевченка 14» немає в реєстрі громади."
    assert [s.label.split(", ")[1] for s in caught.value.suggestions[:2]] == ["13", "15"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Шевенка 12", "вулиця Тараса Шевченка, 12, Кам’янка"),  # a letter missing
        ("Shevchenko St 12", "вулиця Тараса Шевченка, 12, Кам’янка"),  # not the official Latin
        ("Садова", "провулок Садовий, Кам’янка"),
        ("Маряновська 7", "вулиця Мар’янівська, 7, Кам’янка"),
    ],
)
def test_a_misspelt_address_suggests_what_exists(town, typed, expected):
    with pytest.raises(lookup.AddressNotFound) as caught:
        lookup.find(hromada=town.hromada, q=typed)
    assert expected in [s.label for s in caught.value.suggestions]


def test_text_with_no_street_is_invalid(town):
    with pytest.raises(lookup.AddressInvalid):
        lookup.find(hromada=town.hromada, q="12")


def test_another_hromadas_streets_are_never_suggested(town, other_hromada):
    from hromada.places import services
    from hromada.places.tests.lookup_town import building, settlement

    village = settlement(other_hromada, "Іншанівка", "UA71080130030011111", centre=True)
    theirs = services.street_save(
        actor=None, hromada=other_hromada, settlement=village, name="Тараса Шевченка"
    )
    building(theirs, "12А")
    building(theirs, "14")
    mine = lookup.suggest(hromada=town.hromada, q="Шевченка 1", limit=50)
    assert mine and all(s.settlement == "Кам’янка" for s in mine)
    with pytest.raises(lookup.AddressNotFound) as caught:
        lookup.find(hromada=town.hromada, q="Шевченка 14")
    assert all(s.settlement == "Кам’янка" for s in caught.value.suggestions)
    (other,) = lookup.suggest(hromada=other_hromada, q="Шевченка 14")
    assert other.settlement == "Іншанівка"
    assert not lookup.suggest(hromada=other_hromada, q="Леніна")
