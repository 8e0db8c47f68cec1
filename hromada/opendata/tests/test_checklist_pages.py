# ruff: noqa: F811  (the shared fixtures are imported by name)
"""The Resolution 835 checklist's pages through HTTP: the public list with its indicator
and status filter, its CSV and JSON exports, the administrator's answers (the role
matrix, refusals in Ukrainian with nothing lost) and the staff home's overdue counter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from django.utils.html import escape

from hromada.accounts.tests.factories import staff_user
from hromada.opendata import checklist, services
from hromada.opendata.models import Dataset, RequiredDataset, Requirement, Resource

from .test_catalogue_fixtures import editor, publisher  # noqa: F401

pytestmark = pytest.mark.django_db

PUBLIC = "/opendata/835/"
STAFF = "/staff/opendata/835/"


def _made(hromada, publisher, name, *, days_ago, frequency="Щомісяця", state="published"):
    """A dataset of `publisher` whose data last changed `days_ago` days ago."""
    moment = timezone.now() - dt.timedelta(days=days_ago)
    d = Dataset.objects.create(
        hromada=hromada,
        publisher=publisher,
        name=name,
        title=f"Набір «{name}»",
        state=state,
        frequency=frequency,
        published_at=moment if state == "published" else None,
        metadata_modified=moment,
    )
    Resource.objects.create(
        hromada=hromada,
        dataset=d,
        name="Дані",
        format="CSV",
        url="https://example.org/d.csv",
        last_modified=moment,
    )
    return d


@pytest.fixture
def answered(hromada, hromada_admin, publisher):
    """Five requirements answered: current, overdue, a draft, not applicable, and one
    more current one; the rest missing."""
    required = list(RequiredDataset.objects.order_by("section", "number")[:5])
    fresh = _made(hromada, publisher, "fresh", days_ago=2)
    late = _made(hromada, publisher, "late", days_ago=45)
    draft = _made(hromada, publisher, "secret-draft", days_ago=1, state="draft")
    also = _made(hromada, publisher, "also", days_ago=1, frequency="Щороку")
    checklist.requirement_answer(hromada, hromada_admin, required[0], dataset=fresh)
    checklist.requirement_answer(hromada, hromada_admin, required[1], dataset=late)
    checklist.requirement_answer(hromada, hromada_admin, required[2], dataset=draft)
    checklist.requirement_answer(
        hromada, hromada_admin, required[3], not_applicable="У громаді немає комунальних підприємств"
    )
    checklist.requirement_answer(hromada, hromada_admin, required[4], dataset=also)
    return {"required": required, "fresh": fresh, "late": late, "draft": draft}


def test_the_public_page_shows_the_share_and_each_required_dataset(client, hromada, answered):
    total = RequiredDataset.objects.count()
    page = client.get(PUBLIC)
    html = page.content.decode()
    assert page.status_code == 200
    applicable = total - 1
    assert f"Оприлюднено 3 з {applicable} ({int(3 / applicable * 100 + 0.5)} %)" in html
    # both sections of the Resolution, as headings
    assert '<h2 id="section-1">' in html
    for section in RequiredDataset.objects.values_list("section", flat=True).distinct():
        assert f">{section}</h2>" in html
    # every required dataset is listed
    for title in RequiredDataset.objects.values_list("title", flat=True):
        assert escape(title)[:40] in html
    # a published one links to its page; the overdue one says so in words, with an icon
    assert f'href="/opendata/dataset/{answered["fresh"].name}/"' in html
    assert "Прострочено оновлення" in html and "(прострочено)" in html and "⚠" in html
    assert "У громаді немає комунальних підприємств" in html
    # a draft is never named to visitors
    assert "secret-draft" not in html and answered["draft"].title not in html
    assert "Набір не оприлюднено" in html


def test_the_portal_links_the_checklist(client, hromada):
    assert f'href="{PUBLIC}"' in client.get("/opendata/").content.decode()


def test_the_status_filter_works_without_javascript(client, hromada, answered):
    html = client.get(PUBLIC, {"status": "overdue"}).content.decode()
    assert answered["late"].title in html and answered["fresh"].title not in html
    assert "Показано 1 набір" in html
    # the indicator counts the whole list, whatever is shown
    assert "Оприлюднено 3 з" in html
    assert '<option value="overdue" selected>' in html
    html = client.get(PUBLIC, {"status": "published"}).content.decode()
    assert answered["late"].title in html and answered["fresh"].title in html
    assert "Показано 3 набори" in html or "Показано 3 наборів" in html
    missing = RequiredDataset.objects.count() - 5 + 1  # the draft counts as not published
    html = client.get(PUBLIC, {"status": "missing"}).content.decode()
    assert f"Показано {missing} " in html and answered["fresh"].title not in html
    # garbage shows everything, never a 500
    page = client.get(PUBLIC, {"status": "<script>"})
    assert page.status_code == 200 and f"Показано {RequiredDataset.objects.count()} " in page.content.decode()


def test_the_exports_are_the_same_list(client, hromada, answered):
    response = client.get("/opendata/835.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    records = json.loads(b"".join(response.streaming_content))
    assert len(records) == RequiredDataset.objects.count()
    by_dataset = {r["dataset"]: r for r in records if r["dataset"]}
    assert set(by_dataset) == {"fresh", "late", "also"}  # the draft is not named
    late = by_dataset["late"]
    assert late["status"] == "overdue" and late["overdue"] is True and late["published"] is True
    assert late["dataset_url"].endswith("/opendata/dataset/late/")
    assert late["frequency"] == "Щомісяця"
    assert dt.datetime.fromisoformat(late["next_due"]) < timezone.now()
    assert sum(r["published"] for r in records) == 3
    assert [r for r in records if r["not_applicable_reason"]][0]["status"] == "not_applicable"

    response = client.get("/opendata/835.csv", {"status": "overdue"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == checklist.EXPORT_FIELDS
    assert [r["dataset"] for r in rows] == ["late"]
    assert client.get("/opendata/835.xml").status_code == 404


def test_the_list_is_the_hromadas_own(client, settings, hromada, other_hromada, answered):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    page = client.get(PUBLIC, HTTP_HOST="other.example.test")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Оприлюднено 0 з" in html and answered["fresh"].title not in html


# --- the administrator's answers ------------------------------------------------------------


def test_the_staff_list_is_for_the_open_data_administrator(client, hromada, resident, editor, hromada_admin):
    required = RequiredDataset.objects.first()
    page = client.get(STAFF)
    assert page.status_code == 302 and "login" in page["Location"]  # anonymous: to the sign-in
    for user in (resident, editor, staff_user(hromada, "officer")):
        client.force_login(user)
        assert client.get(STAFF).status_code == 403
        assert client.post(f"{STAFF}{required.pk}/", {"not_applicable": "бо так"}).status_code == 403
    assert not Requirement.objects.exists()
    client.force_login(hromada_admin)
    page = client.get(STAFF)
    html = page.content.decode()
    assert page.status_code == 200 and "Оприлюднено 0 з" in html
    assert f'href="{STAFF}{required.pk}/"' in html


def test_the_administrator_answers_a_requirement(client, hromada, hromada_admin, publisher, answered):
    required = RequiredDataset.objects.order_by("section", "number")[6]
    target = _made(hromada, publisher, "new-one", days_ago=1)
    client.force_login(hromada_admin)
    page = client.get(f"{STAFF}{required.pk}/")
    assert page.status_code == 200 and required.title[:40] in page.content.decode()
    response = client.post(f"{STAFF}{required.pk}/", {"dataset": "new-one", "publisher": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"#req-{required.pk}")
    answer = Requirement.objects.get(hromada=hromada, required=required)
    assert answer.dataset == target and answer.publisher == publisher  # the dataset's publisher
    html = client.get(STAFF).content.decode()
    assert f'href="/staff/opendata/d/{target.name}/"' in html
    assert "Оприлюднено 4 з" in client.get(PUBLIC).content.decode()
    # drafts are offered to the administrator, marked as such
    page = client.get(f"{STAFF}{answered['required'][0].pk}/").content.decode()
    assert "Набір «secret-draft»" in page and "чернетка" in page
    # not applicable with a reason, then cleared
    client.post(f"{STAFF}{required.pk}/", {"not_applicable": "Не ведемо такого реєстру"})
    answer.refresh_from_db()
    assert answer.dataset is None and answer.not_applicable == "Не ведемо такого реєстру"
    client.post(f"{STAFF}{required.pk}/", {})
    answer.refresh_from_db()
    assert answer.dataset is None and answer.not_applicable == ""


def test_a_bad_answer_is_refused_in_ukrainian_and_nothing_is_lost(
    client, hromada, other_hromada, hromada_admin, publisher, answered
):
    required = answered["required"][0]
    client.force_login(hromada_admin)
    reason = "Набір веде область, а не громада"
    response = client.post(f"{STAFF}{required.pk}/", {"dataset": "late", "not_applicable": reason})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Оберіть набір даних або поясніть, чому вимога не стосується громади" in html
    assert reason in html and '<option value="late" selected>' in html  # what was typed stays
    answer = Requirement.objects.get(hromada=hromada, required=required)
    assert answer.dataset == answered["fresh"] and answer.not_applicable == ""  # the saved answer stays
    # a dataset of another hromada is not a choice
    theirs = services.publisher_create(
        other_hromada, staff_user(other_hromada, "admin"), name="other-fin", title="Фінвідділ сусідів"
    )
    _made(other_hromada, theirs, "theirs", days_ago=1)
    response = client.post(f"{STAFF}{required.pk}/", {"dataset": "theirs"})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    response = client.post(f"{STAFF}{required.pk}/", {"not_applicable": "x" * 501})
    assert response.status_code == 400
    answer.refresh_from_db()
    assert answer.dataset == answered["fresh"]
    assert client.get(f"{STAFF}999999/").status_code == 404


def test_the_staff_home_counts_overdue_required_datasets(client, hromada, hromada_admin, answered):
    client.force_login(hromada_admin)
    html = client.get("/staff/").content.decode()
    assert "Набори з переліку Постанови № 835, які пора оновити" in html
    assert f"{STAFF}?status=overdue" in html
    counters = checklist_counters(hromada, hromada_admin)
    assert counters == [1]


def checklist_counters(hromada, user):
    from hromada.opendata.selectors import staff_summary

    return [c.value for c in staff_summary(hromada=hromada, user=user) if "835" in str(c.label)]


def test_an_editor_gets_no_checklist_counter(hromada, editor, answered):
    assert checklist_counters(hromada, editor) == []
