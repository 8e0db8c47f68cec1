"""The demo hromada's open budget: two years of files in the shapes openbudget.gov.ua
exports (docs/opendata-budget.md), made in code and imported through the service as a
finance officer would, so `make demo` shows the explorer full.

- revenues: the export of incomes (cp1251, `;`, a title line above the header, the
  export's own column names, decimal commas), monthly and cumulative;
- spending by programme: Ukrainian headings, UTF-8, `,`, monthly (not cumulative),
  with a subtotal row per main spending unit (left out by the reader);
- spending by economic classification by programme: yearly figures.
The figures are deterministic (a seeded generator) and add up: every month of a line
sums to its execution, and the economic lines of a programme to the programme."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from hromada.core.opendata import csv_table_stream

CENT = Decimal("0.01")

REVENUES = (
    ("11010100", "Податок на доходи фізичних осіб, що сплачується податковими агентами", 141_000_000),
    ("11010400", "Податок на доходи фізичних осіб з грошового забезпечення військовослужбовців", 7_200_000),
    ("13010200", "Рентна плата за спеціальне використання лісових ресурсів", 1_350_000),
    ("14040000", "Акцизний податок з реалізації підакцизних товарів", 9_800_000),
    ("18010500", "Земельний податок з юридичних осіб", 8_900_000),
    ("18010600", "Орендна плата з юридичних осіб", 12_500_000),
    ("18050400", "Єдиний податок з фізичних осіб", 32_600_000),
    ("22010300", "Адміністративний збір за державну реєстрацію речових прав", 950_000),
    ("22012500", "Плата за надання інших адміністративних послуг", 1_200_000),
    ("41033900", "Освітня субвенція з державного бюджету місцевим бюджетам", 86_700_000),
    ("41040200", "Базова дотація", 12_900_000),
)
# (КПКВК, КФКВК, name, plan for the year)
PROGRAMMES = (
    (
        "0110150",
        "0111",
        "Організаційне, інформаційно-аналітичне та матеріально-технічне забезпечення діяльності ради",
        38_400_000,
    ),
    ("0611010", "0910", "Надання дошкільної освіти", 52_300_000),
    (
        "0611021",
        "0921",
        "Надання загальної середньої освіти закладами загальної середньої освіти",
        121_800_000,
    ),
    ("0813242", "1090", "Інші заходи у сфері соціального захисту і соціального забезпечення", 6_200_000),
    (
        "1014060",
        "0828",
        "Забезпечення діяльності палаців і будинків культури, клубів, центрів дозвілля",
        9_700_000,
    ),
    ("1216030", "0620", "Організація благоустрою населених пунктів", 27_900_000),
    ("1217461", "0456", "Утримання та розвиток автомобільних доріг та дорожньої інфраструктури", 18_500_000),
    ("1218110", "0320", "Заходи із запобігання та ліквідації надзвичайних ситуацій", 3_100_000),
)
UNITS = {
    "01": "Міська рада",
    "06": "Відділ освіти",
    "08": "Управління соціального захисту",
    "10": "Відділ культури",
    "12": "Відділ житлово-комунального господарства",
}
# КЕКВ and the share of a programme it takes (by the programme's kind).
ECONOMIC = {
    "staff": (
        ("2111", "Заробітна плата", 0.62),
        ("2120", "Нарахування на оплату праці", 0.14),
        ("2240", "Оплата послуг (крім комунальних)", 0.08),
        ("2273", "Оплата електроенергії", 0.06),
        ("2210", "Предмети, матеріали, обладнання та інвентар", 0.10),
    ),
    "works": (
        ("2240", "Оплата послуг (крім комунальних)", 0.46),
        ("2210", "Предмети, матеріали, обладнання та інвентар", 0.14),
        ("3132", "Капітальний ремонт інших об'єктів", 0.30),
        ("3110", "Придбання обладнання і предметів довгострокового користування", 0.10),
    ),
    "social": (("2730", "Інші виплати населенню", 0.85), ("2240", "Оплата послуг (крім комунальних)", 0.15)),
}
KIND_OF = {"1216030": "works", "1217461": "works", "1218110": "works", "0813242": "social"}


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _comma(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _growth(year: int) -> float:
    return 1.0 if year >= 2026 else 0.88


def _months(year: int, last_month: int) -> int:
    return 12 if year < 2026 else last_month


def _monthly(rng: random.Random, annual: Decimal, months: int, rate: float) -> list[Decimal]:
    """The execution of each month: a twelfth of the plan, varied, at `rate` overall."""
    weights = [rng.uniform(0.8, 1.2) for _ in range(12)]
    scale = float(annual) * rate / sum(weights)
    return [_money(w * scale) for w in weights[:months]]


def revenues_csv(year: int, last_month: int = 11) -> bytes:
    """openbudget's incomes export: cp1251, `;`, a title line, cumulative by month."""
    rng = random.Random(f"rev{year}")
    months = _months(year, last_month)
    rows = []
    for code, name, amount in REVENUES:
        plan = _money(amount * _growth(year))
        done = _monthly(rng, plan, months, rng.uniform(0.9, 1.06))
        to_date = Decimal(0)
        for month, value in enumerate(done, start=1):
            to_date += value
            period_plan = _money(float(plan) * month / 12)
            rows.append(
                [year, month, code, name, _comma(plan), _comma(period_plan), _comma(to_date), "TOTAL"]
            )
    header = [
        "year",
        "monthTo",
        "incomeCode",
        "incomeCodeName",
        "yearBudgetPlan",
        "periodPlan",
        "totalDone",
        "fundType",
    ]
    title = f"Доходи бюджету Кам’янської міської територіальної громади за {year} рік\r\n"
    body = "".join(csv_table_stream(header, [rows], delimiter=";", bom=False))
    return (title + body).encode("cp1251")


