"""Schemathesis against our own OpenAPI: generated requests, as an anonymous visitor, a
resident with a token and a staff member with a token, must never get a 5xx, and what
comes back must match the schema. Bounded (max examples per operation) to stay well
inside CI's time; every module's router is covered, as the schema lists them all."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks

from hromada.api.api import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
schema.app = get_wsgi_application()

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.response_schema_conformance,
    checks.content_type_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Served through the WSGI application, a request would close the database
    connection at its end (Django's request signals), and with it the test's
    transaction; Django's own test client disconnects the same handlers."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db):
    from hromada.accounts.services import api_token_create
    from hromada.accounts.tests.factories import staff_user, verified_user
    from hromada.tenancy.tests.factories import HromadaFactory

    hromada = HromadaFactory(hosts=["localhost", "testserver"])
    return {
        "anonymous": None,
        "resident": api_token_create(user=verified_user(), name="schemathesis")[1],
        "staff": api_token_create(user=staff_user(hromada, "admin"), name="schemathesis")[1],
    }


@pytest.mark.parametrize("actor", ["anonymous", "resident", "staff"])
@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_never_fails_and_keeps_its_schema(case, actor, tokens):
    token = tokens[actor]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    case.call_and_validate(headers=headers, checks=CHECKS)
