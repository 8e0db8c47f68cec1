"""A problem report at the edge (hromada.core.edge, ADR 0003): POST
/api/v1/appeals/reports with a bearer token, multipart/form-data as the API view
(api_intake.post_report) reads it — `category`, `lat`, `lon`, `description`, `title`,
`anonymous`, `attribute[<code>]`, up to MAX_PHOTOS `photo` files with their `photo_alt` —
the request a storm's morning is made of (bench/scenarios/appeals.py), answered without
Django's request cycle: checked by the same service (services.intake.report_check, the
photos by hromada.core.uploads.check_upload), routed and given its deadline by the same
code (services.cases.register_prepare), charged to the same rate limits (`api.write`,
`appeals.submit`), and stored as the same rows with the same 201 body.

Anything the edge cannot decide exactly as the API view would goes to the view with its
body intact, which answers it with its usual codes and messages — the edge never produces
an error: no bearer token (a session's cookie), a query string, another content type, a
multipart body the strict reader below does not take apart (another header, a file name
outside plain ASCII letters, digits, `.`, `_`, `-`, a repeated or unknown field, text the
TextGuardMiddleware refuses, a field over the schema's length), an address instead of a
point, an unknown host or category, any problem report_check finds, any rate limit
reached, any database refusal. tests/test_edge_report_parity.py sends the same requests
with and without the edge.

The case number is taken from the hromada's CaseCounter by one upsert, then the case, its
photos, the `registered` history step, the `appeals.case_registered` ledger entry, the
applicant's `appeals.registered` notification and the department's `appeals.case_new`
ones (as notify_send makes them: preferences, languages, e-mail copies after commit) are
written by one data-modifying statement, both in one transaction: the counter's row lock
is held from the number to the commit, as case_register holds it, so numbers stay
consecutive. PostgreSQL only: on SQLite every report goes to Django."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from psycopg.types.json import Json, Jsonb

from hromada.accounts.api_auth import token_user
from hromada.accounts.lockout import client_ip
from hromada.core import edge as core_edge
from hromada.core.edge import Answer, Route, allowed_host, json_answer
from hromada.core.errors import DomainError
from hromada.core.models import column_field
from hromada.core.ratelimit import Charge, RateLimited, rate_limit
from hromada.core.text import text_problem
from hromada.ledger.services import ledger_entry_new, ledger_insert_params, ledger_insert_parts
from hromada.notify.services import (
    notify_emails_after_commit,
    notify_insert_params,
    notify_insert_sql,
    notify_texts,
)
from hromada.tenancy.selectors import hromada_for_host, module_enabled

from .models import (
    Attachment,
    Case,
    CaseCounter,
    CaseEvent,
    Category,
    Department,
    DepartmentMember,
    EventKind,
)
from .services import cases as case_svc
from .services import intake as svc

REPORTS_PATH = re.compile(r"^/api/v1/appeals/reports$")
MAX_BODY = svc.PHOTO_MAX_BYTES + 256 * 1024  # one photo at its largest and the fields
CONTEXT_TTL = 2.0
LEDGER_KIND = "appeals.case_registered"
# api_intake.ReportIn's fields and their max_length (None: no limit).
FORM_FIELDS = {
    "category": None,
    "lat": None,
    "lon": None,
    "description": 20_000,
    "title": 200,
    "address": 300,
    "anonymous": None,
}
# pydantic's reading of a bool from a form (lax mode), the values the edge takes.
BOOLS = {
    "true": True,
    "1": True,
    "on": True,
    "yes": True,
    "false": False,
    "0": False,
    "off": False,
    "no": False,
}
FILE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$")
DISPOSITION = re.compile(r'^form-data; name="([A-Za-z0-9_\[\]-]{1,100})"(?:; filename="([^"\\&]*)")?$')


# --- the category, cached per process ---------------------------------------------------


_categories: dict[tuple[int, str], tuple[float, Category | None]] = {}
_lock = threading.Lock()


def cache_clear() -> None:
    with _lock:
        _categories.clear()


def category_of(hromada, code: str) -> Category | None:
    """intake_selectors.category_by_code with the department, re-read every CONTEXT_TTL
    seconds (a category switched off or re-routed is seen within that time). The
    attributes are prefetched, so report_check asks nothing more."""
    key = (hromada.pk, code)
    now = time.monotonic()
    with _lock:
        found = _categories.get(key)
    if found is not None and now - found[0] < CONTEXT_TTL:
        return found[1]
    category = (
        Category.objects.for_hromada(hromada)
        .filter(code=code, kind="report", active=True)
        .select_related("department")
        .prefetch_related("attributes")
        .first()
    )
    with _lock:
        if len(_categories) > 1000:
            _categories.clear()
        _categories[key] = (now, category)
    return category


# --- reading the form ---------------------------------------------------------------------


@dataclass
class Part:
    name: str
    value: str = ""
    filename: str | None = None
    content_type: str = ""
    data: bytes = b""


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    alts: list[str] = field(default_factory=list)
    photos: list[Part] = field(default_factory=list)


def _boundary(content_type: str) -> bytes | None:
    main, _sep, params = content_type.partition(";")
    if main.strip().lower() != "multipart/form-data":
        return None
    name, _eq, value = params.strip().partition("=")
    if name.strip().lower() != "boundary" or ";" in value:
        return None
    value = value.strip().strip('"')
    if not value or len(value) > 70 or not value.isascii() or not value.isprintable():
        return None
    return value.encode("ascii")


def parts_of(body: bytes, boundary: bytes) -> list[Part] | None:
    """The parts of a multipart body written the plain way (each with a
    Content-Disposition and, for a file, a Content-Type, nothing else), or None."""
    delimiter = b"--" + boundary
    if not body.startswith(delimiter + b"\r\n"):
        return None
    end = body.rfind(b"\r\n" + delimiter + b"--")
    if end < 0 or body[end + len(delimiter) + 4 :] not in (b"", b"\r\n"):
        return None
    parts = []
    for chunk in body[len(delimiter) + 2 : end].split(b"\r\n" + delimiter + b"\r\n"):
        head, sep, data = chunk.partition(b"\r\n\r\n")
        if not sep:
            return None
        try:
            lines = head.decode("ascii").split("\r\n")
        except UnicodeDecodeError:
            return None
        headers = {}
        for line in lines:
            name, colon, value = line.partition(":")
            name = name.strip().lower()
            if not colon or name not in ("content-disposition", "content-type") or name in headers:
                return None
            headers[name] = value.strip()
        found = DISPOSITION.match(headers.get("content-disposition", ""))
        if found is None:
            return None
        part = Part(found[1])
        if found[2] is not None:
            if "content-type" not in headers or not FILE_NAME.match(found[2]):
                return None
            part.filename, part.content_type, part.data = found[2], headers["content-type"], data
        else:
            if "content-type" in headers:
                return None
            try:
                part.value = data.decode("utf-8")
            except UnicodeDecodeError:
                return None
        parts.append(part)
    return parts


def form_of(parts: list[Part]) -> Form | None:
    """The view's reading of the parts (Form[ReportIn], `attribute[…]`, `photo_alt`,
    the `photo` files), or None for anything it would read otherwise or refuse."""
    form = Form()
    for part in parts:
        if text_problem(part.name, multiline=False) is not None:
            return None
        if part.filename is not None:
            if part.name != "photo" or text_problem(part.filename, multiline=False) is not None:
                return None
            form.photos.append(part)
            continue
        if text_problem(part.value, multiline=True) is not None:
            return None
        name = part.name
        if name in FORM_FIELDS:
            limit = FORM_FIELDS[name]
            if name in form.fields or (limit is not None and len(part.value) > limit):
                return None
            form.fields[name] = part.value
        elif name == "photo_alt":
            form.alts.append(part.value)
        elif name.startswith("attribute[") and name.endswith("]") and len(name) > 11:
            form.attributes.setdefault(name[10:-1], []).append(part.value)
        else:
            return None
    if len(form.photos) > svc.MAX_PHOTOS:
        return None
    anonymous = form.fields.get("anonymous", "true").lower()
    if anonymous not in BOOLS:
        return None
    return form


def _body(environ) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # Django reads it again if the edge passes
    environ["CONTENT_LENGTH"] = str(len(body))
    return body if len(body) == length else None


# --- storing ------------------------------------------------------------------------------


@functools.cache
def _fields(model, *exclude: str) -> tuple:
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.name not in exclude)


@functools.cache
def _counter_sql() -> str:
    conn = connections[DEFAULT_DB_ALIAS]
    q = conn.ops.quote_name
    table = q(CaseCounter._meta.db_table)
    hromada, last = (q(column_field(CaseCounter, n).column) for n in ("hromada", "last"))
    return (
        f"INSERT INTO {table} AS k ({hromada}, {last}) VALUES (%s, 1)"  # noqa: S608 - names from the model
        f" ON CONFLICT ({hromada}) DO UPDATE SET {last} = k.{last} + 1 RETURNING k.{last}"
    )


@functools.cache
def _store_sql(photos: int) -> str:
    """The one statement. Each row is one JSON parameter read as the table's own row type
    (jsonb_populate_record), its id from the table's sequence: under psycopg's 50
    parameters and 4,096 characters, so the statement's parsing is cached."""
    conn = connections[DEFAULT_DB_ALIAS]
    q = conn.ops.quote_name

    def insert(model, *, case: bool) -> str:
        table = model._meta.db_table
        pk = model._meta.pk.column
        extra = f"'{pk}', nextval(pg_get_serial_sequence('{table}', '{pk}'))"
        if case:
            extra += f", '{column_field(model, 'case').column}', c.id"
        source = f"jsonb_populate_record(NULL::{q(table)}, %s::jsonb || jsonb_build_object({extra})) r"
        return f"INSERT INTO {q(table)} SELECT r.* FROM {'c, ' if case else ''}{source}"  # noqa: S608

    parts = [f"c AS ({insert(Case, case=False)} RETURNING id)"]
    parts += [f"a{n} AS ({insert(Attachment, case=True)})" for n in range(photos)]
    parts.append(f"e AS ({insert(CaseEvent, case=True)})")
    target, markers = ledger_insert_parts(conn)
    parts.append(f"l AS (INSERT INTO {target} SELECT {markers} FROM c)")  # noqa: S608
    parts.append(f"n1 AS ({notify_insert_sql(conn, '%s')})")
    department = (
        f"SELECT {q(column_field(Department, 'head').column)} FROM {q(Department._meta.db_table)}"  # noqa: S608
        " WHERE id = %s"
        f" UNION SELECT {q(column_field(DepartmentMember, 'user').column)}"
        f" FROM {q(DepartmentMember._meta.db_table)}"
        f" WHERE {q(column_field(DepartmentMember, 'department').column)} = %s"
    )
    parts.append(f"n2 AS ({notify_insert_sql(conn, department)})")
    # Names come from the models; every value is a parameter.
    emails = "ARRAY(SELECT id FROM n1 WHERE email_pending UNION ALL SELECT id FROM n2 WHERE email_pending)"
    return f"WITH {', '.join(parts)} SELECT c.id, {emails} FROM c"  # noqa: S608


