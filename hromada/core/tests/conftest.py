import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test sees the calendar of its own database state."""
    from hromada.core.calendar import calendar_cache_clear

    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """A fast password hasher and immediate tasks unless a test picks the database backend.
    Set here explicitly because the environment defaults in the root conftest are read
    after pytest-django has loaded the settings."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
