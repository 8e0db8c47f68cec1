# ruff: noqa: F811  (the shared fixtures are imported by name)
"""Charts over a DataStore table (ADR 0009 decision 10): the figures equal the raw
rows, bad configurations are refused with clear codes, every role is checked, the SVG
carries its title, description and table, the console adds, previews, changes and
deletes, and a CSV of the figures comes from the kernel's writer."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hromada.accounts.tests.factories import role_matrix, staff_user
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.opendata import services
from hromada.opendata.chart_selectors import OTHER_LABEL, chart_data
from hromada.opendata.charts_svg import number, render_chart
from hromada.opendata.datastore import load_now
from hromada.opendata.models import Chart
from hromada.opendata.services import charts as chart_services

from .test_catalogue_fixtures import dataset, editor, publisher  # noqa: F401

pytestmark = pytest.mark.django_db

CATEGORIES = [f"Категорія {i:02d}" for i in range(15)]


def raw_rows() -> list[dict]:
    """Rows whose counts and sums differ per category and per district, some sums empty."""
    rows = []
    start = dt.date(2026, 1, 1)
    for i in range(120):
        cat = CATEGORIES[(i * i + i) % 15 if i % 3 else i % 4]
        rows.append(
            {
                "Район": ["Центральний", "Північний", "Південний", "Західний"][i % 4],
                "Категорія": cat,
                "Сума": "" if i % 17 == 0 else f"{(i * 37) % 500 + 0.25 * (i % 4)}",
                "Дата": (start + dt.timedelta(days=i % 30)).isoformat(),
                "Примітка": f"запис {i}",
            }
        )
    return rows


def csv_bytes(rows: list[dict]) -> bytes:
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(str(r[h]) for h in header) for r in rows]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def rows():
    return raw_rows()


@pytest.fixture
def table(dataset, editor, rows):
    upload = SimpleUploadedFile("spending.csv", csv_bytes(rows), content_type="text/csv")
    resource = services.resource_create(dataset, editor, name="Видатки", upload=upload)
    load_now(resource.current)
    resource.refresh_from_db()
    assert resource.datastore_active
    return resource


@pytest.fixture
def published(table, dataset, editor):
    services.dataset_publish(dataset, editor)
    table.dataset.refresh_from_db()
    return table


def new_chart(resource, actor, **kw) -> Chart:
    fields = {
        "title": "Видатки за категоріями",
        "kind": "bar",
        "x": "katehoriia",
        "aggregate": "count",
        "limit": 5,
    }
    return chart_services.chart_create(resource, actor, **(fields | kw))


def values(data) -> dict:
    return {r["label"]: r["value"] for r in data["rows"]}


# --- the figures equal the rows --------------------------------------------------------------


def test_a_count_shows_the_largest_categories_and_sums_the_rest_as_other(table, editor, rows):
    chart = new_chart(table, editor, limit=5)
    data = chart_data(chart)
    counts = Counter(r["Категорія"] for r in rows)
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [(r["label"], r["value"]) for r in data["rows"][:5]] == top
    assert data["rows"][-1] == {"label": OTHER_LABEL, "value": len(rows) - sum(v for _k, v in top)}
    assert data["other"] and data["groups"] == len(counts)
    assert sum(values(data).values()) == len(rows)
    assert data["x_label"] == "Категорія" and data["y_label"] == "Кількість рядків"


def test_a_sum_equals_the_rows_and_empty_cells_are_skipped(table, editor, rows):
    chart = new_chart(table, editor, aggregate="sum", y="suma", x="raion", kind="pie", limit=10)
    data = chart_data(chart)
    sums: dict[str, float] = defaultdict(float)
    for r in rows:
        if r["Сума"]:
            sums[r["Район"]] += float(r["Сума"])
    got = values(data)
    assert set(got) == set(sums) and not data["other"]
    for name, total in sums.items():
        assert got[name] == pytest.approx(total)
    assert [r["label"] for r in data["rows"]] == sorted(sums, key=lambda k: -sums[k])
    assert data["y_label"] == "Сума «Сума»"


def test_a_mean_is_per_category_and_never_summed_into_other(table, editor, rows):
    chart = new_chart(table, editor, aggregate="mean", y="suma", limit=3)
    data = chart_data(chart)
    by_cat: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r["Сума"]:
            by_cat[r["Категорія"]].append(float(r["Сума"]))
    means = {k: round(sum(v) / len(v), 2) for k, v in by_cat.items()}
    assert len(data["rows"]) == 3 and not data["other"]
    assert OTHER_LABEL not in values(data)
    expected = sorted(means.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    assert [r["label"] for r in data["rows"]] == [k for k, _v in expected]
    for r, (_k, v) in zip(data["rows"], expected, strict=True):
        assert r["value"] == pytest.approx(v, abs=0.01)


def test_a_line_follows_the_dates_and_keeps_the_latest_points(table, editor, rows):
    chart = new_chart(table, editor, kind="line", x="data", aggregate="sum", y="suma", limit=7)
    data = chart_data(chart)
    dates = sorted({r["Дата"] for r in rows})[-7:]
    assert [r["label"] for r in data["rows"]] == dates
    for r in data["rows"]:
        expected = sum(float(x["Сума"]) for x in rows if x["Дата"] == r["label"] and x["Сума"])
        assert r["value"] == pytest.approx(expected)
    assert not data["other"]


def test_the_figures_follow_a_new_version_and_a_vanished_column_is_said_not_raised(
    client, published, editor, rows
):
    chart = new_chart(published, editor, x="raion")
    fewer = [r for r in rows if r["Район"] != "Західний"]
    services.resource_upload_version(
        published, editor, SimpleUploadedFile("v2.csv", csv_bytes(fewer), content_type="text/csv")
    )
    published.refresh_from_db()
    load_now(published.current)
    assert "Західний" not in values(chart_data(chart))
    without = [{k: v for k, v in r.items() if k != "Район"} for r in rows]
    services.resource_upload_version(
        published, editor, SimpleUploadedFile("v3.csv", csv_bytes(without), content_type="text/csv")
    )
    published.refresh_from_db()
    load_now(published.current)
    chart.refresh_from_db()
    data = chart_data(chart)
    assert "raion" in data["error"] and not data["rows"]
    page = client.get(reverse("opendata:dataset", args=[published.dataset.name]))
    assert page.status_code == 200
    assert "немає стовпця «raion»" in page.content.decode()


# --- bad configurations --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code", "named"),
    [
        ({"x": "nemaie"}, "chart_x_unknown", "nemaie"),
        ({"x": ""}, "chart_x_required", ""),
        ({"aggregate": "sum", "y": ""}, "chart_y_required", ""),
        ({"aggregate": "sum", "y": "prymitka"}, "chart_y_not_numeric", "Примітка"),
        ({"aggregate": "mean", "y": "data"}, "chart_y_not_numeric", "Дата"),
        ({"aggregate": "sum", "y": "zovsim"}, "chart_y_unknown", "zovsim"),
        ({"kind": "pie", "aggregate": "mean", "y": "suma"}, "chart_pie_mean", ""),
        ({"kind": "radar"}, "chart_kind_invalid", "radar"),
        ({"aggregate": "median"}, "chart_aggregate_invalid", "median"),
        ({"limit": 1}, "chart_limit_invalid", ""),
        ({"limit": 51}, "chart_limit_invalid", ""),
        ({"limit": "багато"}, "chart_limit_invalid", ""),
        ({"title": "   "}, "title_required", ""),
        ({"colour": "red"}, "chart_field_unknown", "colour"),
    ],
)
def test_a_bad_chart_is_refused_with_its_code_and_names_the_column(table, editor, fields, code, named):
    with pytest.raises(DomainError) as exc:
        new_chart(table, editor, **fields)
    assert exc.value.code == code
    assert named in str(exc.value.message)
    assert not Chart.objects.exists()


def test_a_chart_needs_a_loaded_table(dataset, editor):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    resource = services.resource_create(dataset, editor, name="Звіт", upload=pdf)
    with pytest.raises(DomainError) as exc:
        new_chart(resource, editor)
    assert exc.value.code == "chart_no_table"


def test_an_update_is_checked_like_a_create_and_keeps_the_old_chart(table, editor):
    chart = new_chart(table, editor)
    with pytest.raises(DomainError):
        chart_services.chart_update(chart, editor, aggregate="sum", y="prymitka")
    chart.refresh_from_db()
    assert (chart.aggregate, chart.y) == ("count", "")
    chart_services.chart_update(chart, editor, aggregate="sum", y="suma", kind="pie")
    chart.refresh_from_db()
    assert (chart.kind, chart.aggregate, chart.y) == ("pie", "sum", "suma")


def test_count_needs_no_value_column_and_drops_one_given(table, editor):
    chart = new_chart(table, editor, y="suma")
    assert chart.y == ""


# --- who may, and the ledger ---------------------------------------------------------------


def test_only_the_publishers_editors_and_the_manager_may_change_charts(hromada, other_hromada, table, editor):
    actors = role_matrix(hromada, other_hromada)
    for name, user in actors.items():
        if name == "admin":
            continue
        with pytest.raises(PermissionDenied):
            new_chart(table, user)
    assert not Chart.objects.exists()
    made = new_chart(table, actors["admin"])  # opendata.manage acts for every publisher
    mine = new_chart(table, editor, title="Моє")
    for name, user in actors.items():
        if name == "admin":
            continue
        with pytest.raises(PermissionDenied):
            chart_services.chart_update(mine, user, title="Чуже")
        with pytest.raises(PermissionDenied):
            chart_services.chart_delete(made, user)
    assert Chart.objects.count() == 2


def test_a_public_datasets_charts_are_in_the_ledger_a_drafts_are_not(table, editor, dataset):
    draft_chart = new_chart(table, editor)
    assert not LedgerEntry.objects.filter(kind="opendata.chart_saved").exists()
    services.dataset_publish(dataset, editor)
    table.refresh_from_db()
    chart_services.chart_update(draft_chart, editor, title="Нова назва")
    second = new_chart(table, editor, title="Другий")
    chart_services.chart_delete(second, editor)
    entries = list(LedgerEntry.objects.filter(kind="opendata.chart_saved").order_by("id"))
    assert [e.payload["action"] for e in entries] == ["updated", "created", "deleted"]
    assert entries[0].payload["title"] == "Нова назва" and entries[0].payload["chart"] == str(
        draft_chart.public_id
    )


# --- the drawing and the pages -------------------------------------------------------------


@pytest.mark.parametrize("kind", ["bar", "line", "pie"])
def test_the_svg_has_its_title_description_and_every_value(table, editor, kind):
    extra = {"x": "data", "aggregate": "sum", "y": "suma"} if kind == "line" else {}
    chart = new_chart(table, editor, kind=kind, title='Видатки <2026> & "ще"', **extra)
    data = chart_data(chart)
    svg = str(render_chart(chart, data))
    assert svg.startswith("<svg") and 'role="img"' in svg and "viewBox=" in svg
    assert f'aria-labelledby="chart-{chart.public_id}-title"' in svg
    assert f'aria-describedby="chart-{chart.public_id}-desc"' in svg
    assert "<title id=" in svg and "Видатки &lt;2026&gt; &amp; &quot;ще&quot;" in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg).group(1)
    assert data["x_label"] in desc
    for row in data["rows"]:
        assert number(row["value"]) in svg  # printed, not only drawn
    if kind == "pie":
        assert svg.count("<pattern") >= len(data["rows"])  # slices differ by texture, not colour only
    assert "width=" not in svg.split(">", 1)[0]  # the viewBox scales it: no fixed size


def test_the_dataset_and_resource_pages_show_the_chart_with_its_table_and_csv(
    client, published, editor, rows
):
    chart = new_chart(published, editor, x="raion", aggregate="sum", y="suma")
    data = chart_data(chart)
    for url in (
        reverse("opendata:dataset", args=[published.dataset.name]),
        reverse("opendata:resource", args=[published.dataset.name, published.public_id]),
    ):
        html = client.get(url).content.decode()
        assert '<svg xmlns="http://www.w3.org/2000/svg" class="od-chart-svg"' in html
        assert f'<caption id="chart-{chart.public_id}-caption">' in html
        for row in data["rows"]:
            assert f'<th scope="row">{row["label"]}</th><td class="num">{number(row["value"])}</td>' in html
        assert "Завантажити як CSV" in html
    response = client.get(
        reverse("opendata:chart_csv", args=[published.dataset.name, published.public_id, chart.public_id])
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    table_rows = list(csv.reader(io.StringIO(body)))
    assert table_rows[0] == ["Район", "Сума «Сума»"]
    got = {label: float(value) for label, value in table_rows[1:]}
    assert got == pytest.approx(values(data))


def test_a_drafts_charts_and_another_hromadas_are_not_shown(client, settings, table, editor, other_hromada):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example.test"]
    chart = new_chart(table, editor)
    csv_url = reverse("opendata:chart_csv", args=[table.dataset.name, table.public_id, chart.public_id])
    assert client.get(csv_url).status_code == 404  # a draft: for its editors only
    client.force_login(editor)
    assert client.get(csv_url).status_code == 200
    assert client.get(csv_url, HTTP_HOST="other.example.test").status_code == 404


def test_the_console_adds_previews_changes_and_deletes_a_chart(client, table, editor, hromada):
    url = reverse("staff_opendata:charts", args=[table.dataset.name, table.public_id])
    client.force_login(staff_user(hromada, "officer"))  # not this publisher's editor
    assert client.get(url).status_code == 404
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert '<option value="katehoriia">Категорія (текст)</option>' in page
    assert (
        '<option value="suma">Сума</option>' in page
        and '<option value="prymitka">' not in page.split('name="y"')[1]
    )
    form = {"title": "За районами", "kind": "bar", "x": "raion", "aggregate": "count", "y": "", "limit": "12"}
    preview = client.post(url, form | {"preview": "1"})
    assert preview.status_code == 200 and not Chart.objects.exists()
    assert "Попередній перегляд" in preview.content.decode() and 'role="img"' in preview.content.decode()
    bad = client.post(url, form | {"aggregate": "sum", "y": ""})
    assert bad.status_code == 400 and "стовпець значень" in bad.content.decode()
    assert "За районами" in bad.content.decode()  # what was typed stays in the form
    saved = client.post(url, form)
    chart = Chart.objects.get()
    assert saved.status_code == 302 and saved["Location"].endswith(f"#chart-{chart.public_id}")
    shown = client.get(url).content.decode()
    assert 'role="img"' in shown and "За районами" in shown
    edit = reverse("staff_opendata:chart_edit", args=[table.dataset.name, table.public_id, chart.public_id])
    assert 'value="За районами"' in client.get(edit).content.decode()
    client.post(edit, form | {"kind": "pie", "title": "Частки районів"})
    chart.refresh_from_db()
    assert (chart.kind, chart.title) == ("pie", "Частки районів")
    delete = reverse(
        "staff_opendata:chart_delete", args=[table.dataset.name, table.public_id, chart.public_id]
    )
    assert client.get(delete).status_code == 405
    client.post(delete)
    assert not Chart.objects.exists()
