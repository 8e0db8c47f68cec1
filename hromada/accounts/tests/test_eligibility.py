"""After a verification the kernel says what the person may now do, in each module's
own words (module.py `eligibility`), and never promises what a module would refuse
(issue 9, defect 7: a 14-year-old was told they could now sign petitions)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from hromada.accounts.identity.dev_idp import dev_people
from hromada.accounts.selectors import eligibility_for
from hromada.accounts.tests.factories import UserFactory
from hromada.tenancy import services as tenancy_services

from .helpers import run_flow

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dev_idp(settings, live_server, hromada):
    settings.DEV_IDP_INTERNAL_URL = live_server.url + "/dev-idp"
    return live_server


def _browser():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def _messages_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def test_the_message_after_verification_is_the_modules_not_the_kernels(dev_idp):
    browser = _browser()
    adult = next(i for i, p in enumerate(dev_people()) if p.age(p.born.today()) >= 18)
    response, _callback = run_flow(browser, person=str(adult))
    page = _messages_after(browser, response)
    # The kernel's own sentence names no module; the module says what it allows.
    assert re.search(r'<p class="message message-success">Особу підтверджено: [^<.]+\.</p>', page)
    assert '<p class="message message-info">You can now sign sample things.</p>' in page


def test_a_minor_is_told_the_age_limit_not_a_promise(dev_idp):
    browser = _browser()
    minor = next(i for i, p in enumerate(dev_people()) if p.note == "молодше 16 років")
    response, _callback = run_flow(browser, person=str(minor))
    page = _messages_after(browser, response)
    assert "Sample things can be signed from the age of 16." in page
    assert "You can now sign sample things." not in page


def test_a_switched_off_module_says_nothing(hromada, hromada_admin, ledger_cleanup):
    user = UserFactory()
    assert eligibility_for(user=user, hromada=hromada)
    tenancy_services.module_switch_set(actor=hromada_admin, hromada=hromada, module="sample", enabled=False)
    hromada.refresh_from_db()
    said = eligibility_for(user=user, hromada=hromada)
    assert "You can now sign sample things." not in said
