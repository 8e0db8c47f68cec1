import pytest

from hromada.tenancy.selectors import hromada_for_host
from hromada.tenancy.tests.factories import HromadaFactory

pytestmark = pytest.mark.django_db


def test_single_hromada_answers_on_any_host():
    only = HromadaFactory(hosts=[])
    assert hromada_for_host("anything.example:8000") == only


def test_many_hromadas_resolve_by_host_and_refuse_unknown_hosts():
    a = HromadaFactory(hosts=["a.example.test"])
    b = HromadaFactory(hosts=["b.example.test"])
    assert hromada_for_host("A.example.test") == a
    assert hromada_for_host("b.example.test:443") == b
    assert hromada_for_host("c.example.test") is None


def test_default_slug_picks_tenant_for_unknown_host(settings):
    HromadaFactory(hosts=["a.example.test"])
    b = HromadaFactory(hosts=["b.example.test"])
    settings.DEFAULT_HROMADA_SLUG = b.slug
    assert hromada_for_host("127.0.0.1") == b


def test_unknown_host_gets_404_page(client):
    HromadaFactory(hosts=["a.example.test"])
    HromadaFactory(hosts=["b.example.test"])
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 404
    html = response.content.decode()
    assert ">Громаду не знайдено</h1>" in html and "Громаду для цієї адреси не знайдено." in html
    assert 'class="site-header"' in html and response["Content-Type"].startswith("text/html")
