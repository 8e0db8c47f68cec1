"""Reading the CSV exports of the state's open-budget service, openbudget.gov.ua
(«Відкритий бюджет»), and the spreadsheets finance departments keep in the same shape,
into budget lines (docs/opendata-budget.md).

Three kinds of file: revenues by budget classification code (ККД), spending by
programme (КПКВК, with its function КФКВК/ТПКВКМБ) and spending by economic
classification (КЕКВ, by programme when the file has КПКВК). The reader is tolerant:

- the encoding and delimiter are detected by the DataStore's reader (cp1251 or UTF-8,
  `;` or `,`), and the header is looked for in the first rows, since openbudget's
  exports put a title line above it;
- columns are found by their normalised names and aliases (Ukrainian headings and the
  export's own camelCase names, "КПК", "розпис на рік", "incomeCode" …); unknown
  columns are ignored;
- amounts may have a decimal comma, spaces between digit groups, a minus or brackets;
  a heading that says «тис. грн» scales them to hryvnias;
- codes are text: leading zeros are kept, and put back where a spreadsheet dropped
  them (КПКВК has 7 digits, КФКВК and КЕКВ 4, ККД 8);
- subtotal rows (a code whose parent prefix another code of the file continues, a
  «Разом»/«Усього» line without a code, a «total» fund beside the individual funds)
  are skipped so nothing is counted twice;
- a row that cannot be read is reported with its number, column, value and reason, and
  the others are kept.

Monthly files: a month column (1–12, «березень», 2026-03, 03.2026) makes each row the
month's figures. openbudget's API gives them cumulatively (the sum to date); with
`cumulative=True` each month becomes its own amount. The yearly plan of a line is
kept once, on its latest month, so summing the plan column gives the plan."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _

from .datastore.readers import ReadError, open_table

REVENUES, PROGRAMME, ECONOMIC = "revenues", "programme", "economic"
KINDS = (REVENUES, PROGRAMME, ECONOMIC)
HEADER_SEARCH_ROWS = 10
PROBLEMS_KEPT = 500

# The code fields and their length (a shorter all-digit code lost its leading zeros).
CODE_LENGTHS = {"kpkvk": 7, "kfk": 4, "kekv": 4, "kkd": 8}

# Aliases by field, most specific first; matched against normalised headers.
ALIASES: dict[str, tuple[str, ...]] = {
    "kpkvk": (
        "кпквк",
        "кпквкмб",
        "кпквк мб",
        "кпк",
        "programcode",
        "код програмної класифікації",
        "код програмної класифікації видатків",
        "код програми",
    ),
    "kpkvk_name": (
        "найменування кпк",
        "найменування кпквк",
        "назва кпквк",
        "programcodename",
        "назва програми",
        "найменування програми",
        "найменування бюджетної програми",
        "бюджетна програма",
    ),
    "kfk": (
        "кфквк",
        "кфк",
        "тпквкмб",
        "тпквк",
        "тпквк мб",
        "functioncode",
        "код функціональної класифікації",
    ),
    "kfk_name": ("найменування кфк", "найменування тпквкмб", "functioncodename", "назва функції"),
    "kekv": (
        "кекв",
        "код кекв",
        "economiccode",
        "economycode",
        "код економічної класифікації",
        "економічна класифікація",
    ),
    "kekv_name": ("найменування кекв", "назва кекв", "economiccodename", "economycodename"),
    "kkd": (
        "ккд",
        "код доходу",
        "код доходів",
        "код класифікації доходів",
        "incomecode",
        "код",
    ),
    "kkd_name": ("найменування коду", "назва доходу", "найменування доходу", "incomecodename"),
    "name": ("назва", "найменування", "name", "назва показника", "показник"),
    "plan_year": (
        "затверджено на рік з урахуванням змін",
        "уточнений план на рік",
        "план на рік з урахуванням змін",
        "розпис на рік",
        "yearbudgetplan",
        "затверджено на рік",
        "план на рік",
        "річний план",
        "уточнений план",
        "затверджено",
        "план",
        "кошторис на рік",
        "yearbudgetestimate",
    ),
    "plan_period": (
        "план на період",
        "план на звітний період",
        "план за період",
        "розпис на період",
        "periodplan",
        "кошторис на період",
    ),
    "executed": (
        "касові видатки",
        "касове виконання",
        "виконано всього",
        "totaldone",
        "виконано",
        "фактично надійшло",
        "надійшло",
        "виконання",
        "факт",
        "done",
    ),
    "month": ("місяць", "month", "кінець періоду", "monthto", "звітний місяць", "період"),
    "year": ("рік", "year", "бюджетний рік"),
    "fund": ("тип фонду", "фонд", "fundtype", "fund"),
}

# The fields each kind needs (at least one of each tuple) and may have.
REQUIRED = {
    REVENUES: (("kkd",), ("plan_year", "executed")),
    PROGRAMME: (("kpkvk",), ("plan_year", "executed")),
    ECONOMIC: (("kekv",), ("plan_year", "executed")),
}
CODE_OF = {REVENUES: "kkd", PROGRAMME: "kpkvk", ECONOMIC: "kekv"}

# The published table's columns per kind: (field, heading). The explorer finds them by
# heading (the DataStore keeps it as the column's label).
COLUMNS = {
    REVENUES: (
        ("month", "Місяць"),
        ("kkd", "ККД"),
        ("name", "Назва"),
        ("fund", "Фонд"),
        ("plan_year", "План на рік"),
        ("plan_period", "План на період"),
        ("executed", "Виконано"),
    ),
    PROGRAMME: (
        ("month", "Місяць"),
        ("kpkvk", "КПКВК"),
        ("name", "Назва"),
        ("kfk", "КФКВК"),
        ("fund", "Фонд"),
        ("plan_year", "План на рік"),
        ("plan_period", "План на період"),
        ("executed", "Виконано"),
    ),
    ECONOMIC: (
        ("month", "Місяць"),
        ("kpkvk", "КПКВК"),
        ("kekv", "КЕКВ"),
        ("name", "Назва"),
        ("fund", "Фонд"),
        ("plan_year", "План на рік"),
        ("plan_period", "План на період"),
        ("executed", "Виконано"),
    ),
}
HEADING = {kind: dict(cols) for kind, cols in COLUMNS.items()}

MONTHS = {
    "січ": 1,
    "лют": 2,
    "бер": 3,
    "кві": 4,
    "тра": 5,
    "чер": 6,
    "лип": 7,
    "сер": 8,
    "вер": 9,
    "жов": 10,
    "лис": 11,
    "гру": 12,
}
_TOTAL_WORDS = ("разом", "усього", "всього", "итого", "total")
_TOTAL_FUNDS = {"total", "разом", "усього", "всього", "загальний і спеціальний"}
_UNITS = {"грн", "гривень", "uah", "тис", "тисяч"}


def normalise(header: Any) -> str:
    """A heading as the aliases are written: lower case, apostrophes and units dropped,
    anything but letters and digits a single space."""
    text = str(header or "").replace("\ufeff", "").strip().lower()
    text = re.sub(r"[’ʼ'`\"«»]", "", text)
    text = re.sub(r"[^\w]+|_", " ", text)
    return " ".join(w for w in text.split() if w not in _UNITS)


def _in_thousands(header: Any) -> bool:
    return bool(re.search(r"тис", str(header or "").lower()))


@dataclass
class Line:
    row: int  # the file's row number, the header counted as in a spreadsheet
    month: int | None
    code: str
    name: str
    plan_year: Decimal
    plan_period: Decimal
    executed: Decimal
    kpkvk: str = ""
    kfk: str = ""
    fund: str = ""

    def values(self, kind: str) -> list[Any]:
        """The published row, in COLUMNS[kind]'s order."""
        by_field = {
            "month": self.month if self.month is not None else "",
            "kkd": self.code,
            "kekv": self.code,
            "kpkvk": self.code if kind == PROGRAMME else self.kpkvk,
            "kfk": self.kfk,
            "name": self.name,
            "fund": self.fund,
            "plan_year": self.plan_year,
            "plan_period": self.plan_period,
            "executed": self.executed,
        }
        return [by_field[f] for f, _heading in COLUMNS[kind]]


