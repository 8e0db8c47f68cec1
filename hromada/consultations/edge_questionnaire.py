"""Submitting a questionnaire at the edge (hromada.core.edge, ADR 0003): POST
/api/v1/consultations/<number>/response with a bearer token and a JSON body
`{"answers": {"<question id>": value, …}}`, the request a city-wide poll's peak is made
of, answered without Django's request cycle. Anything else — no bearer token, another
content type or shape, an unknown host, a consultation limited to an area (the
declared address is checked by the API view), an existing draft, any refusal or
invalid answer — goes to the API view with its body intact, which answers with its
usual codes and messages: the edge never produces an error.

The response, its answers, the counter and the `consultations.response_submitted`
ledger entry are written by one statement on PostgreSQL (a data-modifying CTE that
re-reads the open phase and lets the (consultation, participant) unique constraint
decide a second answer), in one transaction on SQLite.

Merge note: `answers_check` below is this part's own minimal validation; at the merge
it is replaced by the questionnaire part's `services.responses.answers_check` (the same
signature and AnswerValue fields) — change the import marked MERGE and delete the local
copy; `_questionnaire` then becomes `questionnaire_selectors.questionnaire_of`."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hromada.accounts import rules as account_rules
from hromada.accounts.api_auth import token_user
from hromada.core.edge import Answer, Route, allowed_host, json_answer
from hromada.core.errors import DomainError
from hromada.core.models import Phase, column_field
from hromada.ledger.models import LedgerEntry
from hromada.ledger.services import ledger_entry_new, ledger_insert, ledger_insert_params, ledger_insert_parts
from hromada.tenancy.selectors import hromada_for_host, module_enabled

from . import rules
from .models import (
    ANSWER_TEXT_MAX,
    PHASE_OPEN,
    SHORT_TEXT_MAX,
    Consultation,
    Option,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Status,
    TextState,
)
from .models import (
    Answer as AnswerRow,
)

RESPONSE_PATH = re.compile(r"^/api/v1/consultations/(?P<number>[1-9][0-9]{0,8})/response$")
MAX_BODY = 65_536
CONTEXT_TTL = 2.0
LEDGER_KIND = "consultations.response_submitted"


# --- the questionnaire and the answers' check (MERGE: B's answers_check) ------------------


@dataclass(frozen=True)
class QuestionSpec:
    pk: int
    id: str
    order: int
    kind: str
    text: str
    required: bool
    min_choices: int
    max_choices: int
    scale_min: int
    scale_max: int
    number_min: Decimal | None
    number_max: Decimal | None
    options: dict[str, int]  # option public id → pk, in order
    revealed_by: frozenset[int]  # option pks; empty: always shown


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class AnswerValue:
    question_id: int
    option_id: int | None = None
    rank: int | None = None
    number: Decimal | None = None
    text: str = ""
    lat: float | None = None
    lon: float | None = None


class AnswersInvalid(DomainError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        first = next(iter(errors))
        super().__init__("answers_invalid", errors[first], field=first, status=400)


def questionnaire_load(consultation: Consultation) -> Questionnaire:
    questions = list(
        Question.objects.for_hromada(consultation.hromada_id)
        .filter(consultation=consultation)
        .order_by("order")
        .prefetch_related("options", "conditions")
    )
    specs = []
    for q in questions:
        options: list[Option] = list(q.options.all())
        specs.append(
            QuestionSpec(
                q.pk,
                str(q.public_id),
                q.order,
                q.kind,
                q.text,
                q.required,
                q.min_choices,
                q.max_choices,
                q.scale_min,
                q.scale_max,
                q.number_min,
                q.number_max,
                {str(o.public_id): o.pk for o in options},
                frozenset(c.option_id for c in q.conditions.all()),
            )
        )
    return Questionnaire(tuple(specs))


def _number(value) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _check_one(q: QuestionSpec, value) -> tuple[list[AnswerValue], str | None]:
    """(the rows of one answer, or the message naming the question and the rule)."""
    name = f"«{q.text}»"
    if q.kind == QuestionKind.SINGLE:
        if not isinstance(value, str) or value not in q.options:
            return [], _("Питання %(q)s: оберіть один із запропонованих варіантів.") % {"q": name}
        return [AnswerValue(q.pk, option_id=q.options[value])], None
    if q.kind in (QuestionKind.MULTIPLE, QuestionKind.RANKING):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return [], _("Питання %(q)s: оберіть варіанти зі списку.") % {"q": name}
        if any(v not in q.options for v in value):
            return [], _("Питання %(q)s: такого варіанта немає.") % {"q": name}
        if len(set(value)) != len(value):
            return [], _("Питання %(q)s: кожен варіант можна обрати лише раз.") % {"q": name}
        if q.kind == QuestionKind.MULTIPLE:
            if q.max_choices and len(value) > q.max_choices:
                return [], _("Питання %(q)s: можна обрати не більше %(n)d.") % {"q": name, "n": q.max_choices}
            if len(value) < max(q.min_choices, 1):
                return [], _("Питання %(q)s: оберіть щонайменше %(n)d.") % {
                    "q": name,
                    "n": max(q.min_choices, 1),
                }
            return [AnswerValue(q.pk, option_id=q.options[v]) for v in value], None
        needed = q.max_choices or len(q.options)
        if len(value) != needed:
            return [], _("Питання %(q)s: упорядкуйте %(n)d варіантів.") % {"q": name, "n": needed}
        return [AnswerValue(q.pk, option_id=q.options[v], rank=i) for i, v in enumerate(value, 1)], None
    if q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        number = _number(value)
        if number is None:
            return [], _("Питання %(q)s: вкажіть число.") % {"q": name}
        if q.kind == QuestionKind.SCALE:
            if number != number.to_integral_value() or not q.scale_min <= number <= q.scale_max:
                return [], _("Питання %(q)s: оцінка від %(lo)d до %(hi)d.") % {
                    "q": name,
                    "lo": q.scale_min,
                    "hi": q.scale_max,
                }
        elif (q.number_min is not None and number < q.number_min) or (
            q.number_max is not None and number > q.number_max
        ):
            return [], _("Питання %(q)s: число поза дозволеними межами.") % {"q": name}
        elif abs(number) >= Decimal("1e12") or number != number.quantize(Decimal("0.01")):
            return [], _("Питання %(q)s: число з не більш як двома знаками після коми.") % {"q": name}
        return [AnswerValue(q.pk, number=number)], None
    if q.kind in (QuestionKind.SHORT, QuestionKind.LONG):
        limit = SHORT_TEXT_MAX if q.kind == QuestionKind.SHORT else ANSWER_TEXT_MAX
        if not isinstance(value, str):
            return [], _("Питання %(q)s: напишіть відповідь текстом.") % {"q": name}
        text = value.strip()
        if any((c < " " and c not in "\n\r\t") or "\ud800" <= c <= "\udfff" for c in text):
            return [], _("Питання %(q)s: текст містить недопустимі символи.") % {"q": name}
        if len(text) > limit:
            return [], _("Питання %(q)s: не довше %(n)d символів.") % {"q": name, "n": limit}
        return ([AnswerValue(q.pk, text=text)] if text else []), None
    if q.kind == QuestionKind.POINT:
        lat = value.get("lat") if isinstance(value, dict) else None
        lon = value.get("lon") if isinstance(value, dict) else None
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
            return [], _("Питання %(q)s: позначте точку на карті.") % {"q": name}
        assert lat is not None and lon is not None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return [], _("Питання %(q)s: точка поза картою.") % {"q": name}
        return [AnswerValue(q.pk, lat=float(lat), lon=float(lon))], None
    return [], _("Питання %(q)s: невідомий тип.") % {"q": name}


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def answers_check(questionnaire: Questionnaire, raw: dict, *, final: bool = True) -> list[AnswerValue]:
    """The rows of a questionnaire's answers, or AnswersInvalid naming each question and
    its rule. An answer to a hidden question (its conditions unmet) is dropped; a
    required hidden question is not required. Pure: no database."""
    if not isinstance(raw, dict):
        raise AnswersInvalid({"answers": _("Відповіді мають бути об'єктом {питання: відповідь}.")})
    known = {q.id for q in questionnaire.questions}
    unknown = [k for k in raw if k not in known]
    errors: dict[str, str] = {}
    if unknown:
        errors[unknown[0]] = _("Такого питання в анкеті немає.")
    chosen: set[int] = set()
    rows: list[AnswerValue] = []
    for q in questionnaire.questions:
        if q.revealed_by and not (q.revealed_by & chosen):
            continue  # hidden: dropped, never required
        value = raw.get(q.id)
        if _empty(value):
            if final and q.required:
                errors[q.id] = _("Питання «%(q)s» обов'язкове: дайте відповідь.") % {"q": q.text}
            continue
        found, problem = _check_one(q, value)
        if problem is not None:
            errors[q.id] = problem
            continue
        if final and q.required and not found:
            errors[q.id] = _("Питання «%(q)s» обов'язкове: дайте відповідь.") % {"q": q.text}
            continue
        rows += found
        chosen.update(v.option_id for v in found if v.option_id is not None)
    if errors:
        raise AnswersInvalid(errors)
    return rows


# --- the consultation, cached per process ----------------------------------------------


@dataclass
class SubmitContext:
    consultation: Consultation
    phase_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    questionnaire: Questionnaire
    loaded: float = field(default_factory=time.monotonic)

    def open_at(self, now: dt.datetime) -> bool:
        return self.starts_at <= now < self.ends_at


_contexts: dict[tuple[int, int], SubmitContext | None] = {}
_loaded_at: dict[tuple[int, int], float] = {}
_lock = threading.Lock()


def cache_clear() -> None:
    with _lock:
        _contexts.clear()
        _loaded_at.clear()


def submit_context(*, hromada, number: int) -> SubmitContext | None:
    """The published consultation `number` with its open phase and questionnaire (None:
    not one the edge answers), re-read every CONTEXT_TTL seconds; the INSERT re-reads
    the phase itself, so a stale copy can never let an answer in after closing."""
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
        phase = (
            Phase.objects.for_hromada(hromada).filter(plan_id=consultation.plan_id, code=PHASE_OPEN).first()
        )
        if phase is not None:
            ctx = SubmitContext(
                consultation, phase.pk, phase.starts_at, phase.ends_at, questionnaire_load(consultation)
            )
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
        f" WHERE EXISTS ({still_open}) ON CONFLICT DO NOTHING RETURNING id), "
        f"a AS (INSERT INTO {q(AnswerRow._meta.db_table)} ({answer_columns})"
        " SELECT %s, r.id, v.q, v.o, v.rk, v.num, v.txt, v.st, v.lat, v.lon FROM r, unnest("
        "%s::bigint[], %s::bigint[], %s::integer[], %s::numeric[], %s::text[], %s::text[],"
        " %s::float8[], %s::float8[]) AS v(q, o, rk, num, txt, st, lat, lon) RETURNING 1), "
        f"c AS (UPDATE {q(Consultation._meta.db_table)} SET response_count = response_count + 1"
        " WHERE id = %s AND EXISTS (SELECT 1 FROM r) RETURNING 1), "
        f"l AS (INSERT INTO {target} SELECT {markers} FROM r RETURNING id) "
        "SELECT r.id FROM r, l"
    )


def _text_state(value: AnswerValue) -> str:
    return TextState.PENDING if value.text else ""


def response_store(
    ctx: SubmitContext, response: Response, values: list[AnswerValue], entry: LedgerEntry
) -> bool:
    """Insert the submitted response, its answers, the counter's increment and the ledger
    entry atomically; False if refused (this person's response exists — submitted or a
    draft — or the open phase is not in force)."""
    conn = connections[DEFAULT_DB_ALIAS]
    now = response.submitted_at
    if conn.vendor == "postgresql":
        params = [f.get_db_prep_save(f.pre_save(response, True), conn) for f in _response_fields()]
        params += [ctx.phase_id, now, now, response.hromada_id]
        params += [
            [v.question_id for v in values],
            [v.option_id for v in values],
            [v.rank for v in values],
            [v.number for v in values],
            [v.text for v in values],
            [_text_state(v) for v in values],
            [v.lat for v in values],
            [v.lon for v in values],
            ctx.consultation.pk,
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
        try:
            with transaction.atomic():
                response.save(force_insert=True)
        except IntegrityError:
            return False
        AnswerRow.objects.bulk_create(
            AnswerRow(
                hromada_id=response.hromada_id,
                response=response,
                question_id=v.question_id,
                option_id=v.option_id,
                rank=v.rank,
                number=v.number,
                text=v.text,
                text_state=_text_state(v),
                lat=v.lat,
                lon=v.lon,
            )
            for v in values
        )
        Consultation.objects.filter(pk=ctx.consultation.pk).update(response_count=F("response_count") + 1)
        ledger_insert(entry)
    return True


# --- the route -------------------------------------------------------------------------


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


def _raw(body: bytes) -> dict | None:
    """The answers of `{"answers": {...}}` (MERGE: the API's request schema)."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != {"answers"} or not isinstance(data["answers"], dict):
        return None
    return data["answers"]


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def answer_body(consultation: Consultation, response: Response, n: int) -> dict[str, Any]:
    """The 201's body (MERGE: field for field the API view's ResponseOut)."""
    assert response.submitted_at is not None
    return {
        "consultation": str(consultation.public_id),
        "status": response.status,
        "submitted_at": _iso(response.submitted_at),
        "answers": n,
        "receipt": response.participant,
    }


def submit(environ, match) -> Answer | None:
    scheme, _sep, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token.isascii():
        return None
    body = _body(environ)
    raw = _raw(body) if body is not None else None
    if raw is None:
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
    try:
        if rules.participation_refusal(user, consultation, check_open=False) is not None:
            return None
        values = answers_check(ctx.questionnaire, raw, final=True)
    except DomainError:
        return None  # nothing was stored: the API view finds the refusal and says it
    identity = account_rules.identity_in(user, hromada=hromada)
    participant = rules.participant_pseudonym(
        consultation=consultation,
        person_key=identity.tax_hash if identity is not None else f"user:{user.public_id}",
    )
    response = Response(
        hromada_id=hromada.pk,
        consultation=consultation,
        participant=participant,
        user=user,
        status=ResponseStatus.SUBMITTED,
        submitted_at=now,
        age_group=rules.age_group(getattr(identity, "birth_date", None), timezone.localdate()),
    )
    entry = ledger_entry_new(
        hromada=hromada,
        kind=LEDGER_KIND,
        payload={
            "consultation": str(consultation.public_id),
            "participant": participant,
            "answers": len(values),
        },
    )
    if not response_store(ctx, response, values, entry):
        return None  # a response of this person exists (a draft or submitted): the API view says which
    # Stored: from here nothing may fail.
    return json_answer(201, answer_body(consultation, response, len(values)))


ROUTES = [Route("POST", RESPONSE_PATH, submit, label="api/v1/consultations/<int:number>/response")]
