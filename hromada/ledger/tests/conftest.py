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


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Pages render without a collected static manifest, whatever the environment
    said when the settings were first read."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
