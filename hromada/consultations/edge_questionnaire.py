"""Submitting a questionnaire at the edge (hromada.core.edge, ADR 0003): POST
/api/v1/consultations/<number>/response with a bearer token and the API's own body
(api_questionnaire.ResponseIn: `{"answers": {"<question id>": value, …}}`, optionally
`"area": "<district id>"`), the request a city-wide poll's peak is made of, answered
without Django's request cycle — by the same check (`services.responses.answers_check`
on `questionnaire_selectors.questionnaire_of`) and with the same rows, ledger entry and 201 body as `services.responses.response_submit` and the API view.

Anything the edge cannot decide exactly as `response_submit` would goes to the API view
with its body intact, which answers with its usual codes and messages — the edge never
produces an error: no bearer token, another content type or shape, a query string, text
the TextGuardMiddleware refuses, an unknown host, a consultation limited to an area (the
declared address is checked against the register), an `address`, an area the hromada has
no district or okrug of, a point outside the hromada's drawn boundary (checked as
`response_submit` checks it), an existing response (a draft or a second answer), any refusal or invalid
answer. tests/test_edge_parity.py sends the same requests with and without the edge.

The response, its answers and the `consultations.response_submitted` ledger entry are
written by one statement on PostgreSQL (a data-modifying CTE that
re-reads the open phase and the consultation's status and lets the (consultation,
participant) unique constraint decide a second answer), in one transaction on SQLite."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.utils import timezone

from hromada.accounts import rules as account_rules
from hromada.accounts.api_auth import token_user
from hromada.core.edge import Answer, Route, allowed_host, json_answer
from hromada.core.errors import DomainError
from hromada.core.models import Phase, column_field
from hromada.core.text import text_problem
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_entry_new, ledger_insert, ledger_insert_params, ledger_insert_parts
from hromada.places import selectors as places
from hromada.tenancy.selectors import hromada_for_host, module_enabled

from . import rules
from .models import (
    PHASE_OPEN,
    Consultation,
    QuestionKind,
    Response,
    ResponseStatus,
    Status,
    TextState,
)
from .models import (
    Answer as AnswerRow,
)
from .questionnaire_selectors import Questionnaire, questionnaire_of
from .services.participation import AREA_KINDS
from .services.responses import AnswerValue, answered_count, answers_check, point_problems

RESPONSE_PATH = re.compile(r"^/api/v1/consultations/(?P<number>[1-9][0-9]{0,8})/response$")
MAX_BODY = 65_536
CONTEXT_TTL = 2.0
LEDGER_KIND = "consultations.response_submitted"
BODY_KEYS = frozenset({"answers", "address", "area"})  # api_questionnaire.ResponseIn
TEXT_KINDS = (QuestionKind.SHORT, QuestionKind.LONG)


# --- the consultation, cached per process ----------------------------------------------


@dataclass
class SubmitContext:
    consultation: Consultation
    phase_id: int  # the open phase
    # (starts_at, ends_at, code) of every phase of the plan, in their order
    phases: tuple[tuple[dt.datetime, dt.datetime, str], ...]
    loaded: float = field(default_factory=time.monotonic)

    def open_at(self, now: dt.datetime) -> bool:
        """As rules.open_refusal decides it: the first phase in force now is the open one."""
        for starts_at, ends_at, code in self.phases:
            if starts_at <= now < ends_at:
                return code == PHASE_OPEN
        return False


_contexts: dict[tuple[int, int], SubmitContext | None] = {}
_loaded_at: dict[tuple[int, int], float] = {}
_lock = threading.Lock()


def cache_clear() -> None:
    with _lock:
        _contexts.clear()
        _loaded_at.clear()


def submit_context(*, hromada, number: int) -> SubmitContext | None:
    """The published consultation `number` with its phases (None: not one the edge
    answers), re-read every CONTEXT_TTL seconds; the INSERT re-reads the open phase and
    the status itself, so a stale copy can never let an answer in after closing."""
    key = (hromada.pk, number)
    now = time.monotonic()
    with _lock:
        if key in _contexts and now - _loaded_at[key] < CONTEXT_TTL:
            return _contexts[key]
    consultation = (
        Consultation.objects.for_hromada(hromada)
        .filter(number=number, status=Status.PUBLISHED)
        .select_related("hromada")
        .first()
    )
    ctx = None
    if consultation is not None and consultation.plan_id is not None:
        phases = list(
            Phase.objects.for_hromada(hromada)
            .filter(plan_id=consultation.plan_id)
            .order_by("order")
            .values_list("pk", "starts_at", "ends_at", "code")
        )
        open_ids = [pk for pk, _s, _e, code in phases if code == PHASE_OPEN]
        if open_ids:
            ctx = SubmitContext(consultation, open_ids[0], tuple((s, e, c) for _pk, s, e, c in phases))
    with _lock:
        _contexts[key], _loaded_at[key] = ctx, now
    return ctx


# --- storing ---------------------------------------------------------------------------

_RESPONSE_FIELDS = (
    "created_at",
    "updated_at",
    "public_id",
    "hromada",
    "consultation",
    "participant",
    "user",
    "status",
    "submitted_at",
    "age_group",
    "area",
)


@dataclass(frozen=True)
class Row:
    """One Answer row by primary keys (the questionnaire tree's pks of B's public ids)."""

    question: int
    option: int | None
    rank: int | None
    number: Any
    text: str
    text_state: str
    lat: float | None
    lon: float | None


def answer_rows(questionnaire: Questionnaire, values: list[AnswerValue]) -> list[Row]:
    """As services.responses._rows builds them: free text is `pending` moderation."""
    rows = []
    for v in values:
        question = questionnaire.by_id[v.question_id]
        rows.append(
            Row(
                question=question.pk,
                option=questionnaire.options[v.option_id][1].pk if v.option_id else None,
                rank=v.rank,
                number=v.number,
                text=v.text,
                text_state=TextState.PENDING if question.kind in TEXT_KINDS else "",
                lat=v.lat,
                lon=v.lon,
            )
        )
    return rows


@functools.cache
def _response_fields() -> tuple:
    return tuple(column_field(Response, name) for name in _RESPONSE_FIELDS)


@functools.cache
def _submit_sql() -> str:
    conn = connections[DEFAULT_DB_ALIAS]
    q = conn.ops.quote_name
    fields = _response_fields()
    columns = ", ".join(q(f.column) for f in fields)
    values = ", ".join(["%s"] * len(fields))
    still_open = (
        f"SELECT 1 FROM {q(Phase._meta.db_table)} WHERE id = %s"  # noqa: S608
        " AND starts_at <= %s AND ends_at > %s"
    )
    published = f"SELECT 1 FROM {q(Consultation._meta.db_table)} WHERE id = %s AND status = %s"  # noqa: S608
    answer_columns = ", ".join(
        q(column_field(AnswerRow, n).column)
        for n in (
            "hromada",
            "response",
            "question",
            "option",
            "rank",
            "number",
            "text",
            "text_state",
            "lat",
            "lon",
        )
    )
    target, markers = ledger_insert_parts(conn)
    # Names come from the models; every value is a parameter.
    return (
        f"WITH r AS (INSERT INTO {q(Response._meta.db_table)} ({columns}) SELECT {values}"  # noqa: S608
        f" WHERE EXISTS ({still_open}) AND EXISTS ({published}) ON CONFLICT DO NOTHING RETURNING id), "
        f"a AS (INSERT INTO {q(AnswerRow._meta.db_table)} ({answer_columns})"
        " SELECT %s, r.id, v.q, v.o, v.rk, v.num, v.txt, v.st, v.lat, v.lon FROM r, unnest("
        "%s::bigint[], %s::bigint[], %s::integer[], %s::numeric[], %s::text[], %s::text[],"
        " %s::float8[], %s::float8[]) AS v(q, o, rk, num, txt, st, lat, lon) RETURNING 1), "
        f"l AS (INSERT INTO {target} SELECT {markers} FROM r RETURNING id) "
        "SELECT r.id FROM r, l"
    )


def response_store(ctx: SubmitContext, response: Response, rows: list[Row], entry: LedgerEntry) -> bool:
    """Insert the submitted response, its answers and the ledger entry atomically (no
    counter: the count is the results snapshot's, services.snapshots); False if refused (this person's response exists — submitted or a
    draft — or the open phase is not in force, or the consultation was cancelled)."""
    conn = connections[DEFAULT_DB_ALIAS]
    now = response.submitted_at
    consultation_pk = ctx.consultation.pk
    if conn.vendor == "postgresql":
        params = [f.get_db_prep_save(f.pre_save(response, True), conn) for f in _response_fields()]
        params += [ctx.phase_id, now, now, consultation_pk, Status.PUBLISHED, response.hromada_id]
        params += [
            [r.question for r in rows],
            [r.option for r in rows],
            [r.rank for r in rows],
            [r.number for r in rows],
            [r.text for r in rows],
            [r.text_state for r in rows],
            [r.lat for r in rows],
            [r.lon for r in rows],
        ]
        params += ledger_insert_params(entry, conn)
        with conn.cursor() as cursor:
            cursor.execute(_submit_sql(), params)
            row = cursor.fetchone()
        if row is None:
            return False
        response.pk = row[0]
        response._state.adding = False
        return True
    with transaction.atomic():
        if not Phase.objects.filter(pk=ctx.phase_id, starts_at__lte=now, ends_at__gt=now).exists():
            return False
        if not Consultation.objects.filter(pk=consultation_pk, status=Status.PUBLISHED).exists():
            return False
        try:
            with transaction.atomic():
                response.save(force_insert=True)
        except IntegrityError:
            return False
        AnswerRow.objects.bulk_create(
            AnswerRow(
                hromada_id=response.hromada_id,
                response=response,
                question_id=r.question,
                option_id=r.option,
                rank=r.rank,
                number=r.number,
                text=r.text,
                text_state=r.text_state,
                lat=r.lat,
                lon=r.lon,
            )
            for r in rows
        )
        ledger_insert(entry)
    return True


# --- the request -----------------------------------------------------------------------


def _body(environ) -> bytes | None:
    if environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower() != "application/json":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 < length <= MAX_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)  # Django reads it again if the edge passes
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _strings(data) -> Iterator[tuple[str, bool]]:
    """(string, multiline) for every key and string value, as TextGuardMiddleware reads
    a JSON body (keys single-line, values multi-line); iterative."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item, True
        elif isinstance(item, dict):
            for key, value in item.items():
                yield key, False
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


