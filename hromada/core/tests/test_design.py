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
        'class="link-list"',
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


# The class names templates rely on (docs/design.md): the first stylesheet's, which every
# module's templates use, and the design system's components.
CONTRACT = (
    "btn btn-secondary btn-danger btn-link link-button btn-small btn-block card cards cards-grid card-link "
    "status meta help progress actions filters filters-toggle stats stat stat-alert message message-info "
    "message-success message-warning message-error messages errorlist field-error form-row choice table-wrap "
    "responsive overdue overdue-flag visually-hidden skip-link timeline badge subnav breadcrumbs back-link "
    "pagination steps empty empty-title facts link-list page-header lead split inline inline-form "
    "petition-text signers count notification notifications notification-unread notification-title "
    "notification-body notification-new ledger-facts ledger-hash ledger-payload ledger-command print-only"
).split()
PETITION_STATES = ("moderation", "rejected", "collecting", "consideration", "answered", "unsuccessful")


def _css() -> str:
    from django.conf import settings

    return (settings.BASE_DIR / "static" / "css" / "hromada.css").read_text(encoding="utf-8")


def test_the_stylesheet_keeps_every_class_templates_use():
    import re

    defined = set(re.findall(r"\.([a-z][a-z0-9-]*)", _css()))
    missing = [name for name in CONTRACT if name not in defined]
    missing += [f"status-{s}" for s in PETITION_STATES if f"status-{s}" not in defined]
    missing += [f"pct-{n}" for n in range(101) if f"pct-{n}" not in defined]
    assert missing == []


def test_the_stylesheet_ends_with_the_modules_sections_marker():
    """Module helpers append under their own headers after this line (docs/design.md)."""
    css = _css()
    assert "/* --- module sections below --- */" in css
    # Tokens and components come before it.
    assert css.index(":root") < css.index("/* --- module sections below --- */")
    assert css.index("@media print") < css.index("/* --- module sections below --- */")
