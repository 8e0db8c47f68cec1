"""What a petition signing receipt means, for the public register (Module.ledger_receipts)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from hromada.core.modules import ReceiptSubject

from .models import Petition


def describe_signature(*, hromada, payload: dict) -> ReceiptSubject | None:
    """'Ваш підпис під петицією №12 «…»' for a petition.signed entry."""
    petition = (
        Petition.objects.filter(hromada=hromada, public_id=payload.get("petition"))
        .only("number", "title", "public_id")
        .first()
    )
    if petition is None:
        return None
    text = _("Ваш підпис під петицією №%(number)d «%(title)s»") % {
        "number": petition.number,
        "title": petition.title,
    }
    return ReceiptSubject(text, reverse("petitions:detail", args=[petition.public_id]))
