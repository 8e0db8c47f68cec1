import os

import pytest

os.environ.setdefault("FAST_PASSWORD_HASHER", "1")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("IDENTITY_PROVIDERS", "dev,idgovua,oidc")
os.environ.setdefault("STATIC_MANIFEST", "0")


@pytest.fixture(autouse=True)
def _clear_caches(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hromada(db):
    from hromada.tenancy.tests.factories import HromadaFactory

    return HromadaFactory(hosts=["testserver", "hromada.example.test"])


@pytest.fixture
def other_hromada(db):
    from hromada.tenancy.tests.factories import HromadaFactory

    return HromadaFactory(hosts=["other.example.test"])


@pytest.fixture
def resident(db):
    from hromada.accounts.tests.factories import verified_user

    return verified_user()


@pytest.fixture
def moderator(hromada):
    from hromada.accounts.tests.factories import staff_user

    return staff_user(hromada, "moderator")


@pytest.fixture
def officer(hromada):
    from hromada.accounts.tests.factories import staff_user

    return staff_user(hromada, "officer")


@pytest.fixture
def hromada_admin(hromada):
    from hromada.accounts.tests.factories import staff_user

    return staff_user(hromada, "admin")
