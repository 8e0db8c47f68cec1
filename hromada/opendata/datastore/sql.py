"""datastore_search_sql: a SELECT over published DataStore tables, parsed and checked
before it runs (ADR 0009 decision 5).

sqlglot parses the text (PostgreSQL's dialect). It passes only when it is one
statement, a SELECT (set operations and CTEs allowed), every node of its tree is of an
allowed kind (ALLOWED_NODES: no INTO, no FOR UPDATE, no parameters, no VALUES, no
casts to system types), every function is on the allow-list, and every table is a CTE
or a published resource's id written as CKAN writes it ("<uuid>"). The tree — not the
text — is then written back as SQL for the database (transpiled to SQLite there), with
each resource id replaced by its real table and the comments left out, so nothing that
was not checked reaches the database.

It runs in a read-only transaction (PostgreSQL: transaction_read_only and
statement_timeout, rolled back afterwards; SQLite: query_only and a progress handler
that stops it at the time limit), and returns at most ROWS_MAX rows (CKAN's 32,000; more
is `records_truncated`). Every refusal is a DomainError: datastore_sql_forbidden for
what is not allowed, datastore_not_found for an id that is no published resource,
datastore_validation for text that is not SQL, a query the database rejects or one that
took too long — never a database error."""

from __future__ import annotations

import datetime as dt
import re
import time
from decimal import Decimal
from typing import Any

import sqlglot
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _
from sqlglot import exp
from sqlglot.errors import SqlglotError

from hromada.core.errors import DomainError

from . import backend
from .infer import BOOL, DATE, INT, NUMERIC, TEXT, TIMESTAMP
from .query import LIMIT_MAX, published_table

ROWS_MAX = LIMIT_MAX
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
SQL_MAX_CHARS = 20_000


def timeout_ms() -> int:
    return int(getattr(settings, "DATASTORE_SQL_TIMEOUT_MS", 5000))


ALLOWED_NODES: tuple[type, ...] = (
    exp.Select, exp.Union, exp.Intersect, exp.Except, exp.With, exp.CTE, exp.Subquery,
    exp.From, exp.Join, exp.Where, exp.Group, exp.Having, exp.Order, exp.Ordered, exp.Limit,
    exp.Offset, exp.Distinct, exp.Star, exp.Column, exp.Identifier, exp.Literal, exp.Null,
    exp.Boolean, exp.Alias, exp.TableAlias, exp.Table, exp.Paren, exp.Tuple, exp.Case, exp.If,
    exp.DataType, exp.DataTypeParam, exp.Var, exp.Interval, exp.Window, exp.WindowSpec,
    exp.Not, exp.Neg, exp.Between, exp.In, exp.Is, exp.Exists, exp.Any, exp.All, exp.Filter,
    exp.WithinGroup, exp.Array, exp.Binary, exp.Dot, exp.Qualify,
)  # fmt: skip

ALLOWED_FUNCTIONS: tuple[type, ...] = (
    exp.Count, exp.Sum, exp.Avg, exp.Min, exp.Max, exp.Stddev, exp.StddevPop, exp.StddevSamp,
    exp.Variance, exp.VariancePop, exp.Median, exp.PercentileCont, exp.PercentileDisc,
    exp.ArrayAgg, exp.GroupConcat, exp.CountIf,
    exp.RowNumber, exp.Rank, exp.DenseRank, exp.Ntile, exp.Lag, exp.Lead, exp.FirstValue,
    exp.LastValue,
    exp.Lower, exp.Upper, exp.Length, exp.Substring, exp.Trim, exp.Concat, exp.ConcatWs,
    exp.Replace, exp.Left, exp.Right, exp.StrPosition, exp.Initcap, exp.SplitPart,
    exp.RegexpLike, exp.RegexpReplace,
    exp.Coalesce, exp.Nullif, exp.Greatest, exp.Least,
    exp.Round, exp.Abs, exp.Floor, exp.Ceil, exp.Sqrt, exp.Pow, exp.Ln, exp.Log, exp.Exp,
    exp.Cast, exp.TryCast, exp.Extract, exp.TimestampTrunc, exp.DateTrunc, exp.Date,
    exp.TimeToStr, exp.StrToDate, exp.CurrentDate, exp.CurrentTimestamp,
)  # fmt: skip

