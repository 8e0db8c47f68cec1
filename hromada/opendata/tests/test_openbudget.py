# ruff: noqa: F811  (the shared fixtures are imported by name)
"""The open budget (docs/opendata-budget.md): openbudget.gov.ua's files read however
awkward (cp1251, `;`, a title line, decimal commas, unknown columns, bad rows,
subtotals, cumulative months), imported as versions of `budget-<year>` through the
catalogue's services and the DataStore, and the explorer's figures — totals equal to
the files' sums, year on year, the drill-down, the participatory budget's projects —
and who may import."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.accounts.tests.factories import role_matrix, staff_user
from hromada.core.errors import DomainError, PermissionDenied
from hromada.ledger.models import LedgerEntry
from hromada.opendata import budget_selectors, demo_budget, openbudget, services
from hromada.opendata.datastore import current_table
from hromada.opendata.models import BudgetImport, Dataset, DatasetState, ResourceVersion

from .test_catalogue_fixtures import editor, pdf_file, publisher  # noqa: F401

pytestmark = pytest.mark.django_db


def upload(content: bytes | str, name: str = "budget.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    data = content.encode(encoding) if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="text/csv")


def parse(content: str, kind: str, encoding: str = "utf-8", **kw) -> openbudget.Parsed:
    return openbudget.parse(io.BytesIO(content.encode(encoding)), kind, **kw)


@pytest.fixture
def do_import(hromada, publisher, editor, django_capture_on_commit_callbacks):
    """Import as the finance editor, with the DataStore's load run as after a commit."""

    def run(year, kind, content, *, user=None, name="budget.csv", encoding="utf-8", **kw):
        with django_capture_on_commit_callbacks(execute=True):
            return services.budget_import(
                hromada,
                year,
                kind,
                upload(content, name, encoding),
                user or editor,
                publisher=publisher,
                **kw,
            )

    return run


PROGRAMME_CP1251 = (
    "Видатки бюджету громади за 2026 рік\r\n"
    "КПКВК;КФКВК;Назва програми;Затверджено на рік, грн;Касові видатки, грн;Примітка\r\n"
    "0100000;;Міська рада;1 500 000,00;1 200 000,00;\r\n"
    "0110150;0111;Організаційне забезпечення діяльності ради;1 000 000,50;800 000,25;штат\r\n"
    "0117130;0421;Здійснення заходів із землеустрою;500 000;400 000;\r\n"
    "0611021;0921;Надання загальної середньої освіти;2 000 000,00;1 500 000,00;\r\n"
    "06110X1;0921;Зламаний код;1,00;1,00;\r\n"
    "0611010;0910;Надання дошкільної освіти;12,5O;1,00;\r\n"
    ";;Усього;3 500 000,50;2 700 000,25;\r\n"
)


# --- reading awkward files --------------------------------------------------------------------


def test_a_cp1251_file_with_a_title_line_semicolons_and_decimal_commas():
    parsed = parse(PROGRAMME_CP1251, "programme", encoding="cp1251", year=2026)
    assert parsed.encoding == "cp1251" and parsed.delimiter == ";" and parsed.header_row == 2
    assert [line.code for line in parsed.lines] == ["0110150", "0117130", "0611021"]
    first = parsed.lines[0]
    assert (first.kfk, first.name) == ("0111", "Організаційне забезпечення діяльності ради")
    assert (first.plan_year, first.executed) == (Decimal("1000000.50"), Decimal("800000.25"))
    # The unit's subtotal and the «Усього» line are left out, not counted twice.
    assert parsed.skipped == 2 and any("проміжних підсумків" in n for n in parsed.notes)
    assert parsed.totals() == {"plan_year": Decimal("3500000.50"), "executed": Decimal("2700000.25")}
    # Bad rows are reported one by one, with the file's row number, column and value.
    assert [(p["row"], p["column"], p["value"]) for p in parsed.problems] == [
        (7, "КПКВК", "06110X1"),
        (8, "Затверджено на рік, грн", "12,5O"),
    ]
    assert parsed.ignored == ["Примітка"]


