import pytest

# Test defaults (fast hasher, immediate tasks, all identity providers) are set by
# config/settings.py when it is imported under pytest.


@pytest.fixture(autouse=True)
def _clear_caches(settings, tmp_path):
    from django.core.cache import cache

    from hromada.accounts import api_auth
    from hromada.core.edge import edge_cache_clear
    from hromada.core.modules import registry
    from hromada.tenancy.selectors import tenancy_cache_clear

    def clear():
        cache.clear()
        tenancy_cache_clear()
        registry.clear_caches()  # each module's process caches (module.py `caches`)
        edge_cache_clear()
        # Per-process buffers: each test starts as a fresh server process would.
        with api_auth._pending_lock:
            api_auth._pending_use.clear()
            api_auth._last_flush[0] = 0.0

    settings.MEDIA_ROOT = tmp_path / "media"
    clear()
    yield
    clear()


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


@pytest.fixture(autouse=True)
def _seeded_rows(request):
    """Rows that data migrations seed (the martial-law period) are removed by the flush
    after a committing test; put them back so every test sees a migrated database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        yield
        return
    import datetime as dt

    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction"))
    )
    request.getfixturevalue("transactional_db" if transactional else "db")

    from hromada.core.calendar import calendar_cache_clear
    from hromada.core.models import MartialLawPeriod

    if not MartialLawPeriod.objects.exists():
        MartialLawPeriod.objects.create(
            starts_on=dt.date(2022, 2, 24),
            ends_on=None,
            note="Указ Президента України № 64/2022, затверджений Законом № 2102-IX; продовжується",
        )
    calendar_cache_clear()
    from hromada.core.modules import registry, resolve

    for module in registry:
        if module.reference_data:
            resolve(module.reference_data)()
    yield
