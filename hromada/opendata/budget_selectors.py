"""Reads of the open budget explorer (docs/opendata-budget.md): a year's figures from
the DataStore tables of its `budget-<year>` dataset, by SQL aggregates over the tables
(never by loading rows into Python), and the participatory-budget projects that the
budget module links to programme lines (through its selectors, when it is on).

The tables have the columns services/budget.py publishes (openbudget.COLUMNS); they
are found by their heading, which the DataStore keeps as each column's label."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hromada.core.modules import registry, resolve
from hromada.tenancy.selectors import module_enabled

from . import openbudget
from .datastore import current_table
from .datastore.backend import qualified, quote
from .datastore.infer import INT, NUMERIC
from .models import BudgetImport, BudgetKind, DatasetState, DatastoreTable

CENT = Decimal("0.01")
TOP_ROWS = 200

# The first digit of a revenue code: its class in the budget classification.
REVENUE_CLASSES = {
    "1": gettext_lazy("Податкові надходження"),
    "2": gettext_lazy("Неподаткові надходження"),
    "3": gettext_lazy("Доходи від операцій з капіталом"),
    "4": gettext_lazy("Офіційні трансферти"),
    "5": gettext_lazy("Цільові фонди"),
}
# The first two digits of КЕКВ: its group.
ECONOMIC_GROUPS = {
    "21": gettext_lazy("Оплата праці і нарахування на заробітну плату"),
    "22": gettext_lazy("Використання товарів і послуг"),
    "23": gettext_lazy("Обслуговування боргових зобов'язань"),
    "24": gettext_lazy("Обслуговування боргових зобов'язань"),
    "26": gettext_lazy("Поточні трансферти"),
    "27": gettext_lazy("Соціальне забезпечення"),
    "28": gettext_lazy("Інші поточні видатки"),
    "31": gettext_lazy("Придбання основного капіталу"),
    "32": gettext_lazy("Капітальні трансферти"),
    "90": gettext_lazy("Нерозподілені видатки"),
}


def _money(value: Any) -> Decimal:
    if value is None:
        return Decimal(0).quantize(CENT)
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Figure:
    """One line of a breakdown: its code, name, plan for the year and execution; the
    bars' widths relative to the breakdown's largest value (0–100)."""

    code: str
    name: str
    plan: Decimal
    executed: Decimal
    previous: Decimal | None = None  # the earlier year's execution, when loaded
    projects: list[dict] = field(default_factory=list)
    plan_width: Decimal = Decimal(0)
    executed_width: Decimal = Decimal(0)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.executed, self.plan)

    @property
    def change(self) -> Decimal | None:
        if self.previous is None:
            return None
        return percent(self.executed - self.previous, self.previous)


def _scaled(figures: list[Figure]) -> list[Figure]:
    top = max([max(f.plan, f.executed) for f in figures] or [Decimal(0)])
    for f in figures:
        if top > 0:
            f.plan_width = (max(f.plan, Decimal(0)) * 100 / top).quantize(Decimal("0.1"))
            f.executed_width = (max(f.executed, Decimal(0)) * 100 / top).quantize(Decimal("0.1"))
    return figures


class _Table:
    """A loaded budget table: its SQL name and its columns by field."""

    def __init__(self, kind: str, table: DatastoreTable) -> None:
        self.kind = kind
        self.sql = qualified(table.table_name)
        by_heading = {c.get("source") or c["id"]: c for c in table.columns}
        self.columns = {f: by_heading[h] for f, h in openbudget.COLUMNS[kind] if h in by_heading}

    def has(self, name: str) -> bool:
        return name in self.columns

    def text(self, name: str) -> str:
        """A code column as text (a column of codes without leading zeros is typed int)."""
        if name not in self.columns:
            return "''"
        return f"CAST({quote(self.columns[name]['id'])} AS TEXT)"

    def amount(self, name: str) -> str:
        column = self.columns.get(name)
        if column is None or column["type"] not in (INT, NUMERIC):
            return "0"
        return f"COALESCE(SUM({quote(column['id'])}), 0)"

    def name(self, key: str) -> str:
        # An economic table's names are of its КЕКВ lines, not of the programmes.
        if "name" not in self.columns or (self.kind == BudgetKind.ECONOMIC and key == "kpkvk"):
            return "''"
        return f"MAX({quote(self.columns['name']['id'])})"

    def month(self) -> str | None:
        column = self.columns.get("month")
        if column is None or column["type"] not in (INT, NUMERIC):
            return None
        return f"CAST({quote(column['id'])} AS INTEGER)"


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _where(table: _Table, filters: dict[str, str]) -> tuple[str, list[Any]]:
    parts, params = [], []
    for name, value in filters.items():
        parts.append(f"{table.text(name)} = %s")
        params.append(value)
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


def _totals(table: _Table, filters: dict[str, str] | None = None) -> tuple[Decimal, Decimal]:
    where, params = _where(table, filters or {})
    sql = f"SELECT {table.amount('plan_year')}, {table.amount('executed')} FROM {table.sql}{where}"  # noqa: S608 - quoted identifiers from the table's metadata
    plan, executed = _rows(sql, params)[0]
    return _money(plan), _money(executed)


def _breakdown(
    table: _Table, key: str, filters: dict[str, str] | None = None, *, prefix: int = 0
) -> list[Figure]:
    """Sums by the code column `key` (its first `prefix` digits when given), the
    largest plan first."""
    where, params = _where(table, filters or {})
    code = table.text(key)
    if prefix:
        code = f"SUBSTR({code}, 1, {int(prefix)})"
    sql = (
        f"SELECT {code} AS code, {table.name(key)}, {table.amount('plan_year')} AS plan, {table.amount('executed')} "  # noqa: S608 - quoted identifiers from the table's metadata
        f"FROM {table.sql}{where} GROUP BY {code} ORDER BY plan DESC, code LIMIT {TOP_ROWS}"
    )
    return [
        Figure(code=str(c or ""), name=str(n or ""), plan=_money(p), executed=_money(e))
        for c, n, p, e in _rows(sql, params)
    ]


def _by_month(table: _Table, filters: dict[str, str] | None = None) -> list[Figure]:
    month = table.month()
    if month is None:
        return []
    where, params = _where(table, filters or {})
    where += (" AND " if where else " WHERE ") + f"{month} IS NOT NULL"
    sql = (
        f"SELECT {month} AS m, {table.amount('plan_period')}, {table.amount('executed')} "  # noqa: S608 - quoted identifiers from the table's metadata
        f"FROM {table.sql}{where} GROUP BY {month} ORDER BY m"
    )
    names = _month_names()
    return [
        Figure(code=str(m), name=names.get(int(m), str(m)), plan=_money(p), executed=_money(e))
        for m, p, e in _rows(sql, params)
        if m is not None
    ]


def _month_names() -> dict[int, str]:
    return {
        1: _("Січень"),
        2: _("Лютий"),
        3: _("Березень"),
        4: _("Квітень"),
        5: _("Травень"),
        6: _("Червень"),
        7: _("Липень"),
        8: _("Серпень"),
        9: _("Вересень"),
        10: _("Жовтень"),
        11: _("Листопад"),
        12: _("Грудень"),
    }


# --- which years and tables ----------------------------------------------------------------


def _published_imports(hromada):
    return BudgetImport.objects.for_hromada(hromada).filter(
        dataset__state=DatasetState.PUBLISHED, resource__datastore_active=True
    )


def budget_years(*, hromada) -> list[int]:
    """The years with a published budget dataset that has loaded tables, latest first."""
    years = _published_imports(hromada).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def _tables(hromada, year: int) -> dict[str, _Table]:
    out: dict[str, _Table] = {}
    imports = _published_imports(hromada).filter(year=year).select_related("resource", "dataset")
    for kind in BudgetKind.values:
        latest = next((i for i in imports if i.kind == kind), None)
        if latest is None:
            continue
        table = current_table(latest.resource)
        if table is not None:
            out[kind] = _Table(kind, table)
    return out


def budget_dataset(*, hromada, year: int):
    found = _published_imports(hromada).filter(year=year).select_related("dataset").first()
    return found.dataset if found else None


# --- the participatory budget's projects ---------------------------------------------------


def funded_projects(*, hromada) -> dict[str, list[dict]]:
    """КПКВК -> the budget module's projects funded by that programme; empty when the
    budget module is not installed or is off for the hromada."""
    module = registry.get("budget")
    if module is None or not module_enabled(hromada, "budget"):
        return {}
    try:
        read = resolve("hromada.budget.selectors.funded_projects")
    except Exception:  # noqa: BLE001 - a module without the selector: no links, not an error page
        return {}
    out: dict[str, list[dict]] = {}
    for row in read(hromada=hromada):
        out.setdefault(row["kpkvk"], []).append(row)
    return out


# --- the explorer --------------------------------------------------------------------------


@dataclass
class Side:
    """Revenues or spending of a year: totals and the breakdowns."""

    plan: Decimal = Decimal(0)
    executed: Decimal = Decimal(0)
    previous_plan: Decimal | None = None
    previous_executed: Decimal | None = None
    lines: list[Figure] = field(default_factory=list)
    groups: list[Figure] = field(default_factory=list)
    months: list[Figure] = field(default_factory=list)
    loaded: bool = False

    @property
    def percent(self) -> Decimal | None:
        return percent(self.executed, self.plan)

    @property
    def change(self) -> Decimal | None:
        if self.previous_executed is None:
            return None
        return percent(self.executed - self.previous_executed, self.previous_executed)


@dataclass
class YearView:
    year: int
    previous_year: int | None
    revenues: Side
    spending: Side
    economic: list[Figure]
    economic_groups: list[Figure] = field(default_factory=list)
    programme: Figure | None = None  # the drilled-down programme
    programme_economic: list[Figure] = field(default_factory=list)
    programme_months: list[Figure] = field(default_factory=list)
    programme_projects: list[dict] = field(default_factory=list)
    dataset: Any = None


def _spending_table(tables: dict[str, _Table]) -> _Table | None:
    return tables.get(BudgetKind.PROGRAMME) or tables.get(BudgetKind.ECONOMIC)


def _previous_by_code(figures: list[Figure], earlier: list[Figure]) -> None:
    before = {f.code: f.executed for f in earlier}
    for f in figures:
        f.previous = before.get(f.code)


def year_overview(*, hromada, year: int) -> dict[str, Any]:
    """Totals of one year (the year-on-year table's row)."""
    tables = _tables(hromada, year)
    row: dict[str, Any] = {"year": year}
    revenues = tables.get(BudgetKind.REVENUES)
    spending = _spending_table(tables)
    row["revenues"] = _totals(revenues) if revenues else None
    row["spending"] = _totals(spending) if spending else None
    return row


def budget_year(*, hromada, year: int, programme: str = "") -> YearView | None:
    """Everything the year's page shows; None when the year is not published. With
    `programme` (a КПКВК), its economic breakdown, months and projects as well."""
    years = budget_years(hromada=hromada)
    if year not in years:
        return None
    earlier = [y for y in years if y < year]
    previous_year = earlier[0] if earlier else None
    tables = _tables(hromada, year)
    before = _tables(hromada, previous_year) if previous_year else {}
    projects = funded_projects(hromada=hromada)

    revenues = Side()
    if (t := tables.get(BudgetKind.REVENUES)) is not None:
        revenues.loaded = True
        revenues.plan, revenues.executed = _totals(t)
        revenues.groups = _breakdown(t, "kkd", prefix=1)
        for g in revenues.groups:
            g.name = str(REVENUE_CLASSES.get(g.code, "")) or g.code
        revenues.lines = _breakdown(t, "kkd")
        revenues.months = _by_month(t)
        if (b := before.get(BudgetKind.REVENUES)) is not None:
            revenues.previous_plan, revenues.previous_executed = _totals(b)
            _previous_by_code(revenues.lines, _breakdown(b, "kkd"))
            _previous_by_code(revenues.groups, _breakdown(b, "kkd", prefix=1))

    spending = Side()
    if (t := _spending_table(tables)) is not None:
        spending.loaded = True
        spending.plan, spending.executed = _totals(t)
        if t.has("kpkvk"):
            spending.lines = _breakdown(t, "kpkvk")
        spending.months = _by_month(t)
        if (b := _spending_table(before)) is not None:
            spending.previous_plan, spending.previous_executed = _totals(b)
            if b.has("kpkvk"):
                _previous_by_code(spending.lines, _breakdown(b, "kpkvk"))
        for f in spending.lines:
            f.projects = projects.get(f.code, [])

    economic: list[Figure] = []
    economic_groups: list[Figure] = []
    if (t := tables.get(BudgetKind.ECONOMIC)) is not None:
        economic = _breakdown(t, "kekv")
        economic_groups = _breakdown(t, "kekv", prefix=2)
        for g in economic_groups:
            g.name = str(ECONOMIC_GROUPS.get(g.code, "")) or g.code
        if (b := before.get(BudgetKind.ECONOMIC)) is not None:
            _previous_by_code(economic, _breakdown(b, "kekv"))
            _previous_by_code(economic_groups, _breakdown(b, "kekv", prefix=2))

    view = YearView(
        year=year,
        previous_year=previous_year,
        revenues=revenues,
        spending=spending,
        economic=_scaled(economic),
        economic_groups=_scaled(economic_groups),
        dataset=budget_dataset(hromada=hromada, year=year),
    )
    for side in (revenues, spending):
        _scaled(side.lines)
        _scaled(side.groups)
        _scaled(side.months)
    if programme:
        _drill(view, tables, before, programme, projects)
    return view


def _drill(view: YearView, tables, before, code: str, projects) -> None:
    line = next((f for f in view.spending.lines if f.code == code), None)
    if line is None:
        return
    view.programme = line
    view.programme_projects = projects.get(code, [])
    economic = tables.get(BudgetKind.ECONOMIC)
    if economic is not None and economic.has("kpkvk"):
        view.programme_economic = _breakdown(economic, "kekv", {"kpkvk": code})
        b = before.get(BudgetKind.ECONOMIC)
        if b is not None and b.has("kpkvk"):
            _previous_by_code(view.programme_economic, _breakdown(b, "kekv", {"kpkvk": code}))
        _scaled(view.programme_economic)
    spending = _spending_table(tables)
    if spending is not None and spending.has("kpkvk"):
        view.programme_months = _scaled(_by_month(spending, {"kpkvk": code}))


def years_compared(*, hromada) -> list[dict[str, Any]]:
    """The year-on-year table: each published year's totals, latest first, with the
    change of execution against the year before it."""
    rows = [year_overview(hromada=hromada, year=y) for y in budget_years(hromada=hromada)]
    for row, earlier in zip(rows, rows[1:] + [None], strict=True):
        for side in ("revenues", "spending"):
            now = row[side]
            row[f"{side}_percent"] = percent(now[1], now[0]) if now else None
            then = earlier[side] if earlier else None
            row[f"{side}_change"] = percent(now[1] - then[1], then[1]) if now and then else None
    return rows