def test_the_exports_own_column_names_utf8_commas_and_codes_that_lost_their_zeros():
    text = (
        "\ufeffincomeCode,incomeCodeName,yearBudgetPlan,totalDone,percentDone,codeBudget\n"
        '11010100,Податок на доходи фізичних осіб,"1,234,567.89",1000000,81,2356300000\n'
        "41033900,Освітня субвенція,86700000,70000000.5,80,2356300000\n"
    )
    parsed = parse(text, "revenues")
    assert parsed.columns["kkd"] == "incomeCode" and parsed.columns["plan_year"] == "yearBudgetPlan"
    assert [(x.code, x.plan_year, x.executed) for x in parsed.lines] == [
        ("11010100", Decimal("1234567.89"), Decimal("1000000")),
        ("41033900", Decimal("86700000"), Decimal("70000000.5")),
    ]
    # КПКВК 0611021 saved by a spreadsheet as the number 611021 keeps its leading zero.
    econ = parse("КПКВК;КЕКВ;План;Виконано\n611021;2111;10;5\n611021;2120,0;3;1\n", "economic")
    assert [(x.kpkvk, x.code) for x in econ.lines] == [("0611021", "2111"), ("0611021", "2120")]


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1 234 567,89", "1234567.89"),
        ("1\u00a0234,5", "1234.5"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("(12,5)", "-12.5"),
        ("-7", "-7"),
        ("", "0"),
        ("—", "0"),
    ],
)
def test_amounts_as_ukrainian_spreadsheets_write_them(raw, value):
    assert openbudget.parse_amount(raw) == Decimal(value)


@pytest.mark.parametrize("raw", ["12,5O", "1.2.3,4,5", "н/д", "1e5"])
def test_an_amount_that_is_not_a_number_is_refused(raw):
    with pytest.raises(ValueError):
        openbudget.parse_amount(raw)


def test_thousands_in_the_heading_scale_to_hryvnias_and_a_total_fund_is_not_doubled():
    text = (
        "ККД;Назва;Фонд;План, тис. грн;Виконано, тис. грн\n"
        "11010100;ПДФО;загальний;100,5;50\n"
        "11010100;ПДФО;спеціальний;10;5\n"
        "11010100;ПДФО;Разом;110,5;55\n"
    )
    parsed = parse(text, "revenues")
    assert [(x.fund, x.plan_year, x.executed) for x in parsed.lines] == [
        ("Разом", Decimal("110500.0"), Decimal("55000")),
    ]


def test_cumulative_months_become_each_months_own_and_the_plan_counts_once():
    text = (
        "year;monthTo;incomeCode;incomeCodeName;yearBudgetPlan;totalDone\n"
        "2026;1;18050400;Єдиний податок;1200;90\n"
        "2026;2;18050400;Єдиний податок;1200;200\n"
        "2026;3;18050400;Єдиний податок;1300;330\n"
        "2025;3;18050400;Єдиний податок;1300;330\n"
    )
    parsed = parse(text, "revenues", year=2026, cumulative=True)
    assert [(x.month, x.executed, x.plan_year) for x in parsed.lines] == [
        (1, Decimal(90), Decimal(0)),
        (2, Decimal(110), Decimal(0)),
        (3, Decimal(130), Decimal(1300)),  # the latest amended plan, once
    ]
    assert parsed.problems[0]["reason"].startswith("Рядок за інший рік")


@pytest.mark.parametrize(
    ("raw", "month"), [("3", 3), ("03", 3), ("березень", 3), ("2026-03", 3), ("01.03.2026", 3)]
)
def test_months_however_written(raw, month):
    assert openbudget.parse_month(raw, 2026) == month


def test_a_file_that_is_not_a_budget_table_is_refused_as_a_whole():
    with pytest.raises(openbudget.BadFile, match="Не знайдено заголовка"):
        parse("назва,сума\nОсвіта,1\n", "programme")
    with pytest.raises(openbudget.BadFile, match="жодного рядка"):
        parse("КПКВК;План\nабв;1\n", "programme")


# --- the import -------------------------------------------------------------------------------


def test_an_import_makes_and_publishes_budget_year_with_a_datastore_table(hromada, do_import, editor):
    record = do_import(2026, "programme", PROGRAMME_CP1251, encoding="cp1251")
    dataset = Dataset.objects.get(hromada=hromada, name="budget-2026")
    assert dataset.state == DatasetState.PUBLISHED and record.dataset == dataset
    assert (record.lines, record.refused, record.skipped, record.encoding) == (3, 2, 2, "cp1251")
    assert record.problems[0]["row"] == 7
    table = current_table(record.resource)
    assert table is not None and table.rows_loaded == 3 and table.rows_refused == 0
    # The published file has the one shape: codes as text with their zeros.
    published = record.resource.current.file.read().decode("utf-8-sig")
    assert published.splitlines()[0] == "Місяць,КПКВК,Назва,КФКВК,Фонд,План на рік,План на період,Виконано"
    assert ",0110150,Організаційне забезпечення діяльності ради,0111,,1000000.50,0,800000.25" in published
    kinds = list(LedgerEntry.objects.filter(hromada=hromada).values_list("kind", flat=True))
    assert "opendata.budget_imported" in kinds and "opendata.dataset_published" in kinds


