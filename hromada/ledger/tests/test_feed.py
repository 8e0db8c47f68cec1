import pytest

from hromada.ledger.services import ledger_append, ledger_seal

pytestmark = pytest.mark.django_db


def test_tree_heads_are_published_as_atom(client, hromada):
    ledger_append(hromada=hromada, kind="sample.opened", payload={"thing": "x"})
    head = ledger_seal(hromada=hromada)
    response = client.get("/ledger/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert f"root_hash={head.root_hash}" in body
    assert f"signature={head.signature}" in body
