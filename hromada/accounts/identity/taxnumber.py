"""РНОКПП (registration number of the taxpayer's account card): normalise,
validate, derive the birth date, and hash.

The number has ten digits. The first five are the number of days from
1899-12-31 to the person's birth date; digits six to nine are a serial whose
last digit is odd for men and even for women; the tenth is a check digit:
(-1*d1 + 5*d2 + 7*d3 + 9*d4 + 4*d5 + 6*d6 + 10*d7 + 5*d8 + 7*d9) mod 11 mod 10.

The platform never stores the number itself, only HMAC-SHA256 under
IDENTITY_HASH_KEY (see docs/identity.md).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings

WEIGHTS = (-1, 5, 7, 9, 4, 6, 10, 5, 7)
EPOCH = dt.date(1899, 12, 31)
_NON_DIGITS = re.compile(r"[\s\-‐-―_.]")


def normalise(value: str | None) -> str:
    """Strip spaces, dashes and dots; what remains must be digits to be valid."""
    return _NON_DIGITS.sub("", (value or "").strip()).upper()


def check_digit(first_nine: str) -> int:
    total = sum(w * int(d) for w, d in zip(WEIGHTS, first_nine, strict=True))
    return total % 11 % 10


def is_valid(value: str | None) -> bool:
    number = normalise(value)
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        return False
    return check_digit(number[:9]) == int(number[9])


def birth_date(value: str | None) -> dt.date | None:
    """The birth date encoded in a valid number, or None."""
    if not is_valid(value):
        return None
    days = int(normalise(value)[:5])
    if days == 0:
        return None
    try:
        return EPOCH + dt.timedelta(days=days)
    except OverflowError:
        return None


def make(born: dt.date, serial: int) -> str:
    """Build a checksum-valid number for a birth date and a four-digit serial.
    Used by the development identity provider and tests to invent people."""
    days = (born - EPOCH).days
    if not 0 < days < 100_000 or not 0 <= serial <= 9999:
        raise ValueError("birth date or serial out of range")
    first_nine = f"{days:05d}{serial:04d}"
    return first_nine + str(check_digit(first_nine))


def tax_hash(value: str) -> str:
    """HMAC-SHA256(IDENTITY_HASH_KEY, normalised number) as 64 hex characters."""
    key = str(settings.IDENTITY_HASH_KEY).encode()
    return hmac.new(key, normalise(value).encode(), hashlib.sha256).hexdigest()
