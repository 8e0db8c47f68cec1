import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Immediate tasks (a test sees the e-mail its notification caused), a fast password
    hasher and plain static storage. Set here explicitly because the environment defaults
    in the root conftest are read after pytest-django has loaded the settings."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