# Functions sqlglot does not model (exp.Anonymous), by name.
ALLOWED_NAMES = frozenset(
    {"date_part", "to_date", "to_char", "btrim", "ltrim", "rtrim", "age", "lpad", "rpad"}
)

ALLOWED_TYPES = frozenset(
    {
        exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR, exp.DataType.Type.CHAR,
        exp.DataType.Type.INT, exp.DataType.Type.BIGINT, exp.DataType.Type.SMALLINT,
        exp.DataType.Type.DECIMAL, exp.DataType.Type.DOUBLE, exp.DataType.Type.FLOAT,
        exp.DataType.Type.BOOLEAN, exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP,
        exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.INTERVAL,
    }
)  # fmt: skip


def forbidden(message: str) -> DomainError:
    return DomainError("datastore_sql_forbidden", message, field="sql", status=403)


def invalid(message: str) -> DomainError:
    return DomainError("datastore_validation", message, field="sql", status=409)


def _parse(sql: str) -> exp.Expression:
    if not isinstance(sql, str) or not sql.strip():
        raise invalid(_("Запит SQL порожній."))
    if len(sql) > SQL_MAX_CHARS:
        raise invalid(_("Запит SQL задовгий (понад %(n)s символів).") % {"n": SQL_MAX_CHARS})
    try:
        statements = [s for s in sqlglot.parse(sql, read="postgres") if s is not None]
    except SqlglotError:
        raise invalid(_("Не вдалося розібрати запит SQL: перевірте його синтаксис.")) from None
    except (RecursionError, ValueError, TypeError):
        raise invalid(_("Не вдалося розібрати запит SQL.")) from None
    if len(statements) != 1:
        raise forbidden(_("Дозволено лише один запит SELECT, без крапки з комою між запитами."))
    tree = statements[0]
    if not isinstance(tree, exp.Select | exp.Union | exp.Intersect | exp.Except):
        raise forbidden(_("Дозволено лише запити SELECT: дані сховища можна читати, але не змінювати."))
    return tree


def _check(tree: exp.Expression) -> tuple[set[str], list[exp.Table]]:
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    tables: list[exp.Table] = []
    for node in tree.walk():
        if isinstance(node, exp.Anonymous):
            name = str(node.name).lower()
            if name not in ALLOWED_NAMES:
                raise forbidden(_("Функцію «%(f)s» у запитах використовувати не можна.") % {"f": name[:60]})
            continue
        if isinstance(node, exp.Func) and not isinstance(node, exp.Binary):
            if not isinstance(node, ALLOWED_FUNCTIONS):
                name = node.sql_name().lower() if hasattr(node, "sql_name") else type(node).__name__
                raise forbidden(_("Функцію «%(f)s» у запитах використовувати не можна.") % {"f": name[:60]})
            continue
        if isinstance(node, exp.DataType):
            if node.this not in ALLOWED_TYPES:
                raise forbidden(_("Перетворення до типу «%(t)s» не дозволено.") % {"t": node.sql()[:60]})
            continue
        if not isinstance(node, ALLOWED_NODES):
            raise forbidden(
                _("У запиті є недозволена конструкція (%(what)s): дозволено лише читання таблиць ресурсів.")
                % {"what": type(node).__name__}
            )
        if isinstance(node, exp.Table):
            if not isinstance(node.this, exp.Identifier):
                raise forbidden(_("У FROM дозволено лише таблиці ресурсів."))
            if node.args.get("db") or node.args.get("catalog"):
                raise forbidden(
                    _("Таблиця «%(t)s» недоступна: запити читають лише таблиці ресурсів сховища даних.")
                    % {"t": node.sql(dialect="postgres")[:100]}
                )
            if node.name in ctes:
                continue
            if not _UUID.fullmatch(node.name):
                raise forbidden(
                    _(
                        'Таблиця «%(t)s» недоступна: запити читають лише таблиці ресурсів, FROM "<id ресурсу>".'
                    )
                    % {"t": node.name[:100]}
                )
            tables.append(node)
    return ctes, tables


def _capped(tree: exp.Expression) -> exp.Expression:
    """The query with at most ROWS_MAX + 1 rows, so the database never builds more."""
    cap = ROWS_MAX + 1
    if isinstance(tree, exp.Select):
        limit = tree.args.get("limit")
        if limit is None:
            return tree.limit(cap)
        value = limit.expression
        if isinstance(value, exp.Literal) and value.is_int and int(value.this) <= cap:
            return tree
    return exp.select("*").from_(tree.subquery("capped")).limit(cap)  # type: ignore[attr-defined]


