"""The ledger's API (/api/v1/ledger): a receipt's inclusion proof, as /ledger/receipt.json."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema

from hromada.api.schemas import ErrorOut
from hromada.core.errors import DomainError
from hromada.core.ratelimit import rate_limit

from .proofs import ledger_receipt_check, proof_document
from .receipts import lookup_keys

router = Router(tags=["ledger"])


class HromadaRef(Schema):
    slug: str
    name: str


class TreeHeadOut(Schema):
    tree_size: int
    root_hash: str
    timestamp: int
    timestamp_iso: str
    key_id: str
    signature: str


class PublicKeyOut(Schema):
    key_id: str
    algorithm: str
    public_key: str
    pem: str


class ProvenEntryOut(Schema):
    index: int
    entry: str
    leaf_hash: str
    audit_path: list[str]


class PendingEntryOut(Schema):
    entry: str
    leaf_hash: str
    seal_expected_by: str


class ReceiptProofOut(Schema):
    format: str
    hromada: HromadaRef
    generated_at: str
    receipt: str
    hashing: str
    inclusion_proof: str
    tree_head_signature: str
    verified_by_server: bool
    tree_head: TreeHeadOut | None
    public_key: PublicKeyOut | None
    entries: list[ProvenEntryOut]
    pending: list[PendingEntryOut]


@router.get(
    "/ledger/receipt",
    response={200: ReceiptProofOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Inclusion proof of the entry a receipt names",
)
def receipt(request, receipt: str = ""):
    """The entry named by a receipt (a signer's pseudonym, or an entry's uuid) with its
    RFC 9162 audit path in the latest signed tree head, the head's signature and key:
    what `tools/ledger_verify.py --proof` checks offline. Not-yet-sealed entries are
    listed under `pending`. Errors: `invalid_receipt` (400), `not_found` (404)."""
    keys = lookup_keys(receipt)
    rate_limit(request, "ledger.receipt")
    check = ledger_receipt_check(hromada=request.hromada, receipt=keys[0], keys=keys)
    if not check.found:
        raise DomainError(
            "not_found", _("Запису з такою квитанцією в реєстрі немає."), field="receipt", status=404
        )
    return proof_document(hromada=request.hromada, check=check)