def _plain(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()  # every digit: DjangoJSONEncoder would cut microseconds
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} in a row")


def _row(instance, fields, conn) -> str:
    """The row as Model.save would write it (pre_save: times, the file written to
    storage), as JSON by column."""
    row = {}
    for f in fields:
        value = f.get_db_prep_save(f.pre_save(instance, True), conn)
        if isinstance(value, Json | Jsonb):  # a JSONField's value, wrapped for psycopg
            value = value.obj
        row[f.column] = value
    return json.dumps(row, default=_plain)


def report_store(case: Case, uploads: list[svc.Upload], user, now) -> list[int]:
    """Number and store `case` as case_register would (the rows in the module's
    docstring); the ids of the notifications whose e-mail copies are to go out."""
    conn = connections[DEFAULT_DB_ALIAS]
    attachments = [svc.attachment_new(case, item, user) for item in uploads]
    with transaction.atomic():
        with conn.cursor() as cursor:
            cursor.execute(_counter_sql(), [case.hromada_id])
            case.number = cursor.fetchone()[0]
            params: list[Any] = [_row(case, _fields(Case), conn)]
            for attachment in attachments:  # its file is written to storage here
                params.append(_row(attachment, _fields(Attachment, "case"), conn))
            event = CaseEvent(
                hromada_id=case.hromada_id,
                kind=EventKind.REGISTERED,
                actor=user,
                public=True,
                text="",
                status=case.status,
                data={},
            )
            params.append(_row(event, _fields(CaseEvent, "case"), conn))
            payload = {
                "case": str(case.public_id),
                "number": case.number,
                "kind": case.kind,
                "status": case.status,
                **case_svc.registered_ledger_extra(case),
            }
            entry = ledger_entry_new(hromada=case.hromada, kind=LEDGER_KIND, payload=payload)
            params += ledger_insert_params(entry, conn)
            title, body = case_svc.registered_texts(case)
            params += notify_insert_params(
                hromada_id=case.hromada_id,
                kind="appeals.registered",
                texts=notify_texts(title, body),
                url=case_svc.case_url(case),
                now=now,
            )
            params.append(user.pk)
            staff_url = reverse("staff_appeals:case", args=[case.public_id])
            params += notify_insert_params(
                hromada_id=case.hromada_id,
                kind="appeals.case_new",
                texts=notify_texts(case_svc.department_new_title(case)),
                url=staff_url,
                now=now,
            )
            params += [case.department_id, case.department_id]  # NULL: no department, nobody
            cursor.execute(_store_sql(len(attachments)), params)
            case.pk, emails = cursor.fetchone()
        case._state.adding = False
        notify_emails_after_commit(list(emails))
    return list(emails)