_PG_TYPES = {
    16: BOOL, 20: INT, 21: INT, 23: INT, 700: NUMERIC, 701: NUMERIC, 1700: NUMERIC,
    1082: DATE, 1114: TIMESTAMP, 1184: TIMESTAMP,
}  # fmt: skip


def _kind_of(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INT
    if isinstance(value, float | Decimal):
        return NUMERIC
    if isinstance(value, dt.datetime):
        return TIMESTAMP
    if isinstance(value, dt.date):
        return DATE
    return TEXT


def datastore_search_sql(hromada, sql: Any) -> dict:
    tree = _parse(sql)
    _ctes, tables = _check(tree)
    if not tables:
        raise forbidden(_('Запит має читати хоча б одну таблицю ресурсу: FROM "<id ресурсу>".'))
    real_names: dict[str, str] = {}
    for node in tables:
        resource_id = node.name
        if resource_id not in real_names:
            try:
                _resource, table = published_table(hromada, resource_id)
            except DomainError as e:
                e.field = "sql"
                raise
            real_names[resource_id] = table.table_name
        alias = node.args.get("alias")
        node.set("this", exp.to_identifier(real_names[resource_id], quoted=True))
        node.set("db", exp.to_identifier(backend.SCHEMA, quoted=False) if backend.is_pg() else None)
        if alias is None:
            # Columns written as "<uuid>".name keep naming the table.
            node.set("alias", exp.TableAlias(this=exp.to_identifier(resource_id, quoted=True)))
    capped = _capped(tree)
    try:
        text = capped.sql(dialect="postgres" if backend.is_pg() else "sqlite", comments=False)
    except SqlglotError:
        raise invalid(_("Цей запит не вдалося перекласти для бази даних.")) from None
    names, kinds, rows = _run(text, real_names)
    truncated = len(rows) > ROWS_MAX
    rows = rows[:ROWS_MAX]
    for i, k in enumerate(kinds):
        if k is None:
            kinds[i] = next((kk for kk in (_kind_of(r[i]) for r in rows) if kk), TEXT)
    records = [
        {n: backend.from_db(v, k or TEXT) for n, v, k in zip(names, row, kinds, strict=True)} for row in rows
    ]
    result: dict[str, Any] = {
        "sql": sql,
        "fields": [{"id": n, "type": k} for n, k in zip(names, kinds, strict=True)],
        "records": records,
    }
    if truncated:
        result["records_truncated"] = True
    return result


class _Rollback(Exception):
    pass


def _run(text: str, real_names: dict[str, str]) -> tuple[list[str], list[str | None], list[tuple]]:
    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                if backend.is_pg():
                    cursor.execute("SET LOCAL transaction_read_only = on")
                    cursor.execute(f"SET LOCAL statement_timeout = {int(timeout_ms())}")
                    cursor.execute(text)
                    out["rows"] = cursor.fetchall()
                    out["desc"] = cursor.description
                else:
                    out.update(_run_sqlite(cursor, text))
            raise _Rollback  # nothing it did is kept, whatever it was
    except _Rollback:
        pass
    except DatabaseError as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        if "statement timeout" in message or "interrupted" in message:
            raise invalid(
                _("Запит виконувався довше за %(s)s с і його зупинено.") % {"s": timeout_ms() / 1000}
            ) from None
        for resource_id, real in real_names.items():
            message = message.replace(real, resource_id)
        raise invalid(_("База даних не виконала запит: %(m)s") % {"m": message[:300]}) from None
    desc = out["desc"] or []
    names = [d[0] for d in desc]
    kinds: list[str | None] = [_PG_TYPES.get(getattr(d, "type_code", None) or -1, TEXT) for d in desc]
    if not backend.is_pg():
        kinds = [None for _ in desc]
    return names, kinds, out["rows"]


def _run_sqlite(cursor, text: str) -> dict:
    raw = connection.connection
    deadline = time.monotonic() + timeout_ms() / 1000
    raw.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
    cursor.execute("PRAGMA query_only = ON")
    try:
        backend.register_sqlite_functions()
        cursor.execute(text)
        return {"rows": cursor.fetchall(), "desc": cursor.description}
    finally:
        cursor.execute("PRAGMA query_only = OFF")
        raw.set_progress_handler(None, 0)
