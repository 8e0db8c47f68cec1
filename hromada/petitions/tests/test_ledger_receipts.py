"""The petition signing receipt on the public register (Module.ledger_receipts)."""

from hromada.accounts.tests.factories import verified_user
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_seal
from hromada.petitions.services import petition_sign
from hromada.petitions.tests.factories import collecting


def test_a_signing_receipt_finds_the_signature_in_plain_words(client, hromada):
    petition = collecting(hromada=hromada, title="Відремонтувати тротуар")
    petition_sign(petition=petition, user=verified_user())
    ledger_seal(hromada=hromada)
    receipt = LedgerEntry.objects.get(hromada=hromada, kind="petition.signed").payload["signer"]

    html = client.get("/ledger/receipt/", {"receipt": receipt}).content.decode()

    assert "Перевірка пройшла" in html
    assert f"Ваш підпис під петицією №{petition.number} «Відремонтувати тротуар»" in html
    assert f'href="/petitions/{petition.public_id}/"' in html