def test_a_second_import_is_a_new_version_and_a_failed_one_keeps_the_previous(hromada, do_import, editor):
    first = do_import(2026, "programme", "КПКВК;План;Виконано\n0110150;100;50\n")
    second = do_import(2026, "programme", "КПКВК;План;Виконано\n0110150;200;150\n0611021;10;5\n")
    assert second.resource == first.resource and second.version.number == 2
    assert budget_selectors.budget_year(hromada=hromada, year=2026).spending.plan == Decimal("210.00")
    versions = ResourceVersion.objects.filter(resource=first.resource).count()
    for bad in ("назва,сума\nx,1\n", "КПКВК;План\nнічого;1\n"):
        with pytest.raises(DomainError) as excinfo:
            do_import(2026, "programme", bad)
        assert excinfo.value.code == "budget_file" and excinfo.value.field == "file"
    assert ResourceVersion.objects.filter(resource=first.resource).count() == versions
    assert BudgetImport.objects.filter(hromada=hromada).count() == 2
    assert budget_selectors.budget_year(hromada=hromada, year=2026).spending.plan == Decimal("210.00")


def test_the_import_refuses_a_bad_year_kind_or_a_pdf(do_import):
    for year, kind, content, code in (
        (1999, "programme", "КПКВК;План\n0110150;1\n", "budget_year"),
        (2026, "debts", "КПКВК;План\n0110150;1\n", "budget_kind"),
    ):
        with pytest.raises(DomainError) as excinfo:
            do_import(year, kind, content)
        assert excinfo.value.code == code
    with pytest.raises(DomainError) as excinfo:
        do_import(2026, "programme", pdf_file().read(), name="budget.pdf")
    assert excinfo.value.code == "budget_format"
    assert not BudgetImport.objects.exists()


def test_only_the_budget_publishers_editors_may_import(
    hromada, other_hromada, do_import, publisher, hromada_admin
):
    do_import(2026, "programme", "КПКВК;План\n0110150;1\n")
    outsider = staff_user(hromada, "officer")
    other = services.publisher_create(hromada, hromada_admin, name="osvita", title="Відділ освіти")
    services.publisher_member_add(other, hromada_admin, outsider)
    actors = role_matrix(hromada, other_hromada) | {"editor_of_another_publisher": outsider}
    for name, user in actors.items():
        if name == "admin":
            continue
        with pytest.raises(PermissionDenied):
            services.budget_import(
                hromada, 2026, "programme", upload("КПКВК;План\n0110150;9\n"), user, publisher=other
            )
    assert BudgetImport.objects.filter(hromada=hromada).count() == 1


# --- the explorer -----------------------------------------------------------------------------


REVENUES_2025 = "ККД;Назва;План;Виконано\n11010100;ПДФО;1000;900\n41033900;Субвенція;500;500\n"
REVENUES_2026 = "ККД;Назва;План;Виконано\n11010100;ПДФО;1200;600\n41033900;Субвенція;600;300\n"
PROGRAMME_2025 = "КПКВК;Назва;План;Виконано\n0110150;Рада;700;650\n1216030;Благоустрій;800;700\n"
PROGRAMME_2026 = (
    "Місяць;КПКВК;Назва;План на рік;Виконано\n"
    "1;0110150;Рада;900;100\n"
    "2;0110150;Рада;900;120\n"
    "1;1216030;Благоустрій;1000;50\n"
    "2;1216030;Благоустрій;1000;80\n"
)
ECONOMIC_2026 = (
    "КПКВК;КЕКВ;Найменування КЕКВ;План;Виконано\n"
    "1216030;2240;Оплата послуг;600;100\n"
    "1216030;3132;Капітальний ремонт;400;30\n"
    "0110150;2111;Заробітна плата;900;220\n"
)


@pytest.fixture
def two_years(do_import):
    do_import(2025, "revenues", REVENUES_2025)
    do_import(2025, "programme", PROGRAMME_2025)
    do_import(2026, "revenues", REVENUES_2026)
    do_import(2026, "programme", PROGRAMME_2026)
    do_import(2026, "economic", ECONOMIC_2026)


