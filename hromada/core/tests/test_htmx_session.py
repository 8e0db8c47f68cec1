"""An htmx request with a lost session (issue 9, defect 3) is sent to log in and back:
401 + HX-Redirect to the login page with next=<the page the person was on>, and
nothing of the login page in the body htmx would swap into the box."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_a_login_required_htmx_request_gets_hx_redirect_back_to_the_page(hromada):
    response = Client().post(
        "/notifications/read-all/", **HX, HTTP_HX_CURRENT_URL="http://testserver/notifications/?page=2"
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fnotifications%2F%3Fpage%3D2"
    assert response.content == b""


def test_without_htmx_the_ordinary_redirect_stays(hromada):
    response = Client().post("/notifications/read-all/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "HX-Redirect" not in response


def test_a_current_url_of_another_site_is_not_trusted(hromada):
    response = Client().post(
        "/notifications/read-all/", **HX, HTTP_HX_CURRENT_URL="https://evil.example/phish"
    )
    assert response.status_code == 401
    assert "evil" not in response["HX-Redirect"]
    assert response["HX-Redirect"] == "/accounts/login/"  # not back to a POST-only fragment


def test_other_htmx_redirects_are_left_alone(hromada, resident):
    client = Client()
    client.force_login(resident)
    response = client.get("/lang/en/?next=/ledger/", **HX)
    assert response.status_code == 302 and "HX-Redirect" not in response


def test_an_htmx_post_without_session_and_csrf_cookie_is_sent_to_log_in(hromada):
    # Cookies cleared: the CSRF check fails before any view; still log in and come back.
    response = Client(enforce_csrf_checks=True).post(
        "/notifications/read-all/", **HX, HTTP_HX_CURRENT_URL="http://testserver/notifications/"
    )
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fnotifications%2F"
