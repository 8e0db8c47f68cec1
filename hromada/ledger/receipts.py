"""Receipts: what a person pastes on /ledger/receipt/ to find their entry.

A receipt is either an entry's uuid or a value that its module declared as the kind's
receipt (Module.ledger_receipts, e.g. the signer's per-petition pseudonym under
payload["signer"]). The seal indexes both in LedgerLookup, so appending pays nothing
and the lookup is one index probe (see docs/ledger.md, "Receipts")."""

from __future__ import annotations

import re
import uuid as uuid_mod

from django.db.models import Case, CharField, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext as _

from hromada.core.errors import DomainError
from hromada.core.modules import registry

RECEIPT_RE = re.compile(r"^[0-9a-f]{16,64}$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
MAX_INPUT = 100  # longer input is refused before any parsing


class InvalidReceipt(DomainError):
    def __init__(self, message) -> None:
        super().__init__("invalid_receipt", message, field="receipt", status=400)


def lookup_keys(raw: str) -> list[str]:
    """The LedgerLookup keys a pasted receipt may stand for, or InvalidReceipt.

    Spaces and dashes a person may copy along are tolerated around the value; case is
    not significant. 32 hex digits may be a pseudonym or a uuid written without dashes,
    so both are looked up."""
    if raw is None or not raw.strip():
        raise InvalidReceipt(_("Вставте код квитанції: 32 шістнадцяткові символи (0–9, a–f)."))
    if len(raw) > MAX_INPUT:
        raise InvalidReceipt(
            _("Код квитанції задовгий: він має від 16 до 64 символів 0–9 і a–f, або ідентифікатор запису.")
        )
    text = "".join(raw.split()).lower()
    if UUID_RE.match(text):
        return [text]
    if not RECEIPT_RE.match(text):
        if re.search(r"[^0-9a-f-]", text):
            raise InvalidReceipt(
                _(
                    "Код квитанції складається лише з цифр 0–9 і латинських літер a–f; перевірте, що скопіювали його повністю."
                )
            )
        raise InvalidReceipt(
            _(
                "Код квитанції має від 16 до 64 символів 0–9 і a–f (квитанція підпису — 32), або це ідентифікатор запису (UUID)."
            )
        )
    keys = [text]
    if len(text) == 32:
        keys.append(str(uuid_mod.UUID(hex=text)))
    return keys


def receipt_value_expression():
    """A database expression giving each entry's declared receipt (its module's payload
    key for its kind) as text, or NULL: the seal reads it without decoding payloads."""
    receipts = registry.ledger_receipts()
    if not receipts:
        return Value(None, output_field=CharField())
    return Case(
        *(When(kind=kind, then=KeyTextTransform(r.key, "payload")) for kind, r in sorted(receipts.items())),
        default=Value(None),
        output_field=CharField(),
    )


def is_receipt(value) -> bool:
    return isinstance(value, str) and bool(RECEIPT_RE.match(value))
