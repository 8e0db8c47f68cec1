import pytest


@pytest.fixture(autouse=True)
def _fresh_calendar():
    """Each test sees the calendar of its own database state."""
    from hromada.core.calendar import calendar_cache_clear

    calendar_cache_clear()
    yield
    calendar_cache_clear()
