import pytest

# Test defaults (fast hasher, immediate tasks, all identity providers) are set by
# config/settings.py when it is imported under pytest.


@pytest.fixture(autouse=True)
def _clear_caches(settings, tmp_path):
    from django.core.cache import cache

    from hromada.tenancy.selectors import tenancy_cache_clear

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    tenancy_cache_clear()
    yield
    cache.clear()
    tenancy_cache_clear()


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


@pytest.fixture
def ledger_cleanup(transactional_db):
    """For tests that commit: empty the append-only ledger before the database flush."""
    yield
    from hromada.ledger.db import wipe_ledger_for_tests

    wipe_ledger_for_tests()