# --- the request --------------------------------------------------------------------------


def _scheme(environ) -> str:
    """As HttpRequest.scheme reads it."""
    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, secure = header
        value = environ.get(name)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure else "http"
    return environ.get("wsgi.url_scheme", "http")


def answer_body(case: Case, scheme: str, host: str) -> dict:
    """The 201's body: field for field api_intake.CreatedOut."""
    return {
        "id": str(case.public_id),
        "number": case.number,
        "status": case.status,
        "due_at": DjangoJSONEncoder().default(case.due_at),
        "url": f"{scheme}://{host}{case_svc.case_url(case)}",
    }


def _charge(user, token_id: int, address: str) -> list[Charge] | None:
    """The API's write budget and the submission limit, as ApiWriteBudget and the view
    charge them; None (nothing kept) when one is reached: Django refuses it itself."""
    charges: list[Charge] = []
    try:
        charges.append(rate_limit(None, "api.write", account=f"token:{token_id}", address=address))
        charges.append(rate_limit(None, "appeals.submit", account=f"user:{user.pk}", address=address))
    except RateLimited:
        for charge in charges:
            charge.give_back()
        return None
    return charges


def submit(environ, match) -> Answer | None:
    if connections[DEFAULT_DB_ALIAS].vendor != "postgresql" or environ.get("QUERY_STRING"):
        return None
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.isascii():
        return None
    if settings.SESSION_COOKIE_NAME in environ.get("HTTP_COOKIE", ""):
        return None  # session_or_token reads the session first
    if text_problem(authorization, multiline=False) is not None:
        return None  # TextGuardMiddleware's 400
    boundary = _boundary(environ.get("CONTENT_TYPE", ""))
    if boundary is None:
        return None
    body = _body(environ)
    parts = parts_of(body, boundary) if body is not None else None
    form = form_of(parts) if parts is not None else None
    if form is None:
        return None
    fields = form.fields
    if fields.get("address", "").strip() or not fields.get("category"):
        return None  # an address is looked up (and its problems told) by Django
    host = allowed_host(environ)
    hromada = hromada_for_host(host) if host else None
    if host is None or hromada is None or not module_enabled(hromada, "appeals"):
        return None
    category = category_of(hromada, fields["category"])
    if category is None:
        return None
    found = token_user(token.strip())
    if found is None:
        return None
    user, token_id = found
    from .api_intake import _number

    with translation.override(core_edge._language(environ)):
        photos = []
        for i, part in enumerate(form.photos):
            alt = form.alts[i] if i < len(form.alts) and form.alts[i].strip() else ""
            alt = alt or _("Фото до повідомлення: %(c)s") % {"c": category.name}
            photos.append(
                (SimpleUploadedFile(part.filename or "", part.data, content_type=part.content_type), alt)
            )
        try:
            case, uploads = svc.report_check(
                hromada=hromada,
                user=user,
                category=category,
                lat=_number(fields.get("lat", ""), "lat"),
                lon=_number(fields.get("lon", ""), "lon"),
                text=fields.get("description", ""),
                title=fields.get("title", ""),
                address="",
                anonymous=BOOLS[fields.get("anonymous", "true").lower()],
                attributes={k: v if len(v) > 1 else v[0] for k, v in form.attributes.items()},
                photos=photos,
            )
        except DomainError:
            return None  # nothing was stored: the view finds the problems and says them
        now = timezone.now()
        case_svc.register_prepare(case, now=now)
        address = client_ip(SimpleNamespace(META=environ))  # type: ignore[arg-type]  # it reads META only
        charges = _charge(user, token_id, address)
        if charges is None:
            return None
        try:
            report_store(case, uploads, user, now)  # the applicant's texts in the request's language
        except BaseException:
            for charge in charges:
                charge.give_back()  # Django charges them again when it answers
            raise
    # Stored: from here nothing may fail.
    return json_answer(201, answer_body(case, _scheme(environ), host))


ROUTES = [Route("POST", REPORTS_PATH, submit, label="api/v1/appeals/reports")]