@dataclass(frozen=True)
class Submission:
    answers: dict
    area: uuid.UUID | None


def submission_of(body: bytes) -> Submission | None:
    """The API's ResponseIn read from `body` — None for anything it would not read the
    same way or that TextGuardMiddleware refuses (Django then answers)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not set(data) <= BODY_KEYS:
        return None
    answers = data.get("answers", {})
    address = data.get("address", "")
    area = data.get("area")
    if not isinstance(answers, dict) or address != "":
        return None  # an address is for an area-limited consultation: Django's
    key = None
    if area is not None:
        if not isinstance(area, str):
            return None
        try:
            key = uuid.UUID(area)
        except ValueError:
            return None
        if str(key) != area:
            return None  # only the canonical form: pydantic's reading of others is Django's
    if any(text_problem(s, multiline=m) is not None for s, m in _strings(data)):
        return None
    return Submission(answers, key)


def _declared_area(hromada, key: uuid.UUID | None):
    """(found, the area) as the API view's _area and participation_join read it."""
    if key is None:
        return True, None
    area = places.area_list(hromada=hromada).filter(public_id=key).first()
    if area is None or area.hromada_id != hromada.pk or area.kind not in AREA_KINDS:
        return False, None
    return True, area


def _json_time(moment: dt.datetime) -> str:
    return DjangoJSONEncoder().default(moment)  # as Ninja renders the API view's datetime


