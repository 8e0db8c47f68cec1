import pytest

from hromada.ledger import keys


@pytest.fixture(autouse=True)
def ledger_signing_key(settings):
    """Every ledger test signs with its own throw-away key, never var/'s."""
    pem = keys.generate_pem().decode()
    settings.LEDGER_SIGNING_KEY = pem
    keys.clear_cache()
    yield pem
    keys.clear_cache()
