"""The living style guide at /design/ (docs/design.md): for development, the demo and staff."""

import pytest

pytestmark = pytest.mark.django_db


def test_hidden_from_visitors_and_residents_on_a_production_install(client, hromada, settings):
    from hromada.accounts.tests.factories import verified_user

    settings.DEBUG = False
    settings.DEMO = False
    assert client.get("/design/").status_code == 404
    client.force_login(verified_user())
    assert client.get("/design/").status_code == 404


def test_shown_to_staff(client, hromada, hromada_admin, settings):
    settings.DEBUG = False
    settings.DEMO = False
    client.force_login(hromada_admin)
    response = client.get("/design/")
    assert response.status_code == 200
    html = response.content.decode()
    # Every component the guide promises, and the form in its error state.
    for marker in (
        'class="btn"',
        "btn-secondary",
        "btn-danger",
        "btn-link",
        "status-collecting",
        "status-consideration",
        'class="subnav"',
        'class="breadcrumbs"',
        'class="steps',
        'class="facts"',
        'class="empty"',
        'class="filters-toggle"',
        'table class="responsive"',
        "data-label=",
        'class="pagination"',
        'class="progress"',
        "message-error",
        "field-error",
        'class="errorlist"',
    ):
        assert marker in html, marker


@pytest.mark.parametrize("flag", ["DEBUG", "DEMO"])
def test_shown_to_anyone_in_development_and_the_demo(client, hromada, settings, flag):
    settings.DEBUG = False
    settings.DEMO = False
    setattr(settings, flag, True)
    assert client.get("/design/").status_code == 200
