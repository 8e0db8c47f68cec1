import pytest


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
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
    settings.ROOT_URLCONF = "hromada.accounts.tests.urls"
    settings.DEV_IDP_BASE_URL = ""
    settings.DEV_IDP_INTERNAL_URL = ""
