import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hromada.accounts.identity import taxnumber


def test_known_number_checksum_and_birth_date():
    number = taxnumber.make(dt.date(1985, 3, 14), 1024)
    assert len(number) == 10 and number.isdigit()
    assert taxnumber.is_valid(number)
    assert taxnumber.birth_date(number) == dt.date(1985, 3, 14)
    # 1985-03-14 is 31119 days after 1899-12-31.
    assert number.startswith("31119")


def test_checksum_weights_by_hand():
    first_nine = "311191024"
    total = sum(w * int(d) for w, d in zip((-1, 5, 7, 9, 4, 6, 10, 5, 7), first_nine, strict=True))
    assert taxnumber.check_digit(first_nine) == total % 11 % 10


@pytest.mark.parametrize(
    "value",
    ["", None, "123", "12345678901", "abcdefghij", "３１１１９１０２４１", "31119102４x"],
)
def test_invalid_shapes(value):
    assert not taxnumber.is_valid(value)
    assert taxnumber.birth_date(value) is None


def test_wrong_check_digit_is_invalid():
    number = taxnumber.make(dt.date(1990, 1, 1), 1234)
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    assert not taxnumber.is_valid(wrong)


def test_normalise_strips_spaces_and_dashes():
    number = taxnumber.make(dt.date(1972, 11, 2), 3517)
    spaced = f" {number[:3]} {number[3:6]}-{number[6:]} "
    assert taxnumber.normalise(spaced) == number
    assert taxnumber.is_valid(spaced)
    assert taxnumber.tax_hash(spaced) == taxnumber.tax_hash(number)


def test_hash_is_keyed_hmac(settings):
    number = taxnumber.make(dt.date(1999, 7, 21), 2208)
    settings.IDENTITY_HASH_KEY = "key-one"
    first = taxnumber.tax_hash(number)
    settings.IDENTITY_HASH_KEY = "key-two"
    second = taxnumber.tax_hash(number)
    assert len(first) == 64 and first != second
    assert number not in first


@given(
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    serial=st.integers(min_value=0, max_value=9999),
    position=st.integers(min_value=0, max_value=9),
    delta=st.integers(min_value=1, max_value=9),
)
def test_made_numbers_round_trip_and_single_digit_errors_are_caught(born, serial, position, delta):
    number = taxnumber.make(born, serial)
    assert taxnumber.is_valid(number)
    assert taxnumber.birth_date(number) == born
    digits = list(number)
    digits[position] = str((int(digits[position]) + delta) % 10)
    mutated = "".join(digits)
    # The weights are coprime with 11, so any single changed digit changes the sum mod 11;
    # only a change that moves it between 0 and 10 (both map to check digit 0) slips through.
    if taxnumber.is_valid(mutated):
        total = lambda n: sum(w * int(d) for w, d in zip(taxnumber.WEIGHTS, n[:9], strict=True)) % 11  # noqa: E731
        assert {total(number), total(mutated)} == {0, 10} or position == 9
