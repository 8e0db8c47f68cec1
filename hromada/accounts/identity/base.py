"""One interface for every way of proving who a person is.

A provider turns a browser round-trip into a `VerifiedPerson`:

    url = provider.authorization_url(request)    # where to send the browser
    person = provider.complete(request)          # on the callback: check, exchange, fetch

`complete` raises `DomainError` with a stable code and a Ukrainian message for
every failure (forged or stale state, replayed code, the person cancelled, the
provider errored or is unreachable, the data lacks a valid tax number, ...).
The pending round-trip (state, nonce, PKCE verifier, the `next` address) lives
in the session; after `complete` the finished flow is at `request.identity_flow`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import httpx
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from hromada.core.errors import DomainError

from . import taxnumber

log = logging.getLogger("hromada.identity")

SESSION_KEY = "identity_flows"
FLOW_TTL_SECONDS = 15 * 60
MAX_PENDING_FLOWS = 5
CODE_SEEN_SECONDS = 60 * 60
FLOW_PARAM = "flow"  # the query parameter of a bound flow's redirect address


@dataclass(frozen=True)
class VerifiedPerson:
    """What a provider vouches for. The tax number is handled in memory only."""

    last_name: str
    first_name: str
    middle_name: str = ""
    birth_date: dt.date | None = None
    tax_number: str = field(default="", repr=False)
    auth_type: str = ""
    provider: str = ""
    # Only to pre-fill the e-mail when a new person signs up; never kept on Identity.
    email: str = field(default="", repr=False)


@dataclass(frozen=True)
class HashedPerson:
    """A verified person with the tax number replaced by its keyed hash: what may
    wait in the session between the callback and the "complete sign-up" page."""

    tax_hash: str
    last_name: str
    first_name: str
    middle_name: str = ""
    birth_date: dt.date | None = None
    auth_type: str = ""

    @classmethod
    def from_verified(cls, person: VerifiedPerson) -> HashedPerson:
        number = taxnumber.normalise(person.tax_number)
        return cls(
            tax_hash=taxnumber.tax_hash(number),
            last_name=person.last_name,
            first_name=person.first_name,
            middle_name=person.middle_name,
            birth_date=person.birth_date or taxnumber.birth_date(number),
            auth_type=person.auth_type,
        )

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p)


@runtime_checkable
class Provider(Protocol):
    key: str  # "dev", "idgovua", "oidc"
    method: str  # VerificationMethod value stored on Identity
    label: str  # the long description on the verification page
    short_label: str  # in "Увійти через …" on the log-in page

    def authorization_url(self, request) -> str: ...

    def complete(self, request) -> VerifiedPerson: ...


ERROR_MESSAGES = {
    "provider_disabled": _("Цей спосіб підтвердження особи не ввімкнено."),
    "provider_misconfigured": _(
        "Спосіб підтвердження особи налаштовано неповністю. Зверніться до адміністратора."
    ),
    "state_mismatch": _(
        "Відповідь сервісу ідентифікації не належить до вашого сеансу або застаріла. Почніть підтвердження знову."
    ),
    "code_replayed": _(
        "Цей код авторизації вже використано або він прострочений. Почніть підтвердження знову."
    ),
    "access_denied": _("Ви скасували підтвердження особи. Спробуйте ще раз, коли будете готові."),
    "idp_error": _("Сервіс ідентифікації відповів помилкою. Спробуйте ще раз трохи пізніше."),
    "idp_unreachable": _("Сервіс ідентифікації зараз недоступний. Спробуйте ще раз трохи пізніше."),
    "idp_bad_response": _(
        "Сервіс ідентифікації надіслав незрозумілу відповідь. Спробуйте ще раз трохи пізніше."
    ),
    "decrypt_failed": _("Не вдалося розшифрувати дані від id.gov.ua. Зверніться до адміністратора."),
    "token_invalid": _("Сервіс ідентифікації надіслав недійсний токен особи. Почніть підтвердження знову."),
    "missing_code": _(
        "У відповіді сервісу ідентифікації немає коду авторизації. Почніть підтвердження знову."
    ),
    "missing_name": _("Сервіс ідентифікації не передав прізвище та ім'я. Підтвердити особу не вдалося."),
    "missing_tax_number": _(
        "Сервіс ідентифікації не передав РНОКПП (ідентифікаційний код). Без нього неможливо "
        "гарантувати принцип «одна особа — один обліковий запис». Підтвердьте особу в ЦНАП."
    ),
    "invalid_tax_number": _("РНОКПП має складатися з 10 цифр із правильною контрольною цифрою."),
    "signup_missing": _("Спершу підтвердьте особу: оберіть спосіб нижче."),
    "signup_expired": _(
        "Минуло понад 15 хвилин після підтвердження особи, тож ми забули ці дані. Підтвердьте особу ще раз."
    ),
    "signup_invalid": _("Дані про підтверджену особу пошкоджено. Підтвердьте особу ще раз."),
}


def identity_error(code: str, *, field: str | None = None, status: int = 400) -> DomainError:
    return DomainError(code, ERROR_MESSAGES[code], field=field, status=status)


def conf(name: str, default: str = "") -> str:
    """A setting, falling back to the environment (for settings not in config/settings.py)."""
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return str(value)


# --- the pending round-trip, kept in the session ---------------------------------------------


def safe_next(request, value: str | None = None) -> str:
    """`next` from the request if it points back to this site, else ""."""
    candidate = value if value is not None else (request.POST.get("next") or request.GET.get("next") or "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def new_state() -> str:
    return secrets.token_urlsafe(32)


def flow_begin(request, *, provider: str, state: str, bind: bool = False, **extra: Any) -> str:
    """Remember a pending round-trip under its `state`. With `bind`, the flow also gets
    a random binding the provider puts in its redirect address (`?flow=`), so the IdP
    delivers the code to, and the token request names, this flow's own redirect: a code
    issued for one flow cannot be completed with another flow's state. Returns the
    binding ("" without `bind`)."""
    binding = secrets.token_urlsafe(24) if bind else ""
    if binding:
        extra["binding"] = binding
    flows = dict(request.session.get(SESSION_KEY) or {})
    now = time.time()
    flows = {s: f for s, f in flows.items() if now - f.get("created", 0) < FLOW_TTL_SECONDS}
    while len(flows) >= MAX_PENDING_FLOWS:
        flows.pop(min(flows, key=lambda s: flows[s].get("created", 0)))
    flows[state] = {"provider": provider, "created": now, "next": safe_next(request), **extra}
    request.session[SESSION_KEY] = flows
    return binding


def flow_finish(request, *, provider: str) -> dict:
    """Check the callback's state against the session and use it up (single use).

    A replayed authorization code is recognised first, so the person hears
    what actually happened; then a state that is unknown, for another
    provider, older than FLOW_TTL_SECONDS, or arriving at another flow's redirect
    (its binding, see flow_begin) is refused."""
    code = request.GET.get("code", "")
    if code and cache.get(_code_key(provider, code)):
        raise identity_error("code_replayed")
    state = request.GET.get("state", "")
    flows = dict(request.session.get(SESSION_KEY) or {})
    flow = flows.pop(state, None) if state else None
    request.session[SESSION_KEY] = flows
    if (
        flow is None
        or flow.get("provider") != provider
        or time.time() - flow.get("created", 0) > FLOW_TTL_SECONDS
        or not hmac.compare_digest(str(flow.get("binding", "")), request.GET.get(FLOW_PARAM, ""))
    ):
        raise identity_error("state_mismatch")
    request.identity_flow = flow
    if code:
        cache.set(_code_key(provider, code), 1, CODE_SEEN_SECONDS)
    return flow


def _code_key(provider: str, code: str) -> str:
    return "identity:code:" + hashlib.sha256(f"{provider}:{code}".encode()).hexdigest()


# --- HTTP to the identity provider --------------------------------------------------------------


def http_client() -> httpx.Client:
    seconds = float(conf("IDENTITY_HTTP_TIMEOUT", "10"))
    return httpx.Client(
        timeout=httpx.Timeout(seconds, connect=min(5.0, seconds)),
        follow_redirects=False,
        headers={"User-Agent": "Hromada identity client", "Accept": "application/json"},
    )


def call_json(client: httpx.Client, method: str, url: str, **kwargs: Any) -> tuple[int, dict]:
    """Make one call and return (status, JSON object). Transport failures and 5xx
    become idp_unreachable; anything but a JSON object becomes idp_bad_response."""
    try:
        response = client.request(method, url, **kwargs)
    except httpx.HTTPError as exc:
        log.warning("identity provider unreachable: %s %s: %s", method, _redact(url), exc.__class__.__name__)
        raise identity_error("idp_unreachable", status=502)
    if response.status_code >= 500:
        log.warning("identity provider failed: %s %s -> %s", method, _redact(url), response.status_code)
        raise identity_error("idp_unreachable", status=502)
    try:
        data = response.json()
    except ValueError:
        log.warning(
            "identity provider sent non-JSON: %s %s -> %s", method, _redact(url), response.status_code
        )
        raise identity_error("idp_bad_response", status=502)
    if not isinstance(data, dict):
        raise identity_error("idp_bad_response", status=502)
    return response.status_code, data


def _redact(url: str) -> str:
    return url.split("?", 1)[0]


# --- shared mapping -----------------------------------------------------------------------------


def clean_name(value: Any) -> str:
    text = str(value or "").strip()
    return "" if text.lower() in {"n/a", "na", "none", "null", "-"} else text[:100]


def person_from_attributes(
    *,
    provider: str,
    last_name: Any,
    first_name: Any,
    middle_name: Any = "",
    tax_number: Any = "",
    birth_date: dt.date | None = None,
    auth_type: Any = "",
    email: Any = "",
) -> VerifiedPerson:
    """Validate what a provider sent and build the VerifiedPerson."""
    last, first = clean_name(last_name), clean_name(first_name)
    if not last or not first:
        raise identity_error("missing_name")
    raw_tax = clean_name(tax_number)
    if not raw_tax:
        raise identity_error("missing_tax_number")
    if not taxnumber.is_valid(raw_tax):
        raise identity_error("invalid_tax_number")
    number = taxnumber.normalise(raw_tax)
    return VerifiedPerson(
        last_name=last,
        first_name=first,
        middle_name=clean_name(middle_name),
        birth_date=birth_date or taxnumber.birth_date(number),
        tax_number=number,
        auth_type=str(auth_type or "")[:30],
        provider=provider,
        email=clean_email(email),
    )


def clean_email(value: Any) -> str:
    """The provider's e-mail if it looks like one, else "" (it only pre-fills a form)."""
    text = str(value or "").strip().lower()
    if not text or len(text) > 254:
        return ""
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text
