"""House number order, rule checks and membership on the boundaries (pure functions)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hromada.core.errors import DomainError
from hromada.places.territories import house_order, parse_rule, rule_check, rule_covers, rule_text


def test_house_numbers_order_as_a_decision_reads_them():
    numbers = ["13", "12Б", "12", "12/2", "2", "12А", "1", "12а/1", "12 корп. 3", "100"]
    assert sorted(numbers, key=house_order) == [
        "1",
        "2",
        "12",
        "12 корп. 3",
        "12/2",
        "12А",
        "12а/1",
        "12Б",
        "13",
        "100",
    ]
    assert house_order("12-А") == house_order("12а") == house_order("12 а")
    assert house_order("дванадцять") > house_order("9999")  # not a number: last


COVERS = [
    # (house, parity, from, to, covered)
    ("9", "odd", "1", "15", True),
    ("15", "odd", "1", "15", True),  # both ends included
    ("17", "odd", "1", "15", False),
    ("1", "odd", "1", "15", True),
    ("10", "odd", "1", "15", False),  # wrong parity
    ("10", "even", "", "", True),
    ("11", "even", "", "", False),
    ("12А", "even", "", "", True),  # parity of the number
    ("12/2", "even", "", "", True),
    ("13Б", "odd", "1", "13", True),  # "to 13" takes the letters of 13
    ("13/1", "odd", "1", "13", True),
    ("10", "all", "10", "", True),  # from 10 to the end
    ("9", "all", "10", "", False),
    ("9Я", "all", "10", "", False),
    ("9999", "all", "10", "", True),
    ("10", "all", "10А", "", False),  # from 10А: 10 is out
    ("10А", "all", "10А", "", True),
    ("10Б", "all", "10А", "", True),
    ("10А/2", "all", "10А", "", True),
    ("11", "all", "10А", "", True),
    ("20", "all", "", "20А", True),  # to 20А: 20 and 20А in, 20Б out
    ("20А", "all", "", "20А", True),
    ("20Б", "all", "", "20А", False),
    ("20/1", "all", "", "20/2", True),
    ("20/3", "all", "", "20/2", False),
    ("5", "all", "5", "5", True),  # one house
    ("5А", "all", "5", "5", True),
    ("6", "all", "5", "5", False),
    ("не номер", "all", "", "", False),
]


@pytest.mark.parametrize(("house", "parity", "low", "high", "covered"), COVERS)
def test_membership_on_the_boundaries(house, parity, low, high, covered):
    assert rule_covers(house, parity=parity, from_house=low, to_house=high) is covered


@given(
    number=st.integers(min_value=1, max_value=500),
    letter=st.sampled_from(["", "а", "б", "в"]),
    low=st.integers(min_value=1, max_value=500),
    span=st.integers(min_value=0, max_value=200),
)
def test_membership_agrees_with_the_numbers(number, letter, low, span):
    high = low + span
    assert rule_covers(f"{number}{letter}", parity="all", from_house=str(low), to_house=str(high)) is (
        low <= number <= high
    )
    assert rule_covers(f"{number}{letter}", parity="odd") is (number % 2 == 1)
    assert rule_covers(f"{number}{letter}", parity="even", from_house=str(low)) is (
        number % 2 == 0 and number >= low
    )


def test_a_reversed_range_is_refused_with_a_precise_message():
    with pytest.raises(DomainError) as caught:
        rule_check(parity="all", from_house="15", to_house="9")
    assert caught.value.code == "range_reversed"
    assert str(caught.value.message) == (
        "Діапазон «15–9» перевернуто: початок (15) більший за кінець (9). Напишіть «9–15»."
    )
    with pytest.raises(DomainError) as caught:
        rule_check(parity="all", from_house="10Б", to_house="10А")
    assert caught.value.code == "range_reversed"
    assert rule_check(parity="all", from_house="10А", to_house="10")  # 10 as an end takes 10А..10Я


@pytest.mark.parametrize(
    ("low", "high", "field"), [("перший", "", "from_house"), ("1", "кінець", "to_house")]
)
def test_bounds_must_be_house_numbers(low, high, field):
    with pytest.raises(DomainError) as caught:
        rule_check(parity="all", from_house=low, to_house=high)
    assert caught.value.code == "house_number_invalid" and caught.value.field == field
    assert "не номер будинку" in str(caught.value.message)


def test_bounds_of_the_wrong_parity_are_refused():
    with pytest.raises(DomainError) as caught:
        rule_check(parity="odd", from_house="10", to_house="15")
    assert caught.value.code == "parity_mismatch"
    assert str(caught.value.message) == "Правило для непарних номерів, а номер 10 — парний. Вкажіть непарний."
    with pytest.raises(DomainError):
        rule_check(parity="even", from_house="2", to_house="15")
    assert rule_check(parity="even", from_house="2А", to_house="14").from_house == "2А"


def test_parity_must_be_known():
    with pytest.raises(DomainError) as caught:
        rule_check(parity="prime")
    assert caught.value.code == "parity_invalid"


@pytest.mark.parametrize(
    ("text", "parity", "low", "high"),
    [
        ("усі", "all", "", ""),
        ("", "all", "", ""),
        ("непарні 1–15", "odd", "1", "15"),
        ("парні з 10", "even", "10", ""),
        ("з 10 до кінця", "all", "10", ""),
        ("2-20", "all", "2", "20"),
        ("від 10а по 20", "all", "10А", "20"),
        ("7", "all", "7", "7"),
        ("непарні, 1 — 15", "odd", "1", "15"),
    ],
)
def test_rules_as_written_in_a_decision(text, parity, low, high):
    rule = parse_rule(text)
    assert (rule.parity, rule.from_house, rule.to_house) == (parity, low, high)


def test_a_rule_written_reversed_or_unreadable_is_refused():
    with pytest.raises(DomainError) as caught:
        parse_rule("15–9")
    assert caught.value.code == "range_reversed"
    with pytest.raises(DomainError) as caught:
        parse_rule("половина вулиці")
    assert caught.value.code == "rule_invalid"


def test_rule_text():
    assert rule_text(parse_rule("непарні 1-15")) == "непарні 1–15"
    assert rule_text(parse_rule("з 10")) == "усі від 10 до кінця"
    assert rule_text(parse_rule("парні")) == "парні"