def answer_body(response: Response, answered: int) -> dict[str, Any]:
    """The 201's body: field for field the API view's SubmittedOut."""
    assert response.submitted_at is not None
    return {
        "status": response.status,
        "submitted_at": _json_time(response.submitted_at),
        "receipt": response.participant,
        "answers": answered,
    }


def submit(environ, match) -> Answer | None:
    if environ.get("QUERY_STRING"):
        return None
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.isascii():
        return None
    if text_problem(authorization, multiline=False) is not None:
        return None  # TextGuardMiddleware's 400
    body = _body(environ)
    submission = submission_of(body) if body is not None else None
    if submission is None:
        return None
    host = allowed_host(environ)
    hromada = hromada_for_host(host) if host else None
    if hromada is None or not module_enabled(hromada, "consultations"):
        return None
    ctx = submit_context(hromada=hromada, number=int(match["number"]))
    now = timezone.now()
    if ctx is None or not ctx.open_at(now) or ctx.consultation.area_id is not None:
        return None
    consultation = ctx.consultation
    found = token_user(token.strip())
    if found is None:
        return None
    user = found[0]
    questionnaire = questionnaire_of(consultation)
    try:
        if rules.participation_refusal(user, consultation, check_open=False) is not None:
            return None
        values = answers_check(questionnaire, submission.answers, final=True)
    except DomainError:
        return None  # nothing was stored: the API view finds the refusal and says it
    if point_problems(consultation, questionnaire, values):
        return None  # a point outside the boundary: the API view says which and why
    known, area = _declared_area(hromada, submission.area)
    if not known:
        return None
    identity = account_rules.identity_in(user, hromada=hromada)
    participant = rules.pseudonym_of(user, consultation)
    response = Response(
        hromada_id=hromada.pk,
        consultation=consultation,
        participant=participant,
        user=user,
        status=ResponseStatus.SUBMITTED,
        submitted_at=now,
        age_group=rules.age_group(getattr(identity, "birth_date", None), timezone.localdate()),
        area=area,
    )
    answered = answered_count(values)
    entry = ledger_entry_new(
        hromada=hromada,
        kind=LEDGER_KIND,
        payload={
            "consultation": str(consultation.public_id),
            "participant": participant,
            "answers": answered,
        },
    )
    if not response_store(ctx, response, answer_rows(questionnaire, values), entry):
        return None  # a response of this person exists (a draft or submitted): the API view says which
    # Stored: from here nothing may fail.
    return json_answer(201, answer_body(response, answered))


ROUTES = [Route("POST", RESPONSE_PATH, submit, label="api/v1/consultations/<int:number>/response")]