@dataclass
class Parsed:
    kind: str
    lines: list[Line] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    problems_total: int = 0
    notes: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field -> heading as in the file
    ignored: list[str] = field(default_factory=list)  # headings not used
    encoding: str = ""
    delimiter: str = ""
    header_row: int = 1
    rows_read: int = 0
    skipped: int = 0  # subtotals and total lines left out on purpose

    def problem(self, row: int, column: str | None, value: Any, reason: str) -> None:
        self.problems_total += 1
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(
                {
                    "row": row,
                    "column": column or "",
                    "value": "" if value is None else str(value)[:200],
                    "reason": reason,
                }
            )

    def header(self) -> list[str]:
        return [heading for _f, heading in COLUMNS[self.kind]]

    def table(self) -> list[list[Any]]:
        return [line.values(self.kind) for line in self.lines]

    def totals(self) -> dict[str, Decimal]:
        return {
            "plan_year": sum((x.plan_year for x in self.lines), Decimal(0)),
            "executed": sum((x.executed for x in self.lines), Decimal(0)),
        }


class BadFile(Exception):
    """The file as a whole cannot be a budget table of the kind (a message for people)."""


# --- values ---------------------------------------------------------------------------------


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_amount(value: Any) -> Decimal:
    """An amount as a Ukrainian spreadsheet writes it: «1 234 567,89», «1234567.89»,
    «1.234.567,89», «(12,5)», «-», empty (zero). ValueError otherwise."""
    if value is None:
        return Decimal(0)
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _SPACES.sub("", str(value))
    if text in ("", "-", "—", "–"):
        return Decimal(0)
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.startswith(("-", "−")):
        negative, text = True, text[1:]
    elif text.startswith("+"):
        text = text[1:]
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "")
        text = text.replace(",", ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise ValueError(value)
    try:
        amount = Decimal(text)
    except InvalidOperation as e:
        raise ValueError(value) from e
    return -amount if negative else amount


def parse_code(value: Any, field_name: str) -> str:
    """A classification code as text: digits only, leading zeros put back. '' when
    empty; ValueError when it is not a code."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _SPACES.sub("", str(value)).lstrip("'")
    if re.fullmatch(r"\d+[.,]0+", text):
        text = re.split(r"[.,]", text)[0]  # a spreadsheet's number formatting
    if not text:
        return ""
    if not text.isdigit():
        raise ValueError(value)
    length = CODE_LENGTHS.get(field_name)
    if length and len(text) < length:
        text = text.zfill(length)
    if length and len(text) > length:
        raise ValueError(value)
    return text


def parse_month(value: Any, year: int | None = None) -> int | None:
    """1–12 from «3», «03», «березень», «2026-03», «03.2026», «01.03.2026»; None when
    empty; ValueError otherwise (or for another year than `year`)."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
    else:
        text = str(value).strip().lower()
    if not text:
        return None
    found_year = None
    if m := re.fullmatch(r"(\d{1,2})", text):
        month = int(m[1])
    elif m := re.fullmatch(r"(\d{4})[-./](\d{1,2})(?:[-./]\d{1,2})?(?:[ t].*)?", text):
        found_year, month = int(m[1]), int(m[2])
    elif m := re.fullmatch(r"(?:\d{1,2}\.)?(\d{1,2})\.(\d{4})", text):
        month, found_year = int(m[1]), int(m[2])
    else:
        month = next((n for stem, n in MONTHS.items() if text.startswith(stem)), 0)
    if not 1 <= month <= 12:
        raise ValueError(value)
    if year is not None and found_year is not None and found_year != year:
        raise ValueError(value)
    return month


# --- the header -----------------------------------------------------------------------------


def match_header(cells: list[Any], kind: str) -> tuple[dict[str, int], dict[int, bool]]:
    """Field -> column index for the headings that name a field (the most specific
    alias wins a field; a column serves one field), and which amount columns are in
    thousands."""
    normal = [normalise(c) for c in cells]
    taken: dict[str, int] = {}
    used: set[int] = set()
    fields = list(ALIASES)
    if kind != REVENUES:
        fields.remove("kkd")  # a bare «код» is a revenue code only in a revenue file
    for name in fields:
        for alias in ALIASES[name]:
            index = next((i for i, n in enumerate(normal) if n == alias and i not in used), None)
            if index is not None:
                taken[name] = index
                used.add(index)
                break
    thousands = {i: _in_thousands(cells[i]) for i in used}
    return taken, thousands


def _has_required(taken: dict[str, int], kind: str) -> bool:
    return all(any(f in taken for f in group) for group in REQUIRED[kind])


# --- the file -------------------------------------------------------------------------------


def parse(stream: IO[bytes], kind: str, *, year: int | None = None, cumulative: bool = False) -> Parsed:
    """The budget lines of `stream` (a binary, seekable file). BadFile when it has no
    header naming the kind's columns or no line could be read."""
    if kind not in KINDS:
        raise BadFile(_("Невідомий вид файлу бюджету."))
    try:
        table = open_table(stream)
    except ReadError as e:
        raise BadFile(str(e)) from e
    result = Parsed(kind=kind, encoding=table.encoding, delimiter=table.delimiter)
    rows = table.rows
    candidates: list[tuple[int, list[Any]]] = [(1, list(table.header))]
    taken, thousands = match_header(table.header, kind)
    header_at = 0
    while not _has_required(taken, kind) and len(candidates) < HEADER_SEARCH_ROWS:
        try:
            candidates.append(next(rows))
        except StopIteration:
            break
        number, cells = candidates[-1]
        taken, thousands = match_header(cells, kind)
        header_at = len(candidates) - 1
    if not _has_required(taken, kind):
        raise BadFile(_missing_message(kind))
    header_number, header = candidates[header_at]
    result.header_row = header_number
    result.columns = {f: str(header[i]).strip() for f, i in taken.items()}
    result.ignored = [
        str(h).strip() for i, h in enumerate(header) if i not in taken.values() and str(h).strip()
    ]
    body = candidates[header_at + 1 :]

    def all_rows():
        yield from body
        yield from rows

    raw: list[tuple[Line, bool]] = []  # (line, is a fund-total row)
    for number, cells in all_rows():
        result.rows_read += 1
        line = _line(result, taken, thousands, number, cells, kind, year)
        if line is not None:
            raw.append(line)
    lines = _without_double_counting(result, raw, kind)
    if cumulative and "month" in taken:
        lines = _decumulated(lines, kind)
    if "month" in taken:
        lines = _plan_once(lines, kind)
    result.lines = lines
    if not lines:
        raise BadFile(_("У файлі немає жодного рядка бюджету, який вдалося прочитати.") + _first(result))
    return result


def _first(result: Parsed) -> str:
    if not result.problems:
        return ""
    p = result.problems[0]
    return " " + _("Рядок %(row)s: %(reason)s") % {"row": p["row"], "reason": p["reason"]}


def _missing_message(kind: str) -> str:
    needs = {
        REVENUES: _("код доходу (ККД)"),
        PROGRAMME: _("код програми (КПКВК)"),
        ECONOMIC: _("код економічної класифікації (КЕКВ)"),
    }[kind]
    return _(
        "Не знайдено заголовка таблиці: потрібні стовпці «%(code)s» і план або виконання "
        "(«план на рік», «затверджено», «виконано», «касові видатки»)."
    ) % {"code": needs}


def _cell(cells: list[Any], index: int | None) -> Any:
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    return value.strip() if isinstance(value, str) else value


def _line(result, taken, thousands, number, cells, kind, year) -> tuple[Line, bool] | None:
    code_field = CODE_OF[kind]
    heading = result.columns
    if len(cells) == 1 and isinstance(cells[0], Exception):
        result.problem(number, None, "", _("Рядок не вдалося прочитати як CSV."))
        return None
    name = next(
        (
            str(_cell(cells, taken[f]) or "")
            for f in (f"{code_field}_name", "name", "kpkvk_name", "kfk_name")
            if f in taken and _cell(cells, taken[f])
        ),
        "",
    )
    raw_code = _cell(cells, taken.get(code_field))
    try:
        code = parse_code(raw_code, code_field)
    except ValueError:
        if str(raw_code).strip().lower().startswith(_TOTAL_WORDS):
            result.skipped += 1
            return None
        result.problem(
            number, heading[code_field], raw_code, _("Код має складатися лише з цифр відповідної довжини.")
        )
        return None
    if not code:
        if name.strip().lower().startswith(_TOTAL_WORDS) or not name.strip():
            result.skipped += 1  # a total line or a spacer: the sums are computed
            return None
        result.problem(number, heading[code_field], "", _("У рядку немає коду."))
        return None
    if "year" in taken and year is not None:
        raw_year = _cell(cells, taken["year"])
        if raw_year not in (None, "") and str(raw_year).strip()[:4] != str(year):
            result.problem(
                number, heading["year"], raw_year, _("Рядок за інший рік, ніж обрано для завантаження.")
            )
            return None
    values: dict[str, Any] = {}
    for f in ("plan_year", "plan_period", "executed"):
        raw = _cell(cells, taken.get(f))
        try:
            amount = parse_amount(raw)
        except ValueError:
            result.problem(number, heading[f], raw, _("Сума не схожа на число."))
            return None
        if f in taken and thousands.get(taken[f]):
            amount *= 1000
        values[f] = amount
    month = None
    if "month" in taken:
        raw = _cell(cells, taken["month"])
        try:
            month = parse_month(raw, year)
        except ValueError:
            result.problem(
                number, heading["month"], raw, _("Місяць не вдалося прочитати (1–12, «березень», 2026-03).")
            )
            return None
    extra: dict[str, Any] = {}
    for f in ("kpkvk", "kfk"):
        if f == code_field or f not in taken:
            continue
        raw = _cell(cells, taken[f])
        try:
            extra[f] = parse_code(raw, f)
        except ValueError:
            result.problem(number, heading[f], raw, _("Код має складатися лише з цифр відповідної довжини."))
            return None
    fund = str(_cell(cells, taken.get("fund")) or "")[:40]
    line = Line(row=number, month=month, code=code, name=name[:300], fund=fund, **values, **extra)
    return line, normalise(fund) in _TOTAL_FUNDS


def _group_key(line: Line, kind: str) -> tuple:
    # КЕКВ subtotals are per programme; months do not matter (a subtotal row often
    # has no month of its own).
    return (line.kpkvk if kind == ECONOMIC else "",)


def _without_double_counting(result: Parsed, raw: list[tuple[Line, bool]], kind: str) -> list[Line]:
    """Leave out subtotals: rows of a «total» fund when the file also has individual
    funds, and rows whose code is the parent of another code in the same group (a
    code's parent prefix is the code without its trailing zeros: 0110000 is the
    subtotal of 0110150, 2110 of 2111, 11010000 of 11010100). An economic file's rows
    without КЕКВ detail are programme totals already excluded by the code check."""
    if any(total for _line, total in raw) and not all(total for _line, total in raw):
        kept = [line for line, total in raw if total]
        dropped = len(raw) - len(kept)
        result.skipped += dropped
        result.notes.append(
            _("Рядки окремих фондів (%(n)d) пропущено: у файлі є їхній підсумок за всіма фондами.")
            % {"n": dropped}
        )
    else:
        kept = [line for line, _total in raw]
    codes: dict[tuple, set[str]] = defaultdict(set)
    for line in kept:
        codes[_group_key(line, kind)].add(line.code)
    # How many distinct codes of a group continue each prefix: a code is a subtotal when
    # its stem is continued by a code other than itself (a count of two or more).
    continued: dict[tuple, dict[str, int]] = {}
    for key, group in codes.items():
        counts: dict[str, int] = defaultdict(int)
        for code in group:
            for k in range(1, len(code)):
                counts[code[:k]] += 1
        continued[key] = counts
    out = []
    parents = 0
    for line in kept:
        stem = line.code.rstrip("0")
        if stem != line.code and continued[_group_key(line, kind)].get(stem, 0) >= 2:
            parents += 1
            continue
        out.append(line)
    if parents:
        result.skipped += parents
        result.notes.append(
            _("Рядки проміжних підсумків (%(n)d) пропущено: суми рахуються з детальних рядків.")
            % {"n": parents}
        )
    return out


def _line_key(line: Line, kind: str) -> tuple:
    return (line.code, line.kpkvk, line.kfk, line.fund)


def _decumulated(lines: list[Line], kind: str) -> list[Line]:
    """Amounts to date by month become each month's own (the plan for the year stays)."""
    last: dict[tuple, Line] = {}
    for line in sorted(lines, key=lambda x: (x.month or 0, x.row)):
        key = _line_key(line, kind)
        before = last.get(key)
        last[key] = Line(**vars(line))
        if before is not None and line.month is not None:
            line.executed -= before.executed
            line.plan_period -= before.plan_period
    return lines


def _plan_once(lines: list[Line], kind: str) -> list[Line]:
    """The yearly plan only on each line's latest month (the latest amended plan), so
    that a sum over months counts it once."""
    latest: dict[tuple, Line] = {}
    for line in lines:
        key = _line_key(line, kind)
        current = latest.get(key)
        if current is None or (line.month or 0) >= (current.month or 0):
            latest[key] = line
    keep = {id(line) for line in latest.values()}
    for line in lines:
        if id(line) not in keep:
            line.plan_year = Decimal(0)
    return lines