def _programme_done(year: int, last_month: int) -> dict[str, list[Decimal]]:
    rng = random.Random(f"prog{year}")
    months = _months(year, last_month)
    return {
        kpkvk: _monthly(rng, _money(amount * _growth(year)), months, rng.uniform(0.82, 1.0))
        for kpkvk, _kfk, _name, amount in PROGRAMMES
    }


def programme_csv(year: int, last_month: int = 11) -> bytes:
    """Spending by programme, by month: Ukrainian headings, UTF-8, `,`; a subtotal row
    per main spending unit as finance departments' tables have."""
    done = _programme_done(year, last_month)
    rows: list[list[Any]] = []
    for unit, unit_name in UNITS.items():
        members = [p for p in PROGRAMMES if p[0].startswith(unit)]
        plan_total = sum(_money(p[3] * _growth(year)) for p in members)
        rows.append(
            [
                "",
                f"{unit}00000",
                "",
                unit_name,
                f"{plan_total:.2f}",
                "",
                f"{sum(sum(done[p[0]]) for p in members):.2f}",
            ]
        )
        for kpkvk, kfk, name, amount in members:
            plan = _money(amount * _growth(year))
            for month, value in enumerate(done[kpkvk], start=1):
                rows.append(
                    [
                        month,
                        kpkvk,
                        kfk,
                        name,
                        f"{plan:.2f}",
                        f"{_money(float(plan) / 12):.2f}",
                        f"{value:.2f}",
                    ]
                )
    header = [
        "Місяць",
        "КПКВК",
        "КФКВК",
        "Назва програми",
        "Затверджено на рік, грн",
        "План на період, грн",
        "Касові видатки, грн",
    ]
    return "".join(csv_table_stream(header, [rows], lineterminator="\n")).encode("utf-8")


def economic_csv(year: int, last_month: int = 11) -> bytes:
    """Spending by economic classification by programme, for the year to date."""
    done = _programme_done(year, last_month)
    rows = []
    for kpkvk, _kfk, _name, amount in PROGRAMMES:
        plan = _money(amount * _growth(year))
        executed = sum(done[kpkvk], Decimal(0))
        parts = ECONOMIC[KIND_OF.get(kpkvk, "staff")]
        plan_left, done_left = plan, executed
        for i, (kekv, kname, share) in enumerate(parts):
            last = i == len(parts) - 1
            p = plan_left if last else _money(float(plan) * share)
            d = done_left if last else _money(float(executed) * share)
            plan_left -= p
            done_left -= d
            rows.append([kpkvk, kekv, kname, _comma(p), _comma(d)])
    header = ["КПКВК", "КЕКВ", "Найменування КЕКВ", "План на рік", "Виконано"]
    return "".join(csv_table_stream(header, [rows], delimiter=";", bom=False, lineterminator="\n")).encode(
        "cp1251"
    )


def files(year: int, last_month: int = 11) -> list[tuple[str, SimpleUploadedFile, bool]]:
    """(kind, file, cumulative) for one year."""
    return [
        (
            "revenues",
            SimpleUploadedFile(f"incomes-{year}.csv", revenues_csv(year, last_month), "text/csv"),
            True,
        ),
        (
            "programme",
            SimpleUploadedFile(f"vydatky-programy-{year}.csv", programme_csv(year, last_month), "text/csv"),
            False,
        ),
        (
            "economic",
            SimpleUploadedFile(f"vydatky-kekv-{year}.csv", economic_csv(year, last_month), "text/csv"),
            False,
        ),
    ]
