import pytest


@pytest.fixture
def thing(hromada):
    """A sample module's thing (hromada/core/tests/sample/comments.py), owned by someone."""
    from hromada.accounts.tests.factories import UserFactory
    from hromada.core.tests.sample.models import Thing

    return Thing.objects.create(hromada=hromada, owner=UserFactory(), title="open")


@pytest.fixture
def author(db):
    from hromada.accounts.tests.factories import UserFactory

    return UserFactory(display_name="Оксана Коваль")


@pytest.fixture
def replier(db):
    from hromada.accounts.tests.factories import UserFactory

    return UserFactory(display_name="Петро Бондар")
