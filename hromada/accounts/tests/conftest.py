import pytest


@pytest.fixture(autouse=True)
def _accounts_settings(settings, tmp_path):
    """Identity providers on, the dev IdP mounted, a fast password hasher and
    plain static files, whatever the environment was when settings were first
    imported (the root conftest's os.environ defaults come too late for that)."""
    settings.IDENTITY_PROVIDERS = ["dev", "idgovua", "oidc"]
    settings.DEV_IDP_ENABLED = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "hromada.example.test", "other.example.test"]
    # WhiteNoise scans STATIC_ROOT whenever a handler is built; an empty folder of
    # our own keeps a concurrent collectstatic in the shared tree from racing us.
    (tmp_path / "static").mkdir()
    settings.STATIC_ROOT = tmp_path / "static"
    settings.ROOT_URLCONF = "hromada.accounts.tests.urls"
    settings.DEV_IDP_BASE_URL = ""
    settings.DEV_IDP_INTERNAL_URL = ""
