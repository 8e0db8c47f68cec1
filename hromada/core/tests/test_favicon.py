"""/favicon.ico is answered (issue 9, defect 12): browsers ask for it on every site."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

pytestmark = pytest.mark.django_db


def test_favicon_ico_leads_to_a_real_icon(hromada):
    response = Client().get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    path = finders.find("img/favicon.ico")
    assert path, "the icon is not among the static files"
    with open(path, "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's signature


def test_favicon_ico_is_answered_on_a_host_of_no_hromada(db):
    assert Client(HTTP_HOST="localhost").get("/favicon.ico").status_code == 302


def test_the_svg_icon_is_a_static_file():
    path = finders.find("img/favicon.svg")
    assert path and open(path, encoding="utf-8").read().startswith("<svg")


def test_every_page_links_its_icons(hromada):
    body = Client().get("/").content.decode()
    assert 'rel="icon"' in body and "img/favicon.svg" in body and "img/favicon.ico" in body