def test_totals_on_the_page_equal_the_files_sums(client, hromada, two_years):
    view = budget_selectors.budget_year(hromada=hromada, year=2026)
    assert (view.revenues.plan, view.revenues.executed) == (Decimal("1800.00"), Decimal("900.00"))
    # The plan of a monthly file counts once per line; execution is the sum of months.
    assert (view.spending.plan, view.spending.executed) == (Decimal("1900.00"), Decimal("350.00"))
    assert view.spending.percent == Decimal("18.4")
    assert [(f.code, f.plan, f.executed) for f in view.spending.lines] == [
        ("1216030", Decimal("1000.00"), Decimal("130.00")),
        ("0110150", Decimal("900.00"), Decimal("220.00")),
    ]
    assert [(m.code, m.executed) for m in view.spending.months] == [
        ("1", Decimal("150.00")),
        ("2", Decimal("200.00")),
    ]
    assert [(g.code, g.executed) for g in view.economic_groups] == [
        ("21", Decimal("220.00")),
        ("22", Decimal("100.00")),
        ("31", Decimal("30.00")),
    ]
    page = client.get("/opendata/budget/2026/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "1\u00a0900" in body and "350" in body and "18,4" in body
    assert '<svg class="ob-bar"' in body and "<caption>" in body


def test_year_on_year(client, hromada, two_years):
    view = budget_selectors.budget_year(hromada=hromada, year=2026)
    assert view.previous_year == 2025
    assert view.revenues.previous_executed == Decimal("1400.00")
    assert view.revenues.change == Decimal("-35.7")
    by_code = {f.code: f for f in view.spending.lines}
    assert by_code["1216030"].previous == Decimal("700.00")
    rows = budget_selectors.years_compared(hromada=hromada)
    assert [r["year"] for r in rows] == [2026, 2025]
    assert rows[0]["spending"] == (Decimal("1900.00"), Decimal("350.00"))
    assert rows[1]["spending_change"] is None
    body = client.get("/opendata/budget/").content.decode()  # the latest year
    assert "Рік до року" in body and 'href="/opendata/budget/2025/"' in body


def test_drill_down_from_a_programme_to_its_economic_lines_and_months(client, hromada, two_years):
    view = budget_selectors.budget_year(hromada=hromada, year=2026, programme="1216030")
    assert view.programme.code == "1216030"
    assert [(f.code, f.name, f.plan, f.executed) for f in view.programme_economic] == [
        ("2240", "Оплата послуг", Decimal("600.00"), Decimal("100.00")),
        ("3132", "Капітальний ремонт", Decimal("400.00"), Decimal("30.00")),
    ]
    assert [(m.code, m.executed) for m in view.programme_months] == [
        ("1", Decimal("50.00")),
        ("2", Decimal("80.00")),
    ]
    body = client.get("/opendata/budget/2026/", {"programme": "1216030"}).content.decode()
    assert "Капітальний ремонт" in body and "Заробітна плата" not in body.split('id="revenues"')[0]
    missing = client.get("/opendata/budget/2026/", {"programme": "9999999"})
    assert missing.status_code == 200 and "9999999" in missing.content.decode()
    assert client.get("/opendata/budget/2026/", {"programme": "<script>"}).status_code == 200


def test_unpublished_or_unknown_years_and_another_hromadas_budget(
    client, hromada, other_hromada, two_years, editor
):
    assert client.get("/opendata/budget/2024/").status_code == 404
    dataset = Dataset.objects.get(hromada=hromada, name="budget-2025")
    services.dataset_withdraw(dataset, editor, "Помилка в даних")
    assert budget_selectors.budget_years(hromada=hromada) == [2026]
    assert client.get("/opendata/budget/2025/").status_code == 404
    assert budget_selectors.budget_years(hromada=other_hromada) == []


def test_programme_lines_link_the_participatory_budgets_projects(client, hromada, two_years, hromada_admin):
    from hromada.budget.tests.factories import make_cycle
    from hromada.budget.tests.helpers_staff import make_project
    from hromada.tenancy.services import module_switch_set

    cycle = make_cycle(hromada, actor=hromada_admin)
    project = make_project(cycle, status="admitted", outcome="winner", title="Сквер на Соборній")
    make_project(cycle, status="admitted", outcome="winner", title="Без програми")
    type(project).objects.filter(pk=project.pk).update(kpkvk="1216030")
    view = budget_selectors.budget_year(hromada=hromada, year=2026, programme="1216030")
    assert [p["title"] for p in view.programme_projects] == ["Сквер на Соборній"]
    assert [p["title"] for p in {f.code: f for f in view.spending.lines}["1216030"].projects] == [
        "Сквер на Соборній"
    ]
    assert {f.code: f for f in view.spending.lines}["0110150"].projects == []
    assert str(project.public_id) in client.get("/opendata/budget/2026/").content.decode()
    # The budget module off: no links, the page still works.
    module_switch_set(actor=hromada_admin, hromada=hromada, module="budget", enabled=False)
    view = budget_selectors.budget_year(hromada=hromada, year=2026, programme="1216030")
    assert view.programme_projects == [] and all(not f.projects for f in view.spending.lines)
    page = client.get("/opendata/budget/2026/")
    assert page.status_code == 200 and str(project.public_id) not in page.content.decode()


def test_the_demo_files_import_and_fill_the_explorer(client, hromada, do_import):
    for year in (2025, 2026):
        for kind, file, cumulative in demo_budget.files(year):
            record = do_import(year, kind, file.read(), name=file.name, cumulative=cumulative)
            assert record.refused == 0, record.problems
    view = budget_selectors.budget_year(hromada=hromada, year=2026)
    assert view.revenues.plan == sum(Decimal(a) for _c, _n, a in demo_budget.REVENUES)
    assert view.spending.plan == sum(Decimal(p[3]) for p in demo_budget.PROGRAMMES)
    # The economic lines of each programme add up to the programme.
    for line in view.spending.lines:
        drill = budget_selectors.budget_year(hromada=hromada, year=2026, programme=line.code)
        assert sum(f.plan for f in drill.programme_economic) == line.plan
        assert sum(f.executed for f in drill.programme_economic) == line.executed
    assert len(view.spending.months) == 11 and view.previous_year == 2025
    assert client.get("/opendata/budget/").status_code == 200


# --- the import page --------------------------------------------------------------------------


def test_the_import_page_by_role(client, hromada, other_hromada, publisher, editor):
    actors = role_matrix(hromada, other_hromada) | {"editor": editor}
    expected = {
        "admin": 200,
        "editor": 200,
        "officer": 200,
        "moderator": 403,
        "resident": 403,
        "anonymous": 302,
    }
    for name, user in actors.items():
        client.logout()
        if name != "anonymous":
            client.force_login(user)
        response = client.get("/staff/opendata/budget/")
        assert response.status_code == expected.get(name, 403), name
        content = response.content.decode()
        if name in ("admin", "editor"):
            assert 'name="file"' in content
        if name == "officer":  # staff, but no publisher's editor: told what to do, no form
            assert 'name="file"' not in content and "редактор" in content
        before = BudgetImport.objects.count()
        response = client.post(
            "/staff/opendata/budget/",
            {
                "year": 2026,
                "kind": "programme",
                "publisher": "finance",
                "file": upload("КПКВК;План\n0110150;1\n"),
            },
        )
        if name not in ("admin", "editor"):
            assert response.status_code in (200, 302, 403) and BudgetImport.objects.count() == before, name
    assert BudgetImport.objects.filter(hromada=hromada).count() == 2  # the admin's and the editor's


def test_the_import_page_shows_the_result_per_row(client, editor, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/opendata/budget/",
            {
                "year": 2026,
                "kind": "programme",
                "publisher": "finance",
                "file": upload(PROGRAMME_CP1251, encoding="cp1251"),
            },
            follow=True,
        )
    body = response.content.decode()
    assert response.status_code == 200 and "Результат завантаження" in body
    assert "06110X1" in body and "12,5O" in body and "<td>7</td>" in body
    refused = client.post(
        "/staff/opendata/budget/",
        {"year": 2026, "kind": "revenues", "publisher": "finance", "file": upload("назва,сума\nx,1\n")},
    )
    assert refused.status_code == 400 and "Не знайдено заголовка" in refused.content.decode()


def test_a_winner_names_its_funding_programme_on_the_staff_page(client, hromada, hromada_admin):
    from hromada.budget.tests.factories import make_cycle
    from hromada.budget.tests.helpers_staff import make_project

    cycle = make_cycle(hromada, actor=hromada_admin)
    project = make_project(cycle, status="admitted", outcome="winner")
    client.force_login(hromada_admin)
    url = f"/staff/budget/implementation/{project.public_id}/"
    bad = client.post(url, {"action": "funding", "funding-kpkvk": "12AB"})
    project.refresh_from_db()
    assert bad.status_code == 400 and project.kpkvk == "" and "сім цифр" in bad.content.decode()
    good = client.post(url, {"action": "funding", "funding-kpkvk": "1216030"})
    project.refresh_from_db()
    assert good.status_code == 302 and project.kpkvk == "1216030"
    entry = LedgerEntry.objects.filter(hromada=hromada, kind="budget.implementation_updated").last()
    assert entry.payload == {
        "project": str(project.public_id),
        "event": "funding_programme",
        "kpkvk": "1216030",
    }
