"""A verified person who has no account yet, waiting in the session between the
identity provider's callback and the "complete sign-up" page.

Only what the new account needs is kept: the keyed hash of the tax number (the
number itself is gone once the callback returns), the names, the birth date, the
method, the sign-in type, the e-mail the provider gave (to pre-fill the form) and
the `next` address. The entry is signed with its own salt and is refused after
PENDING_MAX_AGE, whatever the session's own lifetime.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core import signing

from .base import HashedPerson, VerifiedPerson, identity_error

PENDING_SESSION_KEY = "identity_pending_signup"
PENDING_SALT = "hromada.accounts.pending-signup"
PENDING_MAX_AGE = 15 * 60

_HASH = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class PendingSignup:
    person: HashedPerson
    method: str
    email: str = ""
    next: str = ""


def pending_store(request, *, person: VerifiedPerson, method: str, next_url: str = "") -> PendingSignup:
    """Remember a verified person who has no account (replaces an earlier one)."""
    hashed = HashedPerson.from_verified(person)
    pending = PendingSignup(person=hashed, method=method, email=person.email, next=next_url)
    payload = {
        "h": hashed.tax_hash,
        "l": hashed.last_name,
        "f": hashed.first_name,
        "m": hashed.middle_name,
        "b": hashed.birth_date.isoformat() if hashed.birth_date else None,
        "a": hashed.auth_type,
        "v": method,
        "e": pending.email,
        "n": next_url,
    }
    request.session[PENDING_SESSION_KEY] = signing.dumps(payload, salt=PENDING_SALT, compress=True)
    return pending


def pending_load(request) -> PendingSignup:
    """The waiting person, or DomainError signup_missing / signup_expired / signup_invalid."""
    raw = request.session.get(PENDING_SESSION_KEY)
    if not raw:
        raise identity_error("signup_missing")
    try:
        data = signing.loads(raw, salt=PENDING_SALT, max_age=PENDING_MAX_AGE)
    except signing.SignatureExpired:
        raise identity_error("signup_expired")
    except (signing.BadSignature, TypeError, ValueError):
        raise identity_error("signup_invalid")
    try:
        person = HashedPerson(
            tax_hash=str(data["h"]),
            last_name=str(data["l"]),
            first_name=str(data["f"]),
            middle_name=str(data["m"] or ""),
            birth_date=dt.date.fromisoformat(data["b"]) if data["b"] else None,
            auth_type=str(data["a"] or ""),
        )
        pending = PendingSignup(
            person=person, method=str(data["v"]), email=str(data["e"] or ""), next=str(data["n"] or "")
        )
    except (KeyError, TypeError, ValueError):
        raise identity_error("signup_invalid")
    if not _HASH.fullmatch(person.tax_hash):
        raise identity_error("signup_invalid")
    return pending


def pending_clear(request) -> None:
    request.session.pop(PENDING_SESSION_KEY, None)
