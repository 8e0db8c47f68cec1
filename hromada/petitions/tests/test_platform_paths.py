"""The platform's error paths on petition pages (issue 9, defects 1 and 3): a missing,
malformed or hidden petition is the branded 404, and the sign button with a lost
session sends the person to log in and back (the kernel's tests cover the same on
the sample module: hromada/core/tests/test_error_pages.py, test_htmx_session.py)."""

import uuid

import pytest
from django.test import Client

from hromada.petitions.tests.factories import PetitionFactory, collecting

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _branded(response, status: int, heading: str) -> str:
    assert response.status_code == status, response.content[:300]
    html = response.content.decode()
    assert 'class="site-header"' in html and f">{heading}</h1>" in html
    assert 'href="/"' in html
    return html


@pytest.mark.parametrize("case", ["abc", "uuid", "moderation"])
def test_missing_and_hidden_petitions_get_the_branded_404(hromada, resident, case):
    path = {"abc": "/petitions/abc/", "uuid": f"/petitions/{uuid.uuid4()}/"}.get(case)
    client = Client()
    if case == "moderation":
        petition = PetitionFactory(hromada=hromada)  # another author's, still in moderation
        path = f"/petitions/{petition.public_id}/"
        client.force_login(resident)
    html = _branded(client.get(path), 404, "Сторінку не знайдено")
    assert 'href="/petitions/"' in html  # back to the list (with its search)


def test_the_sign_button_with_a_lost_session_sends_to_log_in_and_back(hromada):
    petition = collecting(hromada=hromada)
    page = f"/petitions/{petition.public_id}/"
    response = Client().post(
        f"{page}sign", **HX, HTTP_HX_CURRENT_URL=f"http://testserver{page}", HTTP_HX_TARGET="sign-box"
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == f"/accounts/login/?next={page.replace('/', '%2F')}"
    assert b"<form" not in response.content and b"password" not in response.content


def test_the_api_answers_a_malformed_petition_id_with_json(hromada):
    response = Client().post("/api/v1/petitions/not-a-uuid/sign")
    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"
    response = Client().get(f"/api/v1/petitions/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json()["code"] == "petition_not_found"
