import json

import pytest
from django.urls import reverse

from hromada.core.modules import registry
from hromada.ledger.models import LedgerLeaf, SignedTreeHead
from hromada.ledger.selectors import PAGE_SIZE
from hromada.ledger.services import ledger_append, ledger_seal
from hromada.ledger.verify import verify_export

from .helpers import build_log, sign_some


def test_urls_are_named():
    assert reverse("ledger:index") == "/ledger/"
    assert reverse("ledger:export") == "/ledger/export.json"


def test_empty_ledger_page(client, hromada):
    response = client.get("/ledger/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Публічний реєстр подій" in html
    assert "Реєстр ще не запечатано" in html
    assert "У реєстрі ще немає записів." in html


def test_page_shows_the_latest_tree_head_entries_and_how_to_verify(client, hromada):
    build_log(hromada)
    head = SignedTreeHead.objects.filter(hromada=hromada).order_by("-tree_size").first()

    html = client.get("/ledger/").content.decode()

    assert "<caption>" in html and '<th scope="col">' in html and '<th scope="row" data-label=' in html
    assert head.root_hash in html and head.signature in html and head.key.key_id in html
    assert "<dd>10</dd>" in html
    assert "A thing was signed" in html and "A thing was opened" in html
    assert "A thing reached its goal" in html
    assert "Сквер на Шевченка" in html  # payload shown as UTF-8, not \u-escaped
    assert html.count("очікує запечатування") == 1
    assert f"python manage.py ledger_verify --hromada {hromada.slug}" in html
    assert "http://testserver/ledger/export.json" in html
    assert f"--expect 10:{head.root_hash}" in html
    assert "BEGIN PUBLIC KEY" in html


def test_page_is_scoped_to_the_hromada_of_the_host(client, hromada, other_hromada, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example.test"]
    ledger_append(hromada=other_hromada, kind="sample.opened", payload={"title": "Чужа річ"})
    ledger_seal(hromada=other_hromada)
    ledger_append(hromada=hromada, kind="sample.opened", payload={"title": "Своя річ"})

    html = client.get("/ledger/").content.decode()
    assert "Своя річ" in html and "Чужа річ" not in html
    assert "Реєстр ще не запечатано" in html  # the other hromada's tree head is not ours

    other = client.get("/ledger/", HTTP_HOST="other.example.test").content.decode()
    assert "Чужа річ" in other and "Своя річ" not in other

    document = json.loads(b"".join(client.get("/ledger/export.json").streaming_content))
    assert document["hromada"]["slug"] == hromada.slug
    assert document["entries"] == [] and len(document["pending"]) == 1


def test_kinds_of_a_module_no_longer_installed_are_shown_as_written(client, hromada, monkeypatch):
    ledger_append(hromada=hromada, kind="sample.happened", payload={})
    assert "Something happened" in client.get("/ledger/").content.decode()
    monkeypatch.setattr(registry, "ledger_kinds", dict)  # the module is gone; its entries stay
    assert "sample.happened" in client.get("/ledger/").content.decode()


def test_pages_go_back_and_forth_without_gaps(client, hromada):
    entries = sign_some(hromada, PAGE_SIZE * 2 + 5)
    newest_first = [e.pk for e in reversed(entries)]

    first = client.get("/ledger/")
    assert [r["entry"].pk for r in first.context["rows"]] == newest_first[:PAGE_SIZE]
    older = first.context["page"].older_than
    assert first.context["page"].newer_than is None

    second = client.get(f"/ledger/?before={older}")
    assert [r["entry"].pk for r in second.context["rows"]] == newest_first[PAGE_SIZE : 2 * PAGE_SIZE]
    third = client.get(f"/ledger/?before={second.context['page'].older_than}")
    assert [r["entry"].pk for r in third.context["rows"]] == newest_first[2 * PAGE_SIZE :]
    assert third.context["page"].older_than is None

    back = client.get(f"/ledger/?after={third.context['page'].newer_than}")
    assert [r["entry"].pk for r in back.context["rows"]] == newest_first[PAGE_SIZE : 2 * PAGE_SIZE]
    html = second.content.decode()
    assert 'rel="prev"' in html and 'rel="next"' in html


@pytest.mark.parametrize(
    "query", ["?before=abc", "?before=-1", "?after=" + "9" * 40, "?before=", "?after=1e3"]
)
def test_bad_page_parameters_are_ignored_not_500(client, hromada, query):
    sign_some(hromada, 2)
    response = client.get("/ledger/" + query)
    assert response.status_code == 200


def test_export_streams_a_verifiable_document(client, hromada):
    build_log(hromada)
    response = client.get("/ledger/export.json")
    assert response.streaming
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = json.loads(b"".join(response.streaming_content))

    assert document["format"] == "hromada-ledger-export/1"
    assert [e["index"] for e in document["entries"]] == list(range(10))
    assert [h["tree_size"] for h in document["tree_heads"]] == [4, 8, 10]
    assert len(document["pending"]) == 1
    key = document["public_keys"][0]
    assert key["current"] and "BEGIN PUBLIC KEY" in key["pem"]
    assert verify_export(document).tree_size == 10


def test_tree_head_json(client, hromada):
    assert client.get("/ledger/sth.json").status_code == 404
    sign_some(hromada, 3)
    head = ledger_seal(hromada=hromada)
    document = client.get("/ledger/sth.json").json()
    assert document["tree_size"] == 3 and document["root_hash"] == head.root_hash
    assert document["signature"] == head.signature


def test_writes_are_not_allowed(client, hromada):
    assert client.post("/ledger/").status_code == 405
    assert client.post("/ledger/export.json").status_code == 405


def test_the_standalone_verifier_can_be_downloaded(client, hromada):
    response = client.get("/ledger/ledger_verify.py")
    assert response.status_code == 200
    assert b"def ed25519_verify" in b"".join(response.streaming_content)


def test_english_page(client, hromada):
    client.cookies["django_language"] = "en"
    response = client.get("/ledger/")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_the_register_is_for_people_first_with_the_raw_data_one_click_away(client, hromada):
    build_log(hromada)
    html = client.get("/ledger/").content.decode()
    # What it is, then the receipt check, before any technical detail or entry.
    assert html.index("юридично значущу подію") < html.index('name="receipt"') < html.index("Останні події")
    assert 'action="/ledger/receipt/"' in html
    assert "Громада підписала стан реєстру з <strong>10</strong> записів" in html
    assert html.index("Останні події") < html.index("export.json")
    # The root and signature sit behind a disclosure, the raw files are plain links.
    assert html.index("<summary>Технічні дані підписаного стану</summary>") < html.index("<dd>10</dd>")
    for url in ("/ledger/export.json", "/ledger/sth.json", "/ledger/feed.atom", "/ledger/ledger_verify.py"):
        assert f'href="{url}"' in html
    # Every sealed entry links to its own check, numbered for people from 1.
    entry = LedgerLeaf.objects.get(hromada=hromada, index=0).entry
    assert f'href="/ledger/receipt/?receipt={entry.uuid}" aria-label="Перевірити запис №1"' in html


def test_one_entry_is_counted_in_the_singular(client, hromada):
    sign_some(hromada, 1)
    ledger_seal(hromada=hromada)
    assert "стан реєстру з <strong>1</strong> запису" in client.get("/ledger/").content.decode()
